/**
 * Mutant of solutions/04-rate-limiting/sliding-window-counter.ts: sweeps-every-call.
 *
 * The bug: stale counts are found by scanning every key on every call.
 * Decisions are right, but a call costs O(keys): with 50x the keys each call is
 * about 50x slower.
 * @caughtBy a call costs the same with 100 or 5,000 keys held
 */
import type { Clock } from "#kit";

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

// the estimate is fractional; float arithmetic drifts by ~1e-15, so a unit this close counts as there
const EPSILON = 1e-9;

interface Counts {
  window: number;
  current: number;
  previous: number;
}

function checkWhole(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive whole number, got ${value}`);
  }
}

export class SlidingWindowCounter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  /** Map keeps insertion order; re-inserting on every use puts the longest-idle keys first */
  readonly #counts = new Map<string, Counts>();

  constructor({ limit, windowMs, clock }: SlidingWindowCounterOptions) {
    checkWhole("limit", limit);
    checkWhole("windowMs", windowMs);
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  tryAcquire(key: string, cost = 1): Decision {
    checkWhole("cost", cost);
    const now = this.#clock.now();
    const window = Math.floor(now / this.#windowMs);
    this.#forgetIdle(window);
    const counts = this.#rolled(key, window);
    const start = window * this.#windowMs;
    const estimate = counts.previous * (1 - (now - start) / this.#windowMs) + counts.current;
    if (estimate + cost <= this.#limit + EPSILON) {
      counts.current += cost;
      return {
        allowed: true,
        remaining: Math.max(0, Math.floor(this.#limit - estimate - cost + EPSILON)),
        retryAfterMs: 0,
      };
    }
    return {
      allowed: false,
      remaining: Math.max(0, Math.floor(this.#limit - estimate + EPSILON)),
      retryAfterMs: cost > this.#limit ? Number.POSITIVE_INFINITY : this.#retryAfter(counts, cost, now, start),
    };
  }

  /** how many keys are held in memory */
  size(): number {
    return this.#counts.size;
  }

  /** the key's counts moved on to `window`: one window on, current becomes previous; two or more, both are 0 */
  #rolled(key: string, window: number): Counts {
    let counts = this.#counts.get(key);
    if (counts === undefined) {
      counts = { window, current: 0, previous: 0 };
    } else {
      this.#counts.delete(key);
      if (window === counts.window + 1) {
        counts.previous = counts.current;
        counts.current = 0;
      } else if (window > counts.window + 1) {
        counts.previous = 0;
        counts.current = 0;
      }
      counts.window = Math.max(counts.window, window);
    }
    this.#counts.set(key, counts);
    return counts;
  }

  /**
   * The first moment previous × (1 − f) + current + cost ≤ limit, f the fraction of
   * the window gone. If the current count alone is too high, it happens in the next
   * window, where the current count has become the previous one.
   */
  #retryAfter({ previous, current }: Counts, cost: number, now: number, start: number): number {
    const at =
      current + cost <= this.#limit
        ? start + (1 - (this.#limit - current - cost) / previous) * this.#windowMs
        : start + this.#windowMs + Math.max(0, 1 - (this.#limit - cost) / current) * this.#windowMs;
    return Math.max(1, Math.ceil(at - now - EPSILON));
  }

  /** counts from before the previous window are both 0 by now: the same as no counts */
  #forgetIdle(window: number): void {
    for (const [key, counts] of this.#counts) {
      if (counts.window < window - 1) this.#counts.delete(key);
    }
  }
}
