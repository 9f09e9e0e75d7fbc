/**
 * Mutant of solutions/07-stream-counting/space-saving-top-k.ts: scan-for-smallest.
 *
 * The bug: the counters are a plain map, and a new item finds the smallest
 * counter by scanning all k of them. Every answer is right, but once the
 * counters are full every new item costs O(k): with 10× the counters, 10× the
 * time. The source's Count-Min top-k has the same cost, a removeIf over its heap
 * on every update.
 * @rewrites a plain map in place of the count buckets
 * @caughtBy an update costs the same with 1,000 or 10,000 counters
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

const byCountThenItem = (a: Counter, b: Counter) =>
  b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);

export class SpaceSaving {
  /** k: the counters there are */
  readonly capacity: number;
  readonly #counters = new Map<string, { count: number; error: number }>();
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
    return this.#counters.size;
  }

  add(item: string): void {
    this.#total++;
    const counter = this.#counters.get(item);
    if (counter !== undefined) {
      counter.count++;
      return;
    }
    if (this.#counters.size < this.capacity) {
      this.#counters.set(item, { count: 1, error: 0 });
      return;
    }
    let smallestItem = "";
    let smallest = Number.POSITIVE_INFINITY;
    for (const [tracked, { count }] of this.#counters) {
      if (count < smallest) {
        smallest = count;
        smallestItem = tracked;
      }
    }
    this.#counters.delete(smallestItem);
    this.#counters.set(item, { count: smallest + 1, error: smallest });
  }

  /** the n largest counters, by count (ties by item) */
  top(n: number): Counter[] {
    return this.#sorted().slice(0, Math.max(0, n));
  }

  /**
   * Every tracked item whose count exceeds φ·N. When φ ≥ 1/capacity, every item
   * that truly occurred more than φ·N times is in the list.
   */
  frequent(phi: number): Frequent[] {
    if (!(phi > 0 && phi <= 1)) throw new RangeError(`phi must be in (0, 1], got ${phi}`);
    const threshold = phi * this.#total;
    return this.#sorted()
      .filter((c) => c.count > threshold)
      .map((c) => ({ ...c, guaranteed: c.count - c.error > threshold }));
  }

  #sorted(): Counter[] {
    return Array.from(this.#counters, ([item, { count, error }]) => ({ item, count, error })).sort(byCountThenItem);
  }
}
