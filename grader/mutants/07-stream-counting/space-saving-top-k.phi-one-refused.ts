/**
 * Mutant of solutions/07-stream-counting/space-saving-top-k.ts: phi-one-refused.
 *
 * The bug: φ must be below 1 rather than at most 1, so frequent(1), a legal
 * question whose answer is always empty, throws a RangeError.
 * @caughtBy throws a RangeError for φ outside (0, 1]
 */

export interface Counter {
  item: string;
  /** at least the item's true count */
  count: number;
  /** how much of `count` may belong to the items it replaced: count − error ≤ true count */
  error: number;
}

export interface Frequent extends Counter {
  /** count − error > φ·N: the item certainly occurred more than φ·N times */
  guaranteed: boolean;
}

interface Slot {
  item: string;
  count: number;
  error: number;
  bucket: Bucket | undefined;
  /** the other counters of the same bucket: a doubly linked list, so a counter leaves it in O(1) */
  prev: Slot | undefined;
  next: Slot | undefined;
}

/** the counters that share one count; buckets are linked in increasing order of count */
interface Bucket {
  count: number;
  /** never undefined while the bucket is linked: an empty bucket is unlinked at once */
  first: Slot | undefined;
  prev: Bucket | undefined;
  next: Bucket | undefined;
}

const byCountThenItem = (a: Counter, b: Counter) =>
  b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);

export class SpaceSaving {
  /** k: the counters there are */
  readonly capacity: number;
  readonly #slots = new Map<string, Slot>();
  /** the bucket with the smallest count: where a new item takes its counter from */
  #smallest: Bucket | undefined;
  #total = 0;

  constructor(capacity: number) {
    if (!(Number.isSafeInteger(capacity) && capacity > 0)) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** N: the events seen so far */
  get total(): number {
    return this.#total;
  }

  /** counters in use: at most capacity */
  size(): number {
    return this.#slots.size;
  }

  add(item: string): void {
    this.#total++;
    let slot = this.#slots.get(item);
    if (slot === undefined) {
      if (this.#slots.size < this.capacity) {
        slot = { item, count: 0, error: 0, bucket: undefined, prev: undefined, next: undefined };
      } else {
        // the smallest counter changes hands; its count is what the new item may have had unseen
        slot = (this.#smallest as Bucket).first as Slot;
        this.#slots.delete(slot.item);
        slot.item = item;
        slot.error = slot.count;
      }
      this.#slots.set(item, slot);
    }
    this.#increment(slot);
  }

  /** the n largest counters, by count (ties by item) */
  top(n: number): Counter[] {
    return this.#sorted()
      .slice(0, Math.max(0, n))
      .map(({ item, count, error }) => ({ item, count, error }));
  }

  /**
   * Every tracked item whose count exceeds φ·N. When φ ≥ 1/capacity, every item
   * that truly occurred more than φ·N times is in the list.
   */
  frequent(phi: number): Frequent[] {
    if (!(phi > 0 && phi < 1)) throw new RangeError(`phi must be in (0, 1], got ${phi}`);
    const threshold = phi * this.#total;
    // filter on the upper bound: an item's count may be above φN while its lower bound is not
    return this.#sorted()
      .filter((slot) => slot.count > threshold)
      .map(({ item, count, error }) => ({ item, count, error, guaranteed: count - error > threshold }));
  }

  #sorted(): Slot[] {
    return [...this.#slots.values()].sort(byCountThenItem);
  }

  /** moves a counter from its bucket to the one for count + 1, making that bucket if needed */
  #increment(slot: Slot): void {
    const from = slot.bucket;
    const count = slot.count + 1;
    let to = from === undefined ? this.#smallest : from.next;
    if (to === undefined || to.count !== count) {
      const made: Bucket = { count, first: undefined, prev: from, next: to };
      if (to !== undefined) to.prev = made;
      if (from !== undefined) from.next = made;
      else this.#smallest = made;
      to = made;
    }
    if (from !== undefined) this.#detach(slot, from);
    slot.prev = undefined;
    slot.next = to.first;
    if (to.first !== undefined) to.first.prev = slot;
    to.first = slot;
    slot.bucket = to;
    slot.count = count;
  }

  #detach(slot: Slot, bucket: Bucket): void {
    if (slot.prev !== undefined) slot.prev.next = slot.next;
    else bucket.first = slot.next;
    if (slot.next !== undefined) slot.next.prev = slot.prev;
    if (bucket.first === undefined) this.#unlink(bucket);
  }

  #unlink(bucket: Bucket): void {
    if (bucket.prev !== undefined) bucket.prev.next = bucket.next;
    else this.#smallest = bucket.next;
    if (bucket.next !== undefined) bucket.next.prev = bucket.prev;
  }
}
