/**
 * Mutant of solutions/07-stream-counting/sliding-window-top-k.ts: buckets-from-start.
 *
 * The bug: buckets are counted from the time the counter was made, not from
 * clock time 0: a counter made at 5 s with 10 s buckets puts its bucket edges
 * at 15 s, 25 s, ..., so every event leaves the window 5 s late.
 * @caughtBy aligns buckets to clock time, not to when the counter was made
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
  readonly #bucketMs: number;
  readonly #clock: Clock;
  /** a ring: bucket b lives in slot b mod buckets.length */
  readonly #buckets: Array<Map<string, number>>;
  /** per item, the sum of its counts over the buckets in the window; only items with a count */
  readonly #totals = new Map<string, number>();
  /** the index of the newest bucket the ring holds */
  #newest: number;
  readonly #origin: number;

  constructor({ windowMs, bucketMs, clock }: SlidingWindowOptions) {
    if (!(Number.isSafeInteger(bucketMs) && bucketMs > 0)) {
      throw new RangeError(`bucketMs must be a positive whole number of ms, got ${bucketMs}`);
    }
    if (!(Number.isSafeInteger(windowMs) && windowMs > 0 && windowMs % bucketMs === 0)) {
      throw new RangeError(`windowMs must be a positive multiple of bucketMs (${bucketMs}), got ${windowMs}`);
    }
    this.#bucketMs = bucketMs;
    this.#clock = clock;
    this.#buckets = Array.from({ length: windowMs / bucketMs }, () => new Map<string, number>());
    this.#origin = clock.now();
    this.#newest = this.#bucketAt(clock.now());
  }

  /** counts `count` events of `item` now */
  record(item: string, count = 1): void {
    if (!(Number.isSafeInteger(count) && count > 0)) {
      throw new RangeError(`count must be a positive integer, got ${count}`);
    }
    this.#advance();
    const bucket = this.#buckets[this.#slot(this.#newest)] as Map<string, number>;
    bucket.set(item, (bucket.get(item) ?? 0) + count);
    this.#totals.set(item, (this.#totals.get(item) ?? 0) + count);
  }

  /** events of `item` in the window now */
  count(item: string): number {
    this.#advance();
    return this.#totals.get(item) ?? 0;
  }

  /** the k items with the most events in the window, by count (ties by item) */
  top(k: number): Trend[] {
    if (!(Number.isSafeInteger(k) && k > 0)) throw new RangeError(`k must be a positive integer, got ${k}`);
    this.#advance();
    const trends = Array.from(this.#totals, ([item, count]) => ({ item, count }));
    return trends.sort(byCountThenItem).slice(0, k);
  }

  /** distinct items with events in the window: what the totals hold */
  size(): number {
    this.#advance();
    return this.#totals.size;
  }

  /** moves the ring to the clock's bucket, expiring every bucket that left the window */
  #advance(): void {
    const current = this.#bucketAt(this.#clock.now());
    // a clock that steps back counts into the newest bucket: the window never moves backwards
    if (current <= this.#newest) return;
    // bucket newest + i reuses the slot of bucket newest + i − length, which has just left the window
    const leaving = Math.min(current - this.#newest, this.#buckets.length);
    for (let i = 1; i <= leaving; i++) this.#expire(this.#buckets[this.#slot(this.#newest + i)] as Map<string, number>);
    this.#newest = current;
  }

  #expire(bucket: Map<string, number>): void {
    for (const [item, count] of bucket) {
      const left = (this.#totals.get(item) ?? 0) - count;
      if (left > 0) this.#totals.set(item, left);
      else this.#totals.delete(item);
    }
    bucket.clear();
  }

  #bucketAt(ms: number): number {
    return Math.floor((ms - this.#origin) / this.#bucketMs);
  }

  #slot(bucket: number): number {
    const length = this.#buckets.length;
    return ((bucket % length) + length) % length;
  }
}
