/**
 * Mutant of solutions/06-ids-and-url-shortener/snowflake.ts: spins-on-now.
 *
 * The bug: when a millisecond's 4,096 ids are used up it reads the clock again
 * and again until the millisecond turns, instead of sleeping: a core spins at
 * 100% for the rest of the millisecond, and a clock that only moves when slept
 * on (a test's, a paused VM's) never turns at all.
 * @caughtBy waits for the next millisecond when 4,096 ids are issued in one
 */
import type { Clock } from "#kit";

export const TIME_BITS = 41;
export const WORKER_BITS = 10;
export const SEQUENCE_BITS = 12;
export const MAX_WORKER_ID = 2 ** WORKER_BITS - 1;
export const MAX_SEQUENCE = 2 ** SEQUENCE_BITS - 1;
/** the first elapsed time the 41-bit field cannot hold: 69.7 years of milliseconds */
export const TIME_LIMIT_MS = 2 ** TIME_BITS;

/**
 * A clock that can also wait. `sleepUntil(ms)` returns once `now()` has
 * reached `ms`, or earlier (a sleep can wake early): read `now()` again after
 * it. In production it spins for the fraction of a millisecond or sleeps; in
 * a spec it moves a manual clock.
 */
export interface SnowflakeClock extends Clock {
  sleepUntil(ms: number): void;
}

export interface SnowflakeOptions {
  /** this generator's worker id, 0 to 1023, unique among the generators running at once */
  workerId: number;
  /** the custom epoch, in Unix milliseconds: the time field counts from here */
  epochMs: number;
  clock: SnowflakeClock;
  /** a clock at most this far behind the last id's time is waited out; further back is refused. Default 0 */
  maxBackwardsMs?: number;
}

export interface SnowflakeParts {
  /** Unix milliseconds: the epoch plus the time field */
  timestampMs: number;
  workerId: number;
  sequence: number;
}

/** the clock is further behind the last id issued than the generator may wait out */
export class ClockMovedBackwardsError extends Error {
  override readonly name = "ClockMovedBackwardsError";

  constructor(readonly behindMs: number) {
    super(`the clock moved backwards by ${behindMs} ms: refusing to issue ids until it catches up`);
  }
}

const WORKER_SHIFT = SEQUENCE_BITS;
const TIME_SHIFT = BigInt(WORKER_BITS + SEQUENCE_BITS);
const WORKER_SHIFT_BIG = BigInt(WORKER_SHIFT);
const WORKER_MASK = BigInt(MAX_WORKER_ID);
const SEQUENCE_MASK = BigInt(MAX_SEQUENCE);

export class SnowflakeGenerator {
  readonly #epochMs: number;
  readonly #clock: SnowflakeClock;
  readonly #maxBackwardsMs: number;
  /** the worker's bits, already in place */
  readonly #workerBits: number;
  /** elapsed ms of the last id issued, -1 before the first */
  #lastMs = -1;
  #sequence = 0;

  constructor({ workerId, epochMs, clock, maxBackwardsMs = 0 }: SnowflakeOptions) {
    if (!(Number.isSafeInteger(workerId) && workerId >= 0 && workerId <= MAX_WORKER_ID)) {
      throw new RangeError(`workerId must be an integer from 0 to ${MAX_WORKER_ID}, got ${workerId}`);
    }
    if (!(Number.isSafeInteger(epochMs) && epochMs >= 0)) {
      throw new RangeError(`epochMs must be a non-negative integer of Unix milliseconds, got ${epochMs}`);
    }
    if (!(Number.isSafeInteger(maxBackwardsMs) && maxBackwardsMs >= 0)) {
      throw new RangeError(`maxBackwardsMs must be a non-negative integer, got ${maxBackwardsMs}`);
    }
    this.#epochMs = epochMs;
    this.#clock = clock;
    this.#maxBackwardsMs = maxBackwardsMs;
    this.#workerBits = workerId << WORKER_SHIFT;
  }

  /** the next id: greater than every id this generator issued before */
  next(): bigint {
    let elapsed = this.#elapsed();
    for (;;) {
      if (elapsed < this.#lastMs) {
        const behind = this.#lastMs - elapsed;
        if (behind > this.#maxBackwardsMs) throw new ClockMovedBackwardsError(behind);
        // wait until the clock is back where the last id was, then look again: the sleep may wake early
        this.#clock.sleepUntil(this.#epochMs + this.#lastMs);
      } else if (elapsed === this.#lastMs && this.#sequence === MAX_SEQUENCE) {
        // 4,096 ids in this millisecond already: read the clock until the next millisecond comes
      } else {
        break;
      }
      elapsed = this.#elapsed();
    }
    this.#sequence = elapsed === this.#lastMs ? this.#sequence + 1 : 0;
    this.#lastMs = elapsed;
    return (BigInt(elapsed) << TIME_SHIFT) | BigInt(this.#workerBits | this.#sequence);
  }

  /** milliseconds since the epoch, checked against what the time field can hold */
  #elapsed(): number {
    // whole milliseconds: a clock may report fractions
    const elapsed = Math.floor(this.#clock.now()) - this.#epochMs;
    if (elapsed < 0) throw new RangeError(`the clock reads ${-elapsed} ms before the epoch`);
    if (elapsed >= TIME_LIMIT_MS) {
      throw new RangeError(`the 41-bit time field has run out: ${elapsed} ms since the epoch`);
    }
    return elapsed;
  }
}

/** the fields of an id issued with this epoch */
export function parseSnowflake(id: bigint, epochMs: number): SnowflakeParts {
  if (id < 0n || id >= 1n << 63n) throw new RangeError(`${id} is not a 63-bit Snowflake id`);
  return {
    timestampMs: epochMs + Number(id >> TIME_SHIFT),
    // mask while still a bigint: the id above 2^53 does not survive conversion to a number
    workerId: Number((id >> WORKER_SHIFT_BIG) & WORKER_MASK),
    sequence: Number(id & SEQUENCE_MASK),
  };
}
