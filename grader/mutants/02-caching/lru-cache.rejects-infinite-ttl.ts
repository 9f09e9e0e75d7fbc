/**
 * Mutant of solutions/02-caching/lru-cache.ts: rejects-infinite-ttl.
 *
 * The bug: a TTL must be a positive finite number. The contract says Infinity
 * is fine (an entry that never expires, the same as no TTL): a cache configured
 * with ttlMs Infinity, or a set() that passes it, throws a RangeError.
 * @caughtBy takes Infinity as a TTL: the entry never expires
 */
import type { Clock } from "#kit";

export interface LruCacheOptions {
  /** the most entries the cache holds: a positive integer */
  capacity: number;
  /** how long an entry lives after set(), in ms, unless set() says otherwise; default: no expiry */
  ttlMs?: number;
  clock: Clock;
}

class Entry<K, V> {
  prev: Entry<K, V> = this;
  next: Entry<K, V> = this;

  constructor(
    readonly key: K,
    public value: V,
    /** the clock time at which the entry is gone; Infinity for never */
    public expiresAt: number,
  ) {}
}

export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #entries = new Map<K, Entry<K, V>>();
  // the sentinel holds no entry; its key and value are never read
  readonly #ring = new Entry<K, V>(undefined as K, undefined as V, Number.POSITIVE_INFINITY);

  constructor({ capacity, ttlMs = Number.POSITIVE_INFINITY, clock }: LruCacheOptions) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    checkTtl(ttlMs);
    this.#capacity = capacity;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  /** the value, or undefined if absent or expired; a hit makes the entry the most recently used */
  get(key: K): V | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    this.#unlink(entry);
    this.#linkFirst(entry);
    return entry.value;
  }

  /** whether a live entry is held, without touching its recency */
  has(key: K): boolean {
    return this.#live(key) !== undefined;
  }

  /**
   * Stores the value as the most recently used entry, living `ttlMs` from now.
   * A new key in a full cache first evicts the least recently used entry.
   */
  set(key: K, value: V, ttlMs = this.#ttlMs): void {
    checkTtl(ttlMs);
    const expiresAt = ttlMs === Number.POSITIVE_INFINITY ? ttlMs : this.#clock.now() + ttlMs;
    const held = this.#entries.get(key);
    if (held !== undefined) {
      held.value = value;
      held.expiresAt = expiresAt;
      this.#unlink(held);
      this.#linkFirst(held);
      return;
    }
    if (this.#entries.size >= this.#capacity) this.#remove(this.#ring.prev);
    const entry = new Entry(key, value, expiresAt);
    this.#entries.set(key, entry);
    this.#linkFirst(entry);
  }

  /** removes the key; true if it held a live entry */
  delete(key: K): boolean {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    this.#remove(entry);
    return true;
  }

  /** entries held, counting expired ones that nothing has removed yet */
  get size(): number {
    return this.#entries.size;
  }

  /** the entry if it is held and not expired; an expired one is removed on the way */
  #live(key: K): Entry<K, V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // entries that never expire need no clock read
    if (entry.expiresAt !== Number.POSITIVE_INFINITY && entry.expiresAt <= this.#clock.now()) {
      this.#remove(entry);
      return undefined;
    }
    return entry;
  }

  #remove(entry: Entry<K, V>): void {
    this.#unlink(entry);
    this.#entries.delete(entry.key);
  }

  #unlink(entry: Entry<K, V>): void {
    entry.prev.next = entry.next;
    entry.next.prev = entry.prev;
  }

  #linkFirst(entry: Entry<K, V>): void {
    const ring = this.#ring;
    entry.prev = ring;
    entry.next = ring.next;
    ring.next.prev = entry;
    ring.next = entry;
  }
}

function checkTtl(ttlMs: number): void {
  // Infinity is allowed: it means the entry never expires
  if (!(ttlMs > 0 && Number.isFinite(ttlMs)))
    throw new RangeError(`ttlMs must be a positive number of ms, got ${ttlMs}`);
}
