import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/retry-policy";
import * as reference from "#ref/05-resilience/retry-policy";
import { asyncProp, compareLoad, expectThrows, kataOf, loadTest, ManualClock, prop, randomFor } from "#spec";
import chapter from "../../../chapters/05-resilience/chapter.ts";

const { budgets } = kataOf(chapter, "05-resilience", "retry-policy");

type Options = Omit<learner.RetryPolicyOptions, "clock" | "sleep">;

/** a policy on a manual clock whose sleep moves the clock and records each wait */
function policy(options: Partial<Options> = {}, clock = new ManualClock()) {
  const slept: number[] = [];
  const instance = new learner.RetryPolicy({
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    ...options,
    clock,
    sleep: (ms) => {
      slept.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
  });
  return { policy: instance, clock, slept };
}

/** an operation that fails `failures` times, then returns the attempt number; records when each attempt started */
function flaky(clock: ManualClock, failures = Number.POSITIVE_INFINITY) {
  const started: number[] = [];
  const operation = async (attempt: number) => {
    started.push(clock.now());
    if (attempt <= failures) throw new Error(`attempt ${attempt} failed`);
    return attempt;
  };
  return { operation, started };
}

/** a seeded uniform source in [0, 1) for a policy */
function seeded(task: Parameters<typeof randomFor>[0]) {
  const rng = randomFor(task);
  return () => rng.float();
}

describe("backoff with full jitter", () => {
  it("waits random × min(maxDelayMs, baseDelayMs × 2^(n−1)) before retry n", async () => {
    const { policy: p, clock, slept } = policy({ maxAttempts: 7, random: () => 0.5 });
    await expect(p.execute(flaky(clock).operation), "7 attempts that fail").rejects.toThrow("attempt 7 failed");
    expect(slept, "waits with random() = 0.5, base 100 ms, cap 1000 ms").toEqual([50, 100, 200, 400, 500, 500]);
  });

  it("draws each wait from the whole window, down to 0", async () => {
    const { policy: p, clock, slept } = policy({ maxAttempts: 4, random: () => 0 });
    await expect(p.execute(flaky(clock).operation), "4 attempts that fail").rejects.toThrow("attempt 4 failed");
    expect(slept, "waits with random() = 0: full jitter can retry at once").toEqual([0, 0, 0]);
  });

  it("never waits longer than maxDelayMs, however many retries", async () => {
    const { policy: p, clock, slept } = policy({ maxAttempts: 40, random: () => 0.999 });
    await expect(p.execute(flaky(clock).operation), "40 attempts that fail").rejects.toThrow("attempt 40 failed");
    expect(slept, "waits between 40 attempts").toHaveLength(39);
    for (const [i, wait] of slept.entries()) {
      expect(wait, `wait before retry ${i + 1}, cap 1000 ms`).toBeLessThan(1000);
    }
  });

  it("spreads the retries of 1,000 clients that failed together: no 100 ms slice gets more than 15% of them", async ({
    task,
  }) => {
    const random = seeded(task);
    const retriedAt: number[] = [];
    for (let client = 0; client < 1000; client++) {
      const { policy: p, clock } = policy({ maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 10_000, random });
      const { operation, started } = flaky(clock, 1);
      await p.execute(operation);
      retriedAt.push(started[1] as number);
    }
    const slices = new Map<number, number>();
    for (const at of retriedAt) slices.set(Math.floor(at / 100), (slices.get(Math.floor(at / 100)) ?? 0) + 1);
    const [busiest, count] = [...slices].reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(
      count,
      `retries in the busiest 100 ms slice (${busiest * 100}–${busiest * 100 + 100} ms) of 1,000 clients, base 1000 ms`,
    ).toBeLessThanOrEqual(150);
    const mean = retriedAt.reduce((a, b) => a + b, 0) / retriedAt.length;
    expect(mean, "mean wait before the first retry: full jitter over [0, 1000) ms averages 500").toBeGreaterThan(450);
    expect(mean, "mean wait before the first retry: full jitter over [0, 1000) ms averages 500").toBeLessThan(550);
  });

  prop(
    "every wait lies in [0, min(maxDelayMs, baseDelayMs × 2^(n−1)))",
    fc.record({
      baseDelayMs: fc.integer({ min: 1, max: 500 }),
      factor: fc.integer({ min: 1, max: 64 }),
      maxAttempts: fc.integer({ min: 1, max: 12 }),
      draws: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12, maxLength: 12 }),
    }),
    ({ baseDelayMs, factor, maxAttempts, draws }) => {
      let next = 0;
      const maxDelayMs = baseDelayMs * factor;
      const clock = new ManualClock();
      const { policy: p } = policy({
        maxAttempts,
        baseDelayMs,
        maxDelayMs,
        random: () => draws[next++ % 12] as number,
      });
      for (let attempt = 1; attempt < maxAttempts; attempt++) {
        const wait = p.nextDelay(attempt, new Error("down"));
        const window = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        expect(wait, `wait after attempt ${attempt} of ${maxAttempts}`).toBeDefined();
        expect(wait as number, `wait after attempt ${attempt}: window [0, ${window})`).toBeGreaterThanOrEqual(0);
        expect(wait as number, `wait after attempt ${attempt}: window [0, ${window})`).toBeLessThan(window);
      }
      expect(p.nextDelay(maxAttempts, new Error("down")), "after the last attempt").toBeUndefined();
      return clock.now() === 0;
    },
  );
});

describe("attempts", () => {
  it("returns the first success, passing each attempt its number", async () => {
    const { policy: p, clock } = policy();
    const seen: number[] = [];
    const result = await p.execute(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new Error("not yet");
      return `ok at ${clock.now()} ms`;
    });
    expect(seen, "the attempt numbers passed to the operation, which succeeds at its third").toEqual([1, 2, 3]);
    expect(result, "what execute() resolved to: the third attempt's value").toBe("ok at 150 ms");
  });

  it("makes at most maxAttempts attempts, then throws the last error unchanged", async () => {
    const { policy: p, clock } = policy({ maxAttempts: 3 });
    const { operation, started } = flaky(clock);
    await expect(p.execute(operation), "maxAttempts 3, every attempt fails").rejects.toThrow("attempt 3 failed");
    expect(started, "start times of the attempts, maxAttempts 3").toEqual([0, 50, 150]);
  });

  it("does not retry an error isRetryable rejects, and spends no budget on it", async () => {
    class BadRequest extends Error {}
    const budget = new learner.RetryBudget({ ratio: 0, capacity: 1 });
    const { policy: p } = policy({ budget, isRetryable: (error) => !(error instanceof BadRequest) });
    let attempts = 0;
    const bad = new BadRequest("400");
    await expect(
      p.execute(async () => {
        attempts++;
        throw bad;
      }),
      "a call whose operation fails with a BadRequest: its error, unchanged",
    ).rejects.toBe(bad);
    expect(attempts, "attempts at an operation that fails with a BadRequest, which isRetryable rejects").toBe(1);
    expect(budget.tryRetry(), "the budget's one retry is still there").toBe(true);
  });

  it("throws a RangeError for options out of range", () => {
    const clock = new ManualClock();
    const sleep = () => Promise.resolve();
    const base = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5, clock, sleep };
    const named = (bad: object) => Object.entries(bad).map(([name, value]) => `${name}: ${value}`);
    for (const bad of [
      { maxAttempts: 0 },
      { maxAttempts: 1.5 },
      { maxAttempts: Number.NaN },
      { baseDelayMs: 0 },
      { baseDelayMs: Number.NaN },
      { maxDelayMs: 50 },
      { maxDelayMs: Number.NaN },
    ]) {
      expectThrows(
        () => new learner.RetryPolicy({ ...base, ...bad }),
        RangeError,
        `a policy with base 100 ms, cap 1000 ms, 3 attempts, and ${named(bad)}`,
      );
    }
    for (const bad of [
      { ratio: -0.1, capacity: 1 },
      { ratio: 1.5, capacity: 1 },
      { ratio: Number.NaN, capacity: 1 },
      { ratio: 0.1, capacity: -1 },
      { ratio: 0.1, capacity: Number.NaN },
    ]) {
      expectThrows(() => new learner.RetryBudget(bad), RangeError, `a budget with ${named(bad)}`);
    }
  });

  it("accepts the edges of every range: one attempt, a cap equal to the base, ratio 0 or 1, capacity 0", async () => {
    const { policy: once } = policy({ maxAttempts: 1 });
    expect(once.nextDelay(1, new Error("down")), "maxAttempts 1: the wait after the only attempt").toBeUndefined();
    const { policy: flat, clock, slept } = policy({ maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 200 });
    await expect(flat.execute(flaky(clock).operation), "4 attempts that fail").rejects.toThrow("attempt 4 failed");
    expect(slept, "waits with baseDelayMs = maxDelayMs = 200 and random() = 0.5").toEqual([100, 100, 100]);
    const empty = new learner.RetryBudget({ ratio: 0, capacity: 0 });
    empty.recordRequest();
    expect(empty.tryRetry(), "a budget of ratio 0 and capacity 0, after a request").toBe(false);
    const full = new learner.RetryBudget({ ratio: 1, capacity: 1 });
    const spent = [full.tryRetry()];
    full.recordRequest();
    spent.push(full.tryRetry());
    expect(spent, "ratio 1, capacity 1: the retry held, then the one a request earned").toEqual([true, true]);
  });
});

describe("deadline", () => {
  it("never starts an attempt at or after the deadline", async () => {
    const { policy: p, clock, slept } = policy({ maxAttempts: 5, random: () => 0.999 });
    const { operation, started } = flaky(clock);
    await expect(p.execute(operation, { deadline: 250 }), "a call with its deadline at 250 ms").rejects.toThrow(
      "attempt 2 failed",
    );
    expect(started, "attempt start times; the third would start at 299.7 ms, past 250").toEqual([0, 99.9]);
    expect(slept, "no wait that ends past the deadline").toEqual([99.9]);
  });

  it("gives up when the wait would end exactly at the deadline, without sleeping", async () => {
    const { policy: p, clock, slept } = policy({ random: () => 0.5 });
    const { operation, started } = flaky(clock);
    await expect(p.execute(operation, { deadline: 50 }), "a call with its deadline at 50 ms").rejects.toThrow(
      "attempt 1 failed",
    );
    expect(started, "attempt start times: the retry would start at 50 ms, the deadline").toEqual([0]);
    expect(slept, "waits slept: the first wait, 50 ms, ends exactly at the deadline").toEqual([]);
    const down = new Error("down");
    expect(p.nextDelay(1, down, 50), "nextDelay(1) at 0 ms, a 50 ms wait, deadline 50 ms").toBeUndefined();
    expect(p.nextDelay(1, down, 50.5), "nextDelay(1) at 0 ms, a 50 ms wait, deadline 50.5 ms").toBe(50);
  });

  it("never starts an attempt at or after the deadline, even when sleep overshoots", async () => {
    const clock = new ManualClock();
    const p = new learner.RetryPolicy({
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.5,
      clock,
      // a busy event loop: every sleep wakes 100 ms late
      sleep: (ms) => {
        clock.advance(ms + 100);
        return Promise.resolve();
      },
    });
    const { operation, started } = flaky(clock);
    await expect(p.execute(operation, { deadline: 120 }), "a call with its deadline at 120 ms").rejects.toThrow();
    expect(started, "attempt start times: the 50 ms wait overslept to 150 ms, past the deadline at 120 ms").toEqual([
      0,
    ]);
  });

  it("throws DeadlineExceededError without calling the operation when the deadline has passed", async () => {
    const clock = new ManualClock(500);
    const budget = new learner.RetryBudget({ ratio: 1, capacity: 1 });
    const { policy: p } = policy({ budget }, clock);
    expect(budget.tryRetry(), "the budget's one retry, spent before the call").toBe(true);
    let called = false;
    await expect(
      p.execute(
        async () => {
          called = true;
        },
        { deadline: 500 },
      ),
      "a call made at 500 ms with its deadline at 500 ms",
    ).rejects.toBeInstanceOf(learner.DeadlineExceededError);
    expect(called, "the operation was called at 500 ms, a deadline of 500 ms").toBe(false);
    expect(budget.tryRetry(), "a retry earned (ratio 1) by a call refused before its first attempt").toBe(false);
  });

  asyncProp(
    "no attempt starts at or after the deadline, and no wait ends past it",
    fc.record({
      deadline: fc.integer({ min: 1, max: 5000 }),
      failures: fc.integer({ min: 0, max: 10 }),
      draws: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 10, maxLength: 10 }),
    }),
    async ({ deadline, failures, draws }) => {
      let next = 0;
      const {
        policy: p,
        clock,
        slept,
      } = policy({
        maxAttempts: 8,
        baseDelayMs: 50,
        maxDelayMs: 2000,
        random: () => draws[next++ % 10] as number,
      });
      const { operation, started } = flaky(clock, failures);
      await p.execute(operation, { deadline }).catch(() => undefined);
      for (const at of started)
        expect(at, `an attempt started at ${at} ms, deadline ${deadline}`).toBeLessThan(deadline);
      const waited = slept.reduce((a, b) => a + b, 0);
      expect(waited, `ms spent waiting, deadline ${deadline}`).toBeLessThan(deadline);
      // the same run worked out by hand: one draw per wait, give up when the wait would reach the deadline
      const expected = [0];
      let at = 0;
      for (let attempt = 1, draw = 0; attempt < Math.min(failures + 1, 8); attempt++) {
        const wait = (draws[draw++ % 10] as number) * Math.min(2000, 50 * 2 ** (attempt - 1));
        if (at + wait >= deadline) break;
        at += wait;
        expected.push(at);
      }
      expect(started, `attempt start times, ${failures} failures, deadline ${deadline} ms`).toEqual(expected);
    },
  );
});

describe("retry budget", () => {
  it("starts with `capacity` retries and earns `ratio` of one per request", () => {
    const budget = new learner.RetryBudget({ ratio: 0.1, capacity: 2 });
    expect(
      [budget.tryRetry(), budget.tryRetry(), budget.tryRetry()],
      "3 retries asked of a new budget, capacity 2",
    ).toEqual([true, true, false]);
    for (let i = 0; i < 9; i++) budget.recordRequest();
    expect(budget.tryRetry(), "9 requests at ratio 0.1 earn 0.9 of a retry").toBe(false);
    budget.recordRequest();
    expect(budget.tryRetry(), "the 10th request completes a retry").toBe(true);
    expect(budget.tryRetry(), "a second retry after 10 requests at ratio 0.1, the first spent").toBe(false);
  });

  it("never saves up more than `capacity` retries", () => {
    const budget = new learner.RetryBudget({ ratio: 0.1, capacity: 5 });
    for (let i = 0; i < 10_000; i++) budget.recordRequest();
    let retries = 0;
    while (budget.tryRetry()) retries++;
    expect(retries, "retries after 10,000 quiet requests, capacity 5").toBe(5);
  });

  it("spends the budget only on retries it grants: none after the last attempt, none for a wait past the deadline", () => {
    const budget = new learner.RetryBudget({ ratio: 0, capacity: 1 });
    const { policy: p } = policy({ maxAttempts: 3, budget });
    const down = new Error("down");
    expect(p.nextDelay(3, down), "the wait after attempt 3 of 3").toBeUndefined();
    expect(
      p.nextDelay(1, down, 50),
      "the wait after attempt 1 at 0 ms: 50 ms, with the deadline at 50 ms",
    ).toBeUndefined();
    expect(budget.tryRetry(), "the budget's one retry, after two decisions that gave up").toBe(true);
  });

  it("a call earns ratio of a retry once, however many attempts it makes", async () => {
    const budget = new learner.RetryBudget({ ratio: 0.5, capacity: 1 });
    const { policy: p, clock } = policy({ maxAttempts: 5, budget });
    const attempts: number[] = [];
    for (let call = 1; call <= 3; call++) {
      const { operation, started } = flaky(clock);
      await expect(p.execute(operation), `call ${call}, whose attempts all fail`).rejects.toThrow();
      attempts.push(started.length);
    }
    expect(
      attempts,
      "attempts of 3 calls that always fail, ratio 0.5, capacity 1: the retry held, then 0.5 earned per call",
    ).toEqual([2, 1, 2]);
  });

  it("gives up when the budget is empty, throwing the last error", async () => {
    const budget = new learner.RetryBudget({ ratio: 0.1, capacity: 1 });
    const { policy: p, clock } = policy({ maxAttempts: 5, budget });
    const first = flaky(clock);
    await expect(p.execute(first.operation), "the first call, capacity 1").rejects.toThrow("attempt 2 failed");
    expect(first.started, "the one retry the budget held (what the request earned is capped away)").toHaveLength(2);
    const second = flaky(clock);
    await expect(p.execute(second.operation), "the second call, the budget spent").rejects.toThrow("attempt 1 failed");
    expect(second.started, "0.1 of a retry earned since: no retry").toHaveLength(1);
  });

  prop(
    "retries stay within capacity + ratio × requests, whatever fails",
    fc.record({
      capacity: fc.integer({ min: 0, max: 5 }),
      ratio: fc.constantFrom(0, 0.05, 0.1, 0.2, 0.5),
      failures: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 200 }),
    }),
    ({ capacity, ratio, failures }) => {
      const budget = new learner.RetryBudget({ ratio, capacity });
      let requests = 0;
      let retries = 0;
      for (const fails of failures) {
        requests++;
        budget.recordRequest();
        for (let attempt = 1; attempt <= Math.min(fails, 5); attempt++) {
          if (!budget.tryRetry()) break;
          retries++;
          expect(
            retries,
            `retries after ${requests} requests, capacity ${capacity}, ratio ${ratio}`,
          ).toBeLessThanOrEqual(capacity + ratio * requests + 1e-9);
        }
      }
    },
  );
});

describe("load amplification across three layers", () => {
  /** three services in a chain, each calling the next through its own policy; the bottom is down */
  async function chain(makeBudget: () => learner.RetryBudget | undefined) {
    const clock = new ManualClock();
    let bottomCalls = 0;
    let call = async (): Promise<void> => {
      bottomCalls++;
      throw new Error("dependency down");
    };
    const layerCalls: number[] = [];
    for (let layer = 3; layer >= 1; layer--) {
      const budget = makeBudget();
      const { policy: p } = policy(
        {
          maxAttempts: 3,
          baseDelayMs: 10,
          maxDelayMs: 100,
          random: () => 0.5,
          ...(budget ? { budget } : {}),
        },
        clock,
      );
      const next = call;
      const index = layerCalls.push(0) - 1;
      call = () => {
        layerCalls[index] = (layerCalls[index] as number) + 1;
        return p.execute(() => next());
      };
    }
    for (let request = 0; request < 1000; request++) await call().catch(() => undefined);
    return { bottomCalls };
  }

  it("without a budget, three layers of 3 attempts call a dead dependency 27 times per request", async () => {
    const { bottomCalls } = await chain(() => undefined);
    expect(bottomCalls, "calls reaching the dead dependency for 1,000 requests at the top").toBe(27_000);
  });

  it("a 10% retry budget at each layer holds a dead dependency to 1.1³ of the load, plus the budgets' capacity", async () => {
    const { bottomCalls } = await chain(() => new learner.RetryBudget({ ratio: 0.1, capacity: 10 }));
    // each layer adds ≤ 10% of what it receives plus its 10 saved retries: 1000 → 1110 → 1231 → 1364
    expect(bottomCalls, "calls reaching the dead dependency for 1,000 requests at the top").toBeLessThanOrEqual(1365);
    expect(bottomCalls, "the budgets' 10% must still be granted").toBeGreaterThanOrEqual(1300);
  });
});

describe("performance against the reference", () => {
  type Subject = { policy: Pick<learner.RetryPolicy, "nextDelay">; budget: Pick<learner.RetryBudget, "recordRequest"> };
  /** the same seeded draws for both: a small linear congruential generator */
  const settings = () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const sleep = () => Promise.resolve();
    return { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1000, random, clock: new ManualClock(), sleep };
  };
  const makeLearner = (): Subject => {
    const budget = new learner.RetryBudget({ ratio: 0.1, capacity: 10 });
    return { policy: new learner.RetryPolicy({ ...settings(), budget }), budget };
  };
  const makeReference = (): Subject => {
    const budget = new reference.RetryBudget({ ratio: 0.1, capacity: 10 });
    return { policy: new reference.RetryPolicy({ ...settings(), budget }), budget };
  };
  const error = new Error("down");

  // the sum is of retries granted, which attempts and the budget decide; not of the waits: the stub
  // does not say whether random() is drawn for a decision that gives up, so the draws may shift
  loadTest("keeps pace with the reference: 300k retry decisions against a budget", budgets, () =>
    compareLoad<Subject>({
      learner: makeLearner,
      reference: makeReference,
      ops: 300_000,
      run: (s, from, to) => {
        let granted = 0;
        for (let i = from; i < to; i++) {
          const attempt = (i % 3) + 1;
          if (attempt === 1) s.budget.recordRequest();
          if (s.policy.nextDelay(attempt, error, 1e12) !== undefined) granted++;
        }
        return granted;
      },
      answers: { what: "retries granted" },
    }),
  );
});
