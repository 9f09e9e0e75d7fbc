/**
 * Mutant of solutions/05-resilience/load-balancer.ts: stale-healthy-list.
 *
 * The bug: the list of healthy backends that power of two choices draws from
 * is rebuilt when a backend comes back, not when one goes down: a backend
 * marked down stays in the draw, and keeps getting requests.
 * @caughtBy never picks an unhealthy backend, whatever the policy, and throws NoHealthyBackendError when none is healthy
 */

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

interface Backend {
  id: string;
  weight: number;
  healthy: boolean;
  inFlight: number;
  /** smooth weighted round robin: grows by weight each pick, drops by the total when picked */
  current: number;
}

export class LoadBalancer {
  readonly #policy: Policy;
  readonly #backends: Backend[];
  readonly #byId = new Map<string, Backend>();
  readonly #random: (() => number) | undefined;
  /** indices of the healthy backends, rebuilt when health changes: power-of-two-choices draws from it */
  #healthy: number[];
  /** where round-robin (and least-connections' tie-break) looks next */
  #cursor = 0;

  constructor({ policy, backends, random }: LoadBalancerOptions) {
    if (backends.length === 0) throw new RangeError("a load balancer needs at least one backend");
    if (policy === "power-of-two-choices" && random === undefined) {
      throw new RangeError("power-of-two-choices needs a random source");
    }
    this.#policy = policy;
    this.#random = random;
    this.#backends = backends.map(({ id, weight = 1 }) => {
      if (!(Number.isInteger(weight) && weight >= 1)) {
        throw new RangeError(`weight of ${id} must be a whole number ≥ 1, got ${weight}`);
      }
      if (this.#byId.has(id)) throw new RangeError(`backend ${id} is listed twice`);
      const backend = { id, weight, healthy: true, inFlight: 0, current: 0 };
      this.#byId.set(id, backend);
      return backend;
    });
    this.#healthy = this.#backends.map((_, i) => i);
  }

  /** the backend for the next request; its in-flight count is held until the lease is released */
  pick(): Lease {
    if (this.#healthy.length === 0) throw new NoHealthyBackendError("no healthy backend");
    const backend = this.#choose();
    backend.inFlight++;
    let released = false;
    return {
      backend: backend.id,
      release: () => {
        if (released) return;
        released = true;
        backend.inFlight--;
      },
    };
  }

  /** runs fn against a picked backend and releases it however fn ends */
  async call<T>(fn: (backend: string) => Promise<T>): Promise<T> {
    const lease = this.pick();
    try {
      return await fn(lease.backend);
    } finally {
      lease.release();
    }
  }

  setHealthy(id: string, healthy: boolean): void {
    const backend = this.#byId.get(id);
    if (backend === undefined) throw new RangeError(`no backend ${id}`);
    if (backend.healthy === healthy) return;
    backend.healthy = healthy;
    if (healthy) this.#healthy = this.#backends.flatMap((b, i) => (b.healthy ? [i] : []));
  }

  /** requests picked for the backend and not yet released */
  inFlight(id: string): number {
    const backend = this.#byId.get(id);
    if (backend === undefined) throw new RangeError(`no backend ${id}`);
    return backend.inFlight;
  }

  #choose(): Backend {
    switch (this.#policy) {
      case "round-robin":
        return this.#roundRobin();
      case "weighted-round-robin":
        return this.#smoothWeighted();
      case "least-connections":
        return this.#leastConnections();
      case "power-of-two-choices":
        return this.#twoChoices();
    }
  }

  /** the next healthy backend at or after the cursor; O(1) while all are healthy */
  #roundRobin(): Backend {
    const n = this.#backends.length;
    for (let step = 0; step < n; step++) {
      const i = (this.#cursor + step) % n;
      const backend = this.#backends[i] as Backend;
      if (backend.healthy) {
        this.#cursor = (i + 1) % n;
        return backend;
      }
    }
    throw new NoHealthyBackendError("no healthy backend");
  }

  /** nginx: every healthy backend gains its weight, the largest wins and pays back the total */
  #smoothWeighted(): Backend {
    let best: Backend | undefined;
    let total = 0;
    for (const backend of this.#backends) {
      if (!backend.healthy) continue;
      backend.current += backend.weight;
      total += backend.weight;
      if (best === undefined || backend.current > best.current) best = backend;
    }
    const chosen = best as Backend;
    chosen.current -= total;
    return chosen;
  }

  /** the fewest in flight; among equals the first from the cursor on, so light traffic still spreads */
  #leastConnections(): Backend {
    const n = this.#backends.length;
    let best = -1;
    for (let step = 0; step < n; step++) {
      const i = (this.#cursor + step) % n;
      const backend = this.#backends[i] as Backend;
      if (!backend.healthy) continue;
      if (best < 0 || backend.inFlight < (this.#backends[best] as Backend).inFlight) best = i;
    }
    this.#cursor = (best + 1) % n;
    return this.#backends[best] as Backend;
  }

  /** two different healthy backends at random; the one with fewer in flight (the first drawn on a tie) */
  #twoChoices(): Backend {
    const healthy = this.#healthy;
    if (healthy.length === 1) return this.#backends[healthy[0] as number] as Backend;
    const random = this.#random as () => number;
    const first = Math.floor(random() * healthy.length);
    let second = Math.floor(random() * (healthy.length - 1));
    if (second >= first) second++;
    const a = this.#backends[healthy[first] as number] as Backend;
    const b = this.#backends[healthy[second] as number] as Backend;
    return b.inFlight < a.inFlight ? b : a;
  }
}
