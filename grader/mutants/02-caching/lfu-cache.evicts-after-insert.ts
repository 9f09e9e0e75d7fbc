/**
 * Mutant of solutions/02-caching/lfu-cache.ts: evicts-after-insert.
 *
 * The bug: a new key is stored first and the cache evicted after, once it holds
 * more than capacity. The new key, at count 1 and the only one there, is then
 * the least frequently used entry: it evicts itself, and a full cache of hot
 * keys never takes a new one.
 * @caughtBy a new key starts at frequency 1, so it is the next to go
 */

export interface LfuCacheOptions {
  /** the most entries the cache holds: a positive integer */
  capacity: number;
}

class Entry<K, V> {
  prev: Entry<K, V> = this;
  next: Entry<K, V> = this;

  constructor(
    readonly key: K,
    public value: V,
    public bucket: Bucket<K, V>,
  ) {}
}

/** the entries used exactly `frequency` times, least recently used first */
class Bucket<K, V> {
  prev: Bucket<K, V> = this;
  next: Bucket<K, V> = this;
  // sentinel of the ring of entries: its next is the least recently used, its prev the most
  readonly entries: Entry<K, V> = new Entry<K, V>(undefined as K, undefined as V, this);

  constructor(readonly frequency: number) {}

  isEmpty(): boolean {
    return this.entries.next === this.entries;
  }

  append(entry: Entry<K, V>): void {
    entry.bucket = this;
    entry.next = this.entries;
    entry.prev = this.entries.prev;
    this.entries.prev.next = entry;
    this.entries.prev = entry;
  }
}

export class LfuCache<K, V> {
  readonly #capacity: number;
  readonly #entries = new Map<K, Entry<K, V>>();
  // sentinel of the ring of buckets, frequency 0: its next is the least frequent bucket
  readonly #buckets = new Bucket<K, V>(0);

  constructor({ capacity }: LfuCacheOptions) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  /** the value, or undefined if absent; a hit counts as a use */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#use(entry);
    return entry.value;
  }

  /**
   * Stores the value. An existing key keeps its count, plus this use; a new
   * key starts at 1, after the least frequently used entry (least recently
   * used among ties) made room in a full cache.
   */
  set(key: K, value: V): void {
    const held = this.#entries.get(key);
    if (held !== undefined) {
      held.value = value;
      this.#use(held);
      return;
    }
    let ones = this.#buckets.next;
    if (ones.frequency !== 1) ones = this.#insertBucketAfter(this.#buckets, 1);
    const entry = new Entry(key, value, ones);
    ones.append(entry);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#capacity) this.#remove(this.#buckets.next.entries.next);
  }

  /** removes the key; true if it was held */
  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#remove(entry);
    return true;
  }

  /** how many times the key was used since it was stored; 0 if absent. Does not count as a use. */
  frequency(key: K): number {
    return this.#entries.get(key)?.bucket.frequency ?? 0;
  }

  /** entries held */
  get size(): number {
    return this.#entries.size;
  }

  /** moves the entry to the end of the bucket one count higher */
  #use(entry: Entry<K, V>): void {
    const from = entry.bucket;
    let to = from.next;
    if (to.frequency !== from.frequency + 1) to = this.#insertBucketAfter(from, from.frequency + 1);
    unlink(entry);
    to.append(entry);
    if (from.isEmpty()) unlink(from);
  }

  #remove(entry: Entry<K, V>): void {
    unlink(entry);
    this.#entries.delete(entry.key);
    // an empty bucket would be a victim with no entry in it: drop it
    if (entry.bucket.isEmpty()) unlink(entry.bucket);
  }

  #insertBucketAfter(before: Bucket<K, V>, frequency: number): Bucket<K, V> {
    const bucket = new Bucket<K, V>(frequency);
    bucket.prev = before;
    bucket.next = before.next;
    before.next.prev = bucket;
    before.next = bucket;
    return bucket;
  }
}

function unlink<T extends { prev: T; next: T }>(node: T): void {
  node.prev.next = node.next;
  node.next.prev = node.prev;
}
