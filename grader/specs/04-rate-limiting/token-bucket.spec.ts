import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/04-rate-limiting/token-bucket";
import * as reference from "#ref/04-rate-limiting/token-bucket";
import { expectThrows, kataOf, loadTest, ManualClock, prop } from "#spec";
import chapter from "../../../chapters/04-rate-limiting/chapter.ts";
import { admittedByKey, calls, checkAgainstModel, type Model, replay } from "./_trace.ts";
import { burst, keysHeld, skewedKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "04-rate-limiting", "token-bucket");

function bucket(clock: ManualClock, capacity = 10, refillPerSecond = 10) {
  return new learner.TokenBucketLimiter({ capacity, refillPerSecond, clock });
}

/** the exact bucket level, replayed from the admitted history of one key */
function bucketModel(capacity: number, refillPerSecond: number): Model {
  const perMs = refillPerSecond / 1000;
  return {
    maxCost: capacity,
    headroom(history, at) {
      let tokens = capacity;
      let last: number | undefined;
      for (const entry of history) {
        if (last !== undefined) tokens = Math.min(capacity, tokens + (entry.at - last) * perMs);
        tokens = Math.max(0, tokens - entry.cost);
        last = entry.at;
      }
      return last === undefined ? capacity : Math.min(capacity, tokens + (at - last) * perMs);
    },
    explain: (tokens) => `${Number(tokens.toFixed(6))} tokens in the bucket`,
  };
}

const scenarios = fc.record({
  capacity: fc.integer({ min: 1, max: 10 }),
  refillPerSecond: fc.constantFrom(0.5, 1, 2, 5, 10, 40, 1000),
  calls: calls({ gapMs: 400, maxCost: 4 }),
});

describe("bursts", () => {
  it("starts full: a new key may spend its whole capacity at once", () => {
    const clock = new ManualClock();
    expect(burst(bucket(clock), "a", 15), "requests allowed of 15 at once on a new key (capacity 10)").toBe(10);
  });

  it("rejects the request after the burst and says when a token is back", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    burst(limiter, "a", 10);
    expect(
      limiter.tryAcquire("a"),
      "the 11th request at 0 ms on a bucket of 10 refilling 10 tokens/s: one token is back after 100 ms",
    ).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100 });
  });

  it("counts down remaining as tokens are spent", () => {
    const limiter = bucket(new ManualClock());
    expect(limiter.tryAcquire("a"), "a request of cost 1 on a new bucket of 10").toEqual({
      allowed: true,
      remaining: 9,
      retryAfterMs: 0,
    });
    expect(limiter.tryAcquire("a", 4), "then a request of cost 4 at the same time").toEqual({
      allowed: true,
      remaining: 5,
      retryAfterMs: 0,
    });
  });
});

describe("refill", () => {
  it("refills continuously, keeping fractions of a token", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    burst(limiter, "a", 10);
    clock.set(50);
    expect(
      limiter.tryAcquire("a"),
      "a request at 50 ms on a bucket of 10 (10 tokens/s) emptied at 0 ms: half a token is back",
    ).toMatchObject({ allowed: false, retryAfterMs: 50 });
    clock.set(100);
    expect(
      limiter.tryAcquire("a").allowed,
      "a request at 100 ms, after a rejected one at 50 ms: the two half tokens make one",
    ).toBe(true);
  });

  it("rounds retryAfterMs up to the first whole millisecond the tokens are there", () => {
    // at 3 tokens/s a token takes 333⅓ ms: at 333 ms it is not quite back, at 334 ms it is
    const clock = new ManualClock();
    const limiter = bucket(clock, 1, 3);
    limiter.tryAcquire("a");
    expect(limiter.tryAcquire("a"), "a request at 0 ms on a bucket of 1 emptied at 0 ms, refilling 3 tokens/s").toEqual(
      { allowed: false, remaining: 0, retryAfterMs: 334 },
    );
    clock.set(333);
    expect(limiter.tryAcquire("a").allowed, "a request at 333 ms: 0.999 of a token is back").toBe(false);
    clock.set(334);
    expect(limiter.tryAcquire("a").allowed, "a request at 334 ms: 1.002 tokens are back").toBe(true);
  });

  it("lets a client that polls faster than the refill rate through at the refill rate", () => {
    // 1 token/s polled every 500 ms: half a token arrives per poll; rounding it away starves the client
    const clock = new ManualClock();
    const limiter = bucket(clock, 1, 1);
    let allowed = 0;
    for (let at = 0; at <= 60_000; at += 500) {
      clock.set(at);
      if (limiter.tryAcquire("poller").allowed) allowed++;
    }
    expect(allowed, "requests allowed of 121 polled every 500 ms for 60 s at 1 token/s, starting with 1 token").toBe(
      61,
    );
  });

  it("never fills above capacity, however long a key is idle", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    burst(limiter, "a", 5);
    // 900 ms refills 9 tokens onto the 5 left: still only a bucket's worth, 10
    clock.set(900);
    expect(burst(limiter, "a", 30), "requests allowed of 30 at 900 ms, 5 tokens left at 0 ms (capacity 10)").toBe(10);
    clock.set(3_600_000);
    expect(burst(limiter, "a", 30), "requests allowed of 30 after an hour idle (capacity 10)").toBe(10);
  });
});

describe("cost", () => {
  it("charges `cost` tokens and rejects a cost the bucket cannot pay yet", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    expect(limiter.tryAcquire("a", 4).allowed, "cost 4 on a new bucket of 10").toBe(true);
    expect(limiter.tryAcquire("a", 7), "then cost 7 with 6 tokens left, at 10 tokens/s").toEqual({
      allowed: false,
      remaining: 6,
      retryAfterMs: 100,
    });
    expect(limiter.tryAcquire("a", 6), "then cost 6: the rejected request took nothing").toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    });
  });

  it("waits for a full bucket when the cost is exactly the capacity, not for ever", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    limiter.tryAcquire("a");
    expect(
      limiter.tryAcquire("a", 10),
      "cost 10 on a bucket of 10 holding 9, refilling 10 tokens/s: the bucket is full after 100 ms",
    ).toEqual({ allowed: false, remaining: 9, retryAfterMs: 100 });
    clock.set(100);
    expect(limiter.tryAcquire("a", 10), "cost 10 at 100 ms, on the full bucket").toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    });
  });

  it("never allows a cost above capacity: retryAfterMs is Infinity", () => {
    const limiter = bucket(new ManualClock());
    expect(limiter.tryAcquire("a", 11), "cost 11 on a new bucket of 10").toEqual({
      allowed: false,
      remaining: 10,
      retryAfterMs: Infinity,
    });
  });

  it("throws a RangeError for a cost that is not a positive finite number", () => {
    const limiter = bucket(new ManualClock());
    for (const cost of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => limiter.tryAcquire("a", cost), RangeError, `tryAcquire("a", ${cost})`);
    }
  });

  it("throws a RangeError for options that are not positive finite numbers", () => {
    const clock = new ManualClock();
    for (const [capacity, refillPerSecond] of [
      [0, 1],
      [-5, 1],
      [10, 0],
      [10, -1],
      [10, Number.NaN],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, 1],
      [10, Number.POSITIVE_INFINITY],
    ] as const) {
      expectThrows(
        () => new learner.TokenBucketLimiter({ capacity, refillPerSecond, clock }),
        RangeError,
        `a limiter with capacity ${capacity} and refillPerSecond ${refillPerSecond}`,
      );
    }
  });
});

describe("keys and time", () => {
  it("keeps each key's bucket apart", () => {
    const limiter = bucket(new ManualClock());
    expect(burst(limiter, "alice", 12), 'requests allowed of 12 for "alice" (capacity 10)').toBe(10);
    expect(burst(limiter, "bob", 12), 'then of 12 for "bob" at the same time').toBe(10);
  });

  it("neither drains nor refills when the clock steps back", () => {
    const clock = new ManualClock(1000);
    const limiter = bucket(clock);
    burst(limiter, "a", 5);
    clock.set(500);
    expect(
      burst(limiter, "a", 8),
      "requests allowed of 8 with the clock stepped back to 500 ms, after 5 of 10 tokens were spent at 1000 ms: " +
        "the step back must not drain the 5 left",
    ).toBe(5);
    clock.set(1000);
    expect(
      limiter.tryAcquire("a").allowed,
      "a request with the clock back at 1000 ms, the bucket emptied since: the bucket had been refilled up to " +
        "1000 ms already, so the 500 ms to 1000 ms must not refill it a second time",
    ).toBe(false);
    clock.set(1100);
    expect(
      limiter.tryAcquire("a").allowed,
      "a request at 1100 ms: 100 ms past 1000 ms, one token at 10/s is back",
    ).toBe(true);
  });

  it("forgets keys idle for twice the time an empty bucket takes to fill", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    for (let i = 0; i < 1000; i++) limiter.tryAcquire(`user:${i}`);
    expect(limiter.size(), "keys held after 1000 keys called once each at 0 ms").toBe(1000);
    clock.set(2000);
    limiter.tryAcquire("fresh");
    expect(
      limiter.size(),
      "keys held after 1000 keys sat idle for exactly 2 s (empty → full takes 1 s) and one new key called",
    ).toBe(1);
  });
});

describe("properties", () => {
  prop("allows exactly what the bucket holds, with exact remaining and retryAfterMs", scenarios, (s) => {
    const outcomes = replay(s.calls, (clock) => bucket(clock, s.capacity, s.refillPerSecond));
    checkAgainstModel(outcomes, bucketModel(s.capacity, s.refillPerSecond));
  });

  prop("never admits more than capacity + rate·t in any window of length t", scenarios, (s) => {
    const outcomes = replay(s.calls, (clock) => bucket(clock, s.capacity, s.refillPerSecond));
    for (const [key, admitted] of admittedByKey(outcomes)) {
      for (let i = 0; i < admitted.length; i++) {
        let spent = 0;
        for (let j = i; j < admitted.length; j++) {
          spent += (admitted[j] as { cost: number }).cost;
          const from = (admitted[i] as { at: number }).at;
          const t = (admitted[j] as { at: number }).at - from;
          const bound = s.capacity + (s.refillPerSecond * t) / 1000;
          if (spent > bound + 1e-6) {
            expect(
              spent,
              `key "${key}": tokens spent from ${from} ms to ${from + t} ms (capacity ${s.capacity}, ${s.refillPerSecond}/s)`,
            ).toBeLessThanOrEqual(bound + 1e-6);
          }
        }
      }
    }
  });

  prop(
    "a client polling at any interval gets the refill rate: no starvation",
    // capacity ≥ 2: with room for one token only, the overflow of each poll is capped away
    fc.record({
      capacity: fc.integer({ min: 2, max: 5 }),
      refillPerSecond: fc.constantFrom(0.5, 1, 2, 5, 10),
      everyMs: fc.integer({ min: 1, max: 2500 }),
    }),
    ({ capacity, refillPerSecond, everyMs }) => {
      const clock = new ManualClock();
      const limiter = bucket(clock, capacity, refillPerSecond);
      let polls = 0;
      let allowed = 0;
      for (let at = 0; at <= 60_000; at += everyMs) {
        clock.set(at);
        polls++;
        if (limiter.tryAcquire("poller").allowed) allowed++;
      }
      const due = Math.min(polls, Math.floor(refillPerSecond * 60));
      expect(
        allowed,
        `allowed of ${polls} polls in 60 s, one every ${everyMs} ms, on a bucket of ${capacity} at ${refillPerSecond}/s`,
      ).toBeGreaterThanOrEqual(due);
    },
  );
});

describe("performance against the reference", () => {
  // tokens are fractional: a decision at a tie within float error may go either way, and a later one with it
  const tolerance = 0.001;

  loadTest("keeps pace with the reference: 100k calls on 10k skewed keys", budgets, () =>
    skewedKeys(
      "token-bucket load",
      (clock) => new learner.TokenBucketLimiter({ capacity: 10, refillPerSecond: 5, clock }),
      (clock) => new reference.TokenBucketLimiter({ capacity: 10, refillPerSecond: 5, clock }),
      { tolerance },
    ),
  );

  // a bucket of 100 at 1/s is idle only after 100 s
  loadTest("a call costs the same with 100 or 5,000 keys held", budgets, () =>
    keysHeld(
      "token-bucket growth",
      (clock) => new learner.TokenBucketLimiter({ capacity: 100, refillPerSecond: 1, clock }),
      (clock) => new reference.TokenBucketLimiter({ capacity: 100, refillPerSecond: 1, clock }),
      { tolerance },
    ),
  );
});
