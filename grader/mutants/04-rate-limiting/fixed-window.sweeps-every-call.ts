/**
 * Mutant of solutions/04-rate-limiting/fixed-window.ts: sweeps-every-call.
 *
 * The bug: stale counters are found by scanning every key on every call.
 * Decisions are right, but a call costs O(keys).
 * @caughtBy a call costs the same with 100 or 5,000 keys held
 */
import type { Clock } from "#kit";

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

interface Counter {
  window: number;
  used: number;
}

function checkWhole(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive whole number, got ${value}`);
  }
}

export class FixedWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  /** Map keeps insertion order; re-inserting on every use puts the longest-idle keys first */
  readonly #counters = new Map<string, Counter>();

  constructor({ limit, windowMs, clock }: FixedWindowOptions) {
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
    let counter = this.#counters.get(key);
    if (counter === undefined || counter.window < window) {
      counter = { window, used: 0 };
    }
    this.#counters.delete(key);
    this.#counters.set(key, counter);
    if (counter.used + cost <= this.#limit) {
      counter.used += cost;
      return { allowed: true, remaining: this.#limit - counter.used, retryAfterMs: 0 };
    }
    const retryAfterMs =
      cost > this.#limit ? Number.POSITIVE_INFINITY : Math.max(1, Math.ceil((window + 1) * this.#windowMs - now));
    return { allowed: false, remaining: this.#limit - counter.used, retryAfterMs };
  }

  /** how many keys are held in memory */
  size(): number {
    return this.#counters.size;
  }

  /** a counter from an earlier window is the same as no counter: drop them once per new window */
  #forgetIdle(window: number): void {
    for (const [key, counter] of this.#counters) {
      if (counter.window < window) this.#counters.delete(key);
    }
  }
}
