/**
 * Kata: circuit breaker (difficulty 2, about an hour)
 * Read:  chapters/05-resilience/README.md#deep-dive-circuit-breakers
 * Grade: npm run grade -- circuit-breaker
 * Hint:  npm run hint -- circuit-breaker (one more hint each time you ask)
 *
 * Build a circuit breaker with three states: closed, open and half-open.
 * - [ ] Closed: tryAcquire() lets every call through and returns a Permit; the
 *       caller reports how the call ended with permit.success() or
 *       permit.failure(). Only the first report of a permit counts.
 * - [ ] The window: an outcome recorded at time t counts while now − t < windowMs
 *       (t is when the permit reported it, not when the call was let through).
 * - [ ] Closed → open: when a failure is recorded and, counting it, the window
 *       holds at least `minimumCalls` outcomes of which a share of at least
 *       `failureRateThreshold` failed. A rate, not a run of failures in a row:
 *       F F F F S repeated is 80% failures and must open the breaker.
 * - [ ] Open: tryAcquire() returns undefined; call() throws BreakerOpenError
 *       without running fn. Rejected calls do not restart the open period.
 * - [ ] Open → half-open: once now − (time it opened) ≥ openMs, on the next
 *       state() or tryAcquire(), at that clock time.
 * - [ ] Half-open: at most `halfOpenProbes` calls are let through in all; the
 *       rest get undefined. Any probe failing → open again (openMs starts over).
 *       All `halfOpenProbes` probes succeeding → closed, with an empty window.
 * - [ ] A permit issued before the breaker last changed state reports into
 *       nothing: a slow call let in while closed is not a half-open probe.
 * - [ ] Only closed → open, open → half-open, half-open → open and
 *       half-open → closed, each announced to onTransition once, in order.
 * - [ ] call(fn): runs fn through a permit; a rejection (or a throw before fn
 *       returns a promise) is a failure when isFailure(error) says so
 *       (default: always), else a success; the error is passed on unchanged.
 *       When the breaker rejects the call, call() throws BreakerOpenError.
 * - [ ] Options out of range: RangeError (threshold in (0, 1], windowMs and
 *       openMs positive, minimumCalls and halfOpenProbes whole numbers ≥ 1).
 * - [ ] Each call costs O(1) amortized, however many outcomes the window holds.
 * Time comes only from `clock.now()` (milliseconds).
 */
import { type Clock, todo } from "#kit";

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

export class CircuitBreaker {
  constructor(options: CircuitBreakerOptions) {
    // TODO: check the options and keep them; start closed with an empty window.
    todo("CircuitBreaker constructor", options);
  }

  /** the state now: an open breaker whose openMs have passed reads as half-open */
  state(): BreakerState {
    // TODO: move open → half-open when openMs have passed, then say where you are.
    return todo("CircuitBreaker.state");
  }

  /** a permit for one call, or undefined when the breaker rejects it */
  tryAcquire(): Permit | undefined {
    // TODO: closed lets through, open rejects, half-open lets through up to halfOpenProbes.
    return todo("CircuitBreaker.tryAcquire");
  }

  /** runs fn when the breaker lets it through and records how it ended; else throws BreakerOpenError */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    // TODO: take a permit, run fn, report success or failure, pass the result or error on.
    return todo("CircuitBreaker.call", fn);
  }
}
