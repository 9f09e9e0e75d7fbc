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
    expect(burst(bucket(clock), "a", 15)).toBe(10);
  });

  it("rejects the request after the burst and says when a token is back", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    burst(limiter, "a", 10);
    expect(limiter.tryAcquire("a")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100 });
  });

  it("counts down remaining as tokens are spent", () => {
    const limiter = bucket(new ManualClock());
    expect(limiter.tryAcquire("a")).toEqual({ allowed: true, remaining: 9, retryAfterMs: 0 });
    expect(limiter.tryAcquire("a", 4)).toEqual({ allowed: true, remaining: 5, retryAfterMs: 0 });
  });
});

describe("refill", () => {
  it("refills continuously, keeping fractions of a token", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    burst(limiter, "a", 10);
    clock.set(50);
    expect(limiter.tryAcquire("a")).toMatchObject({ allowed: false, retryAfterMs: 50 });
    clock.set(100);
    expect(limiter.tryAcquire("a").allowed).toBe(true);
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
    expect(allowed, "requests allowed in 60 s at 1 token/s, starting with 1 token").toBe(61);
  });

  it("never fills above capacity, however long a key is idle", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    burst(limiter, "a", 5);
    // 900 ms refills 9 tokens onto the 5 left: still only a bucket's worth, 10
    clock.set(900);
    expect(burst(limiter, "a", 30), "burst after 900 ms idle with 5 tokens left").toBe(10);
    clock.set(3_600_000);
    expect(burst(limiter, "a", 30), "burst after an hour idle").toBe(10);
  });
});

describe("cost", () => {
  it("charges `cost` tokens and rejects a cost the bucket cannot pay yet", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    expect(limiter.tryAcquire("a", 4).allowed).toBe(true);
    expect(limiter.tryAcquire("a", 7)).toEqual({ allowed: false, remaining: 6, retryAfterMs: 100 });
    expect(limiter.tryAcquire("a", 6)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it("never allows a cost above capacity: retryAfterMs is Infinity", () => {
    const limiter = bucket(new ManualClock());
    expect(limiter.tryAcquire("a", 11)).toEqual({ allowed: false, remaining: 10, retryAfterMs: Infinity });
  });

  it("throws a RangeError for a cost that is not a positive finite number", () => {
    const limiter = bucket(new ManualClock());
    for (const cost of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => limiter.tryAcquire("a", cost), RangeError);
    }
  });

  it("throws a RangeError for options that are not positive finite numbers", () => {
    const clock = new ManualClock();
    for (const [capacity, refillPerSecond] of [
      [0, 1],
      [-5, 1],
      [10, 0],
      [10, Number.NaN],
      [Number.POSITIVE_INFINITY, 1],
    ] as const) {
      expectThrows(() => new learner.TokenBucketLimiter({ capacity, refillPerSecond, clock }), RangeError);
    }
  });
});

describe("keys and time", () => {
  it("keeps each key's bucket apart", () => {
    const limiter = bucket(new ManualClock());
    expect(burst(limiter, "alice", 12)).toBe(10);
    expect(burst(limiter, "bob", 12)).toBe(10);
  });

  it("neither drains nor refills when the clock steps back", () => {
    const clock = new ManualClock(1000);
    const limiter = bucket(clock);
    burst(limiter, "a", 5);
    clock.set(500);
    expect(burst(limiter, "a", 8), "tokens usable after the clock stepped back 500 ms").toBe(5);
    clock.set(1000);
    expect(limiter.tryAcquire("a").allowed, "the 500 ms already counted must not refill twice").toBe(false);
    clock.set(1100);
    expect(limiter.tryAcquire("a").allowed).toBe(true);
  });

  it("forgets keys idle for twice the time an empty bucket takes to fill", () => {
    const clock = new ManualClock();
    const limiter = bucket(clock);
    for (let i = 0; i < 1000; i++) limiter.tryAcquire(`user:${i}`);
    expect(limiter.size()).toBe(1000);
    clock.set(2000);
    limiter.tryAcquire("fresh");
    expect(limiter.size(), "keys held after 1000 keys sat idle for 2 s (empty → full takes 1 s)").toBe(1);
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
          const t = (admitted[j] as { at: number }).at - (admitted[i] as { at: number }).at;
          const bound = s.capacity + (s.refillPerSecond * t) / 1000;
          expect(
            spent,
            `key "${key}": tokens spent in ${t} ms (capacity ${s.capacity}, ${s.refillPerSecond}/s)`,
          ).toBeLessThanOrEqual(bound + 1e-6);
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
        `allowed of ${polls} polls in 60 s, one every ${everyMs} ms at ${refillPerSecond}/s`,
      ).toBeGreaterThanOrEqual(due);
    },
  );
});

describe("performance against the reference", () => {
  loadTest("keeps pace with the reference: 100k calls on 10k skewed keys", budgets, () =>
    skewedKeys(
      "token-bucket load",
      (clock) => new learner.TokenBucketLimiter({ capacity: 10, refillPerSecond: 5, clock }),
      (clock) => new reference.TokenBucketLimiter({ capacity: 10, refillPerSecond: 5, clock }),
    ),
  );

  // a bucket of 100 at 1/s is idle only after 100 s
  loadTest("a call costs the same with 1k or 10k keys held", budgets, () =>
    keysHeld(
      "token-bucket growth",
      (clock) => new learner.TokenBucketLimiter({ capacity: 100, refillPerSecond: 1, clock }),
      (clock) => new reference.TokenBucketLimiter({ capacity: 100, refillPerSecond: 1, clock }),
    ),
  );
});
