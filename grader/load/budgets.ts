import type { BudgetName, Budgets } from "../manifest/schema.ts";
import type { GrowthResult, LoadResult } from "./harness.ts";

export interface Verdict {
  budget: BudgetName;
  learner: string;
  reference: string;
  /** learner ÷ reference */
  ratio: number;
  /** the bound, written as "≥ 0.30×" or "≤ 3.0×" */
  limit: string;
  ok: boolean;
  reason: string;
}

export function formatRate(opsPerSec: number): string {
  if (!Number.isFinite(opsPerSec)) return "—";
  if (opsPerSec >= 1e6) return `${(opsPerSec / 1e6).toFixed(2)} M ops/s`;
  if (opsPerSec >= 1e3) return `${(opsPerSec / 1e3).toFixed(1)} k ops/s`;
  return `${opsPerSec.toFixed(0)} ops/s`;
}

export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms/op`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs/op`;
  return `${ns.toFixed(ns < 10 ? 1 : 0)} ns/op`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

/** the budgets a load measurement answers to; a budget the manifest leaves out is not judged */
export function judgeLoad(result: LoadResult, budgets: Budgets): Verdict[] {
  const verdicts: Verdict[] = [];
  const stopped = result.learner.stoppedEarly ? " (stopped early)" : "";
  if (budgets.throughput) {
    verdicts.push({
      budget: "throughput",
      learner: formatRate(result.learner.opsPerSec) + stopped,
      reference: formatRate(result.reference.opsPerSec),
      ratio: result.ratios.throughput,
      limit: `≥ ${budgets.throughput.min.toFixed(2)}×`,
      ok: result.ratios.throughput >= budgets.throughput.min,
      reason: budgets.throughput.reason,
    });
  }
  for (const name of ["p50", "p99"] as const) {
    const budget = budgets[name];
    if (!budget) continue;
    const ratio = result.ratios[name];
    verdicts.push({
      budget: name,
      learner: formatNs(name === "p50" ? result.learner.p50Ns : result.learner.p99Ns) + stopped,
      reference: formatNs(name === "p50" ? result.reference.p50Ns : result.reference.p99Ns),
      ratio,
      limit: `≤ ${budget.max.toFixed(1)}×`,
      ok: ratio <= budget.max,
      reason: budget.reason,
    });
  }
  return verdicts;
}

export function judgeGrowth(result: GrowthResult, budgets: Budgets): Verdict[] {
  if (!budgets.growth) return [];
  const describe = (g: GrowthResult["learner"]) =>
    `${g.growth.toFixed(1)} (${formatNs(g.smallNsPerOp)} → ${formatNs(g.largeNsPerOp)})${g.stoppedEarly ? " (stopped early)" : ""}`;
  return [
    {
      budget: "growth",
      learner: describe(result.learner),
      reference: describe(result.reference),
      ratio: result.ratio,
      limit: `≤ ${budgets.growth.max.toFixed(1)}×`,
      ok: result.ratio <= budgets.growth.max,
      reason: budgets.growth.reason,
    },
  ];
}

/** a load test's verdicts that did not hold; the message carries both measurements and the budget */
export class BudgetExceeded extends Error {
  override readonly name = "BudgetExceeded";

  constructor(readonly verdicts: Verdict[]) {
    super(
      verdicts
        .map(
          (v) =>
            `${v.budget}: yours ${v.learner}, reference ${v.reference}: ratio ${formatRatio(v.ratio)}, budget ${v.limit}\n  why this budget: ${v.reason}`,
        )
        .join("\n"),
    );
  }
}
