// the circuit breaker written the plain way, O(window) per call: the spec replays
// random histories on it and on the learner's breaker and compares every decision
export type State = "closed" | "open" | "half-open";

export interface ModelOptions {
  failureRateThreshold: number;
  windowMs: number;
  minimumCalls: number;
  openMs: number;
  halfOpenProbes: number;
}

export interface ModelTransition {
  from: State;
  to: State;
  at: number;
}

export class BreakerModel {
  state: State = "closed";
  readonly transitions: ModelTransition[] = [];
  #generation = 0;
  #openedAt = 0;
  #issued = 0;
  #succeeded = 0;
  #outcomes: Array<{ at: number; failed: boolean }> = [];

  constructor(private readonly options: ModelOptions) {}

  /** the state at `now`; an open breaker past openMs becomes half-open */
  observe(now: number): State {
    if (this.state === "open" && now - this.#openedAt >= this.options.openMs) this.#move("half-open", now);
    return this.state;
  }

  /** the generation of the permit granted, or undefined when rejected */
  acquire(now: number): number | undefined {
    const state = this.observe(now);
    if (state === "open") return undefined;
    if (state === "half-open") {
      if (this.#issued >= this.options.halfOpenProbes) return undefined;
      this.#issued++;
    }
    return this.#generation;
  }

  settle(generation: number, failed: boolean, now: number): void {
    if (generation !== this.#generation) return;
    if (this.state === "half-open") {
      if (failed) this.#open(now);
      else if (++this.#succeeded >= this.options.halfOpenProbes) {
        this.#outcomes = [];
        this.#move("closed", now);
      }
      return;
    }
    this.#outcomes.push({ at: now, failed });
    if (!failed) return;
    const inWindow = this.#outcomes.filter((o) => now - o.at < this.options.windowMs);
    const failures = inWindow.filter((o) => o.failed).length;
    if (
      inWindow.length >= this.options.minimumCalls &&
      failures / inWindow.length >= this.options.failureRateThreshold
    ) {
      this.#open(now);
    }
  }

  /** outcomes in the window at `now`: for failure messages */
  window(now: number): string {
    const inWindow = this.#outcomes.filter((o) => now - o.at < this.options.windowMs);
    const failures = inWindow.filter((o) => o.failed).length;
    return `${failures} failures of ${inWindow.length} calls in the last ${this.options.windowMs} ms`;
  }

  #open(now: number): void {
    this.#openedAt = now;
    this.#move("open", now);
  }

  #move(to: State, at: number): void {
    this.transitions.push({ from: this.state, to, at });
    this.state = to;
    this.#generation++;
    this.#issued = 0;
    this.#succeeded = 0;
  }
}
