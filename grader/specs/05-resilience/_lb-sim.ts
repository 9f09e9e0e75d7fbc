// a small discrete-event simulation for the load-balancer spec: Poisson arrivals,
// backends that each serve one request at a time in arrival order, with
// exponential service times; every request holds its lease until it is served
import { random } from "#spec";

export interface Pickable {
  pick(): { backend: string; release(): void };
}

export interface SimBackend {
  id: string;
  /** mean service time, ms */
  meanMs: number;
}

export interface Simulation {
  backends: readonly SimBackend[];
  /** arrivals per second */
  rate: number;
  requests: number;
  seed: number;
}

export interface SimResult {
  p50: number;
  p99: number;
  /** share of requests each backend served */
  share: Record<string, number>;
}

/** a binary min-heap of (time, release) */
class Completions {
  readonly #times: number[] = [];
  readonly #releases: Array<() => void> = [];

  push(time: number, release: () => void): void {
    const times = this.#times;
    const releases = this.#releases;
    let i = times.length;
    times.push(time);
    releases.push(release);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((times[parent] as number) <= time) break;
      times[i] = times[parent] as number;
      releases[i] = releases[parent] as () => void;
      i = parent;
    }
    times[i] = time;
    releases[i] = release;
  }

  /** releases, in time order, every request done by `now` */
  drainUntil(now: number): void {
    while (this.#times.length > 0 && (this.#times[0] as number) <= now) this.#pop()();
  }

  #pop(): () => void {
    const times = this.#times;
    const releases = this.#releases;
    const top = releases[0] as () => void;
    const lastTime = times.pop() as number;
    const lastRelease = releases.pop() as () => void;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && (times[right] as number) < (times[left] as number) ? right : left;
        if ((times[child] as number) >= lastTime) break;
        times[i] = times[child] as number;
        releases[i] = releases[child] as () => void;
        i = child;
      }
      times[i] = lastTime;
      releases[i] = lastRelease;
    }
    return top;
  }
}

export function simulate(balancer: Pickable, { backends, rate, requests, seed }: Simulation): SimResult {
  const rng = random(seed);
  const mean = new Map(backends.map((b) => [b.id, b.meanMs]));
  const busyUntil = new Map(backends.map((b) => [b.id, 0]));
  const served = new Map(backends.map((b) => [b.id, 0]));
  const completions = new Completions();
  const latencies = new Float64Array(requests);
  let now = 0;
  for (let i = 0; i < requests; i++) {
    now += rng.exponential(1000 / rate);
    // the same unit draw for request i whichever backend serves it, so policies see the same work
    const work = rng.exponential(1);
    completions.drainUntil(now);
    const lease = balancer.pick();
    const meanMs = mean.get(lease.backend);
    if (meanMs === undefined) throw new Error(`pick() returned ${lease.backend}, which is not a backend`);
    const start = Math.max(now, busyUntil.get(lease.backend) as number);
    const done = start + work * meanMs;
    busyUntil.set(lease.backend, done);
    served.set(lease.backend, (served.get(lease.backend) as number) + 1);
    completions.push(done, () => lease.release());
    latencies[i] = done - now;
  }
  latencies.sort();
  const share: Record<string, number> = {};
  for (const [id, count] of served) share[id] = count / requests;
  return {
    p50: latencies[Math.floor(requests * 0.5)] as number,
    p99: latencies[Math.floor(requests * 0.99)] as number,
    share,
  };
}
