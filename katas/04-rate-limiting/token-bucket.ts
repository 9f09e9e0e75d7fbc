/**
 * Kata: token bucket (difficulty 1, about 30 minutes)
 * Read:  chapters/04-rate-limiting/README.md#token-bucket
 * Grade: npm run grade -- token-bucket
 * Hint:  npm run hint -- token-bucket (one more hint each time you ask)
 *
 * Build a per-key token bucket rate limiter.
 * - Every key starts with a full bucket of `capacity` tokens.
 * - Tokens flow back continuously at `refillPerSecond`, never above `capacity`.
 *   Fractions count: at 10 tokens/s, half a token is back after 50 ms.
 * - tryAcquire(key, cost) allows the request when the key's bucket holds `cost`
 *   tokens, and takes them. A rejected request takes nothing.
 * - remaining is the whole tokens left; retryAfterMs is 0 when allowed, else the
 *   whole milliseconds until the same request would be allowed (Infinity when
 *   cost > capacity, which can never be allowed).
 * - Time comes only from `clock.now()` (milliseconds). If the clock steps back,
 *   add nothing and take nothing.
 * - Memory: a key left alone for twice the time an empty bucket takes to fill
 *   must be gone (size() no longer counts it) after the next tryAcquire. Its
 *   bucket is full again, so forgetting it changes no decision.
 * - Each call costs O(1) amortized, however many keys are held: do not scan
 *   every key on every call to find the idle ones.
 * - Options or a cost that are not positive finite numbers: throw a RangeError.
 */
import { type Clock, todo } from "#kit";

export interface TokenBucketOptions {
  /** the most tokens a key can hold: the largest burst it may send at once */
  capacity: number;
  /** tokens added per second: the sustained rate */
  refillPerSecond: number;
  clock: Clock;
}

export interface Decision {
  allowed: boolean;
  /** whole tokens left after this decision: the X-RateLimit-Remaining header */
  remaining: number;
  /** 0 when allowed; else whole ms until this same request would be allowed, Infinity if never */
  retryAfterMs: number;
}

export class TokenBucketLimiter {
  constructor(options: TokenBucketOptions) {
    // TODO: check the options and keep what tryAcquire needs.
    todo("TokenBucketLimiter constructor", options);
  }

  tryAcquire(key: string, cost = 1): Decision {
    // TODO: refill the key's bucket for the time since it was last used, then spend `cost` if it is there.
    return todo("TokenBucketLimiter.tryAcquire", key, cost);
  }

  /** how many keys are held in memory */
  size(): number {
    // TODO: count the keys you hold.
    return todo("TokenBucketLimiter.size");
  }
}
