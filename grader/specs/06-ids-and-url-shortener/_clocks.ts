// shared by the snowflake spec: a manual clock that can be slept on
import { ManualClock } from "#spec";

/** what a sleep does to the clock: by default it moves the clock to the target, never back */
export type OnSleep = (clock: SleepyClock, target: number) => void;

const onTime: OnSleep = (clock, target) => {
  if (clock.now() < target) clock.set(target);
};

// a generator that sleeps this often without issuing an id is waiting on something that never comes
const MAX_SLEEPS = 100_000;

// reads of a clock standing still: a generator issues at most 4,096 ids in a millisecond, reading the
// clock once or twice for each; one that reads it this often is spinning, waiting for time to move
const MAX_READS_STANDING_STILL = 1_000_000;

/**
 * A clock for Snowflake generators: time moves only when the spec moves it or
 * when the generator sleeps. Every sleep's target is recorded.
 */
export class SleepyClock extends ManualClock {
  readonly sleeps: number[] = [];
  #onSleep: OnSleep;
  /** reads since the clock last moved or was slept on */
  #reads = 0;

  constructor(start = 0, onSleep: OnSleep = onTime) {
    super(start);
    this.#onSleep = onSleep;
  }

  override now(): number {
    if (++this.#reads > MAX_READS_STANDING_STILL) {
      this.#reads = 0;
      throw new Error(
        `the generator read the clock ${MAX_READS_STANDING_STILL.toLocaleString("en-US")} times while it stood still at ` +
          `${super.now()} ms, without sleeping: to wait for the next millisecond, call clock.sleepUntil(ms), never spin on now()`,
      );
    }
    return super.now();
  }

  override set(ms: number): void {
    this.#reads = 0;
    super.set(ms);
  }

  override advance(ms: number): void {
    this.#reads = 0;
    super.advance(ms);
  }

  sleepUntil(ms: number): void {
    this.#reads = 0;
    if (this.sleeps.length >= MAX_SLEEPS) {
      throw new Error(
        `the generator slept ${MAX_SLEEPS} times in one test, last until ${ms} with the clock at ${this.now()}: ` +
          "sleepUntil(ms) takes a Unix time in ms, and the clock must be read again after each sleep",
      );
    }
    this.sleeps.push(ms);
    this.#onSleep(this, ms);
  }

  /** from now on, sleeps behave like this */
  onSleep(behaviour: OnSleep): void {
    this.#onSleep = behaviour;
  }
}

/** a sleep that wakes `shortMs` before its target the first `times` times, then on time */
export function wakesEarly(shortMs: number, times = 1): OnSleep {
  let left = times;
  return (clock, target) => {
    const to = left > 0 ? target - shortMs : target;
    left--;
    if (clock.now() < to) clock.set(to);
  };
}
