/**
 * Kata: health aggregator (difficulty 1, about 30 minutes)
 * Read:  chapters/05-resilience/README.md#deep-dive-health-checks
 * Grade: npm run grade -- health-aggregator
 * Hint:  npm run hint -- health-aggregator (one more hint each time you ask)
 *
 * Build the readiness and liveness answers of one service instance.
 * - [ ] check() starts every check at once (not one after another), each
 *       against its own timeout set with timers.setTimer. A report takes as
 *       long as the slowest check or its timeout: ten checks that hang for
 *       1 s take 1 s, not 10.
 * - [ ] Each result: "pass" if run() resolved in time, "fail" if it rejected
 *       or threw before returning a promise, "timeout" if the timer fired
 *       first. durationMs is clock time from start to result; error says why.
 *       A check that finishes in time cancels its timer (no timer left behind);
 *       an answer after the timeout changes nothing.
 * - [ ] Overall: unhealthy if a critical check did not pass; else degraded if
 *       any check did not pass; else healthy. ready is true unless unhealthy:
 *       a non-critical dependency down must not take the instance out of
 *       rotation, and a critical one that times out must.
 * - [ ] checkedAt is the clock time the report completed; results come in the
 *       order the checks were given.
 * - [ ] Probes that arrive while a run is under way share it. A report younger
 *       than cacheMs (now − checkedAt < cacheMs) is answered again without
 *       running anything, and without work per check: such a probe costs the
 *       same with 20 checks or 200.
 * - [ ] live() answers true whatever the dependencies say: restarting the
 *       process does not fix a database that is down.
 * - [ ] RangeError: a check timeout that is not a positive number, a name
 *       listed twice, a cacheMs below 0.
 * Time comes only from `clock.now()` and `timers.setTimer`: the spec fakes both.
 */
import { type Clock, todo } from "#kit";

/** timers on the injected clock: the spec passes fake ones, production wraps setTimeout */
export interface Timers {
  /** calls `fire` once `delayMs` have passed; the function returned cancels it */
  setTimer(delayMs: number, fire: () => void): () => void;
}

export interface HealthCheck {
  name: string;
  /** failing makes the instance unhealthy (not ready); a non-critical failure only degrades it */
  critical: boolean;
  /** the check fails if it has not settled by then */
  timeoutMs: number;
  /** resolves when the dependency is fine, rejects (or throws) when it is not */
  run: () => Promise<void>;
}

export type CheckStatus = "pass" | "fail" | "timeout";

export interface CheckResult {
  name: string;
  critical: boolean;
  status: CheckStatus;
  /** clock time from the start of the check to its result (its timeout, if it timed out) */
  durationMs: number;
  /** why it failed or timed out */
  error?: string;
}

export type HealthStatus = "healthy" | "degraded" | "unhealthy";

export interface HealthReport {
  /** unhealthy if a critical check did not pass, else degraded if any check did not pass, else healthy */
  status: HealthStatus;
  /** whether a load balancer should send traffic here: true unless unhealthy */
  ready: boolean;
  /** clock time the report was completed */
  checkedAt: number;
  /** one result per check, in the order the checks were given */
  checks: CheckResult[];
}

export interface HealthAggregatorOptions {
  checks: readonly HealthCheck[];
  clock: Clock;
  timers: Timers;
  /** a report younger than this is answered again without running the checks; 0 never reuses one */
  cacheMs: number;
}

export class HealthAggregator {
  constructor(options: HealthAggregatorOptions) {
    // TODO: check the options and keep them.
    todo("HealthAggregator constructor", options);
  }

  /** liveness: the process can answer. Dependencies are readiness' business */
  live(): boolean {
    // TODO: what does a restart fix?
    return todo("HealthAggregator.live");
  }

  /** readiness: a fresh enough report, the run already under way, or a new run of every check */
  async check(): Promise<HealthReport> {
    // TODO: reuse a fresh report or the run in flight; else run every check at once against its timeout.
    return todo("HealthAggregator.check");
  }
}
