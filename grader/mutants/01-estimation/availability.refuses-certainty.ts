/**
 * Mutant of solutions/01-estimation/availability.ts: refuses-certainty.
 *
 * The bug: an availability must be below 1 (value < 1), where the contract
 * takes [0, 1] with both ends: a component that never fails, such as a static
 * file or a test double, is refused, and so are downtime(1, ...) and nines(1).
 * @caughtBy gives a component its own availability, from 0 to 1 included
 */

export type System =
  | { kind: "component"; availability: number }
  | { kind: "series"; parts: System[] }
  | { kind: "parallel"; parts: System[] }
  | { kind: "quorum"; needed: number; parts: System[] };

export type Period = "day" | "week" | "month" | "year";

// the interview calendar: a 30-day month, a 365-day year
const SECONDS: Record<Period, number> = {
  day: 86_400,
  week: 7 * 86_400,
  month: 30 * 86_400,
  year: 365 * 86_400,
};

function checkShare(name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
}

function checkParts(system: { kind: string; parts: System[] }): void {
  if (system.parts.length === 0) throw new RangeError(`a ${system.kind} needs at least one part`);
}

/** the share of time the system is up */
export function availability(system: System): number {
  switch (system.kind) {
    case "component":
      checkShare("availability", system.availability);
      return system.availability;
    case "series":
      checkParts(system);
      return system.parts.reduce((up, part) => up * availability(part), 1);
    case "parallel":
      checkParts(system);
      return 1 - system.parts.reduce((down, part) => down * (1 - availability(part)), 1);
    case "quorum":
      return quorum(system.needed, system.parts);
  }
}

/** at least `needed` of the parts up: the distribution of how many are up, built one part at a time, O(n²) */
function quorum(needed: number, parts: System[]): number {
  if (!(Number.isInteger(needed) && needed >= 1 && needed <= parts.length)) {
    throw new RangeError(`a quorum needs between 1 and ${parts.length} of its parts, got ${needed}`);
  }
  // exactly[j]: the chance that exactly j of the parts seen so far are up
  let exactly = [1];
  for (const part of parts) {
    const up = availability(part);
    const next = new Array<number>(exactly.length + 1).fill(0);
    exactly.forEach((chance, j) => {
      next[j] = (next[j] as number) + chance * (1 - up);
      next[j + 1] = (next[j + 1] as number) + chance * up;
    });
    exactly = next;
  }
  return exactly.slice(needed).reduce((sum, chance) => sum + chance, 0);
}

/** seconds of downtime the availability allows per period */
export function downtime(share: number, period: Period): number {
  checkShare("availability", share);
  const seconds = SECONDS[period];
  if (seconds === undefined) throw new RangeError(`period must be day, week, month or year, got ${period}`);
  return (1 - share) * seconds;
}

/** how many nines: 0.999 is 3, 0.9995 is 3.3 */
export function nines(share: number): number {
  checkShare("availability", share);
  return -Math.log10(1 - share);
}

/** the availability with that many nines: 3 is 0.999 */
export function availabilityOfNines(count: number): number {
  if (!(count >= 0)) throw new RangeError(`nines must be 0 or more, got ${count}`);
  return 1 - 10 ** -count;
}
