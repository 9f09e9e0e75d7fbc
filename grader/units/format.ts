import { evaluate, isDimensionless, isUnit, magnitude, type Value, valueIn } from "./engine.ts";
import { formatNumber } from "./number.ts";

export { formatNumber };

/** mathjs writes "req / (s user)" and "s^-1"; readers write "req/(s user)" and "/s" */
export function tidyUnit(text: string): string {
  const tidy = text.replace(/\s*\/\s*/g, "/").trim();
  return /^[A-Za-z]+\^-1$/.test(tidy) ? `/${tidy.slice(0, -3)}` : tidy;
}

// for a value without a unit of the author's choosing: units of its dimension, smallest first
const LADDERS = [
  ["B", "kB", "MB", "GB", "TB", "PB", "EB"],
  ["b", "kbit", "Mbit", "Gbit", "Tbit", "Pbit"],
  ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"],
  ["bps", "kbps", "Mbps", "Gbps", "Tbps"],
  ["ns", "us", "ms", "s", "minute", "hour", "day", "year"],
  ["USD"],
  ["USD/month"],
].map((ladder) => ladder.map((u) => [u, evaluate(`1 ${u}`)] as const));

/** a unit that reads well for the value: the largest of its dimension's ladder that keeps it at 1 or more */
export function autoUnit(value: Value): string | undefined {
  if (!isUnit(value) || isDimensionless(value)) return undefined;
  const ladder = LADDERS.find((rungs) => {
    const first = rungs[0]?.[1];
    return first !== undefined && isUnit(first) && value.equalBase(first);
  });
  if (!ladder) return undefined;
  const size = Math.abs(magnitude(value));
  let chosen = ladder[0]?.[0];
  for (const [name, one] of ladder) if (size >= magnitude(one) * (1 - 1e-9)) chosen = name;
  return chosen;
}

/** a value in the given unit, or in its own units when none is given or it does not fit */
export function formatValue(value: Value, unit?: string): string {
  if (unit) {
    const n = valueIn(value, unit);
    if (!Number.isNaN(n) || Number.isNaN(magnitude(value))) return `${formatNumber(n)} ${tidyUnit(unit)}`;
  }
  if (!isUnit(value) || isDimensionless(value)) {
    const units = isUnit(value) ? value.formatUnits() : "";
    return units ? `${formatNumber(magnitude(value))} ${tidyUnit(units)}` : formatNumber(magnitude(value));
  }
  const auto = autoUnit(value);
  if (auto) return `${formatNumber(value.toNumber(auto))} ${tidyUnit(auto)}`;
  const units = value.formatUnits();
  return `${formatNumber(value.toNumber(units))} ${tidyUnit(units)}`;
}
