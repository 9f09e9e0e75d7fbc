/**
 * Kata: retry policy (difficulty 1, about 30 minutes)
 * Read:  chapters/05-resilience/README.md#deep-dive-retries-backoff-and-jitter
 * Grade: npm run grade -- retry-policy
 * Hint:  npm run hint -- retry-policy (one more hint each time you ask)
 *
 * Build retries that help a flaky dependency instead of burying a dead one.
 * - [ ] RetryBudget: starts holding `capacity` retries and never holds more.
 *       recordRequest() (one per first attempt) earns `ratio` of a retry;
 *       tryRetry() spends one whole retry if it is there (allow for float
 *       drift: ten times 0.1 is 0.9999999999999999), else returns false.
 *       Over any run of calls: retries ≤ capacity + ratio × requests.
 * - [ ] nextDelay(attempt, error, deadline): attempt `attempt` (1 = the first)
 *       failed. Give up (undefined) when it was attempt maxAttempts or the
 *       error is not retryable. Else the wait is full jitter:
 *       random() × min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), one draw.
 *       Not base × 2^n plus 10%: thousands of clients that failed together
 *       would all come back within the same 10% of the window.
 * - [ ] Give up when now + wait ≥ deadline: no attempt starts at or after it,
 *       and there is no point sleeping first. Then take the retry from the
 *       budget (if there is one); an empty budget means give up.
 * - [ ] execute(operation, { deadline }): throw DeadlineExceededError without
 *       calling operation if the deadline has passed; else record one request
 *       with the budget and call operation(1), operation(2), ... with
 *       sleep(wait) in between, until one succeeds (return its value) or
 *       nextDelay says give up (throw that attempt's error, unchanged).
 * - [ ] Options out of range: RangeError (maxAttempts a whole number ≥ 1,
 *       baseDelayMs > 0, maxDelayMs ≥ baseDelayMs; ratio in [0, 1], capacity ≥ 0).
 * Time comes only from `clock.now()`, waiting only from `sleep`, chance only
 * from `random`: the spec passes fakes and checks every wait.
 */
import { type Clock, todo } from "#kit";

export interface RetryBudgetOptions {
  /** retries earned per first attempt: 0.1 allows 10% extra load */
  ratio: number;
  /** retries in hand at the start, and the most the budget saves up */
  capacity: number;
}

/** a token bucket filled by requests instead of time: retries ≤ capacity + ratio × first attempts */
export class RetryBudget {
  constructor(options: RetryBudgetOptions) {
    // TODO: check the options; the budget starts full.
    todo("RetryBudget constructor", options);
  }

  /** a first attempt: earns `ratio` of a retry, up to capacity */
  recordRequest(): void {
    // TODO: add ratio to the balance, capped at capacity.
    todo("RetryBudget.recordRequest");
  }

  /** spends one retry if the budget holds one */
  tryRetry(): boolean {
    // TODO: take one whole retry if it is there.
    return todo("RetryBudget.tryRetry");
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
  constructor(options: RetryPolicyOptions) {
    // TODO: check the options and keep them.
    todo("RetryPolicy constructor", options);
  }

  /**
   * Attempt number `attempt` (1 for the first) failed with `error`: how many
   * ms to wait before the next one, or undefined to give up. A retry it grants
   * is taken from the budget.
   */
  nextDelay(attempt: number, error: unknown, deadline = Number.POSITIVE_INFINITY): number | undefined {
    // TODO: attempts left? retryable? draw the wait; would it reach the deadline? is the budget willing?
    return todo("RetryPolicy.nextDelay", attempt, error, deadline);
  }

  /** runs `operation` until it succeeds or the policy gives up; then throws its last error */
  async execute<T>(operation: (attempt: number) => Promise<T>, options: ExecuteOptions = {}): Promise<T> {
    // TODO: check the deadline, record the request, then attempt, wait, attempt again.
    return todo("RetryPolicy.execute", operation, options);
  }
}
