// fake timers on a manual clock for the health-aggregator spec: nothing waits for real time
import { flush, type ManualClock } from "#spec";

interface Timer {
  due: number;
  /** creation order: timers due at the same time fire in the order they were set */
  seq: number;
  fire: () => void;
  /** set by the code under test (counted by pending()), or by the spec to script a dependency */
  mine: boolean;
}

export class FakeTimers {
  #timers: Timer[] = [];
  #seq = 0;

  constructor(readonly clock: ManualClock) {}

  /** the Timers interface of the kata: an arrow, so it works detached from the object too */
  readonly setTimer = (delayMs: number, fire: () => void): (() => void) => this.#add(delayMs, fire, true);

  /** the spec's own events: a dependency that answers after `delayMs` */
  after(delayMs: number, fire: () => void): void {
    this.#add(delayMs, fire, false);
  }

  /** timers set by the code under test that have neither fired nor been cancelled */
  pending(): number {
    return this.#timers.filter((t) => t.mine).length;
  }

  /** moves the clock forward, firing each due timer at its own time and letting promise callbacks run after it */
  async advance(ms: number): Promise<void> {
    const to = this.clock.now() + ms;
    // what is already due runs at the time it is due, before the clock moves
    await flush();
    for (;;) {
      const next = this.#timers
        .filter((t) => t.due <= to)
        .reduce<Timer | undefined>(
          (a, t) => (a === undefined || t.due < a.due || (t.due === a.due && t.seq < a.seq) ? t : a),
          undefined,
        );
      if (next === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.clock.set(Math.max(this.clock.now(), next.due));
      next.fire();
      await flush();
    }
    this.clock.set(to);
    await flush();
  }

  #add(delayMs: number, fire: () => void, mine: boolean): () => void {
    const timer = { due: this.clock.now() + delayMs, seq: this.#seq++, fire, mine };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }
}
