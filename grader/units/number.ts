// numbers as an interview writes them; no units, so it loads without mathjs
const SCALES: Array<[number, string]> = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/** a number as an interview writes it: 2,315 · 11.6k · 500M · 8.76 · 0.0278 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "−∞";
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  if (abs >= 1e4) {
    const [scale, suffix] = SCALES.find(([s]) => abs >= s) ?? [1, ""];
    return `${sign}${trim((abs / scale).toPrecision(3))}${suffix}`;
  }
  if (abs >= 1000) return sign + Math.round(abs).toLocaleString("en-US");
  if (abs === 0) return "0";
  if (abs < 1e-4) return sign + abs.toExponential(2).replace(/\.?0+e/, "e");
  return sign + trim(abs.toPrecision(3));
}

function trim(text: string): string {
  return text.includes(".") && !text.includes("e") ? text.replace(/\.?0+$/, "") : text;
}
