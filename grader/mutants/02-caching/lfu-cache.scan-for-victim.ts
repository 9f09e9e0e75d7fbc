/**
 * Mutant of solutions/02-caching/lfu-cache.ts: scan-for-victim.
 *
 * The bug: each entry keeps its count and the tick of its last use, and the
 * victim is found by scanning every entry for the smallest (count, tick).
 * Every decision is right, but each eviction is O(n): about 10× slower with
 * 10× the entries held.
 * @rewrites a scan over plain entries in place of the frequency buckets
 * @caughtBy a call costs the same with 1k or 10k entries held
 */

export interface LfuCacheOptions {
  /** the most entries the cache holds: a positive integer */
  capacity: number;
}

interface Entry<V> {
  value: V;
  count: number;
  lastUse: number;
}

export class LfuCache<K, V> {
  readonly #capacity: number;
  readonly #entries = new Map<K, Entry<V>>();
  #tick = 0;

  constructor({ capacity }: LfuCacheOptions) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    entry.count++;
    entry.lastUse = this.#tick++;
    return entry.value;
  }

  set(key: K, value: V): void {
    const held = this.#entries.get(key);
    if (held !== undefined) {
      held.value = value;
      held.count++;
      held.lastUse = this.#tick++;
      return;
    }
    if (this.#entries.size >= this.#capacity) this.#evict();
    this.#entries.set(key, { value, count: 1, lastUse: this.#tick++ });
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  frequency(key: K): number {
    return this.#entries.get(key)?.count ?? 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(): void {
    let victim: K | undefined;
    let lowest: Entry<V> | undefined;
    for (const [key, entry] of this.#entries) {
      if (
        lowest === undefined ||
        entry.count < lowest.count ||
        (entry.count === lowest.count && entry.lastUse < lowest.lastUse)
      ) {
        victim = key;
        lowest = entry;
      }
    }
    this.#entries.delete(victim as K);
  }
}
