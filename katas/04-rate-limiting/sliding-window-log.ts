/**
 * Kata: sliding window log (difficulty 2, about an hour)
 * Read:  chapters/04-rate-limiting/README.md#sliding-window-log
 * Grade: npm run grade -- sliding-window-log
 * Hint:  npm run hint -- sliding-window-log (one more hint each time you ask)
 *
 * Build a per-key sliding window log rate limiter: exact in every window.
 * - Keep, per key, the time and cost of each allowed request.
 * - A request at time t is allowed when the costs of allowed requests in
 *   (t − windowMs, t] plus its own `cost` stay within `limit`. A request exactly
 *   windowMs old has left the window.
 * - A rejected request is not logged.
 * - remaining is the units left in the window ending now; retryAfterMs is 0
 *   when allowed, else the whole ms until enough old requests have left the
 *   window for this one to fit (Infinity when cost > limit).
 * - Time comes only from `clock.now()` (milliseconds), which never goes back here.
 * - Memory: at most `limit` entries per key, and a key left alone for
 *   2 · windowMs must be gone (size() no longer counts it) after the next tryAcquire.
 * - Each call costs O(1) amortized, however long the log and however many keys
 *   are held: do not copy the log, or scan every key, on every call.
 * - limit, windowMs and cost are positive whole numbers; otherwise throw a RangeError.
 */
import { type Clock, todo } from "#kit";

export interface SlidingWindowLogOptions {
  /** units a key may spend in any window of windowMs */
  limit: number;
  windowMs: number;
  clock: Clock;
}

export interface Decision {
  allowed: boolean;
  /** units left in the window ending now, after this decision: the X-RateLimit-Remaining header */
  remaining: number;
  /** 0 when allowed; else whole ms until this same request would be allowed, Infinity if never */
  retryAfterMs: number;
}

export class SlidingWindowLog {
  constructor(options: SlidingWindowLogOptions) {
    // TODO: check the options and keep what tryAcquire needs.
    todo("SlidingWindowLog constructor", options);
  }

  tryAcquire(key: string, cost = 1): Decision {
    // TODO: drop the key's entries that have left the window, then log `cost` if it fits.
    return todo("SlidingWindowLog.tryAcquire", key, cost);
  }

  /** how many keys are held in memory */
  size(): number {
    // TODO: count the keys you hold.
    return todo("SlidingWindowLog.size");
  }
}
