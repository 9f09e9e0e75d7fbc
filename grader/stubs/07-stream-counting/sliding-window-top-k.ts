/**
 * Kata: sliding-window top-k (difficulty 2, about an hour)
 * Read:  chapters/07-stream-counting/README.md#sliding-window-top-k
 * Grade: npm run grade -- sliding-window-top-k
 * Hint:  npm run hint -- sliding-window-top-k (one more hint each time you ask)
 *
 * Trending songs: the most played items over the last windowMs, counted in
 * buckets of bucketMs.
 * - Bucket b holds the events recorded at times t with ⌊t / bucketMs⌋ = b. The
 *   window at time now is the newest windowMs / bucketMs buckets, the current
 *   one included: an event counts until the clock reaches the start of the
 *   bucket windowMs after its own, and not a millisecond longer.
 *   With a 60 s window of 10 s buckets, an event at 9.999 s counts until
 *   59.999 s, and one at 10 s until 69.999 s.
 * - Time comes only from `clock.now()` (ms); every method first moves the
 *   window to now. The clock may jump far ahead: a gap longer than the window
 *   leaves nothing in it.
 * - count(item): events of the item in the window. top(k): the k items with the
 *   most events in the window, by count, ties by item name.
 * - size(): the items held in memory. An item whose events have all left the
 *   window must be gone.
 * - record is O(1) amortized: keep a running total per item and subtract a
 *   bucket's counts once, when it leaves. Do not sweep every item on each call.
 * - RangeError for a windowMs that is not a positive multiple of bucketMs, a
 *   bucketMs that is not a positive integer, or a count that is not a positive
 *   integer.
 */
import { type Clock, todo } from "#kit";

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

export class SlidingWindowTopK {
  constructor(options: SlidingWindowOptions) {
    // TODO: check the options; set up one set of counts per bucket and a running total per item.
    todo("SlidingWindowTopK constructor", options);
  }

  /** counts `count` events of `item` now */
  record(item: string, count = 1): void {
    // TODO: move the window to now, then count the event in the current bucket and in the totals.
    todo("SlidingWindowTopK.record", item, count);
  }

  /** events of `item` in the window now */
  count(item: string): number {
    // TODO: move the window to now and read the item's total.
    return todo("SlidingWindowTopK.count", item);
  }

  /** the k items with the most events in the window, by count (ties by item) */
  top(k: number): Trend[] {
    // TODO: move the window to now; the k largest totals, ties by item name.
    return todo("SlidingWindowTopK.top", k);
  }

  /** distinct items with events in the window: what the totals hold */
  size(): number {
    // TODO: move the window to now; the number of items with a total.
    return todo("SlidingWindowTopK.size");
  }
}
