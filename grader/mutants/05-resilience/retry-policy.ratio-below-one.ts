/**
 * Mutant of solutions/05-resilience/retry-policy.ts: ratio-below-one.
 *
 * The bug: the ratio must be below 1 rather than at most 1, so a budget that
 * lets every call retry once (ratio 1) is refused.
 * @caughtBy accepts the edges of every range: one attempt, a cap equal to the base, ratio 0 or 1, capacity 0
 */
import type { Clock } from "#kit";

export interface RetryBudgetOptions {
  /** retries earned per first attempt: 0.1 allows 10% extra load */
  ratio: number;
  /** retries in hand at the start, and the most the budget saves up */
  capacity: number;
}

// 0.1 added ten times is 0.9999999999999999: a retry this close to earned counts as earned
const EPSILON = 1e-9;

/** a token bucket filled by requests instead of time: retries ≤ capacity + ratio × first attempts */
export class RetryBudget {
  readonly #ratio: number;
  readonly #capacity: number;
  #balance: number;

  constructor({ ratio, capacity }: RetryBudgetOptions) {
    if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`ratio must be in [0, 1], got ${ratio}`);
    if (!(capacity >= 0 && Number.isFinite(capacity))) {
      throw new RangeError(`capacity must be a number ≥ 0, got ${capacity}`);
    }
    this.#ratio = ratio;
    this.#capacity = capacity;
    this.#balance = capacity;
  }

  /** a first attempt: earns `ratio` of a retry, up to capacity */
  recordRequest(): void {
    this.#balance = Math.min(this.#capacity, this.#balance + this.#ratio);
  }

  /** spends one retry if the budget holds one */
  tryRetry(): boolean {
    if (this.#balance + EPSILON < 1) return false;
    this.#balance = Math.max(0, this.#balance - 1);
    return true;
  }
}

export interface RetryPolicyOptions {
  /** attempts in all, the first included: 3 means at most 2 retries */
  maxAttempts: number;
  /** the backoff window of the first retry, in ms; it doubles with each retry */
  baseDelayMs: number;
  /** the backoff window never grows past this: the cap */
  maxDelayMs: number;
  /** uniform in [0, 1), seeded by the caller: the jitter */
  random: () => number;
  clock: Clock;
  /** waits `ms` of the clock's time; a test passes one that moves a manual clock */
  sleep: (ms: number) => Promise<void>;
  /** shared by every call of one client; without one, retries are limited only by maxAttempts */
  budget?: RetryBudget;
  /** errors worth retrying; default: all */
  isRetryable?: (error: unknown) => boolean;
}

export interface ExecuteOptions {
  /** clock time by which the work must be done: no attempt starts at or after it */
  deadline?: number;
}

/** thrown when the deadline has passed before the first attempt */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
}

export class RetryPolicy {
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;
  readonly #clock: Clock;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #budget: RetryBudget | undefined;
  readonly #isRetryable: (error: unknown) => boolean;

  constructor(options: RetryPolicyOptions) {
    const { maxAttempts, baseDelayMs, maxDelayMs } = options;
    if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
      throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
    }
    if (!(baseDelayMs > 0 && Number.isFinite(baseDelayMs))) {
      throw new RangeError(`baseDelayMs must be a positive number, got ${baseDelayMs}`);
    }
    if (!(maxDelayMs >= baseDelayMs && Number.isFinite(maxDelayMs))) {
      throw new RangeError(`maxDelayMs must be a number ≥ baseDelayMs, got ${maxDelayMs}`);
    }
    this.#maxAttempts = maxAttempts;
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
    this.#random = options.random;
    this.#clock = options.clock;
    this.#sleep = options.sleep;
    this.#budget = options.budget;
    this.#isRetryable = options.isRetryable ?? (() => true);
  }

  /**
   * Attempt number `attempt` (1 for the first) failed with `error`: how many
   * ms to wait before the next one, or undefined to give up. A retry it grants
   * is taken from the budget.
   */
  nextDelay(attempt: number, error: unknown, deadline = Number.POSITIVE_INFINITY): number | undefined {
    if (attempt >= this.#maxAttempts || !this.#isRetryable(error)) return undefined;
    // the window doubles per retry; 2 ** 1100 is Infinity, which the cap absorbs
    const window = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    const delay = this.#random() * window;
    // an attempt that would start at or after the deadline is not worth a sleep
    if (this.#clock.now() + delay >= deadline) return undefined;
    if (this.#budget !== undefined && !this.#budget.tryRetry()) return undefined;
    return delay;
  }

  /** runs `operation` until it succeeds or the policy gives up; then throws its last error */
  async execute<T>(operation: (attempt: number) => Promise<T>, options: ExecuteOptions = {}): Promise<T> {
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    if (this.#clock.now() >= deadline) {
      throw new DeadlineExceededError(`deadline ${deadline} passed before the first attempt`);
    }
    this.#budget?.recordRequest();
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation(attempt);
      } catch (error) {
        const delay = this.nextDelay(attempt, error, deadline);
        if (delay === undefined) throw error;
        await this.#sleep(delay);
        // a real sleep can overshoot: never start an attempt past the deadline
        if (this.#clock.now() >= deadline) throw error;
      }
    }
  }
}
