/**
 * Kata: Space-Saving top-k (difficulty 2, about an hour)
 * Read:  chapters/07-stream-counting/README.md#space-saving
 * Grade: npm run grade -- space-saving-top-k
 * Hint:  npm run hint -- space-saving-top-k (one more hint each time you ask)
 *
 * Find the heavy hitters of a stream with k counters, whatever the number of
 * distinct items.
 * - Each counter is (item, count, error). add(item) on a tracked item adds 1 to
 *   its count. A new item takes a free counter (count 1, error 0) while there is
 *   one; after that it takes over the counter with the smallest count c: the
 *   count becomes c + 1 and the error c.
 * - The guarantees the spec checks: count − error ≤ true count ≤ count for every
 *   tracked item; the counts add up to N (total); the smallest is at most N/k;
 *   every item that occurred more than N/k times is tracked.
 * - A heavy item must never lose its counter to a run of new items: whatever
 *   finds the smallest counter must see the current counts, not old ones.
 * - top(n): the n largest counters by count, ties by item name.
 * - frequent(φ): every counter whose count is above φ·N, each marked guaranteed
 *   when count − error is above φ·N too. For φ ≥ 1/k no item that truly occurred
 *   more than φ·N times may be missing.
 * - add is O(1) (a stream summary: buckets of counters with equal counts, linked
 *   in order) or O(log k) (a heap that updates an entry in place). Scanning all k
 *   counters for the smallest fails the growth test.
 * - RangeError for a capacity that is not a positive integer, or φ outside (0, 1].
 */
import { todo } from "#kit";

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

export class SpaceSaving {
  /** k: the counters there are */
  readonly capacity: number;

  constructor(capacity: number) {
    // TODO: check the capacity and set up the counters.
    this.capacity = capacity;
    todo("SpaceSaving constructor", capacity);
  }

  /** N: the events seen so far */
  get total(): number {
    // TODO: how many times add was called.
    return todo("SpaceSaving.total");
  }

  /** counters in use: at most capacity */
  size(): number {
    // TODO: the number of tracked items.
    return todo("SpaceSaving.size");
  }

  add(item: string): void {
    // TODO: count a tracked item, give a new one a free counter, or the smallest counter when none is free.
    todo("SpaceSaving.add", item);
  }

  /** the n largest counters, by count (ties by item) */
  top(n: number): Counter[] {
    // TODO: the counters sorted by count, largest first, ties by item; at most n of them.
    return todo("SpaceSaving.top", n);
  }

  /**
   * Every tracked item whose count exceeds φ·N. When φ ≥ 1/capacity, every item
   * that truly occurred more than φ·N times is in the list.
   */
  frequent(phi: number): Frequent[] {
    // TODO: filter on the count, the upper bound, and mark the ones whose lower bound is above φ·N too.
    return todo("SpaceSaving.frequent", phi);
  }
}
