/**
 * Mutant of solutions/02-caching/single-flight-loader.ts: caches-errors.
 *
 * The bug: a failed load stays registered as the key's load in flight, so
 * every later get joins the rejected promise and fails without asking the
 * backend again. One timeout poisons the key until it is invalidated.
 * @caughtBy a failed load is not cached: the next get tries again
 */
import type { Clock } from "#kit";

/** reads a key from the source of truth; resolves undefined when the key does not exist there */
export type Load<V> = (key: string) => Promise<V | undefined>;

export interface SingleFlightOptions<V> {
  load: Load<V>;
  clock: Clock;
  /** how long a loaded value is fresh, in ms */
  ttlMs: number;
  /** after ttlMs, how long the old value is still served while one refresh runs; default 0 */
  staleMs?: number;
  /** how long "not found" is cached, in ms; default 0: not cached */
  negativeTtlMs?: number;
  /** XFetch's β for early refresh: 0 (default) is off, 1 the usual setting, more refreshes earlier */
  beta?: number;
  /** uniform draws in [0, 1) for the early refresh; required when beta > 0 */
  random?: () => number;
}

interface Entry<V> {
  /** undefined: the source said the key does not exist */
  value: V | undefined;
  freshUntil: number;
  staleUntil: number;
  /** how long the load that produced the value took: XFetch's δ (0 for a value from set()) */
  loadMs: number;
}

type Flight<V> = Promise<V | undefined>;

export class SingleFlightCache<V> {
  readonly #load: Load<V>;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #negativeTtlMs: number;
  readonly #beta: number;
  readonly #random: () => number;
  readonly #entries = new Map<string, Entry<V>>();
  /** the load in flight per key: the only one allowed to fill the cache when it ends */
  readonly #flights = new Map<string, Flight<V>>();

  constructor(options: SingleFlightOptions<V>) {
    const { ttlMs, staleMs = 0, negativeTtlMs = 0, beta = 0, random } = options;
    // Infinity is fine: a value that never goes stale, a stale window or a negative cache that never ends
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
    for (const [name, value] of [
      ["staleMs", staleMs],
      ["negativeTtlMs", negativeTtlMs],
      ["beta", beta],
    ] as const) {
      if (!(value >= 0)) throw new RangeError(`${name} must be 0 or more, got ${value}`);
    }
    if (beta > 0 && random === undefined) throw new RangeError("early refresh (beta > 0) needs a random source");
    this.#load = options.load;
    this.#clock = options.clock;
    this.#ttlMs = ttlMs;
    this.#staleMs = staleMs;
    this.#negativeTtlMs = negativeTtlMs;
    this.#beta = beta;
    this.#random = random ?? (() => 1);
  }

  /**
   * The key's value: from the cache while fresh (or stale, starting one
   * refresh), else from the load in flight for it, or from a new load.
   */
  get(key: string): Promise<V | undefined> {
    const now = this.#clock.now();
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (now < entry.freshUntil) {
        if (this.#refreshEarly(entry, now)) this.#refresh(key);
        return Promise.resolve(entry.value);
      }
      if (now < entry.staleUntil) {
        this.#refresh(key);
        return Promise.resolve(entry.value);
      }
      this.#entries.delete(key);
    }
    return this.#flights.get(key) ?? this.#start(key);
  }

  /** stores a value written elsewhere, fresh from now; a load in flight for the key no longer fills the cache */
  set(key: string, value: V): void {
    this.#flights.delete(key);
    const now = this.#clock.now();
    const freshUntil = now + this.#ttlMs;
    this.#entries.set(key, { value, freshUntil, staleUntil: freshUntil + this.#staleMs, loadMs: 0 });
  }

  /** drops the key; a load in flight for it still answers its callers, but fills nothing */
  invalidate(key: string): void {
    this.#flights.delete(key);
    this.#entries.delete(key);
  }

  /**
   * XFetch: refresh when now − δ·β·ln(u) ≥ expiry, u uniform in (0, 1]. Each
   * call's chance grows as expiry nears, fast enough that among many callers
   * about one refreshes, shortly before expiry, whatever the request rate.
   */
  #refreshEarly(entry: Entry<V>, now: number): boolean {
    if (this.#beta === 0 || entry.loadMs === 0) return false;
    return now - entry.loadMs * this.#beta * Math.log(1 - this.#random()) >= entry.freshUntil;
  }

  /** a background load: the callers keep the value they have, and a failure leaves the entry as it is */
  #refresh(key: string): void {
    if (this.#flights.has(key)) return;
    this.#start(key).catch(() => {});
  }

  #start(key: string): Flight<V> {
    const startedAt = this.#clock.now();
    // an async wrapper turns a loader that throws into a rejected load
    const flight: Flight<V> = (async () => this.#load(key))().then((value) => {
      if (this.#flights.get(key) === flight) {
        this.#flights.delete(key);
        this.#store(key, value, this.#clock.now() - startedAt);
      }
      return value;
    });
    // a failed load caches nothing: the next caller starts a new one
    flight.catch(() => {});
    this.#flights.set(key, flight);
    return flight;
  }

  #store(key: string, value: V | undefined, loadMs: number): void {
    const now = this.#clock.now();
    if (value !== undefined) {
      const freshUntil = now + this.#ttlMs;
      this.#entries.set(key, { value, freshUntil, staleUntil: freshUntil + this.#staleMs, loadMs });
    } else if (this.#negativeTtlMs > 0) {
      const until = now + this.#negativeTtlMs;
      this.#entries.set(key, { value, freshUntil: until, staleUntil: until, loadMs: 0 });
    } else {
      // the key is gone from the source: a stale value of it must go too
      this.#entries.delete(key);
    }
  }
}
