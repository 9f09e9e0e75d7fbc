/**
 * Mutant of solutions/04-rate-limiting/token-bucket.ts: infinite-wait-at-capacity.
 *
 * The bug: a cost of exactly the capacity is treated like one above it, so
 * retryAfterMs is Infinity as soon as the bucket is not full. Such a request is
 * allowed once the bucket refills, and the client told "never" gives up on it.
 * @caughtBy waits for a full bucket when the cost is exactly the capacity, not for ever
 */
import type { Clock } from "#kit";

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

// tokens are fractional; float arithmetic drifts by ~1e-15, so a token this close counts as there
const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  readonly #capacity: number;
  readonly #tokensPerMs: number;
  readonly #clock: Clock;
  /** untouched this long, a bucket has refilled completely: it is the same as a new one */
  readonly #idleMs: number;
  /** Map keeps insertion order; re-inserting on every use puts the longest-idle keys first */
  readonly #buckets = new Map<string, Bucket>();
  /** no key can be idle before this time, so there is nothing to sweep until then */
  #sweepAt = Number.POSITIVE_INFINITY;

  constructor({ capacity, refillPerSecond, clock }: TokenBucketOptions) {
    if (!(capacity > 0 && Number.isFinite(capacity))) {
      throw new RangeError(`capacity must be a positive number, got ${capacity}`);
    }
    if (!(refillPerSecond > 0 && Number.isFinite(refillPerSecond))) {
      throw new RangeError(`refillPerSecond must be a positive number, got ${refillPerSecond}`);
    }
    this.#capacity = capacity;
    this.#tokensPerMs = refillPerSecond / 1000;
    this.#clock = clock;
    this.#idleMs = capacity / this.#tokensPerMs;
  }

  tryAcquire(key: string, cost = 1): Decision {
    if (!(cost > 0 && Number.isFinite(cost))) {
      throw new RangeError(`cost must be a positive number, got ${cost}`);
    }
    const now = this.#clock.now();
    this.#forgetIdle(now);
    const bucket = this.#refilled(key, now);
    if (bucket.tokens + EPSILON >= cost) {
      bucket.tokens = Math.max(0, bucket.tokens - cost);
      return { allowed: true, remaining: Math.floor(bucket.tokens + EPSILON), retryAfterMs: 0 };
    }
    const retryAfterMs =
      cost >= this.#capacity
        ? Number.POSITIVE_INFINITY
        : Math.max(1, Math.ceil((cost - bucket.tokens) / this.#tokensPerMs - EPSILON));
    return { allowed: false, remaining: Math.floor(bucket.tokens + EPSILON), retryAfterMs };
  }

  /** how many keys are held in memory */
  size(): number {
    return this.#buckets.size;
  }

  #refilled(key: string, now: number): Bucket {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      const fresh = { tokens: this.#capacity, updatedAt: now };
      this.#buckets.set(key, fresh);
      this.#sweepAt = Math.min(this.#sweepAt, now + this.#idleMs);
      return fresh;
    }
    // a clock that steps back adds nothing and takes nothing; the time is counted once it moves on
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + elapsed * this.#tokensPerMs);
    bucket.updatedAt = Math.max(bucket.updatedAt, now);
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #forgetIdle(now: number): void {
    if (now < this.#sweepAt) return;
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.updatedAt < this.#idleMs) {
        this.#sweepAt = bucket.updatedAt + this.#idleMs;
        return;
      }
      this.#buckets.delete(key);
    }
    this.#sweepAt = Number.POSITIVE_INFINITY;
  }
}
