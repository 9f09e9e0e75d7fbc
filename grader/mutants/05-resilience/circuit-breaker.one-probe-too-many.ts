/**
 * Mutant of solutions/05-resilience/circuit-breaker.ts: one-probe-too-many.
 *
 * The bug: a half-open breaker refuses a call only once more than
 * halfOpenProbes probes are out, not halfOpenProbes: it lets one probe more
 * through than it was told to, onto a dependency that may still be down.
 * @caughtBy lets at most halfOpenProbes calls through while half-open, however many callers arrive
 */
import type { Clock } from "#kit";

export type BreakerState = "closed" | "open" | "half-open";

export interface Transition {
  from: BreakerState;
  to: BreakerState;
  /** clock time of the change */
  at: number;
}

export interface CircuitBreakerOptions {
  /** failure rate in (0, 1] at or above which a closed breaker opens */
  failureRateThreshold: number;
  /** outcomes count for this long after they are recorded: the rolling window */
  windowMs: number;
  /** fewer outcomes than this in the window never open the breaker */
  minimumCalls: number;
  /** how long an open breaker rejects every call before it lets probes through */
  openMs: number;
  /** calls a half-open breaker lets through, in all, before it decides */
  halfOpenProbes: number;
  clock: Clock;
  /** which errors of call() count as failures; the others count as successes. Default: all */
  isFailure?: (error: unknown) => boolean;
  /** told of every change of state, in order */
  onTransition?: (transition: Transition) => void;
}

/** one admitted call: report how it ended, once */
export interface Permit {
  success(): void;
  failure(): void;
}

/** thrown by call() when the breaker does not let the call through */
export class BreakerOpenError extends Error {
  override readonly name = "BreakerOpenError";
}

interface Bucket {
  /** clock time the outcomes were recorded */
  at: number;
  calls: number;
  failures: number;
}

// failure rates are compared as floats: 0.3 × 10 is 3.0000000000000004
const EPSILON = 1e-9;

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #minimumCalls: number;
  readonly #openMs: number;
  readonly #probes: number;
  readonly #clock: Clock;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #onTransition: ((transition: Transition) => void) | undefined;

  #state: BreakerState = "closed";
  /** bumped on every transition: a permit from an older generation reports into nothing */
  #generation = 0;
  #openedAt = 0;
  #probesIssued = 0;
  #probesSucceeded = 0;

  /** outcomes per clock time, oldest first, from #head on: the rolling window */
  #buckets: Bucket[] = [];
  #head = 0;
  #calls = 0;
  #failures = 0;

  constructor(options: CircuitBreakerOptions) {
    const { failureRateThreshold, windowMs, minimumCalls, openMs, halfOpenProbes } = options;
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
      throw new RangeError(`failureRateThreshold must be in (0, 1], got ${failureRateThreshold}`);
    }
    for (const [name, value] of [
      ["windowMs", windowMs],
      ["openMs", openMs],
    ] as const) {
      if (!(value > 0 && Number.isFinite(value)))
        throw new RangeError(`${name} must be a positive number, got ${value}`);
    }
    for (const [name, value] of [
      ["minimumCalls", minimumCalls],
      ["halfOpenProbes", halfOpenProbes],
    ] as const) {
      if (!(Number.isInteger(value) && value >= 1))
        throw new RangeError(`${name} must be a whole number ≥ 1, got ${value}`);
    }
    this.#threshold = failureRateThreshold;
    this.#windowMs = windowMs;
    this.#minimumCalls = minimumCalls;
    this.#openMs = openMs;
    this.#probes = halfOpenProbes;
    this.#clock = options.clock;
    this.#isFailure = options.isFailure ?? (() => true);
    this.#onTransition = options.onTransition;
  }

  /** the state now: an open breaker whose openMs have passed reads as half-open */
  state(): BreakerState {
    const now = this.#clock.now();
    if (this.#state === "open" && now - this.#openedAt >= this.#openMs) this.#moveTo("half-open", now);
    return this.#state;
  }

  /** a permit for one call, or undefined when the breaker rejects it */
  tryAcquire(): Permit | undefined {
    const state = this.state();
    if (state === "open") return undefined;
    if (state === "half-open") {
      if (this.#probesIssued > this.#probes) return undefined;
      this.#probesIssued++;
    }
    return this.#permit(this.#generation);
  }

  /** runs fn when the breaker lets it through and records how it ended; else throws BreakerOpenError */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    const permit = this.tryAcquire();
    if (permit === undefined) throw new BreakerOpenError(`circuit breaker is ${this.#state}`);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (this.#isFailure(error)) permit.failure();
      else permit.success();
      throw error;
    }
    permit.success();
    return result;
  }

  #permit(generation: number): Permit {
    let settled = false;
    const settle = (failed: boolean) => {
      if (settled) return;
      settled = true;
      // the breaker changed state since this call was let in: its outcome says nothing about the new state
      if (generation !== this.#generation) return;
      this.#record(failed);
    };
    return { success: () => settle(false), failure: () => settle(true) };
  }

  #record(failed: boolean): void {
    const now = this.#clock.now();
    if (this.#state === "half-open") {
      if (failed) this.#open(now);
      else if (++this.#probesSucceeded >= this.#probes) this.#close(now);
      return;
    }
    this.#expire(now);
    this.#add(now, failed);
    const enoughCalls = this.#calls >= this.#minimumCalls;
    const tooManyFailures = this.#failures >= this.#threshold * this.#calls - EPSILON;
    if (failed && enoughCalls && tooManyFailures) this.#open(now);
  }

  #add(now: number, failed: boolean): void {
    const last = this.#buckets[this.#buckets.length - 1];
    const bucket = last !== undefined && last.at === now && this.#buckets.length > this.#head ? last : undefined;
    if (bucket) {
      bucket.calls++;
      if (failed) bucket.failures++;
    } else {
      this.#buckets.push({ at: now, calls: 1, failures: failed ? 1 : 0 });
    }
    this.#calls++;
    if (failed) this.#failures++;
  }

  /** drops outcomes recorded windowMs or more ago */
  #expire(now: number): void {
    while (this.#head < this.#buckets.length) {
      const oldest = this.#buckets[this.#head] as Bucket;
      if (now - oldest.at < this.#windowMs) break;
      this.#calls -= oldest.calls;
      this.#failures -= oldest.failures;
      this.#head++;
    }
    // compact once the dropped half outweighs the rest, so the array stays O(window)
    if (this.#head > 1024 && this.#head * 2 > this.#buckets.length) {
      this.#buckets = this.#buckets.slice(this.#head);
      this.#head = 0;
    }
  }

  #open(now: number): void {
    this.#openedAt = now;
    this.#moveTo("open", now);
  }

  #close(now: number): void {
    this.#buckets = [];
    this.#head = 0;
    this.#calls = 0;
    this.#failures = 0;
    this.#moveTo("closed", now);
  }

  #moveTo(to: BreakerState, at: number): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#probesIssued = 0;
    this.#probesSucceeded = 0;
    this.#onTransition?.({ from, to, at });
  }
}
