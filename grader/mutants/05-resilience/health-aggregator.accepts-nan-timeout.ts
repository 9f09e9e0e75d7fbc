/**
 * Mutant of solutions/05-resilience/health-aggregator.ts: accepts-nan-timeout.
 *
 * The bug: a check's timeout is refused when it is 0 or below, rather than
 * accepted only when it is a positive number: a NaN timeout passes, and
 * Node's setTimeout treats NaN as 1 ms, so that check times out at once
 * whatever its dependency does.
 * @caughtBy throws a RangeError for a timeout that is not positive, a repeated name or a negative cacheMs
 */
import type { Clock } from "#kit";

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
  readonly #checks: readonly HealthCheck[];
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #cacheMs: number;
  #last: HealthReport | undefined;
  #running: Promise<HealthReport> | undefined;

  constructor({ checks, clock, timers, cacheMs }: HealthAggregatorOptions) {
    if (!(cacheMs >= 0 && Number.isFinite(cacheMs)))
      throw new RangeError(`cacheMs must be a number ≥ 0, got ${cacheMs}`);
    const names = new Set<string>();
    for (const check of checks) {
      if (check.timeoutMs <= 0) {
        throw new RangeError(`timeoutMs of ${check.name} must be a positive number, got ${check.timeoutMs}`);
      }
      if (names.has(check.name)) throw new RangeError(`check ${check.name} is listed twice`);
      names.add(check.name);
    }
    this.#checks = checks;
    this.#clock = clock;
    this.#timers = timers;
    this.#cacheMs = cacheMs;
  }

  /** liveness: the process can answer. Dependencies are readiness' business */
  live(): boolean {
    return true;
  }

  /** readiness: a fresh enough report, the run already under way, or a new run of every check */
  async check(): Promise<HealthReport> {
    const last = this.#last;
    if (last !== undefined && this.#clock.now() - last.checkedAt < this.#cacheMs) return last;
    this.#running ??= this.#runAll().then((report) => {
      this.#last = report;
      this.#running = undefined;
      return report;
    });
    return this.#running;
  }

  async #runAll(): Promise<HealthReport> {
    const checks = await Promise.all(this.#checks.map((check) => this.#runOne(check)));
    const failed = checks.filter((result) => result.status !== "pass");
    const status: HealthStatus = failed.some((result) => result.critical)
      ? "unhealthy"
      : failed.length > 0
        ? "degraded"
        : "healthy";
    return { status, ready: status !== "unhealthy", checkedAt: this.#clock.now(), checks };
  }

  /** one check against its timeout; never rejects */
  #runOne(check: HealthCheck): Promise<CheckResult> {
    const { name, critical, timeoutMs } = check;
    const startedAt = this.#clock.now();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: CheckStatus, error?: string) => {
        if (settled) return;
        settled = true;
        cancel();
        const durationMs = this.#clock.now() - startedAt;
        resolve(
          error === undefined ? { name, critical, status, durationMs } : { name, critical, status, durationMs, error },
        );
      };
      const cancel = this.#timers.setTimer(timeoutMs, () => finish("timeout", `no answer within ${timeoutMs} ms`));
      try {
        check.run().then(
          () => finish("pass"),
          (error: unknown) => finish("fail", messageOf(error)),
        );
      } catch (error) {
        // a check that throws instead of returning a rejected promise has failed all the same
        finish("fail", messageOf(error));
      }
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
