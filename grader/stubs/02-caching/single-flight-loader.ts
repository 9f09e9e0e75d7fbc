/**
 * Kata: single-flight loader (difficulty 2, about an hour)
 * Read:  chapters/02-caching/README.md#deep-dive-stampedes-and-request-coalescing
 * Grade: npm run grade -- single-flight-loader
 * Hint:  npm run hint -- single-flight-loader (one more hint each time you ask)
 *
 * Build a cache-aside cache in front of a slow source, safe against stampedes.
 * - [ ] get(key) on a miss calls load(key) and caches what it resolves: fresh for ttlMs,
 *       counted from when the load answered (a slow load's value is not born old). A fresh
 *       value is answered from the cache. Any value counts, falsy ones (0, "", false, null)
 *       included; only undefined means "not found".
 * - [ ] Request coalescing: at most one load per key at a time. Every get of a key whose load
 *       is in flight joins it and gets its value, or its error. 10,000 concurrent misses on
 *       one key make one backend call.
 * - [ ] Errors are never cached: every caller waiting on a failed load gets its error, and the
 *       next get starts a new load. A failed load is thrown at its callers only, a failed
 *       background refresh at no one (no unhandled rejections).
 * - [ ] Negative caching: "not found" (load resolved undefined) is cached for negativeTtlMs
 *       from the answer (default 0: not cached at all).
 * - [ ] Stale-while-revalidate: from ttlMs until ttlMs + staleMs after a load answered, get
 *       answers the stale value at once and starts one background refresh (unless a load is
 *       in flight). A failed refresh leaves the stale value in place. Past ttlMs + staleMs,
 *       get waits for a load like a miss.
 * - [ ] invalidate(key) drops the key. A load in flight for it still answers the callers who
 *       asked before, but it must not fill the cache, and no later get may join it.
 *       set(key, value) stores a fresh value, for ttlMs from the set; a load in flight must
 *       not overwrite it either.
 * - [ ] Early refresh (XFetch): with beta > 0, a get of a fresh value also starts a background
 *       refresh when now − δ · beta · ln(u) ≥ expiry, where δ is how long the load of that
 *       value took (clock time from its call to its answer), expiry is when it stops being
 *       fresh, and u = 1 − random() is uniform in (0, 1]. A value from set() has no δ: no
 *       early refresh.
 * - [ ] Time comes only from `clock.now()`; random numbers only from `random`. No timers.
 * - [ ] A ttlMs that is not a positive number, a staleMs, negativeTtlMs or beta that is not a
 *       number ≥ 0 (negative, NaN), or beta > 0 without `random`: throw a RangeError. Infinity
 *       is fine for any of them (ttlMs: Infinity, a value never goes stale).
 */
import { type Clock, todo } from "#kit";

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

export class SingleFlightCache<V> {
  constructor(options: SingleFlightOptions<V>) {
    // TODO: check the options and keep what get needs: the cached entries and the loads in flight.
    todo("SingleFlightCache constructor", options);
  }

  /**
   * The key's value: from the cache while fresh (or stale, starting one
   * refresh), else from the load in flight for it, or from a new load.
   */
  get(key: string): Promise<V | undefined> {
    // TODO: fresh → answer (maybe refresh early); stale → answer and refresh; else join or start the load.
    return todo("SingleFlightCache.get", key);
  }

  /** stores a value written elsewhere, fresh from now; a load in flight for the key no longer fills the cache */
  set(key: string, value: V): void {
    // TODO: store the value, and make sure the load in flight (if any) cannot overwrite it.
    todo("SingleFlightCache.set", key, value);
  }

  /** drops the key; a load in flight for it still answers its callers, but fills nothing */
  invalidate(key: string): void {
    // TODO: drop the entry, and detach the load in flight from the cache.
    todo("SingleFlightCache.invalidate", key);
  }
}
