import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as learner from "#kata/04-rate-limiting/redis-rate-limiter";
import type { RedisClient } from "#kit";
import * as reference from "#ref/04-rate-limiting/redis-rate-limiter";
import { asyncProp, compareConcurrent, expectThrows, kataOf, loadTest, ManualClock, randomFor } from "#spec";
import chapter from "../../../chapters/04-rate-limiting/chapter.ts";
import { type LabRedis, labRedis } from "../../spec/lab-redis.ts";

const { budgets } = kataOf(chapter, "04-rate-limiting", "redis-rate-limiter");
type Limiters = typeof learner;

// Every window here is a minute or more. The limiter's PEXPIRE runs on the server's real clock while
// the tests move a clock of their own: a window of 10 ms would let keys vanish between two calls on
// a busy machine, and a right limiter would fail. A minute outlasts any test.
const WINDOW = 60_000;

const opened: LabRedis[] = [];
async function lab(as: "learner" | "reference" = "learner"): Promise<LabRedis> {
  const server = await labRedis(as);
  opened.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

const limiterOn = (
  redis: RedisClient,
  clock: ManualClock,
  limit: number,
  windowMs = WINDOW,
  kata: Limiters = learner,
) => new kata.RedisRateLimiter(redis, { limit, windowMs, clock });

/** the exact sliding window log: what a request of a key at `at` may do, given what was allowed before */
class Model {
  readonly allowed = new Map<string, number[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}
  /** requests of `key` allowed in (at − windowMs, at] */
  inWindow(key: string, at: number): number {
    return (this.allowed.get(key) ?? []).filter((t) => t > at - this.windowMs && t <= at).length;
  }
  decide(key: string, at: number): learner.Decision {
    const used = this.inWindow(key, at);
    if (used >= this.limit) return { allowed: false, remaining: 0 };
    this.allowed.set(key, [...(this.allowed.get(key) ?? []), at]);
    return { allowed: true, remaining: this.limit - used - 1 };
  }
}

describe("the window", () => {
  it("allows the limit in a window, counting remaining down, and rejects the next", async () => {
    const { redis } = await lab();
    const clock = new ManualClock(1_000);
    const limiter = limiterOn(redis, clock, 3);
    const seen: learner.Decision[] = [];
    for (const at of [1_000, 1_100, 1_200, 1_300]) {
      clock.set(at);
      seen.push(await limiter.tryAcquire("alice"));
    }
    expect(seen, "requests at 1000, 1100, 1200 and 1300 ms, limit 3 per 60 s").toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false, remaining: 0 },
    ]);
    clock.set(1_400);
    expect(await limiter.tryAcquire("bob"), "another key has a window of its own").toEqual({
      allowed: true,
      remaining: 2,
    });
  });

  it("drops a request exactly windowMs old: the window is (now − windowMs, now]", async () => {
    const { redis } = await lab();
    const clock = new ManualClock(0);
    const limiter = limiterOn(redis, clock, 3);
    await limiter.tryAcquire("a");
    await limiter.tryAcquire("a");
    clock.set(30_000);
    await limiter.tryAcquire("a");
    clock.set(59_999);
    expect(
      await limiter.tryAcquire("a"),
      "at 59,999 ms, after 2 allowed at 0 ms and 1 at 30,000 ms (3 per 60,000 ms)",
    ).toEqual({ allowed: false, remaining: 0 });
    clock.set(60_000);
    expect(
      await limiter.tryAcquire("a"),
      "at 60,000 ms the two of 0 ms have left the window; the one of 30,000 ms is still in it",
    ).toEqual({ allowed: true, remaining: 1 });
  });

  it("has no boundary burst: a full window blocks the start of the next", async () => {
    const { redis } = await lab();
    const clock = new ManualClock(59_999);
    const limiter = limiterOn(redis, clock, 5);
    let allowed = 0;
    for (let i = 0; i < 5; i++) if ((await limiter.tryAcquire("a")).allowed) allowed++;
    clock.set(60_000);
    for (let i = 0; i < 5; i++) if ((await limiter.tryAcquire("a")).allowed) allowed++;
    expect(allowed, "of 5 requests at 59,999 ms and 5 at 60,000 ms, limit 5 per 60 s").toBe(5);
  });

  it("logs only allowed requests: a client that keeps retrying gets through once the window moves", async () => {
    const { redis } = await lab();
    const clock = new ManualClock(0);
    const limiter = limiterOn(redis, clock, 2);
    await limiter.tryAcquire("a");
    await limiter.tryAcquire("a");
    for (let at = 6_000; at < 60_000; at += 6_000) {
      clock.set(at);
      await limiter.tryAcquire("a");
    }
    clock.set(60_000);
    expect(
      await limiter.tryAcquire("a"),
      "at 60 s, after 2 allowed at 0 s and 9 rejected every 6 s since (2 per 60 s): rejected requests do not count",
    ).toEqual({ allowed: true, remaining: 1 });
  });

  it("counts each request of the same millisecond", async () => {
    const server = await lab();
    const clock = new ManualClock(5_000);
    const limiter = limiterOn(server.redis, clock, 5);
    let allowed = 0;
    for (let i = 0; i < 10; i++) if ((await limiter.tryAcquire("burst")).allowed) allowed++;
    expect(allowed, "of 10 requests of one key at the same millisecond, limit 5 per 60 s").toBe(5);
  });

  describe("against the exact model", () => {
    let server: LabRedis;
    let run = 0;
    beforeAll(async () => {
      server = await labRedis("learner");
    });
    afterAll(async () => {
      await server?.close();
    });
    const scenarios = fc.record({
      limit: fc.integer({ min: 1, max: 6 }),
      windowMs: fc.constantFrom(60_000, 90_000),
      // gaps as fractions of the window, landing on its edges (a whole window, 1 ms either side) as often as between
      gaps: fc.array(
        fc.oneof(
          fc.constantFrom("0", "1 ms", "W - 1 ms", "W", "W + 1 ms"),
          fc.integer({ min: 0, max: 40 }).map((percent) => `${percent}%`),
        ),
        { minLength: 1, maxLength: 40 },
      ),
      keys: fc.integer({ min: 1, max: 3 }),
    });
    asyncProp(
      "decides every request as the exact sliding window log would, given what it allowed before",
      scenarios,
      async ({ limit, windowMs, gaps, keys }) => {
        const clock = new ManualClock(1_000_000);
        // a fresh name for every run: a shrunk run starts clean
        const name = `run${run++}`;
        const limiter = limiterOn(server.redis, clock, limit, windowMs);
        const model = new Model(limit, windowMs);
        const history: string[] = [];
        const step = (gap: string) =>
          ({ "0": 0, "1 ms": 1, "W - 1 ms": windowMs - 1, W: windowMs, "W + 1 ms": windowMs + 1 })[gap] ??
          Math.round((windowMs * Number.parseInt(gap, 10)) / 100);
        for (const [i, gap] of gaps.entries()) {
          clock.advance(step(gap));
          const key = `${name}-${i % keys}`;
          const got = await limiter.tryAcquire(key);
          const want = model.decide(key, clock.now());
          history.push(`${key}@${clock.now()}: ${got.allowed ? "allowed" : "rejected"}`);
          if (got.allowed !== want.allowed || got.remaining !== want.remaining)
            throw new Error(
              `limit ${limit} per ${windowMs} ms: call ${i + 1} (${key} at ${clock.now()} ms) answered ${JSON.stringify(got)}, the exact log ${JSON.stringify(want)}; calls so far: ${history.slice(-8).join(", ")}`,
            );
        }
      },
      { numRuns: 60 },
    );
  });
});

describe("many gateways at once", () => {
  it("holds the limit, and uses all of it, for 200 clients over 8 connections in every window", async ({ task }) => {
    const server = await lab();
    const draw = randomFor(task);
    const clock = new ManualClock(1_000_000);
    const limit = 20;
    const windowMs = WINDOW;
    // 8 gateways, each with its own connection and its own limiter
    const gateways = Array.from({ length: 8 }, (_, g) =>
      limiterOn(g === 0 ? server.redis : server.another(), clock, limit, windowMs),
    );
    const model = new Model(limit, windowMs);
    const keys = ["k0", "k1", "k2", "k3", "k4"];
    const problems: string[] = [];
    for (let step = 0; step < 12; step++) {
      // all 200 clients at the same ms, spread over keys and gateways; then time moves on
      const calls = Array.from({ length: 200 }, (_, c) => ({
        key: keys[Math.floor(draw.float() * keys.length)] as string,
        gateway: c % 8,
      }));
      const decisions = await Promise.all(
        calls.map(({ key, gateway }) => (gateways[gateway] as learner.RedisRateLimiter).tryAcquire(key)),
      );
      for (const key of keys) {
        const demand = calls.filter((c) => c.key === key).length;
        const room = limit - model.inWindow(key, clock.now());
        const allowed = decisions.filter((d, i) => d.allowed && calls[i]?.key === key).length;
        const want = Math.min(demand, Math.max(room, 0));
        if (allowed !== want)
          problems.push(
            `at ${clock.now()} ms, ${key}: ${demand} requests at once, ${room} left in the window: ${allowed} allowed, ${want} should be`,
          );
        for (let i = 0; i < want; i++) model.decide(key, clock.now());
      }
      clock.advance(Math.floor(draw.float() * 0.4 * windowMs));
    }
    expect(
      problems.slice(0, 5),
      `limit ${limit} per ${windowMs} ms, 200 clients at a time over 8 connections (seeded)`,
    ).toEqual([]);
  });

  it("carries on when the server forgets its scripts (a restart or a failover)", async () => {
    const server = await lab();
    const clock = new ManualClock(0);
    const limiter = limiterOn(server.redis, clock, 2);
    await limiter.tryAcquire("a");
    await server.admin.script("FLUSH");
    expect(await limiter.tryAcquire("a"), "the second request, after SCRIPT FLUSH on the server").toEqual({
      allowed: true,
      remaining: 0,
    });
    expect((await limiter.tryAcquire("a")).allowed, "the third: the limit still holds").toBe(false);
  });

  it("sends its script once and runs it by EVALSHA, not with every call", async () => {
    const server = await lab();
    const clock = new ManualClock(0);
    const limiter = limiterOn(server.redis, clock, 1_000);
    await limiter.tryAcquire("warm");
    // every command sent for the lab's keys, seen by a MONITOR of the grader's own
    const watch = await server.watchCommands();
    for (let i = 0; i < 200; i++) {
      clock.advance(1);
      await limiter.tryAcquire(`k${i % 10}`);
    }
    const seen = await watch.stop();
    const scripts = (seen.get("eval") ?? 0) + (seen.get("eval_ro") ?? 0);
    expect(
      scripts,
      `of 200 calls, these sent the whole script (EVAL); commands seen: ${JSON.stringify(Object.fromEntries(seen))}`,
    ).toBeLessThanOrEqual(2);
    const viaScript = (seen.get("evalsha") ?? 0) + (seen.get("evalsha_ro") ?? 0) + (seen.get("fcall") ?? 0);
    expect(viaScript, "calls that ran a script the server already held (EVALSHA)").toBeGreaterThanOrEqual(198);
  });
});

describe("memory", () => {
  it("lets every key expire within windowMs of its last allowed request, and holds at most limit requests a key", async ({
    task,
  }) => {
    const server = await lab();
    const draw = randomFor(task);
    const clock = new ManualClock(0);
    const limit = 4;
    const limiter = limiterOn(server.redis, clock, limit);
    for (let i = 0; i < 600; i++) {
      clock.advance(Math.floor(draw.float() * 500));
      await limiter.tryAcquire(`user${Math.floor(draw.float() * 100)}`);
    }
    const ttls = await server.ttls();
    const forever = [...ttls].filter(([, ttl]) => ttl < 0).map(([key]) => key);
    expect(
      forever.length,
      `keys without a time to live after 600 requests of 100 users (a few of the limiter's own may live on): ${forever.slice(0, 5).join(", ")}`,
    ).toBeLessThanOrEqual(2);
    const tooLong = [...ttls].filter(([, ttl]) => ttl > WINDOW + 1_000).map(([key, ttl]) => `${key} ${ttl} ms`);
    expect(tooLong, `keys that outlive the ${WINDOW} ms window`).toEqual([]);
    const sizes: string[] = [];
    for (const key of ttls.keys()) {
      if ((await server.admin.type(server.prefix + key)) !== "zset") continue;
      const size = await server.admin.zcard(server.prefix + key);
      if (size > limit) sizes.push(`${key} holds ${size}`);
    }
    expect(sizes, `sorted sets holding more than the limit of ${limit}`).toEqual([]);
  });
});

describe("options", () => {
  it("refuses a limit or window that is not a positive whole number", async () => {
    const { redis } = await lab();
    const clock = new ManualClock(0);
    for (const [limit, windowMs] of [
      [0, 1_000],
      [1.5, 1_000],
      [5, 0],
      [5, -1],
    ] as const)
      await expectThrows(() => limiterOn(redis, clock, limit, windowMs), RangeError);
  });
});

describe("against the reference", () => {
  const CLIENTS = 200;
  const CALLS = 10_000;
  const subject = (kata: Limiters, as: "learner" | "reference") => async () => {
    const server = await labRedis(as);
    const clock = new ManualClock(1_000_000);
    const gateways = Array.from({ length: 8 }, (_, g) =>
      limiterOn(g === 0 ? server.redis : server.another(), clock, 50, WINDOW, kata),
    );
    // every connection up before the clock starts
    await Promise.all(gateways.map((gateway, g) => gateway.tryAcquire(`warm${g}`)));
    return { server, gateways, clock };
  };
  loadTest(
    `${CALLS.toLocaleString("en-US")} requests from ${CLIENTS} clients over 8 connections, as fast as the reference`,
    budgets,
    () =>
      compareConcurrent({
        learner: subject(learner, "learner"),
        reference: subject(reference, "reference"),
        ops: CALLS,
        workers: CLIENTS,
        work: async ({ gateways, clock }, client, timed) => {
          const gateway = gateways[client % 8] as learner.RedisRateLimiter;
          for (let i = 0; i < CALLS / CLIENTS; i++) {
            clock.advance(1);
            await timed(() => gateway.tryAcquire(`user${(client * 7 + i) % 500}`));
          }
        },
        close: ({ server }) => server.close(),
      }),
  );
});
