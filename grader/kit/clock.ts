/**
 * A source of time in milliseconds. Katas never read `Date.now()`: they take a
 * clock, so a spec can move time forward (or backward) without sleeping.
 */
export interface Clock {
  now(): number;
}

/** A clock that only moves when told to: for specs, and for trying a kata by hand. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** jump to an absolute time; going backwards is allowed, to test clocks that step back */
  set(ms: number): void {
    this.#now = ms;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
