import { formatNumber } from "./number.ts";

/** how close an answer must be: within a share of the expected value, or within a factor of it */
export type Tolerance = { kind: "relative"; within: number } | { kind: "factor"; within: number };

const MAGNITUDE = Math.sqrt(10);

/** "10%" · "2x" (or "2×") · "magnitude" (the same order of magnitude: within √10 ≈ 3.2×) */
export function parseTolerance(text: string): Tolerance | undefined {
  const trimmed = text.trim();
  if (trimmed === "magnitude") return { kind: "factor", within: MAGNITUDE };
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(trimmed);
  if (percent?.[1] && Number(percent[1]) > 0 && Number(percent[1]) < 100) {
    return { kind: "relative", within: Number(percent[1]) / 100 };
  }
  const factor = /^(\d+(?:\.\d+)?)\s*[x×]$/.exec(trimmed);
  if (factor?.[1] && Number(factor[1]) > 1) return { kind: "factor", within: Number(factor[1]) };
  return undefined;
}

export function describeTolerance(tolerance: Tolerance): string {
  if (tolerance.kind === "relative") return `within ${formatNumber(tolerance.within * 100)}%`;
  if (Math.abs(tolerance.within - MAGNITUDE) < 1e-9) return "within the same order of magnitude";
  return `within ${formatNumber(tolerance.within)}×`;
}

export interface Closeness {
  ok: boolean;
  /** answer ÷ expected */
  ratio: number;
  /** "3.1× too high", "15% too low", "on target" */
  verdict: string;
}

export function closeness(answer: number, expected: number, tolerance: Tolerance): Closeness {
  const ratio = answer / expected;
  const ok =
    tolerance.kind === "relative"
      ? Math.abs(answer - expected) <= tolerance.within * Math.abs(expected) * (1 + 1e-9)
      : ratio > 0 && Math.max(ratio, 1 / ratio) <= tolerance.within * (1 + 1e-9);
  const off = ratio >= 1 ? ratio : 1 / ratio;
  const direction = ratio >= 1 ? "high" : "low";
  let verdict: string;
  if (!(ratio > 0)) verdict = "not even the right sign";
  else if (Math.abs(ratio - 1) < 0.005) verdict = "on target";
  else if (off < 1.5) verdict = `${formatNumber(Math.abs(ratio - 1) * 100)}% too ${direction}`;
  else verdict = `${formatNumber(off)}× too ${direction}`;
  return { ok, ratio, verdict };
}
