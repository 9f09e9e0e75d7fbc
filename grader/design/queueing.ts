// One instance of a component as an M/M/k queue (Kendall's notation; Erlang 1917): Poisson
// arrivals, exponential service times with the component's mean latency, and k requests served at
// once, k being what the instance serves per second times the mean latency (Little's law: the
// requests in service at full load). Why M/M/k and not the simulator: a design is a handful of
// hops, each with a closed form for its waiting time, and a flow's p99 is then a quick seeded
// sample of the hops in turn (evaluate.ts); the simulator is for what has no closed form (traffic
// that changes over time).
import type { Random } from "../sim/random.ts";

const MOST_SLOTS = 100_000;

/** one instance: `slots` requests served at once, each taking `meanMs` on average, `rate` arriving per second */
export interface Station {
  slots: number;
  meanMs: number;
  /** arrivals per second at this instance */
  rate: number;
}

/** the share of its capacity an instance uses: arrivals over what it can serve */
export function utilisation({ slots, meanMs, rate }: Station): number {
  return (rate * meanMs) / 1000 / slots;
}

/**
 * Erlang's C formula: the probability that an arrival waits, with `slots` servers offered `load`
 * erlangs (arrival rate × mean service time). From Erlang's B by its recurrence
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), then C = B / (1 − ρ(1 − B)); stable for any k.
 */
export function erlangC(slots: number, load: number): number {
  const rho = load / slots;
  if (rho >= 1) return 1;
  if (load === 0) return 0;
  // past 100,000 servers the recurrence's cost is all it adds: as many fewer servers at the same
  // utilisation wait at least as often, so the chance is an upper bound, and tiny there unless ρ ≈ 1
  if (slots > MOST_SLOTS) return erlangC(MOST_SLOTS, rho * MOST_SLOTS);
  let b = 1;
  for (let k = 1; k <= slots; k++) b = (load * b) / (k + load * b);
  return b / (1 - rho * (1 - b));
}

/** the probability an arrival waits longer than `ms` before it is served (M/M/k) */
export function waitBeyond(station: Station, ms: number): number {
  const { slots, meanMs, rate } = station;
  const load = (rate * meanMs) / 1000;
  if (load / slots >= 1) return 1;
  const drain = slots / meanMs - rate / 1000; // per ms: how fast a queue empties
  return erlangC(slots, load) * Math.exp(-drain * ms);
}

/** one request's time at the instance, wait and service, drawn from the M/M/k distribution; Infinity past capacity */
export function sampleResponse(
  station: Station,
  random: Random,
  waitChance = erlangC(station.slots, (station.rate * station.meanMs) / 1000),
): number {
  const { slots, meanMs, rate } = station;
  if (utilisation(station) >= 1) return Number.POSITIVE_INFINITY;
  const service = random.exponential(meanMs);
  if (random.float() >= waitChance) return service;
  return service + random.exponential(1 / (slots / meanMs - rate / 1000));
}
