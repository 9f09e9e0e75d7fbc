import { isDimensionless, unit, type Value } from "./engine.ts";

// dimensions a learner meets, by a unit that has them
const NAMED: Array<[string, string]> = [
  ["s", "a duration"],
  ["s^-1", "a rate"],
  ["B", "a size"],
  ["B/s", "a bandwidth"],
  ["USD", "an amount of money"],
  ["USD/s", "a cost per unit of time"],
  ["USD/B", "a price per size"],
  ["B/user", "a size"],
  ["s/req", "a duration"],
];
const KNOWN = NAMED.map(([u, name]) => [unit(u), name] as const);

export function sameDimension(a: Value, b: Value): boolean {
  if (isDimensionless(a) || isDimensionless(b)) return isDimensionless(a) && isDimensionless(b);
  return (a as ReturnType<typeof unit>).equalBase(b as ReturnType<typeof unit>);
}

/** "a rate", "a size", "a plain number", ... for messages about the wrong dimension */
export function describeDimension(value: Value): string {
  if (isDimensionless(value)) return "a plain number (a count or a ratio)";
  const match = KNOWN.find(([u]) => sameDimension(u, value));
  if (match) return match[1];
  return `a quantity in ${(value as ReturnType<typeof unit>).formatUnits() || "other units"}`;
}
