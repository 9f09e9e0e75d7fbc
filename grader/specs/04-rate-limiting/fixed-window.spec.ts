import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/04-rate-limiting/fixed-window";
import * as reference from "#ref/04-rate-limiting/fixed-window";
import { expectThrows, kataOf, loadTest, ManualClock, prop } from "#spec";
import chapter from "../../../chapters/04-rate-limiting/chapter.ts";
import { admittedByKey, calls, checkAgainstModel, type Model, replay } from "./_trace.ts";
import { burst, keysHeld, skewedKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "04-rate-limiting", "fixed-window");

function windowed(clock: ManualClock, limit = 5, windowMs = 1000) {
  return new learner.FixedWindowLimiter({ limit, windowMs, clock });
}

function fixedModel(limit: number, windowMs: number): Model {
  return {
    maxCost: limit,
    headroom(history, at) {
      const window = Math.floor(at / windowMs);
      const used = history.filter((h) => Math.floor(h.at / windowMs) === window).reduce((sum, h) => sum + h.cost, 0);
      return limit - used;
    },
    explain: (units) => `${units} units left in the window`,
  };
}

const scenarios = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  windowMs: fc.constantFrom(10, 100, 250, 1000),
  start: fc.integer({ min: 0, max: 5000 }),
  calls: calls({ gapMs: 300, maxCost: 4 }),
});

describe("windows", () => {
  it("allows up to the limit in a window, then rejects until the next one", () => {
    const clock = new ManualClock(100);
    const limiter = windowed(clock);
    expect(limiter.tryAcquire("a"), "the first request at 100 ms (limit 5 per 1000 ms window)").toEqual({
      allowed: true,
      remaining: 4,
      retryAfterMs: 0,
    });
    expect(burst(limiter, "a", 10), "requests allowed of 10 more at 100 ms").toBe(4);
    expect(limiter.tryAcquire("a"), "a request at 100 ms with the window [0, 1000) spent").toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 900,
    });
    clock.set(999);
    expect(limiter.tryAcquire("a"), "a request at 999 ms, 1 ms before the next window").toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 1,
    });
    clock.set(1000);
    expect(burst(limiter, "a", 10), "requests allowed of 10 at 1000 ms, the start of the next window").toBe(5);
  });

  it("aligns windows to multiples of windowMs for every key, not to a key's first request", () => {
    const clock = new ManualClock(700);
    const limiter = windowed(clock);
    expect(burst(limiter, "a", 5), "requests allowed of 5 at 700 ms (limit 5)").toBe(5);
    clock.set(1000);
    expect(
      limiter.tryAcquire("a").allowed,
      "a request at 1000 ms after 5 at 700 ms: a new window starts at 1000 ms, whenever the key first called",
    ).toBe(true);
  });

  it("admits 2 × limit within 2 ms across a window boundary: the known flaw", () => {
    const clock = new ManualClock(999);
    const limiter = windowed(clock);
    const before = burst(limiter, "a", 5);
    clock.set(1000);
    expect(before + burst(limiter, "a", 5), "requests allowed of 5 at 999 ms and 5 at 1000 ms (limit 5)").toBe(10);
  });
});

describe("cost", () => {
  it("counts nothing for a rejected request: a smaller one still fits", () => {
    const limiter = windowed(new ManualClock(), 10);
    expect(limiter.tryAcquire("a", 7).allowed, "cost 7 at 0 ms (limit 10)").toBe(true);
    expect(limiter.tryAcquire("a", 5), "then cost 5 with 3 units left").toEqual({
      allowed: false,
      remaining: 3,
      retryAfterMs: 1000,
    });
    expect(limiter.tryAcquire("a", 3), "then cost 3: the rejected request counted nothing").toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    });
  });

  it("waits for the next window when the cost is exactly the limit, not for ever", () => {
    const clock = new ManualClock(200);
    const limiter = windowed(clock);
    limiter.tryAcquire("a");
    expect(limiter.tryAcquire("a", 5), "cost 5 at 200 ms with 4 of 5 units left in the window").toEqual({
      allowed: false,
      remaining: 4,
      retryAfterMs: 800,
    });
    clock.set(1000);
    expect(limiter.tryAcquire("a", 5), "cost 5 at 1000 ms, in a new window").toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    });
  });

  it("never allows a cost above the limit: retryAfterMs is Infinity", () => {
    const limiter = windowed(new ManualClock());
    expect(limiter.tryAcquire("a", 6), "cost 6 on a new key (limit 5)").toEqual({
      allowed: false,
      remaining: 5,
      retryAfterMs: Infinity,
    });
  });

  it("throws a RangeError for a cost that is not a positive whole number", () => {
    const limiter = windowed(new ManualClock());
    for (const cost of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => limiter.tryAcquire("a", cost), RangeError, `tryAcquire("a", ${cost})`);
    }
  });

  it("throws a RangeError for a limit or window that is not a positive whole number", () => {
    const clock = new ManualClock();
    for (const [limit, windowMs] of [
      [0, 1000],
      [-1, 1000],
      [2.5, 1000],
      [Number.POSITIVE_INFINITY, 1000],
      [5, 0],
      [5, 0.5],
      [5, Number.NaN],
      [5, Number.POSITIVE_INFINITY],
    ] as const) {
      expectThrows(
        () => new learner.FixedWindowLimiter({ limit, windowMs, clock }),
        RangeError,
        `a limiter with limit ${limit} and windowMs ${windowMs}`,
      );
    }
  });
});

describe("keys", () => {
  it("keeps each key's count apart", () => {
    const limiter = windowed(new ManualClock());
    expect(burst(limiter, "alice", 8), 'requests allowed of 8 for "alice" (limit 5)').toBe(5);
    expect(burst(limiter, "bob", 8), 'then of 8 for "bob" in the same window').toBe(5);
  });

  it("forgets keys left alone for two windows", () => {
    const clock = new ManualClock();
    const limiter = windowed(clock);
    for (let i = 0; i < 1000; i++) limiter.tryAcquire(`user:${i}`);
    expect(limiter.size(), "keys held after 1000 keys called once each at 0 ms").toBe(1000);
    clock.set(2000);
    limiter.tryAcquire("fresh");
    expect(limiter.size(), "keys held after 1000 keys sat idle for two 1 s windows and one new key called").toBe(1);
  });
});

describe("properties", () => {
  prop("allows exactly what fits in the window, with exact remaining and retryAfterMs", scenarios, (s) => {
    const outcomes = replay(s.calls, (clock) => windowed(clock, s.limit, s.windowMs), s.start);
    checkAgainstModel(outcomes, fixedModel(s.limit, s.windowMs));
  });

  prop("never admits more than the limit in any aligned window", scenarios, (s) => {
    const outcomes = replay(s.calls, (clock) => windowed(clock, s.limit, s.windowMs), s.start);
    for (const [key, admitted] of admittedByKey(outcomes)) {
      const perWindow = new Map<number, number>();
      for (const { at, cost } of admitted) {
        const window = Math.floor(at / s.windowMs);
        perWindow.set(window, (perWindow.get(window) ?? 0) + cost);
      }
      for (const [window, used] of perWindow) {
        expect(
          used,
          `key "${key}": units admitted in window [${window * s.windowMs}, ${(window + 1) * s.windowMs}) (limit ${s.limit})`,
        ).toBeLessThanOrEqual(s.limit);
      }
    }
  });
});

describe("performance against the reference", () => {
  loadTest("keeps pace with the reference: 100k calls on 10k skewed keys", budgets, () =>
    skewedKeys(
      "fixed-window load",
      (clock) => new learner.FixedWindowLimiter({ limit: 10, windowMs: 1000, clock }),
      (clock) => new reference.FixedWindowLimiter({ limit: 10, windowMs: 1000, clock }),
    ),
  );

  // one 100 s window: every key stays current
  loadTest("a call costs the same with 100 or 5,000 keys held", budgets, () =>
    keysHeld(
      "fixed-window growth",
      (clock) => new learner.FixedWindowLimiter({ limit: 100, windowMs: 100_000, clock }),
      (clock) => new reference.FixedWindowLimiter({ limit: 100, windowMs: 100_000, clock }),
    ),
  );
});
