/**
 * Mutant of solutions/07-stream-counting/space-saving-top-k.ts: stale-heap.
 *
 * The bug: a min-heap finds the smallest counter, but its entries keep the
 * count they had when pushed; increments update only the map. The heap's
 * minimum is then an item that was small once and may be heavy now: after
 * A × 1,000 then B, C with two counters, A (1,000 plays, 1 in the heap) is the
 * one evicted, and the new counter starts from the stale 1.
 * Source: seed 001, Top K Heavy Hitter, SpaceSaving.add(): minHeap entries never updated.
 * @rewrites a min-heap in place of the reference's count buckets, as in the source
 * @caughtBy keeps a heavy item when a run of new items follows
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

/** what the heap holds: an item and its count when it was pushed */
interface Entry {
  item: string;
  count: number;
}

const byCountThenItem = (a: Counter, b: Counter) =>
  b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);

export class SpaceSaving {
  /** k: the counters there are */
  readonly capacity: number;
  readonly #counters = new Map<string, { count: number; error: number }>();
  /** a binary min-heap by count: the smallest counter at the root */
  readonly #heap: Entry[] = [];
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
      this.#push({ item, count: 1 });
      return;
    }
    const smallest = this.#pop();
    this.#counters.delete(smallest.item);
    this.#counters.set(item, { count: smallest.count + 1, error: smallest.count });
    this.#push({ item, count: smallest.count + 1 });
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

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).count <= entry.count) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): Entry {
    const heap = this.#heap;
    const root = heap[0] as Entry;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && (heap[right] as Entry).count < (heap[left] as Entry).count ? right : left;
        if ((heap[child] as Entry).count >= last.count) break;
        heap[i] = heap[child] as Entry;
        i = child;
      }
      heap[i] = last;
    }
    return root;
  }
}
