import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/06-ids-and-url-shortener/snowflake";
import * as reference from "#ref/06-ids-and-url-shortener/snowflake";
import { compareLoad, expectThrows, kataOf, loadTest, prop } from "#spec";
import chapter from "../../../chapters/06-ids-and-url-shortener/chapter.ts";
import { SleepyClock, wakesEarly } from "./_clocks.ts";

const { budgets } = kataOf(chapter, "06-ids-and-url-shortener", "snowflake");
const { SnowflakeGenerator, ClockMovedBackwardsError, parseSnowflake } = learner;

/** 2020-01-01T00:00:00Z, the seed's custom epoch */
const EPOCH = 1_577_836_800_000;
/** 2024-01-01T00:00:00Z */
const NEW_YEAR_2024 = 1_704_067_200_000;
const TIME_LIMIT = 2 ** 41;

function generator(clock: SleepyClock, workerId = 1, maxBackwardsMs?: number) {
  const options = { workerId, epochMs: EPOCH, clock };
  return new SnowflakeGenerator(maxBackwardsMs === undefined ? options : { ...options, maxBackwardsMs });
}

function issue(gen: { next(): bigint }, count: number): bigint[] {
  return Array.from({ length: count }, () => gen.next());
}

/** the error next() throws, or undefined if it issued an id; a stub's todo passes through */
function refusal(gen: { next(): bigint }): unknown {
  try {
    gen.next();
    return undefined;
  } catch (error) {
    if ((error as { name?: string }).name === "NotImplementedError") throw error;
    return error;
  }
}

/** calls `fn`, which must not throw; a stub's todo passes through */
function accepts(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (error) {
    if ((error as { name?: string }).name === "NotImplementedError") throw error;
    expect.fail(`${what} threw ${String(error)}: it is a valid option`);
  }
}

function expectIncreasing(ids: readonly bigint[], what: string): void {
  for (let i = 1; i < ids.length; i++) {
    const [before, after] = [ids[i - 1] as bigint, ids[i] as bigint];
    if (after <= before) {
      expect.fail(`${what}: id #${i} (${after}) is not greater than id #${i - 1} (${before})`);
    }
  }
}

describe("layout", () => {
  it("puts milliseconds since the custom epoch in the time field, not Unix time", () => {
    // 2024-01-01 is 126,230,400,000 ms after the 2020 epoch; the Unix time 1,704,067,200,000 does not belong there
    const clock = new SleepyClock(NEW_YEAR_2024);
    const ids = issue(generator(clock, 42), 1235);
    expect(ids[0], "the first id of worker 42 on 2024-01-01").toBe((126_230_400_000n << 22n) | (42n << 12n));
    expect(ids[1234], "the id with sequence 1234").toBe(529_448_671_641_773_266n);
  });

  it("keeps worker and sequence in their own bits: parseSnowflake recovers every field", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    for (const workerId of [0, 1, 42, 511, 1023]) {
      const ids = issue(generator(clock, workerId), 3000);
      ids.forEach((id, sequence) => {
        const parts = parseSnowflake(id, EPOCH);
        // compare first, expect only on a mismatch: thousands of expect() calls are slow
        if (parts.timestampMs !== NEW_YEAR_2024 || parts.workerId !== workerId || parts.sequence !== sequence) {
          expect(parts, `parseSnowflake of id #${sequence} from worker ${workerId}`).toEqual({
            timestampMs: NEW_YEAR_2024,
            workerId,
            sequence,
          });
        }
      });
    }
  });

  it("issues ids from the epoch itself: the first millisecond's time field is 0", () => {
    const clock = new SleepyClock(EPOCH);
    const gen = generator(clock, 5);
    expect(gen.next(), "the first id of worker 5 with the clock exactly at the epoch").toBe(5n << 12n);
    expect(gen.next(), "the second id in the same millisecond").toBe((5n << 12n) | 1n);
  });

  it("stays below 2^63 up to the last millisecond of the 41-bit field, 69.7 years after the epoch", () => {
    const clock = new SleepyClock(EPOCH + TIME_LIMIT - 1);
    const id = generator(clock, 1023).next();
    expect(id < 2n ** 63n, `the id at the last millisecond, ${id}, must fit a signed 64-bit integer`).toBe(true);
    expect(parseSnowflake(id, EPOCH), `parseSnowflake(${id}), the id of worker 1023 at epoch + 2^41 − 1 ms`).toEqual({
      timestampMs: EPOCH + TIME_LIMIT - 1,
      workerId: 1023,
      sequence: 0,
    });
  });

  it("refuses to issue ids once the 41-bit time field runs out, with a RangeError", () => {
    const clock = new SleepyClock(EPOCH + TIME_LIMIT - 1);
    const gen = generator(clock);
    gen.next();
    clock.set(EPOCH + TIME_LIMIT);
    expectThrows(() => gen.next(), RangeError, "next() with the clock at epoch + 2^41 ms");
  });

  it("rejects a clock that reads before the epoch with a RangeError", () => {
    const clock = new SleepyClock(EPOCH - 1);
    expectThrows(() => generator(clock).next(), RangeError, "next() with the clock 1 ms before the epoch");
  });

  it("rejects a worker id outside 0-1023 and other bad options with a RangeError", () => {
    const clock = new SleepyClock(EPOCH);
    for (const workerId of [-1, 1024, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(
        () => new SnowflakeGenerator({ workerId, epochMs: EPOCH, clock }),
        RangeError,
        `a generator with workerId ${workerId}`,
      );
    }
    for (const epochMs of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(
        () => new SnowflakeGenerator({ workerId: 1, epochMs, clock }),
        RangeError,
        `a generator with epochMs ${epochMs}`,
      );
    }
    for (const maxBackwardsMs of [-1, 2.5, Number.NaN]) {
      expectThrows(
        () => new SnowflakeGenerator({ workerId: 1, epochMs: EPOCH, clock, maxBackwardsMs }),
        RangeError,
        `a generator with maxBackwardsMs ${maxBackwardsMs}`,
      );
    }
    accepts(
      () => new SnowflakeGenerator({ workerId: 0, epochMs: 0, clock, maxBackwardsMs: 0 }),
      "a generator with workerId 0, epochMs 0 and maxBackwardsMs 0",
    );
    accepts(() => new SnowflakeGenerator({ workerId: 1023, epochMs: EPOCH, clock }), "a generator with workerId 1023");
  });
});

describe("uniqueness and order", () => {
  it("issues strictly increasing ids on one worker, within and across milliseconds", () => {
    const clock = new SleepyClock(EPOCH);
    const gen = generator(clock);
    const ids: bigint[] = [];
    for (const step of [0, 1, 1, 5, 1000, 60_000, 1]) {
      clock.advance(step);
      ids.push(...issue(gen, 10));
    }
    expectIncreasing(ids, "one worker");
  });

  it("issues 4,096 ids in one millisecond decades after the epoch, each exactly one more than the last", () => {
    // 50 years in, an id is about 2^62: a double keeps only 53 bits, so number arithmetic merges neighbours
    const clock = new SleepyClock(EPOCH + 50 * 365 * 86_400_000);
    const ids = issue(generator(clock, 7), 4096);
    for (let i = 1; i < ids.length; i++) {
      const step = (ids[i] as bigint) - (ids[i - 1] as bigint);
      if (step !== 1n) expect(step, `id #${i} minus id #${i - 1}`).toBe(1n);
    }
  });

  it("waits for the next millisecond when 4,096 ids are issued in one", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    const ids = issue(generator(clock), 4096 * 2 + 10);
    expect(new Set(ids).size, "distinct ids among 8,202").toBe(ids.length);
    expectIncreasing(ids, "across the full milliseconds");
    expect(parseSnowflake(ids[4095] as bigint, EPOCH), "the 4,096th id issued in one millisecond").toMatchObject({
      timestampMs: NEW_YEAR_2024,
      sequence: 4095,
    });
    expect(
      parseSnowflake(ids[4096] as bigint, EPOCH),
      "the 4,097th id: the millisecond was full, so it waits for the next",
    ).toMatchObject({ timestampMs: NEW_YEAR_2024 + 1, sequence: 0 });
    expect(clock.sleeps, "what the generator slept until").toEqual([NEW_YEAR_2024 + 1, NEW_YEAR_2024 + 2]);
  });

  it("never repeats an id across workers, even when they fill the same millisecond", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    const seen = new Map<bigint, number>();
    for (let workerId = 0; workerId < 8; workerId++) {
      clock.set(NEW_YEAR_2024);
      for (const id of issue(generator(clock, workerId), 4096)) {
        const other = seen.get(id);
        if (other !== undefined) expect.fail(`worker ${workerId} issued ${id}, which worker ${other} issued too`);
        seen.set(id, workerId);
      }
    }
  });

  prop(
    "never repeats an id across workers sharing a clock, and each id names its worker",
    fc.record({
      workers: fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 1023 })), {
        minLength: 2,
        maxLength: 6,
      }),
      calls: fc.array(fc.record({ pick: fc.nat(), gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })) }), {
        minLength: 1,
        maxLength: 400,
      }),
    }),
    ({ workers, calls }) => {
      const clock = new SleepyClock(NEW_YEAR_2024);
      const gens = workers.map((workerId) => ({ workerId, gen: generator(clock, workerId) }));
      const seen = new Set<bigint>();
      for (const { pick, gap } of calls) {
        clock.advance(gap);
        const { workerId, gen } = gens[pick % gens.length] as (typeof gens)[number];
        const id = gen.next();
        expect(seen.has(id), `id ${id} from worker ${workerId} was issued before`).toBe(false);
        seen.add(id);
        expect(parseSnowflake(id, EPOCH).workerId, `the worker field of id ${id} from worker ${workerId}`).toBe(
          workerId,
        );
      }
    },
  );

  prop(
    "orders ids from different workers by millisecond",
    fc.array(fc.record({ workerId: fc.integer({ min: 0, max: 1023 }), at: fc.integer({ min: 0, max: 10_000 }) }), {
      minLength: 2,
      maxLength: 30,
    }),
    (calls) => {
      const issued = calls.map(({ workerId, at }) => {
        const clock = new SleepyClock(NEW_YEAR_2024 + at);
        return { at, id: generator(clock, workerId).next() };
      });
      for (const a of issued) {
        for (const b of issued) {
          if (a.at < b.at && a.id >= b.id) expect.fail(`id at +${a.at} ms (${a.id}) ≥ id at +${b.at} ms (${b.id})`);
        }
      }
    },
  );
});

describe("clock moving backwards", () => {
  it("refuses with ClockMovedBackwardsError when the clock is further back than maxBackwardsMs, saying by how much", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    const gen = generator(clock);
    gen.next();
    clock.set(NEW_YEAR_2024 - 10);
    const error = refusal(gen);
    expect(error, "next() with the clock 10 ms behind and maxBackwardsMs 0").toBeInstanceOf(ClockMovedBackwardsError);
    expect(
      (error as InstanceType<typeof ClockMovedBackwardsError>).behindMs,
      "behindMs of the error, with the clock 10 ms behind the last id",
    ).toBe(10);
  });

  it("resumes once the clock catches up, above every id issued before", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    const gen = generator(clock);
    const before = issue(gen, 3);
    clock.set(NEW_YEAR_2024 - 5);
    expect(refusal(gen), "next() with the clock 5 ms behind and maxBackwardsMs 0").toBeInstanceOf(
      ClockMovedBackwardsError,
    );
    clock.set(NEW_YEAR_2024);
    const after = issue(gen, 3);
    clock.set(NEW_YEAR_2024 + 1);
    after.push(gen.next());
    expectIncreasing([...before, ...after], "before the step back, then after the clock caught up");
  });

  it("waits out a step back within maxBackwardsMs, then continues above the last id", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    const gen = generator(clock, 1, 50);
    const first = gen.next();
    clock.set(NEW_YEAR_2024 - 20);
    const second = gen.next();
    expect(
      second > first,
      `the id issued after the wait, ${second}, must be greater than the one before, ${first}`,
    ).toBe(true);
    expect(clock.sleeps.length, "sleeps while the clock was 20 ms behind").toBeGreaterThan(0);
    expect(parseSnowflake(second, EPOCH).timestampMs, "the time field of the id issued after the wait").toBe(
      clock.now(),
    );
  });

  it("waits out a step back of exactly maxBackwardsMs, and refuses one a millisecond longer", () => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    const gen = generator(clock, 1, 20);
    const first = gen.next();
    clock.set(NEW_YEAR_2024 - 20);
    const error = refusal(gen);
    expect(error, "next() with the clock exactly 20 ms behind and maxBackwardsMs 20: it must wait").toBeUndefined();
    const last = parseSnowflake(first, EPOCH).timestampMs;
    clock.set(last - 21);
    const refused = refusal(gen);
    expect(refused, "next() with the clock 21 ms behind the last id and maxBackwardsMs 20").toBeInstanceOf(
      ClockMovedBackwardsError,
    );
  });

  it("checks the clock again after waiting: a sleep that wakes early issues nothing early", () => {
    // sleeps end early: on a signal, or because NTP slewed the clock while the thread slept
    const clock = new SleepyClock(NEW_YEAR_2024, wakesEarly(5, 2));
    const gen = generator(clock, 1, 50);
    const ids = [gen.next()];
    clock.set(NEW_YEAR_2024 - 20);
    ids.push(gen.next());
    expectIncreasing(ids, "after a step back and a sleep that woke 5 ms early");

    const full = new SleepyClock(NEW_YEAR_2024, wakesEarly(1, 3));
    const busy = generator(full, 2);
    const burst = issue(busy, 4097);
    expectIncreasing(burst, "4,097 ids with sleeps that wake 1 ms early");
    expect(
      parseSnowflake(burst[4096] as bigint, EPOCH).timestampMs,
      "the time of the 4,097th id, after sleeps that woke 1 ms early",
    ).toBe(NEW_YEAR_2024 + 1);
  });

  prop(
    "never issues a duplicate or a smaller id when the clock steps back: it waits or refuses",
    fc.record({
      maxBackwardsMs: fc.constantFrom(0, 1, 5, 20),
      steps: fc.array(
        fc.record({
          move: fc.oneof(
            { weight: 3, arbitrary: fc.constant(0) },
            { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
            { weight: 3, arbitrary: fc.integer({ min: -25, max: -1 }) },
            { weight: 1, arbitrary: fc.integer({ min: -5000, max: -26 }) },
          ),
          count: fc.oneof(
            { weight: 9, arbitrary: fc.integer({ min: 1, max: 8 }) },
            { weight: 1, arbitrary: fc.constant(4100) },
          ),
        }),
        { minLength: 1, maxLength: 30 },
      ),
    }),
    ({ maxBackwardsMs, steps }) => {
      const clock = new SleepyClock(NEW_YEAR_2024);
      const gen = generator(clock, 3, maxBackwardsMs);
      let last = -1n;
      let lastMs = -1;
      let lastSequence = -1;
      for (const { move, count } of steps) {
        clock.advance(move);
        for (let i = 0; i < count; i++) {
          const now = clock.now();
          if (lastMs - now > maxBackwardsMs) {
            const what = `next() with the clock ${lastMs - now} ms behind the last id, maxBackwardsMs ${maxBackwardsMs}`;
            expect(refusal(gen), what).toBeInstanceOf(ClockMovedBackwardsError);
            break;
          }
          const id = gen.next();
          const { timestampMs, sequence, workerId } = parseSnowflake(id, EPOCH);
          const expected = timestampMs === lastMs ? lastSequence + 1 : 0;
          // compare first, expect only on a mismatch: a run issues thousands of ids
          if (id <= last) expect.fail(`id ${id} after ${last}, clock ${now - NEW_YEAR_2024} ms past 2024`);
          if (timestampMs !== clock.now()) {
            expect(timestampMs, "an id's time is the clock's time when it was issued").toBe(clock.now());
          }
          if (sequence !== expected || workerId !== 3) {
            expect(
              { sequence, workerId },
              `the id after sequence ${lastSequence} at +${lastMs - NEW_YEAR_2024} ms`,
            ).toEqual({
              sequence: expected,
              workerId: 3,
            });
          }
          last = id;
          lastMs = timestampMs;
          lastSequence = sequence;
        }
      }
    },
    { numRuns: 60 },
  );
});

describe("performance against the reference", () => {
  type Subject = { clock: SleepyClock; gen: { next(): bigint } };
  const subject = (make: (clock: SleepyClock) => { next(): bigint }) => (): Subject => {
    const clock = new SleepyClock(NEW_YEAR_2024);
    return { clock, gen: make(clock) };
  };
  const makeLearner = (clock: SleepyClock) => new learner.SnowflakeGenerator({ workerId: 9, epochMs: EPOCH, clock });
  const makeReference = (clock: SleepyClock) =>
    new reference.SnowflakeGenerator({ workerId: 9, epochMs: EPOCH, clock });

  // every id is fixed by the contract (time, worker, sequence): the last id of each batch, in its low 32 bits, is summed
  const answers = { what: "the last id of each batch (its low 32 bits, summed)" };

  loadTest("keeps pace with the reference at 1M ids a second: 400k ids, 1,000 per millisecond", budgets, () => {
    let last = 0n;
    const result = compareLoad<Subject>({
      learner: subject(makeLearner),
      reference: subject(makeReference),
      ops: 400_000,
      // a few dozen ns an id: more rounds keep the median steady on a busy machine
      rounds: 7,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) {
          s.clock.set(NEW_YEAR_2024 + Math.floor(i / 1000));
          last = s.gen.next();
        }
        return Number(last & 0xffff_ffffn);
      },
      answers,
    });
    expect(last, "the last id issued").toBeGreaterThan(0n);
    return result;
  });

  loadTest("keeps pace with the reference when every millisecond's 4,096 ids run out: 400k ids", budgets, () => {
    let last = 0n;
    const result = compareLoad<Subject>({
      learner: subject(makeLearner),
      reference: subject(makeReference),
      ops: 400_000,
      // a few dozen ns an id: more rounds keep the median steady on a busy machine
      rounds: 7,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) last = s.gen.next();
        return Number(last & 0xffff_ffffn);
      },
      answers,
    });
    expect(last, "the last id issued").toBeGreaterThan(0n);
    return result;
  });
});
