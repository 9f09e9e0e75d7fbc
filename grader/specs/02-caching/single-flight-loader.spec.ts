import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/02-caching/single-flight-loader";
import * as reference from "#ref/02-caching/single-flight-loader";
import {
  asyncProp,
  compareGrowth,
  compareLoad,
  expectThrows,
  flush,
  kataOf,
  loadTest,
  ManualClock,
  random,
  seedFor,
} from "#spec";
import chapter from "../../../chapters/02-caching/chapter.ts";
import { DeferredBackend, type Peek, peek, peekOne, unhandledRejections } from "./_async.ts";
import { uniformPicks, zipfKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "02-caching", "single-flight-loader");

type Options = Omit<learner.SingleFlightOptions<unknown>, "load" | "clock">;

function setup(options: Partial<Options> = {}) {
  const clock = new ManualClock();
  const backend = new DeferredBackend<unknown>(() => clock.now());
  const cache = new learner.SingleFlightCache<unknown>({ ttlMs: 1000, ...options, load: backend.load, clock });
  return { clock, backend, cache };
}

/** a get whose value the test expects to be there already: no backend call may be needed */
async function cached(cache: { get(key: string): Promise<unknown> }, key: string, when?: string): Promise<unknown> {
  const state = await peekOne(cache.get(key));
  const what = when ?? `get("${key}")`;
  expect(state.state, `${what}: should be answered from the cache, without waiting`).toBe("fulfilled");
  return state.state === "fulfilled" ? state.value : undefined;
}

/** `cached`, and the value it answers: `when` names the get for both messages */
async function expectCached(
  cache: { get(key: string): Promise<unknown> },
  key: string,
  expected: unknown,
  when: string,
): Promise<void> {
  expect(await cached(cache, key, when), when).toBe(expected);
}

describe("cache-aside", () => {
  it("a miss loads from the backend, then the value is served from the cache", async () => {
    const { backend, cache } = setup();
    const first = cache.get("a");
    await flush();
    backend.only("a").resolve("apple");
    expect(await peekOne(first), "get(a) once the backend answered apple").toEqual({
      state: "fulfilled",
      value: "apple",
    });
    await expectCached(cache, "a", "apple", "a second get(a)");
    expect(backend.calls.length, "backend calls for two gets of a").toBe(1);
  });

  it("a value is fresh for ttlMs, then loaded again", async () => {
    const { clock, backend, cache } = setup({ ttlMs: 1000 });
    const first = cache.get("a");
    await flush();
    backend.only().resolve("v1");
    await flush();
    clock.set(999);
    await expectCached(cache, "a", "v1", "999 ms after the load");
    clock.set(1000);
    const again = cache.get("a");
    await flush();
    expect(backend.calls.length, "backend calls once the value is 1000 ms old").toBe(2);
    backend.only().resolve("v2");
    expect(await peekOne(again), "the get at 1000 ms, once the second load answered v2").toEqual({
      state: "fulfilled",
      value: "v2",
    });
    expect(await peekOne(first), "the first get, answered by the first load").toEqual({
      state: "fulfilled",
      value: "v1",
    });
  });

  it("freshness counts from when the load answered, not from when it started", async () => {
    // a slow load: called at 0 ms, answered at 400 ms
    const { clock, backend, cache } = setup({ ttlMs: 1000, staleMs: 500 });
    cache.get("a").catch(() => {});
    await flush();
    clock.set(400);
    backend.only("a").resolve("v1");
    await flush();
    clock.set(1399);
    await expectCached(cache, "a", "v1", "get(a) at 1399 ms, loaded from 0 to 400 ms, ttlMs 1000");
    expect(backend.calls.length, "backend calls by 1399 ms: v1 is fresh until 1400").toBe(1);
    clock.set(1400);
    await expectCached(cache, "a", "v1", "get(a) at 1400 ms: stale, staleMs 500");
    expect(backend.pending().length, "refreshes in flight after the stale get at 1400 ms").toBe(1);
    clock.set(1899);
    await expectCached(cache, "a", "v1", "get(a) at 1899 ms, still in the stale window (until 1900)");
    clock.set(1900);
    expect((await peekOne(cache.get("a"))).state, "get(a) at 1900 ms, past ttlMs + staleMs from the answer").toBe(
      "pending",
    );
    expect(backend.calls.length, "backend calls after the get at 1900 ms: it joins the refresh started at 1400").toBe(
      2,
    );

    const negative = setup({ negativeTtlMs: 300 });
    negative.cache.get("ghost").catch(() => {});
    await flush();
    negative.clock.set(400);
    negative.backend.only("ghost").resolve(undefined);
    await flush();
    negative.clock.set(699);
    await expectCached(
      negative.cache,
      "ghost",
      undefined,
      "get(ghost) at 699 ms: not found at 400 ms, negativeTtlMs 300",
    );
    expect(negative.backend.calls.length, "backend calls for ghost by 699 ms").toBe(1);
  });

  it("caches falsy values: 0, the empty string, false and null are values, not misses", async () => {
    const { backend, cache } = setup();
    const values: Record<string, unknown> = { zero: 0, empty: "", no: false, nothing: null };
    const gets = Object.keys(values).map((key) => cache.get(key));
    await flush();
    for (const call of backend.pending()) call.resolve(values[call.key]);
    await peek(gets);
    for (const [key, value] of Object.entries(values)) {
      await expectCached(cache, key, value, `get("${key}") after it loaded ${JSON.stringify(value)}`);
    }
    expect(backend.calls.length, "backend calls for 4 keys read twice each").toBe(4);
  });

  it("different keys load independently", async () => {
    const { backend, cache } = setup();
    const a = cache.get("a");
    const b = cache.get("b");
    await flush();
    expect(
      backend.pending().map((c) => c.key),
      "keys of the backend calls in flight after get(a), get(b)",
    ).toEqual(["a", "b"]);
    backend.only("b").resolve("banana");
    expect(await peekOne(b), "get(b) once its load answered").toEqual({ state: "fulfilled", value: "banana" });
    expect((await peekOne(a)).state, "a, whose load has not answered").toBe("pending");
    backend.only("a").resolve("apple");
    expect(await peekOne(a), "get(a) once its load answered").toEqual({ state: "fulfilled", value: "apple" });
  });
});

describe("request coalescing", () => {
  it("10,000 concurrent misses on one key make exactly one backend call", async () => {
    const { backend, cache } = setup();
    const gets = Array.from({ length: 10_000 }, () => cache.get("hot"));
    await flush();
    expect(backend.calls.length, "backend calls for 10,000 concurrent gets of one missing key").toBe(1);
    backend.only().resolve("value");
    const states = await peek(gets);
    const answered = states.filter((s) => s.state === "fulfilled" && s.value === "value").length;
    expect(answered, "gets answered with the loaded value").toBe(10_000);
  });

  it("every caller waiting on a load gets its error when it fails", async () => {
    const { backend, cache } = setup();
    const gets = [cache.get("a"), cache.get("a"), cache.get("a")];
    await flush();
    const error = new Error("database down");
    backend.only().reject(error);
    const states = await peek(gets);
    expect(states, "three gets of a joined on one load that failed").toEqual([
      { state: "rejected", reason: error },
      { state: "rejected", reason: error },
      { state: "rejected", reason: error },
    ]);
  });

  it("a failed load is not cached: the next get tries again", async () => {
    const { backend, cache } = setup();
    const failed = cache.get("a");
    await flush();
    backend.only().reject(new Error("timeout"));
    expect((await peekOne(failed)).state, "get(a) once its load failed").toBe("rejected");
    const retry = cache.get("a");
    await flush();
    expect(backend.calls.length, "backend calls after a failed load and one more get").toBe(2);
    backend.only().resolve("apple");
    expect(await peekOne(retry), "the second get(a) once its load answered").toEqual({
      state: "fulfilled",
      value: "apple",
    });
  });

  it("a failed load is thrown only at its callers, a failed background refresh at no one", async () => {
    const unhandled = await unhandledRejections(async () => {
      const { clock, backend, cache } = setup({ ttlMs: 1000, staleMs: 5000, beta: 1, random: () => 0.999 });
      const first = cache.get("a");
      first.catch(() => {});
      await flush();
      backend.only("a").reject(new Error("load failed"));
      await flush();
      // a value, then a stale get (its refresh fails) and a fresh get that refreshes early (it fails too)
      cache.get("a").catch(() => {});
      await flush();
      clock.set(100);
      backend.only("a").resolve("v1");
      await flush();
      clock.set(1500);
      await cached(cache, "a", "the stale get(a) at 1500 ms");
      backend.only("a").reject(new Error("stale refresh failed"));
      await flush();
      cache.get("c").catch(() => {});
      await flush();
      clock.set(1600);
      backend.only("c").resolve("v2");
      await flush();
      clock.set(2000);
      await cached(cache, "c", "the fresh get(c) at 2000 ms");
      backend.only("c").reject(new Error("early refresh failed"));
      await flush();
    });
    expect(
      unhandled.map(String),
      "unhandled rejections after a load its caller handled, a stale refresh and an early refresh all failed",
    ).toEqual([]);
  });
});

describe("negative caching", () => {
  it('"not found" is cached for negativeTtlMs', async () => {
    const { clock, backend, cache } = setup({ negativeTtlMs: 500 });
    const first = cache.get("ghost");
    await flush();
    backend.only().resolve(undefined);
    expect(await peekOne(first), "get(ghost) once the backend answered not found").toEqual({
      state: "fulfilled",
      value: undefined,
    });
    clock.set(499);
    await expectCached(cache, "ghost", undefined, "499 ms after not found");
    expect(backend.calls.length, "backend calls for ghost by 499 ms, negativeTtlMs 500").toBe(1);
    clock.set(500);
    cache.get("ghost").catch(() => {});
    await flush();
    expect(backend.calls.length, "backend calls once not found is 500 ms old").toBe(2);
  });

  it('without negativeTtlMs, "not found" is not cached', async () => {
    const { backend, cache } = setup();
    const first = cache.get("ghost");
    await flush();
    backend.only().resolve(undefined);
    await peekOne(first);
    cache.get("ghost").catch(() => {});
    await flush();
    expect(backend.calls.length, "backend calls for two gets of a key the backend does not have").toBe(2);
  });
});

describe("stale-while-revalidate", () => {
  it("after ttlMs, serves the stale value at once while one refresh runs in the background", async () => {
    const { clock, backend, cache } = setup({ ttlMs: 1000, staleMs: 5000 });
    cache.get("a").catch(() => {});
    await flush();
    backend.only().resolve("old");
    await flush();
    clock.set(1500);
    for (let i = 0; i < 100; i++) await expectCached(cache, "a", "old", "a stale read, 1500 ms after the load");
    expect(backend.pending().length, "refreshes in flight after 100 stale reads").toBe(1);
    backend.only().resolve("new");
    await flush();
    await expectCached(cache, "a", "new", "after the refresh");
    expect(backend.calls.length, "backend calls: the load and one refresh").toBe(2);
  });

  it("a failed refresh keeps the stale value, until the stale window ends", async () => {
    const { clock, backend, cache } = setup({ ttlMs: 1000, staleMs: 5000 });
    cache.get("a").catch(() => {});
    await flush();
    backend.only().resolve("old");
    await flush();
    clock.set(2000);
    await expectCached(cache, "a", "old", "get(a) at 2000 ms, stale");
    backend.only("a").reject(new Error("timeout"));
    await flush();
    clock.set(5999);
    await expectCached(cache, "a", "old", "5999 ms after the load, a refresh having failed");
    backend.only().reject(new Error("timeout"));
    await flush();
    clock.set(6000);
    const late = cache.get("a");
    expect((await peekOne(late)).state, "a get 6000 ms after the load (ttl 1000 + stale 5000)").toBe("pending");
    backend.only().resolve("fresh");
    expect(await peekOne(late), "the get at 6000 ms, once its load answered").toEqual({
      state: "fulfilled",
      value: "fresh",
    });
  });
});

describe("invalidation", () => {
  it("after invalidate, the next get loads again", async () => {
    const { backend, cache } = setup();
    cache.get("a").catch(() => {});
    await flush();
    backend.only().resolve("v1");
    await flush();
    cache.invalidate("a");
    const next = cache.get("a");
    await flush();
    expect(backend.calls.length, "backend calls after load, invalidate, get").toBe(2);
    backend.only().resolve("v2");
    expect(await peekOne(next), "the get after invalidate, once its load answered").toEqual({
      state: "fulfilled",
      value: "v2",
    });
  });

  it("a load in flight when invalidate is called does not fill the cache", async () => {
    const { backend, cache } = setup();
    const before = cache.get("a");
    await flush();
    cache.invalidate("a");
    backend.only().resolve("read before the change");
    expect(await peekOne(before), "the caller who asked before invalidate gets that load's answer").toEqual({
      state: "fulfilled",
      value: "read before the change",
    });
    const after = cache.get("a");
    await flush();
    expect(backend.pending().length, "loads started by a get after invalidate").toBe(1);
    backend.only().resolve("read after the change");
    expect(await peekOne(after), "the get after invalidate").toEqual({
      state: "fulfilled",
      value: "read after the change",
    });
  });

  it("a get after invalidate never joins a load that started before it", async () => {
    const { backend, cache } = setup();
    cache.get("a").catch(() => {});
    await flush();
    cache.invalidate("a");
    const after = cache.get("a");
    await flush();
    expect(backend.pending().length, "loads in flight: the one before invalidate, and a new one").toBe(2);
    const [old, fresh] = backend.pending();
    fresh?.resolve("new");
    old?.resolve("old");
    expect(await peekOne(after), "the get after invalidate").toEqual({ state: "fulfilled", value: "new" });
    await expectCached(cache, "a", "new", "once both loads ended, the older one last");
  });

  it("set stores a fresh value that a load in flight does not overwrite", async () => {
    const { backend, cache } = setup();
    cache.get("a").catch(() => {});
    await flush();
    cache.set("a", "written");
    await expectCached(cache, "a", "written", "get(a) right after set(a)");
    backend.only().resolve("read before the write");
    await flush();
    await expectCached(cache, "a", "written", "after the older load ended");
  });

  it("set restarts the TTL: the value written is fresh for ttlMs from the set", async () => {
    const { clock, backend, cache } = setup({ ttlMs: 1000 });
    cache.get("a").catch(() => {});
    await flush();
    backend.only("a").resolve("loaded");
    await flush();
    clock.set(900);
    cache.set("a", "written");
    clock.set(1899);
    await expectCached(cache, "a", "written", "get(a) at 1899 ms: loaded at 0, set at 900, ttlMs 1000");
    expect(backend.calls.length, "backend calls by 1899 ms").toBe(1);
    clock.set(1900);
    cache.get("a").catch(() => {});
    await flush();
    expect(backend.calls.length, "backend calls after a get at 1900 ms, 1000 ms after the set").toBe(2);
  });
});

type Step =
  | { op: "get" | "invalidate" | "set"; key: string }
  | { op: "resolve" | "reject" | "not-found"; pick: number }
  | { op: "advance"; ms: number };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant("get" as const), key: fc.constantFrom("a", "b") }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constantFrom("invalidate" as const, "set" as const),
        key: fc.constantFrom("a", "b"),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constantFrom("resolve" as const, "resolve" as const, "reject" as const, "not-found" as const),
        pick: fc.nat(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: 120 }) }) },
  ),
  { maxLength: 40, size: "max" },
);

describe("any interleaving of gets, writes and answers", () => {
  asyncProp(
    "one load per key at a time, and no get answers with data read before the last invalidate or set it followed",
    steps,
    async (script) => {
      const clock = new ManualClock();
      const backend = new DeferredBackend<string | undefined>(() => clock.now());
      const cache = new learner.SingleFlightCache<string>({
        load: backend.load,
        clock,
        ttlMs: 100,
        staleMs: 50,
        negativeTtlMs: 30,
      });
      /** step at which each value was read from the source (a backend call) or written (a set) */
      const origin = new Map<string, number>();
      /** per key, the step of its latest invalidate or set */
      const barrier = new Map<string, number>();
      const gets: Array<{ key: string; step: number; after: number; state: Peek<string | undefined> }> = [];
      const trace: string[] = [];
      let seen = 0;
      for (const [step, action] of script.entries()) {
        if (action.op === "get") {
          const get: (typeof gets)[number] = {
            key: action.key,
            step,
            after: barrier.get(action.key) ?? -1,
            state: { state: "pending" },
          };
          cache.get(action.key).then(
            (value) => {
              get.state = { state: "fulfilled", value };
            },
            (reason: unknown) => {
              get.state = { state: "rejected", reason };
            },
          );
          gets.push(get);
          trace.push(`${step}: get(${action.key})`);
        } else if (action.op === "invalidate") {
          cache.invalidate(action.key);
          barrier.set(action.key, step);
          trace.push(`${step}: invalidate(${action.key})`);
        } else if (action.op === "set") {
          const value = `${action.key} written at step ${step}`;
          origin.set(value, step);
          cache.set(action.key, value);
          barrier.set(action.key, step);
          trace.push(`${step}: set(${action.key})`);
        } else if (action.op === "advance") {
          clock.advance(action.ms);
          trace.push(`${step}: +${action.ms} ms`);
        } else if ("pick" in action) {
          const pending = backend.pending();
          const call = pending[action.pick % Math.max(1, pending.length)];
          if (call === undefined) continue;
          const index = backend.calls.indexOf(call);
          if (action.op === "reject") call.reject(new Error("backend failed"));
          else call.resolve(action.op === "not-found" ? undefined : `${call.key} read by call ${index}`);
          trace.push(`${step}: ${action.op} call ${index} (${call.key})`);
        }
        await flush();
        // calls the cache made during this step read the source as of this step
        for (; seen < backend.calls.length; seen++) {
          const call = backend.calls[seen];
          if (call) origin.set(`${call.key} read by call ${seen}`, step);
        }
        for (const key of ["a", "b"]) {
          const since = barrier.get(key) ?? -1;
          const current = backend
            .pending(key)
            .filter((call) => (origin.get(`${key} read by call ${backend.calls.indexOf(call)}`) ?? -1) > since);
          expect(
            current.length,
            `loads in flight for ${key} since its last invalidate or set, after ${trace.join(", ")}`,
          ).toBeLessThanOrEqual(1);
        }
      }
      // the backend answers whatever is still out; every get must then have its answer
      for (let round = 0; round < 5 && backend.pending().length > 0; round++) {
        for (const call of backend.pending()) call.resolve(`${call.key} read by call ${backend.calls.indexOf(call)}`);
        await flush();
        for (; seen < backend.calls.length; seen++) {
          const call = backend.calls[seen];
          if (call) origin.set(`${call.key} read by call ${seen}`, script.length);
        }
      }
      for (const get of gets) {
        expect(get.state.state, `get(${get.key}) of step ${get.step}, after ${trace.join(", ")}`).not.toBe("pending");
        if (get.state.state !== "fulfilled" || get.state.value === undefined) continue;
        const from = origin.get(get.state.value) ?? -1;
        expect(
          from,
          `get(${get.key}) of step ${get.step} answered "${get.state.value}", older than the invalidate or set of step ${get.after}, after ${trace.join(", ")}`,
        ).toBeGreaterThanOrEqual(get.after);
      }
    },
  );
});

describe("early refresh (XFetch)", () => {
  it("a hot key is refreshed about once per TTL, before it expires, with nobody waiting", async () => {
    // one get a millisecond for 10 minutes, TTL 60 s, each load takes 100 ms
    const clock = new ManualClock();
    const backend = new DeferredBackend<number>(() => clock.now());
    const rng = random(seedFor("single-flight-loader xfetch"));
    const ttlMs = 60_000;
    const cache = new learner.SingleFlightCache<number>({
      load: backend.load,
      clock,
      ttlMs,
      beta: 1,
      random: () => rng.float(),
    });
    const loadMs = 100;
    const periods = 600_000 / ttlMs;
    const ends: number[] = [];
    // loads take the same time, so they end in the order they started
    let answered = 0;
    let t = 0;
    // stop once the loads are over the bound: the rest cannot change the verdict
    for (; t <= 600_000 && backend.calls.length <= 2 * periods + 1; t++) {
      clock.set(t);
      const ending = answered;
      while (answered < backend.calls.length && t - (backend.calls[answered]?.at as number) >= loadMs) {
        backend.calls[answered]?.resolve(answered + 1);
        answered++;
      }
      if (answered > ending) {
        ends.push(t);
        await flush();
      }
      cache.get("hot").catch(() => {});
    }
    expect(
      backend.calls.length,
      `backend loads in the first ${Math.min(t, 600_000) / 1000} s of a key read 1,000 times a second, TTL 60 s (at most 2 per TTL; 1 is ideal)`,
    ).toBeLessThanOrEqual(2 * periods + 1);
    for (let i = 1; i < ends.length; i++) {
      const gap = (ends[i] as number) - (ends[i - 1] as number);
      expect(
        gap,
        `ms between the loads that ended at ${ends[i - 1]} and ${ends[i]}: more than the TTL means callers waited`,
      ).toBeLessThanOrEqual(ttlMs);
    }
  });

  it("with beta 0 (the default) nothing is refreshed early", async () => {
    const { clock, backend, cache } = setup({ ttlMs: 1000 });
    cache.get("a").catch(() => {});
    await flush();
    backend.only().resolve("v1");
    await flush();
    for (let t = 0; t < 1000; t++) {
      clock.set(t);
      cache.get("a").catch(() => {});
    }
    await flush();
    expect(backend.calls.length, "backend calls for a get every ms until the TTL").toBe(1);
  });

  it("refreshes early exactly when now − δ · beta · ln(1 − random()) reaches the expiry", async () => {
    // δ 100 ms (called at 0, answered at 100), fresh until 1100, beta 2, random() always 0.25:
    // the refresh is due from 1100 + 100 · 2 · ln(0.75) = 1042.46 ms
    const { clock, backend, cache } = setup({ ttlMs: 1000, beta: 2, random: () => 0.25 });
    cache.get("a").catch(() => {});
    await flush();
    clock.set(100);
    backend.only("a").resolve("v1");
    await flush();
    for (const t of [500, 1000, 1042]) {
      clock.set(t);
      await expectCached(cache, "a", "v1", `get(a) at ${t} ms`);
      expect(
        backend.calls.length,
        `backend calls after a get at ${t} ms (δ 100, beta 2, random() 0.25: refresh due from 1042.46 ms)`,
      ).toBe(1);
    }
    clock.set(1043);
    await expectCached(cache, "a", "v1", "get(a) at 1043 ms, while it refreshes early");
    expect(backend.pending().length, "refreshes in flight after a get at 1043 ms, due from 1042.46").toBe(1);
  });

  it("a value from set() is never refreshed early: it has no load time", async () => {
    // random() so close to 1 that any δ > 0 would refresh at once
    const { clock, backend, cache } = setup({ ttlMs: 1000, beta: 2, random: () => 0.999_999 });
    cache.get("a").catch(() => {});
    await flush();
    clock.set(100);
    backend.only("a").resolve("loaded");
    await flush();
    clock.set(200);
    cache.set("a", "written");
    for (let t = 200; t < 1200; t += 50) {
      clock.set(t);
      await expectCached(cache, "a", "written", `get(a) at ${t} ms`);
    }
    expect(
      backend.calls.length,
      "backend calls for gets every 50 ms of a value set at 200 ms (loaded before with δ 100)",
    ).toBe(1);
  });
});

describe("options", () => {
  it("throws a RangeError for a ttlMs that is not positive, or a negative staleMs, negativeTtlMs or beta", () => {
    const clock = new ManualClock();
    const load = async () => undefined;
    const make = (options: Partial<Options>) => () =>
      new learner.SingleFlightCache({ ttlMs: 1000, ...options, load, clock, random: () => 0.5 });
    for (const ttlMs of [0, -1, Number.NaN]) expectThrows(make({ ttlMs }), RangeError, `ttlMs ${ttlMs}`);
    for (const value of [-1, Number.NaN]) {
      expectThrows(make({ staleMs: value }), RangeError, `staleMs ${value}`);
      expectThrows(make({ negativeTtlMs: value }), RangeError, `negativeTtlMs ${value}`);
      expectThrows(make({ beta: value }), RangeError, `beta ${value}`);
    }
  });

  it("takes Infinity for any duration: with ttlMs Infinity a value never goes stale", async () => {
    const infinite = Number.POSITIVE_INFINITY;
    const clock = new ManualClock();
    const load = async () => undefined;
    for (const option of ["staleMs", "negativeTtlMs", "beta"] as const) {
      let thrown: unknown;
      try {
        new learner.SingleFlightCache({ ttlMs: 1000, load, clock, random: () => 0.5, [option]: infinite });
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        thrown = error;
      }
      expect(thrown, `new SingleFlightCache({ ttlMs: 1000, ${option}: Infinity }) should not throw`).toBeUndefined();
    }
    const { backend, cache, clock: time } = setup({ ttlMs: infinite });
    cache.get("a").catch(() => {});
    await flush();
    backend.only("a").resolve("forever");
    await flush();
    time.set(10 * 365 * 24 * 3600 * 1000);
    await expectCached(cache, "a", "forever", "get(a) ten years after its load, ttlMs Infinity");
    expect(backend.calls.length, "backend calls for a value with ttlMs Infinity").toBe(1);
  });

  it("throws a RangeError when beta > 0 comes without a random source", () => {
    const clock = new ManualClock();
    expectThrows(
      () => new learner.SingleFlightCache({ ttlMs: 1000, beta: 1, load: async () => undefined, clock }),
      RangeError,
    );
  });
});

describe("performance against the reference", () => {
  type Impl = typeof learner | typeof reference;
  interface Cache {
    get(key: string): Promise<number | undefined>;
    set(key: string, value: number): void;
  }
  // No sum of answers here: get answers with a promise that settles only after `run` returns, and
  // whether a miss calls load at once or a microtask later is the implementation's choice.
  // a backend that never answers: the timed calls are the cache's own work
  const silent = () => new Promise<undefined>(() => {});

  loadTest("keeps pace with the reference: 100k gets on Zipf keys, half of them cached", budgets, () => {
    const ops = 100_000;
    const names = Array.from({ length: 20_000 }, (_, i) => `key:${i}`);
    const keys = Array.from(zipfKeys(seedFor("single-flight load"), ops, names.length), (r) => names[r] as string);
    const writes = uniformPicks(seedFor("single-flight load writes"), ops);
    const make = (impl: Impl) => () => {
      const clock = new ManualClock();
      const cache: Cache = new impl.SingleFlightCache<number>({ load: silent, clock, ttlMs: 60_000, staleMs: 10_000 });
      // the hot half of the keys is cached; a get of the cold half joins or starts a load
      for (let i = 0; i < names.length / 2; i++) cache.set(names[i] as string, i);
      return { cache, clock };
    };
    return compareLoad({
      learner: make(learner),
      reference: make(reference),
      ops,
      // every call allocates (a promise): few long batches, so each one has its share of young-generation
      // collections and p99 compares like with like instead of landing on one batch with a collection or not
      batches: 10,
      run: ({ cache, clock }, from, to) => {
        for (let i = from; i < to; i++) {
          clock.set(i >> 7);
          if ((writes[i] as number) < 0.1) cache.set(keys[i] as string, i);
          else cache.get(keys[i] as string);
        }
      },
    });
  });

  loadTest("a get costs the same with 1k or 10k keys cached", budgets, () => {
    const ops = 200_000;
    const picks = uniformPicks(seedFor("single-flight growth"), ops);
    const names = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
    const holding = (impl: Impl) => (size: number) => {
      const clock = new ManualClock();
      const cache: Cache = new impl.SingleFlightCache<number>({ load: silent, clock, ttlMs: 60_000 });
      for (let i = 0; i < size; i++) cache.set(names[i] as string, i);
      return { cache, size };
    };
    return compareGrowth({
      learner: holding(learner),
      reference: holding(reference),
      n: 1_000,
      ops,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) s.cache.get(names[Math.floor((picks[i] as number) * s.size)] as string);
      },
    });
  });
});
