/**
 * Mutant of solutions/01-estimation/availability.ts: quorum-enumerates-subsets.
 *
 * The bug: a quorum is computed by enumerating every up/down pattern of its
 * parts. Right, but 2ⁿ patterns: a quorum of 30 parts is a billion of them.
 * @caughtBy a quorum of 15 parts costs no more than a polynomial step from one of 5
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
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
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
  const shares = parts.map(availability);
  let total = 0;
  for (let pattern = 0; pattern < 2 ** shares.length; pattern++) {
    let chance = 1;
    let ups = 0;
    shares.forEach((up, i) => {
      const isUp = ((pattern >> i) & 1) === 1;
      chance *= isUp ? up : 1 - up;
      if (isUp) ups++;
    });
    if (ups >= needed) total += chance;
  }
  return total;
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
