/**
 * Mutant of solutions/07-stream-counting/sliding-window-top-k.ts: whole-window-late.
 *
 * The bug: two tumbling windows instead of buckets. Counts go into the current
 * aligned window of windowMs, and queries add the previous window "so that the
 * last minute is always covered". It is covered, and so is up to a whole window
 * more: a hit from 65 s ago still ranks first.
 * @rewrites two tumbling windows in place of buckets
 * @caughtBy ranks by the window's counts, not all-time counts
 */
import type { Clock } from "#kit";

export interface SlidingWindowOptions {
  /** how far back the counts reach: a whole number of buckets */
  windowMs: number;
  /** the granularity of expiry: events leave the window a bucket at a time */
  bucketMs: number;
  clock: Clock;
}

export interface Trend {
  item: string;
  /** events of the item in the window */
  count: number;
}

const byCountThenItem = (a: Trend, b: Trend) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);

export class SlidingWindowTopK {
  readonly #windowMs: number;
  readonly #clock: Clock;
  #current = new Map<string, number>();
  #previous = new Map<string, number>();
  /** the index of the aligned window #current counts */
  #window: number;

  constructor({ windowMs, bucketMs, clock }: SlidingWindowOptions) {
    if (!(Number.isSafeInteger(bucketMs) && bucketMs > 0)) {
      throw new RangeError(`bucketMs must be a positive whole number of ms, got ${bucketMs}`);
    }
    if (!(Number.isSafeInteger(windowMs) && windowMs > 0 && windowMs % bucketMs === 0)) {
      throw new RangeError(`windowMs must be a positive multiple of bucketMs (${bucketMs}), got ${windowMs}`);
    }
    this.#windowMs = windowMs;
    this.#clock = clock;
    this.#window = Math.floor(clock.now() / windowMs);
  }

  /** counts `count` events of `item` now */
  record(item: string, count = 1): void {
    if (!(Number.isSafeInteger(count) && count > 0)) {
      throw new RangeError(`count must be a positive integer, got ${count}`);
    }
    this.#advance();
    this.#current.set(item, (this.#current.get(item) ?? 0) + count);
  }

  /** events of `item` in the window now */
  count(item: string): number {
    this.#advance();
    return (this.#current.get(item) ?? 0) + (this.#previous.get(item) ?? 0);
  }

  /** the k items with the most events in the window, by count (ties by item) */
  top(k: number): Trend[] {
    if (!(Number.isSafeInteger(k) && k > 0)) throw new RangeError(`k must be a positive integer, got ${k}`);
    return Array.from(this.#totals(), ([item, count]) => ({ item, count }))
      .sort(byCountThenItem)
      .slice(0, k);
  }

  /** distinct items with events in the window: what the totals hold */
  size(): number {
    return this.#totals().size;
  }

  #totals(): Map<string, number> {
    this.#advance();
    const totals = new Map(this.#previous);
    for (const [item, count] of this.#current) totals.set(item, (totals.get(item) ?? 0) + count);
    return totals;
  }

  #advance(): void {
    const window = Math.floor(this.#clock.now() / this.#windowMs);
    if (window <= this.#window) return;
    this.#previous = window === this.#window + 1 ? this.#current : new Map();
    this.#current = new Map();
    this.#window = window;
  }
}
