/**
 * Mutant of solutions/04-rate-limiting/sliding-window-log.ts: infinite-wait-at-limit.
 *
 * The bug: a cost of exactly the limit is treated like one above it, so
 * retryAfterMs is Infinity as soon as anything is in the window. Such a request
 * is allowed once the window is empty, and the client told "never" gives up on it.
 * @caughtBy waits for an empty window when the cost is exactly the limit, not for ever
 */
import type { Clock } from "#kit";

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

/** a queue of (time, cost) with a head index: dropping the oldest entry is O(1) */
class Log {
  times: number[] = [];
  costs: number[] = [];
  head = 0;
  used = 0;

  push(time: number, cost: number): void {
    this.times.push(time);
    this.costs.push(cost);
    this.used += cost;
  }

  /** drops entries at or before `cutoff`; they have left the window */
  expire(cutoff: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) {
      this.used -= this.costs[this.head] as number;
      this.head++;
    }
    // compact now and then, so the arrays stay about as long as the live log
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
  }

  /** the time of the entry whose expiry first frees `needed` units */
  freedBy(needed: number): number {
    let freed = 0;
    for (let i = this.head; i < this.times.length; i++) {
      freed += this.costs[i] as number;
      if (freed >= needed) return this.times[i] as number;
    }
    return this.times[this.times.length - 1] as number;
  }
}

function checkWhole(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive whole number, got ${value}`);
  }
}

export class SlidingWindowLog {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  /** Map keeps insertion order; re-inserting on every use puts the longest-idle keys first */
  readonly #logs = new Map<string, { log: Log; seen: number }>();
  /** no key can be idle before this time, so there is nothing to sweep until then */
  #sweepAt = Number.POSITIVE_INFINITY;

  constructor({ limit, windowMs, clock }: SlidingWindowLogOptions) {
    checkWhole("limit", limit);
    checkWhole("windowMs", windowMs);
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  tryAcquire(key: string, cost = 1): Decision {
    checkWhole("cost", cost);
    const now = this.#clock.now();
    this.#forgetIdle(now);
    let entry = this.#logs.get(key);
    if (entry === undefined) {
      entry = { log: new Log(), seen: now };
      this.#sweepAt = Math.min(this.#sweepAt, now + this.#windowMs);
    } else {
      entry.seen = now;
      this.#logs.delete(key);
    }
    this.#logs.set(key, entry);
    const { log } = entry;
    log.expire(now - this.#windowMs);
    if (log.used + cost <= this.#limit) {
      log.push(now, cost);
      return { allowed: true, remaining: this.#limit - log.used, retryAfterMs: 0 };
    }
    const retryAfterMs =
      cost >= this.#limit
        ? Number.POSITIVE_INFINITY
        : Math.max(1, Math.ceil(log.freedBy(log.used + cost - this.#limit) + this.#windowMs - now));
    return { allowed: false, remaining: this.#limit - log.used, retryAfterMs };
  }

  /** how many keys are held in memory */
  size(): number {
    return this.#logs.size;
  }

  /** a key unseen for a whole window has an empty log: the same as no log */
  #forgetIdle(now: number): void {
    if (now < this.#sweepAt) return;
    for (const [key, entry] of this.#logs) {
      if (now - entry.seen < this.#windowMs) {
        this.#sweepAt = entry.seen + this.#windowMs;
        return;
      }
      this.#logs.delete(key);
    }
    this.#sweepAt = Number.POSITIVE_INFINITY;
  }
}
