/**
 * Kata: availability of composed systems (difficulty 1, about 30 minutes)
 * Read:  chapters/01-estimation/README.md#availability-nines-and-downtime
 * Grade: npm run grade -- availability
 * Hint:  npm run hint -- availability (one more hint each time you ask)
 *
 * A system is a tree of components; parts fail independently.
 * - component: up for the share of time given by its availability (0 to 1).
 * - series: up only when every part is up.
 * - parallel: up when any part is up.
 * - quorum: up when at least `needed` of its parts are up (k of n). Compute it
 *   without enumerating every subset of parts: a quorum of 30 must be quick.
 * - downtime(availability, period): seconds down per day, week, month (30 days)
 *   or year (365 days).
 * - nines(availability): −log10(1 − availability); 0.9995 is 3.3 nines.
 *   availabilityOfNines(n) is the inverse.
 * - Throw a RangeError for an availability outside [0, 1], a series, parallel or
 *   quorum without parts, a quorum needing fewer than 1 or more than all of
 *   its parts (or not a whole number), and a negative number of nines.
 */
import { todo } from "#kit";

export type System =
  | { kind: "component"; availability: number }
  | { kind: "series"; parts: System[] }
  | { kind: "parallel"; parts: System[] }
  | { kind: "quorum"; needed: number; parts: System[] };

export type Period = "day" | "week" | "month" | "year";

/** the share of time the system is up */
export function availability(system: System): number {
  // TODO: combine the parts' availabilities according to the kind of node.
  return todo("availability", system);
}

/** seconds of downtime the availability allows per period */
export function downtime(share: number, period: Period): number {
  // TODO: the unavailable share of the period, in seconds.
  return todo("downtime", share, period);
}

/** how many nines: 0.999 is 3, 0.9995 is 3.3 */
export function nines(share: number): number {
  // TODO
  return todo("nines", share);
}

/** the availability with that many nines: 3 is 0.999 */
export function availabilityOfNines(count: number): number {
  // TODO
  return todo("availabilityOfNines", count);
}
