/**
 * Kata: fixed window counter (difficulty 1, about 30 minutes)
 * Read:  chapters/04-rate-limiting/README.md#fixed-window
 * Grade: npm run grade -- fixed-window
 * Hint:  npm run hint -- fixed-window (one more hint each time you ask)
 *
 * Build a per-key fixed window rate limiter.
 * - Time is cut into aligned windows: window k is [k · windowMs, (k + 1) · windowMs),
 *   the same for every key, so every client's quota resets at the same instant.
 * - A key may spend `limit` units per window. tryAcquire(key, cost) allows the
 *   request when the key's count in the current window plus `cost` stays within
 *   `limit`, and counts it. A rejected request counts nothing.
 * - remaining is the units left in the current window; retryAfterMs is 0 when
 *   allowed, else the whole ms until the next window starts (Infinity when
 *   cost > limit, which can never be allowed).
 * - Time comes only from `clock.now()` (milliseconds).
 * - Memory: a key left alone for 2 · windowMs must be gone (size() no longer
 *   counts it) after the next tryAcquire. Its count would start over anyway.
 * - Each call costs O(1) amortized, however many keys are held: do not scan
 *   every key on every call to find the stale ones.
 * - limit, windowMs and cost are positive whole numbers; otherwise throw a RangeError.
 */
import { type Clock, todo } from "#kit";

export interface FixedWindowOptions {
  /** units a key may spend per window */
  limit: number;
  windowMs: number;
  clock: Clock;
}

export interface Decision {
  allowed: boolean;
  /** units left in the current window after this decision: the X-RateLimit-Remaining header */
  remaining: number;
  /** 0 when allowed; else whole ms until this same request would be allowed, Infinity if never */
  retryAfterMs: number;
}

export class FixedWindowLimiter {
  constructor(options: FixedWindowOptions) {
    // TODO: check the options and keep what tryAcquire needs.
    todo("FixedWindowLimiter constructor", options);
  }

  tryAcquire(key: string, cost = 1): Decision {
    // TODO: find the current window, start the key's count over if it is from an older one, then count `cost` if it fits.
    return todo("FixedWindowLimiter.tryAcquire", key, cost);
  }

  /** how many keys are held in memory */
  size(): number {
    // TODO: count the keys you hold.
    return todo("FixedWindowLimiter.size");
  }
}
