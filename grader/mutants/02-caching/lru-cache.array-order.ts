/**
 * Mutant of solutions/02-caching/lru-cache.ts: array-order.
 *
 * The bug: recency is kept in an array of keys, most recent first. Every
 * decision is right, but a hit finds its key with indexOf and moves it with
 * splice and unshift: O(n) per call, about 10× slower with 10× the entries.
 * @rewrites an array of keys in place of the linked list
 * @caughtBy a call costs the same with 1k or 10k entries held
 */
import type { Clock } from "#kit";

export interface LruCacheOptions {
  /** the most entries the cache holds: a positive integer */
  capacity: number;
  /** how long an entry lives after set(), in ms, unless set() says otherwise; default: no expiry */
  ttlMs?: number;
  clock: Clock;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #entries = new Map<K, Entry<V>>();
  /** keys, most recently used first */
  #order: K[] = [];

  constructor({ capacity, ttlMs = Number.POSITIVE_INFINITY, clock }: LruCacheOptions) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    checkTtl(ttlMs);
    this.#capacity = capacity;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  get(key: K): V | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    this.#touch(key);
    return entry.value;
  }

  has(key: K): boolean {
    return this.#live(key) !== undefined;
  }

  set(key: K, value: V, ttlMs = this.#ttlMs): void {
    checkTtl(ttlMs);
    const expiresAt = ttlMs === Number.POSITIVE_INFINITY ? ttlMs : this.#clock.now() + ttlMs;
    if (this.#entries.has(key)) {
      this.#entries.set(key, { value, expiresAt });
      this.#touch(key);
      return;
    }
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#order.pop() as K;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt });
    this.#order.unshift(key);
  }

  delete(key: K): boolean {
    if (this.#live(key) === undefined) return false;
    this.#remove(key);
    return true;
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(key: K): Entry<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== Number.POSITIVE_INFINITY && entry.expiresAt <= this.#clock.now()) {
      this.#remove(key);
      return undefined;
    }
    return entry;
  }

  #touch(key: K): void {
    this.#order.splice(this.#order.indexOf(key), 1);
    this.#order.unshift(key);
  }

  #remove(key: K): void {
    this.#entries.delete(key);
    this.#order.splice(this.#order.indexOf(key), 1);
  }
}

function checkTtl(ttlMs: number): void {
  if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number of ms, got ${ttlMs}`);
}
