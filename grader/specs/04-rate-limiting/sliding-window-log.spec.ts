import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/04-rate-limiting/sliding-window-log";
import * as reference from "#ref/04-rate-limiting/sliding-window-log";
import { compareGrowth, expectThrows, kataOf, loadTest, ManualClock, prop } from "#spec";
import chapter from "../../../chapters/04-rate-limiting/chapter.ts";
import { admittedByKey, calls, checkAgainstModel, type Limiter, type Model, replay } from "./_trace.ts";
import { burst, skewedKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "04-rate-limiting", "sliding-window-log");

function sliding(clock: ManualClock, limit = 3, windowMs = 1000) {
  return new learner.SlidingWindowLog({ limit, windowMs, clock });
}

function logModel(limit: number, windowMs: number): Model {
  return {
    maxCost: limit,
    headroom: (history, at) =>
      limit - history.filter((h) => h.at > at - windowMs && h.at <= at).reduce((sum, h) => sum + h.cost, 0),
    explain: (units) => `${units} units left in the window ending then`,
  };
}

const scenarios = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  windowMs: fc.constantFrom(10, 100, 250, 1000),
  calls: calls({ gapMs: 300, maxCost: 4 }),
});

describe("the window", () => {
  it("allows the limit in any window of windowMs, then says when the oldest request leaves", () => {
    const clock = new ManualClock();
    const limiter = sliding(clock);
    for (const at of [0, 100, 200]) {
      clock.set(at);
      expect(limiter.tryAcquire("a").allowed).toBe(true);
    }
    clock.set(300);
    expect(limiter.tryAcquire("a")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 700 });
    clock.set(999);
    expect(limiter.tryAcquire("a")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
  });

  it("drops a request exactly windowMs old: the window is (now − windowMs, now]", () => {
    const clock = new ManualClock();
    const limiter = sliding(clock);
    burst(limiter, "a", 2);
    clock.set(500);
    limiter.tryAcquire("a");
    clock.set(1000);
    // the two requests of 0 ms left the window at 1000 ms; the one of 500 ms is still in it
    expect(limiter.tryAcquire("a")).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
  });

  it("has no boundary burst: a full window blocks the next one's start", () => {
    const clock = new ManualClock(999);
    const limiter = sliding(clock);
    expect(burst(limiter, "a", 3)).toBe(3);
    clock.set(1000);
    expect(burst(limiter, "a", 3), "requests allowed 1 ms after a full burst").toBe(0);
  });

  it("logs only allowed requests: a client that keeps retrying gets through once the window moves", () => {
    const clock = new ManualClock();
    const limiter = sliding(clock, 2);
    burst(limiter, "a", 2);
    for (let at = 100; at < 1000; at += 100) {
      clock.set(at);
      expect(limiter.tryAcquire("a").allowed).toBe(false);
    }
    clock.set(1000);
    expect(limiter.tryAcquire("a").allowed, "after 9 rejected retries, the first request has left the window").toBe(
      true,
    );
  });
});

describe("cost", () => {
  it("waits until enough old requests have left for the cost to fit", () => {
    const clock = new ManualClock();
    const limiter = sliding(clock, 5);
    for (const [at, cost] of [
      [0, 2],
      [100, 2],
      [200, 1],
    ] as const) {
      clock.set(at);
      limiter.tryAcquire("a", cost);
    }
    clock.set(300);
    // 3 units need the entries of 0 ms and 100 ms gone: at 1100 ms, 800 ms from now
    expect(limiter.tryAcquire("a", 3)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 800 });
    clock.set(1100);
    expect(limiter.tryAcquire("a", 3)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
  });

  it("never allows a cost above the limit: retryAfterMs is Infinity", () => {
    const limiter = sliding(new ManualClock());
    expect(limiter.tryAcquire("a", 4)).toEqual({ allowed: false, remaining: 3, retryAfterMs: Infinity });
  });

  it("throws a RangeError for a cost that is not a positive whole number", () => {
    const limiter = sliding(new ManualClock());
    for (const cost of [0, -2, 0.5, Number.NaN]) expectThrows(() => limiter.tryAcquire("a", cost), RangeError);
  });

  it("throws a RangeError for a limit or window that is not a positive whole number", () => {
    const clock = new ManualClock();
    for (const [limit, windowMs] of [
      [0, 1000],
      [1.5, 1000],
      [3, -1],
      [3, Number.POSITIVE_INFINITY],
    ] as const) {
      expectThrows(() => new learner.SlidingWindowLog({ limit, windowMs, clock }), RangeError);
    }
  });
});

describe("keys", () => {
  it("keeps each key's log apart", () => {
    const limiter = sliding(new ManualClock());
    expect(burst(limiter, "alice", 5)).toBe(3);
    expect(burst(limiter, "bob", 5)).toBe(3);
  });

  it("forgets keys left alone for two windows", () => {
    const clock = new ManualClock();
    const limiter = sliding(clock);
    for (let i = 0; i < 1000; i++) limiter.tryAcquire(`user:${i}`);
    expect(limiter.size()).toBe(1000);
    clock.set(2000);
    limiter.tryAcquire("fresh");
    expect(limiter.size(), "keys held after 1000 keys sat idle for two 1 s windows").toBe(1);
  });
});

describe("properties", () => {
  prop("allows exactly what fits in the sliding window, with exact remaining and retryAfterMs", scenarios, (s) => {
    const outcomes = replay(s.calls, (clock) => sliding(clock, s.limit, s.windowMs));
    checkAgainstModel(outcomes, logModel(s.limit, s.windowMs));
  });

  prop("never admits more than the limit in any window of windowMs", scenarios, (s) => {
    const outcomes = replay(s.calls, (clock) => sliding(clock, s.limit, s.windowMs));
    for (const [key, admitted] of admittedByKey(outcomes)) {
      for (const last of admitted) {
        const inWindow = admitted.filter((a) => a.at > last.at - s.windowMs && a.at <= last.at);
        const used = inWindow.reduce((sum, a) => sum + a.cost, 0);
        expect(used, `key "${key}", units admitted in (${last.at - s.windowMs}, ${last.at}]`).toBeLessThanOrEqual(
          s.limit,
        );
      }
    }
  });
});

describe("performance against the reference", () => {
  type Subject = { clock: ManualClock; limiter: Limiter };
  const make = (impl: typeof learner | typeof reference, limit: number, windowMs: number) => (): Subject => {
    const clock = new ManualClock();
    return { clock, limiter: new impl.SlidingWindowLog({ limit, windowMs, clock }) };
  };

  loadTest("keeps pace with the reference: 100k calls on 10k skewed keys", budgets, () =>
    skewedKeys(
      "sliding-window-log load",
      (clock) => new learner.SlidingWindowLog({ limit: 10, windowMs: 1000, clock }),
      (clock) => new reference.SlidingWindowLog({ limit: 10, windowMs: 1000, clock }),
    ),
  );

  loadTest("a call costs the same with 200 or 2,000 requests in the log", budgets, () => {
    const windowMs = 100_000;
    const holding = (impl: typeof learner | typeof reference) => (size: number) => {
      // a full log of `size` requests spread over one window; then each timed call, one
      // step later, drops the oldest entry and logs a new one
      const subject = make(impl, size, windowMs)();
      const step = windowMs / size;
      for (let i = 0; i < size; i++) {
        subject.clock.set(i * step);
        subject.limiter.tryAcquire("hot");
      }
      return { ...subject, step };
    };
    return compareGrowth<Subject & { step: number }>({
      learner: holding(learner),
      reference: holding(reference),
      n: 200,
      ops: 200_000,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) {
          s.clock.set(windowMs + i * s.step);
          s.limiter.tryAcquire("hot");
        }
      },
    });
  });
});
