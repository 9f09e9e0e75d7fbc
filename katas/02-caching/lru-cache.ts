/**
 * Kata: LRU cache with TTL (difficulty 1, about 30 minutes)
 * Read:  chapters/02-caching/README.md#lru-least-recently-used
 * Grade: npm run grade -- lru-cache
 * Hint:  npm run hint -- lru-cache (one more hint each time you ask)
 *
 * Build a bounded cache that evicts the least recently used entry.
 * - [ ] get(key) returns the value, or undefined; a hit makes the entry the most recently used.
 * - [ ] has(key) says whether a live entry is there, without touching its recency.
 * - [ ] set(key, value) stores the value as the most recently used entry. Setting an existing
 *       key replaces its value in place: it evicts nothing.
 * - [ ] A new key in a full cache (size === capacity) first evicts the least recently used entry.
 * - [ ] delete(key) removes the key and returns true if a live entry was there.
 * - [ ] get, set, has and delete are O(1): the spec times them with 1k and 10k entries held.
 * - [ ] TTL: an entry set at time t with ttlMs T is live while clock.now() < t + T, and gone
 *       from t + T on. set(key, value, ttlMs) overrides the cache's default ttlMs (which may be
 *       absent: no expiry). get does not extend the TTL; setting the key again restarts it.
 * - [ ] An expired entry is never returned. get, has or delete of an expired entry removes it
 *       (delete then returns false). Until something touches it, an expired entry still holds
 *       its slot: size counts it, and eviction takes the least recently used entry, expired or not.
 * - [ ] Time comes only from `clock.now()` (ms).
 * - [ ] A capacity that is not a positive integer, or a ttlMs that is not a positive number
 *       (Infinity is fine): throw a RangeError.
 */
import { type Clock, todo } from "#kit";

export interface LruCacheOptions {
  /** the most entries the cache holds: a positive integer */
  capacity: number;
  /** how long an entry lives after set(), in ms, unless set() says otherwise; default: no expiry */
  ttlMs?: number;
  clock: Clock;
}

export class LruCache<K, V> {
  constructor(options: LruCacheOptions) {
    // TODO: check the options and set up what lets every operation run in O(1).
    todo("LruCache constructor", options);
  }

  /** the value, or undefined if absent or expired; a hit makes the entry the most recently used */
  get(key: K): V | undefined {
    // TODO: find the entry, drop it if expired, else move it to the most recent end.
    return todo("LruCache.get", key);
  }

  /** whether a live entry is held, without touching its recency */
  has(key: K): boolean {
    // TODO: like get, without the move.
    return todo("LruCache.has", key);
  }

  /**
   * Stores the value as the most recently used entry, living `ttlMs` from now.
   * A new key in a full cache first evicts the least recently used entry.
   */
  set(key: K, value: V, ttlMs?: number): void {
    // TODO: update in place, or evict the least recently used if full and add.
    todo("LruCache.set", key, value, ttlMs);
  }

  /** removes the key; true if it held a live entry */
  delete(key: K): boolean {
    // TODO: remove the entry from everything that holds it.
    return todo("LruCache.delete", key);
  }

  /** entries held, counting expired ones that nothing has removed yet */
  get size(): number {
    // TODO: count the entries held.
    return todo("LruCache.size");
  }
}
