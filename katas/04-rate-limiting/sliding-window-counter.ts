/**
 * Kata: sliding window counter (difficulty 2, about an hour)
 * Read:  chapters/04-rate-limiting/README.md#sliding-window-counter
 * Grade: npm run grade -- sliding-window-counter
 * Hint:  npm run hint -- sliding-window-counter (one more hint each time you ask)
 *
 * Build a per-key sliding window counter: two numbers per key instead of a log.
 * - Windows are aligned: window k is [k · windowMs, (k + 1) · windowMs).
 * - Keep, per key, the units allowed in the current window and in the previous one.
 * - Estimate the units in the sliding window ending now as
 *     previous × (1 − elapsed ÷ windowMs) + current
 *   where elapsed = now − (start of the current window).
 * - tryAcquire(key, cost) allows the request when estimate + cost ≤ limit (allow
 *   for float error: compare with a small epsilon), and counts it in the current
 *   window. A rejected request counts nothing.
 * - When the window moves on by one, current becomes previous; by two or more,
 *   both are 0.
 * - remaining is the whole units left under the estimate; retryAfterMs is 0 when
 *   allowed, else the first whole ms at which the estimate lets this request in
 *   (Infinity when cost > limit).
 * - Time comes only from `clock.now()` (milliseconds), which never goes back here.
 * - Memory: a key left alone for 3 · windowMs must be gone (size() no longer
 *   counts it) after the next tryAcquire.
 * - Each call costs O(1) amortized, however many keys are held: do not scan
 *   every key on every call to find the stale ones.
 * - limit, windowMs and cost are positive whole numbers; otherwise throw a RangeError.
 */
import { type Clock, todo } from "#kit";

export interface SlidingWindowCounterOptions {
  /** units a key may spend in a window of windowMs, as estimated */
  limit: number;
  windowMs: number;
  clock: Clock;
}

export interface Decision {
  allowed: boolean;
  /** whole units left under the estimate after this decision: the X-RateLimit-Remaining header */
  remaining: number;
  /** 0 when allowed; else whole ms until this same request would be allowed, Infinity if never */
  retryAfterMs: number;
}

export class SlidingWindowCounter {
  constructor(options: SlidingWindowCounterOptions) {
    // TODO: check the options and keep what tryAcquire needs.
    todo("SlidingWindowCounter constructor", options);
  }

  tryAcquire(key: string, cost = 1): Decision {
    // TODO: move the key's counts on to the current window, estimate, then count `cost` if it fits.
    return todo("SlidingWindowCounter.tryAcquire", key, cost);
  }

  /** how many keys are held in memory */
  size(): number {
    // TODO: count the keys you hold.
    return todo("SlidingWindowCounter.size");
  }
}
