/**
 * Kata: LFU cache in O(1) (difficulty 2, about an hour)
 * Read:  chapters/02-caching/README.md#lfu-least-frequently-used
 * Grade: npm run grade -- lfu-cache
 * Hint:  npm run hint -- lfu-cache (one more hint each time you ask)
 *
 * Build a bounded cache that evicts the least frequently used entry.
 * - [ ] Every entry has a count of uses: set() of a new key starts it at 1; each get() hit
 *       and each set() of an existing key adds 1. frequency(key) reads the count (0 when
 *       absent) without counting a use.
 * - [ ] A new key in a full cache (size === capacity) first evicts the entry with the lowest
 *       count; among entries with the same count, the least recently used one (the one
 *       whose last get or set is oldest).
 * - [ ] The count belongs to the entry: once a key is evicted or deleted, it is forgotten,
 *       and the key starts again at 1 if it comes back.
 * - [ ] delete(key) removes the key and returns true if it was there.
 * - [ ] get, set, delete and frequency are O(1): the spec times them with 1k and 10k entries
 *       held. A scan for the victim is O(n).
 * - [ ] A capacity that is not a positive integer: throw a RangeError.
 */
import { todo } from "#kit";

export interface LfuCacheOptions {
  /** the most entries the cache holds: a positive integer */
  capacity: number;
}

export class LfuCache<K, V> {
  constructor(options: LfuCacheOptions) {
    // TODO: check the options and set up what lets every operation run in O(1).
    todo("LfuCache constructor", options);
  }

  /** the value, or undefined if absent; a hit counts as a use */
  get(key: K): V | undefined {
    // TODO: find the entry and count the use.
    return todo("LfuCache.get", key);
  }

  /**
   * Stores the value. An existing key keeps its count, plus this use; a new
   * key starts at 1, after the least frequently used entry (least recently
   * used among ties) made room in a full cache.
   */
  set(key: K, value: V): void {
    // TODO: update and count a use, or evict if full and add at count 1.
    todo("LfuCache.set", key, value);
  }

  /** removes the key; true if it was held */
  delete(key: K): boolean {
    // TODO: remove the entry and everything that points at it.
    return todo("LfuCache.delete", key);
  }

  /** how many times the key was used since it was stored; 0 if absent. Does not count as a use. */
  frequency(key: K): number {
    // TODO: read the count.
    return todo("LfuCache.frequency", key);
  }

  /** entries held */
  get size(): number {
    // TODO: count the entries held.
    return todo("LfuCache.size");
  }
}
