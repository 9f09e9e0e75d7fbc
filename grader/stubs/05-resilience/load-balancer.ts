/**
 * Kata: load balancer (difficulty 2, about an hour)
 * Read:  chapters/05-resilience/README.md#deep-dive-load-balancing
 * Grade: npm run grade -- load-balancer
 * Hint:  npm run hint -- load-balancer (one more hint each time you ask)
 *
 * Build a client-side load balancer with four policies.
 * - [ ] pick() returns a Lease on a healthy backend and counts it in flight
 *       until lease.release(); a second release() does nothing. call(fn) picks,
 *       runs fn(backend) and releases however fn ends, failure included.
 * - [ ] Unhealthy backends (setHealthy(id, false)) are never picked; with none
 *       healthy, pick() throws NoHealthyBackendError.
 * - [ ] round-robin: each healthy backend in turn, in the order given. With one
 *       down, the others still share evenly (a b c d with b down: a c d a c d).
 *       O(1) per pick while the backends are healthy.
 * - [ ] weighted-round-robin: nginx's smooth weighted round robin. Each pick,
 *       every healthy backend's `current` grows by its weight; the largest
 *       (the first listed on a tie) is picked and its current drops by the sum
 *       of the healthy weights. Weights 5, 1, 1 give a a b a c a a: the heavy
 *       backend's turns are spread out, not sent as a burst.
 * - [ ] least-connections: a healthy backend with the fewest in flight. On a
 *       tie, the first one from the round-robin cursor on (the backend after
 *       the last pick), so requests one at a time still spread: a b c a b c.
 * - [ ] power-of-two-choices: draw two different healthy backends with
 *       `random` (one if only one is healthy) and pick the one with fewer in
 *       flight, the first drawn on a tie. O(1) per pick; `random` is required.
 * - [ ] RangeError: no backends, an id twice, a weight that is not a whole
 *       number ≥ 1, power-of-two-choices without random, an unknown id.
 * The spec runs your balancer in a simulation with one backend 4× slower than
 * the rest and compares p99 latency per policy with round robin's and with
 * the reference's.
 */
import { todo } from "#kit";

export type Policy = "round-robin" | "weighted-round-robin" | "least-connections" | "power-of-two-choices";

export interface BackendSpec {
  id: string;
  /** a whole number ≥ 1; only weighted-round-robin reads it. Default 1 */
  weight?: number;
}

export interface LoadBalancerOptions {
  policy: Policy;
  backends: readonly BackendSpec[];
  /** uniform in [0, 1), seeded: power-of-two-choices needs it */
  random?: () => number;
}

/** one request's hold on a backend: release() when the request ends (again does nothing) */
export interface Lease {
  readonly backend: string;
  release(): void;
}

/** thrown by pick() when no backend is healthy */
export class NoHealthyBackendError extends Error {
  override readonly name = "NoHealthyBackendError";
}

export class LoadBalancer {
  constructor(options: LoadBalancerOptions) {
    // TODO: check the options; keep each backend's weight, health, in-flight count and current weight.
    todo("LoadBalancer constructor", options);
  }

  /** the backend for the next request; its in-flight count is held until the lease is released */
  pick(): Lease {
    // TODO: choose by the policy among the healthy backends, count it in flight, return a lease.
    return todo("LoadBalancer.pick");
  }

  /** runs fn against a picked backend and releases it however fn ends */
  async call<T>(fn: (backend: string) => Promise<T>): Promise<T> {
    // TODO: pick, await fn, release in a finally.
    return todo("LoadBalancer.call", fn);
  }

  setHealthy(id: string, healthy: boolean): void {
    // TODO: mark the backend up or down.
    todo("LoadBalancer.setHealthy", id, healthy);
  }

  /** requests picked for the backend and not yet released */
  inFlight(id: string): number {
    // TODO: the backend's in-flight count.
    return todo("LoadBalancer.inFlight", id);
  }
}
