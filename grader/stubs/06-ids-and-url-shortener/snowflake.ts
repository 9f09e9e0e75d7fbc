/**
 * Kata: Snowflake ids (difficulty 2, about an hour)
 * Read:  chapters/06-ids-and-url-shortener/README.md#snowflake-time-worker-sequence
 * Grade: npm run grade -- snowflake
 * Hint:  npm run hint -- snowflake (one more hint each time you ask)
 *
 * Issue 64-bit ids, as bigints, without asking anyone:
 *   0 | 41 bits: ms since epochMs | 10 bits: workerId | 12 bits: sequence
 * - [ ] The time field is clock.now() − epochMs: milliseconds since the custom
 *       epoch, not Unix time. A clock before the epoch, or 2^41 ms or more
 *       after it (69.7 years), is a RangeError: never let the field overflow.
 * - [ ] The sequence counts ids within one millisecond, from 0. After 4,096 ids
 *       in one millisecond, wait for the next: call clock.sleepUntil(ms) with
 *       the Unix time to wait for, then read clock.now() again. A sleep may wake
 *       early: check the time again after every sleep, and never spin on now().
 * - [ ] Every id is greater than the one before on the same generator, and an
 *       id's time field is the clock's time when it was issued.
 * - [ ] The clock may step back (NTP). Up to maxBackwardsMs (default 0) behind
 *       the last id's time: sleep until the clock is back there. Further
 *       behind: throw ClockMovedBackwardsError with behindMs, issue nothing,
 *       and carry on once the clock has caught up. Never a duplicate.
 * - [ ] Build the id with bigint operations: ids pass 2^53 within days of the
 *       epoch, and a number silently loses their low bits.
 * - [ ] parseSnowflake(id, epochMs) gives back the Unix time, worker, sequence.
 * - [ ] RangeError for a workerId outside 0-1023 (or not an integer), a
 *       negative or fractional epochMs or maxBackwardsMs.
 */
import { type Clock, todo } from "#kit";

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

export class SnowflakeGenerator {
  constructor(options: SnowflakeOptions) {
    // TODO: check the options; keep the worker id, the epoch, the clock, and room for the last time and sequence.
    todo("SnowflakeGenerator constructor", options);
  }

  /** the next id: greater than every id this generator issued before */
  next(): bigint {
    // TODO: read the clock; wait (sleepUntil) or refuse while it is behind or the millisecond is full; then compose.
    return todo("SnowflakeGenerator.next");
  }
}

/** the fields of an id issued with this epoch */
export function parseSnowflake(id: bigint, epochMs: number): SnowflakeParts {
  // TODO: shift and mask with bigints, then convert the small fields to numbers.
  return todo("parseSnowflake", id, epochMs);
}
