import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/02-caching/write-back-cache";
import * as reference from "#ref/02-caching/write-back-cache";
import {
  asyncProp,
  compareGrowth,
  compareLoad,
  expectThrows,
  flush,
  kataOf,
  loadTest,
  ManualClock,
  seedFor,
} from "#spec";
import chapter from "../../../chapters/02-caching/chapter.ts";
import { peekOne, unhandledRejections } from "./_async.ts";
import { FakeStore } from "./_store.ts";
import { uniformPicks, zipfKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "02-caching", "write-back-cache");

function writeBack(options: { maxDirty?: number; flushAfterMs?: number; autoAck?: boolean; holdReads?: boolean } = {}) {
  const clock = new ManualClock();
  const store = new FakeStore<number>({ autoAck: options.autoAck ?? false, holdReads: options.holdReads ?? false });
  const cache = new learner.WriteBackCache<number>({
    store,
    clock,
    maxDirty: options.maxDirty ?? 100,
    flushAfterMs: options.flushAfterMs ?? 1000,
  });
  return { clock, store, cache };
}

/** the store's batches as plain arrays, oldest first, each sorted by key: the order inside a batch is free */
function batches(store: FakeStore<number>) {
  return store.writes.map((w) =>
    w.entries.map(([key, value]) => [key, value]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

describe("write-back", () => {
  it("acknowledges a write at once: it reads back before the store has it", async () => {
    const { store, cache } = writeBack();
    cache.set("a", 1);
    expect(await peekOne(cache.get("a")), "get(a) right after set(a, 1)").toEqual({ state: "fulfilled", value: 1 });
    expect(store.writes.length, "store writes right after one set (maxDirty 100, flushAfterMs 1000)").toBe(0);
  });

  it("flushes when maxDirty keys are dirty, without waiting for the timer", async () => {
    const { store, cache } = writeBack({ maxDirty: 3 });
    cache.set("a", 1);
    cache.set("b", 2);
    await flush();
    expect(store.writes.length, "store writes with 2 dirty keys, maxDirty 3").toBe(0);
    cache.set("c", 3);
    await flush();
    expect(batches(store), "store writes once c makes 3 dirty keys, maxDirty 3").toEqual([
      [
        ["a", 1],
        ["b", 2],
        ["c", 3],
      ],
    ]);
  });

  it("flushes on tick once the oldest dirty write is flushAfterMs old", async () => {
    const { clock, store, cache } = writeBack({ flushAfterMs: 1000 });
    cache.set("a", 1);
    clock.set(500);
    cache.set("b", 2);
    clock.set(999);
    cache.tick();
    await flush();
    expect(store.writes.length, "store writes after a tick at 999 ms, the oldest write made at 0").toBe(0);
    clock.set(1000);
    cache.tick();
    await flush();
    expect(batches(store), "store writes after a tick at 1000 ms (writes at 0 and 500, flushAfterMs 1000)").toEqual([
      [
        ["a", 1],
        ["b", 2],
      ],
    ]);
  });

  it("flushes on set once the oldest dirty write is flushAfterMs old, without waiting for a tick", async () => {
    const { clock, store, cache } = writeBack({ flushAfterMs: 1000 });
    cache.set("a", 1);
    clock.set(999);
    cache.set("b", 2);
    await flush();
    expect(store.writes.length, "store writes after set(b) at 999 ms, the oldest write made at 0").toBe(0);
    clock.set(1000);
    cache.set("c", 3);
    await flush();
    expect(batches(store), "store writes after set(c) at 1000 ms, with no tick (writes at 0 and 999)").toEqual([
      [
        ["a", 1],
        ["b", 2],
        ["c", 3],
      ],
    ]);
  });

  it("after a flush, the age counts from the next write, not from the flush", async () => {
    const { clock, store, cache } = writeBack({ flushAfterMs: 1000 });
    cache.set("a", 1);
    clock.set(1000);
    cache.tick();
    await flush();
    store.only("after a tick at 1000 ms, a written at 0").ack();
    await flush();
    clock.set(5000);
    cache.set("b", 2);
    cache.tick();
    await flush();
    expect(batches(store).slice(1), "store writes after set(b) and a tick at 5000 ms, the last flush at 1000").toEqual(
      [],
    );
    clock.set(5999);
    cache.tick();
    await flush();
    expect(batches(store).slice(1), "store writes after a tick at 5999 ms, b written at 5000").toEqual([]);
    clock.set(6000);
    cache.tick();
    await flush();
    expect(batches(store).slice(1), "store writes after a tick at 6000 ms, b written at 5000").toEqual([[["b", 2]]]);
  });

  it("ten writes to one key between flushes reach the store as one entry with the last value", async () => {
    const { store, cache } = writeBack({ maxDirty: 5 });
    for (let i = 1; i <= 10; i++) cache.set("counter", i);
    const done = cache.flush();
    await flush();
    expect(batches(store), "store writes for 10 sets of one key, then flush()").toEqual([[["counter", 10]]]);
    store.only().ack();
    expect((await peekOne(done)).state, "flush() once the store acknowledged").toBe("fulfilled");
  });

  it("flush() writes everything dirty in one batch and resolves once the store has it", async () => {
    const { store, cache } = writeBack();
    cache.set("a", 1);
    cache.set("b", 2);
    const done = cache.flush();
    expect((await peekOne(done)).state, "flush() before the store acknowledged").toBe("pending");
    store.only("after set(a, 1), set(b, 2), flush()").ack();
    expect((await peekOne(done)).state, "flush() after the store acknowledged").toBe("fulfilled");
    expect(Object.fromEntries(store.data), "the store after flush() of a = 1, b = 2").toEqual({ a: 1, b: 2 });
    const again = cache.flush();
    expect((await peekOne(again)).state, "a flush with nothing dirty").toBe("fulfilled");
    expect(store.writes.length, "store writes after a second flush() with nothing dirty").toBe(1);
  });

  it("flush() waits for the flush in flight, even with nothing else dirty", async () => {
    // maxDirty 1: set(a) starts a flush of its own
    const { store, cache } = writeBack({ maxDirty: 1 });
    cache.set("a", 1);
    await flush();
    const done = cache.flush();
    expect((await peekOne(done)).state, "flush() while the flush of a = 1 is in flight").toBe("pending");
    store.only("after set(a, 1) with maxDirty 1, then flush()").ack();
    expect((await peekOne(done)).state, "flush() once the store acknowledged a = 1").toBe("fulfilled");
  });

  it("a write made while its key is being flushed is flushed again", async () => {
    const { store, cache } = writeBack();
    cache.set("a", 1);
    const first = cache.flush();
    await flush();
    cache.set("a", 2);
    store.only("after set(a, 1), flush()").ack();
    await peekOne(first);
    const second = cache.flush();
    await flush();
    for (const write of store.pending()) write.ack();
    await peekOne(second);
    expect(store.data.get("a"), "the store's a, after a = 2 was written during the flush of a = 1").toBe(2);
  });

  it("a flush that falls due while another runs starts as soon as that one succeeds", async () => {
    const { store, cache } = writeBack({ maxDirty: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    await flush();
    cache.set("c", 3);
    cache.set("d", 4);
    await flush();
    expect(batches(store), "store writes with a, b in flight and c, d dirty (maxDirty 2)").toEqual([
      [
        ["a", 1],
        ["b", 2],
      ],
    ]);
    store.only().ack();
    await flush();
    expect(
      batches(store),
      "store writes once a, b are acknowledged, with c, d due since (no set, tick or flush() since)",
    ).toEqual([
      [
        ["a", 1],
        ["b", 2],
      ],
      [
        ["c", 3],
        ["d", 4],
      ],
    ]);
  });

  it("a failed flush keeps its writes dirty, and the next tick retries them", async () => {
    const { clock, store, cache } = writeBack({ maxDirty: 1 });
    cache.set("a", 1);
    await flush();
    store.only("after set(a, 1) with maxDirty 1").fail();
    await flush();
    clock.set(1);
    cache.tick();
    await flush();
    expect(store.pending().length, "store writes in flight after a failed flush and one tick").toBe(1);
    store.only().ack();
    await flush();
    expect(store.data.get("a"), "the store's a once the retry is acknowledged").toBe(1);
  });

  it("a failed flush keeps the age of its writes: the next tick retries at once", async () => {
    const { clock, store, cache } = writeBack({ maxDirty: 100, flushAfterMs: 1000 });
    cache.set("a", 1);
    clock.set(1000);
    cache.tick();
    await flush();
    store.only("after a tick at 1000 ms, a written at 0").fail();
    await flush();
    clock.set(1001);
    cache.tick();
    await flush();
    expect(
      store.pending().map((w) => w.entries),
      "store writes in flight after a tick at 1001 ms: a, written at 0, failed to flush at 1000",
    ).toEqual([[["a", 1]]]);
  });

  it("a failed flush does not bring back the older value of a key written during it", async () => {
    const { store, cache } = writeBack();
    cache.set("a", 1);
    const failing = cache.flush();
    await flush();
    cache.set("a", 2);
    store.only("after set(a, 1), flush()").fail();
    expect((await peekOne(failing)).state, "flush() of a = 1 once the store failed it").toBe("rejected");
    expect(await peekOne(cache.get("a")), "get(a) after set(a, 2) during the failed flush of a = 1").toEqual({
      state: "fulfilled",
      value: 2,
    });
    const retry = cache.flush();
    await flush();
    expect(store.only("after the failed flush and a second flush()").entries, "the retry's batch").toEqual([["a", 2]]);
    store.only().ack();
    await peekOne(retry);
    expect(store.data.get("a"), "the store's a after the retry").toBe(2);
  });

  it("flush() rejects with the store's error and keeps the writes for the next flush", async () => {
    const { store, cache } = writeBack();
    cache.set("a", 1);
    const failing = cache.flush();
    await flush();
    const error = new Error("disk full");
    store.only("after set(a, 1), flush()").fail(error);
    expect(await peekOne(failing), "flush() once the store failed the write").toEqual({
      state: "rejected",
      reason: error,
    });
    const retry = cache.flush();
    await flush();
    store.only("after the failed flush and a second flush()").ack();
    expect((await peekOne(retry)).state, "the second flush() once the store acknowledged").toBe("fulfilled");
    expect(store.data.get("a"), "the store's a after the second flush()").toBe(1);
  });

  it("a failed background flush is never thrown at anyone", async () => {
    const unhandled = await unhandledRejections(async () => {
      const { clock, store, cache } = writeBack({ maxDirty: 1, flushAfterMs: 1000 });
      cache.set("a", 1);
      await flush();
      store.only("after set(a, 1) with maxDirty 1").fail(new Error("store down"));
      await flush();
      clock.set(2000);
      cache.tick();
      await flush();
      store.only("after a tick that retries a").fail(new Error("store still down"));
      await flush();
    });
    expect(
      unhandled.map(String),
      "unhandled rejections after a flush started by set() and one started by tick() both failed",
    ).toEqual([]);
  });

  it("never lets an older value of a key reach the store after a newer one", async () => {
    // every set starts a flush; the store acknowledges the newest write in flight first
    const { store, cache } = writeBack({ maxDirty: 1 });
    for (let i = 1; i <= 5; i++) {
      cache.set("a", i);
      await flush();
    }
    for (let round = 0; round < 20 && store.pending().length > 0; round++) {
      store.pending().at(-1)?.ack();
      await flush();
    }
    expect(store.history.get("a"), "the values of a in the order the store applied them").toEqual(
      [...(store.history.get("a") ?? [])].sort((x, y) => x - y),
    );
    expect(store.data.get("a"), "the store's a once every write is acknowledged").toBe(5);
  });

  it("a read that misses and ends after a write does not overwrite it", async () => {
    const { store, cache } = writeBack({ holdReads: true });
    store.data.set("a", 1);
    const read = cache.get("a");
    await flush();
    cache.set("a", 2);
    store.reads[0]?.resolve(1);
    await peekOne(read);
    expect(await peekOne(cache.get("a")), "a, read from the cache after the old read ended").toEqual({
      state: "fulfilled",
      value: 2,
    });
    const done = cache.flush();
    await flush();
    for (const write of store.pending()) write.ack();
    await peekOne(done);
    expect(store.data.get("a"), "the store's a after flush()").toBe(2);
  });

  it("a miss reads the store once, then answers from the cache", async () => {
    const { store, cache } = writeBack({ holdReads: true });
    const first = cache.get("a");
    await flush();
    store.reads[0]?.resolve(7);
    expect(await peekOne(first), "get(a) once the store answered 7").toEqual({ state: "fulfilled", value: 7 });
    expect(await peekOne(cache.get("a")), "a second get(a)").toEqual({ state: "fulfilled", value: 7 });
    expect(store.reads.length, "store reads for two gets of a").toBe(1);
  });

  it("a key the store does not have is not cached: the next get reads the store again", async () => {
    const { store, cache } = writeBack();
    expect(await peekOne(cache.get("x")), "get(x), which the store does not have").toEqual({
      state: "fulfilled",
      value: undefined,
    });
    store.data.set("x", 5);
    expect(await peekOne(cache.get("x")), "get(x) again, once the store has x = 5").toEqual({
      state: "fulfilled",
      value: 5,
    });
  });

  it("a crash loses at most the writes of the last flushAfterMs", async () => {
    // 50 keys written in turn, one write a millisecond for 10 s; the timer ticks every ms
    const flushAfterMs = 1000;
    const { clock, store, cache } = writeBack({ maxDirty: 1000, flushAfterMs, autoAck: true });
    const keys = 50;
    for (let t = 0; t <= 10_000; t++) {
      clock.set(t);
      cache.set(`k${t % keys}`, t);
      cache.tick();
      await flush();
      // a crash now keeps only what the store has: every write older than flushAfterMs must be there
      const due = t - flushAfterMs;
      if (due < 0 || t % 100 !== 0) continue;
      for (let k = 0; k < keys; k++) {
        const lastDue = due - ((((due - k) % keys) + keys) % keys);
        if (lastDue < 0) continue;
        const stored = store.data.get(`k${k}`) ?? -1;
        expect(
          stored,
          `at ${t} ms, k${k} in the store (its write at ${lastDue} ms is ${t - lastDue} ms old)`,
        ).toBeGreaterThanOrEqual(lastDue);
      }
    }
  });

  it("throws a RangeError for a maxDirty that is not a positive integer or a flushAfterMs that is not positive", () => {
    const clock = new ManualClock();
    const store = new FakeStore<number>();
    for (const maxDirty of [0, -1, 1.5, Number.NaN]) {
      expectThrows(() => new learner.WriteBackCache({ store, clock, maxDirty, flushAfterMs: 1000 }), RangeError);
    }
    for (const flushAfterMs of [0, -1, Number.NaN]) {
      expectThrows(() => new learner.WriteBackCache({ store, clock, maxDirty: 10, flushAfterMs }), RangeError);
    }
  });
});

type Step =
  | { op: "set"; key: string }
  | { op: "tick"; ms: number }
  | { op: "ack" | "fail"; newest: boolean }
  | { op: "flush" };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant("set" as const), key: fc.constantFrom("a", "b", "c", "d") }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 300 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("ack" as const), newest: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("fail" as const), newest: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("flush" as const) }) },
  ),
  { maxLength: 40, size: "max" },
);

describe("write-back under any order of acknowledgements and failures", () => {
  asyncProp(
    "the store never goes back to an older value, and ends with every key's last write",
    steps,
    async (script) => {
      const { clock, store, cache } = writeBack({ maxDirty: 3, flushAfterMs: 200 });
      const last = new Map<string, number>();
      const trace: string[] = [];
      let value = 0;
      for (const step of script) {
        if (step.op === "set") {
          value++;
          cache.set(step.key, value);
          last.set(step.key, value);
          trace.push(`set(${step.key}, ${value})`);
        } else if (step.op === "tick") {
          clock.advance(step.ms);
          cache.tick();
          trace.push(`+${step.ms} ms, tick`);
        } else if (step.op === "flush") {
          cache.flush().catch(() => {});
          trace.push("flush()");
        } else {
          const pending = store.pending();
          const write = step.newest ? pending.at(-1) : pending[0];
          if (write === undefined) continue;
          if (step.op === "ack") write.ack();
          else write.fail();
          trace.push(`${step.op} ${step.newest ? "newest" : "oldest"} write`);
        }
        await flush();
        for (const [key, seen] of store.history) {
          expect(seen, `values of ${key} in the order the store applied them, after ${trace.join(", ")}`).toEqual(
            [...seen].sort((x, y) => x - y),
          );
        }
      }
      // then the store recovers: acknowledge everything, let the timer run, flush
      for (let round = 0; round < 10; round++) {
        for (const write of store.pending()) write.ack();
        await flush();
        clock.advance(200);
        cache.tick();
        await flush();
      }
      const done = cache.flush();
      for (let round = 0; round < 10 && store.pending().length > 0; round++) {
        for (const write of store.pending()) write.ack();
        await flush();
      }
      expect((await peekOne(done)).state, `flush() once the store is back, after ${trace.join(", ")}`).toBe(
        "fulfilled",
      );
      expect(Object.fromEntries(store.data), `the store once everything is flushed, after ${trace.join(", ")}`).toEqual(
        Object.fromEntries(last),
      );
    },
  );
});

describe("write-through", () => {
  function writeThrough() {
    const store = new FakeStore<number>();
    const cache = new learner.WriteThroughCache<number>({ store });
    return { store, cache };
  }

  it("a write is acknowledged only once the store has it", async () => {
    const { store, cache } = writeThrough();
    const written = cache.set("a", 1);
    expect((await peekOne(written)).state, "set() before the store acknowledged").toBe("pending");
    expect(batches(store), "store writes after set(a, 1)").toEqual([[["a", 1]]]);
    store.only("after set(a, 1)").ack();
    expect((await peekOne(written)).state, "set() after the store acknowledged").toBe("fulfilled");
    expect(await peekOne(cache.get("a")), "get(a) once set(a, 1) resolved").toEqual({ state: "fulfilled", value: 1 });
  });

  it("reads see the old value until the store has the new one", async () => {
    const { store, cache } = writeThrough();
    const first = cache.set("a", 1);
    await flush();
    store.only("after set(a, 1)").ack();
    await peekOne(first);
    const second = cache.set("a", 2);
    expect(await peekOne(cache.get("a")), "a while the write of 2 is in flight").toEqual({
      state: "fulfilled",
      value: 1,
    });
    store.only("after set(a, 2)").ack();
    await peekOne(second);
    expect(await peekOne(cache.get("a")), "a once the store acknowledged 2").toEqual({ state: "fulfilled", value: 2 });
  });

  it("a failed store write rejects and leaves the cache as it was", async () => {
    const { store, cache } = writeThrough();
    const first = cache.set("a", 1);
    await flush();
    store.only("after set(a, 1)").ack();
    await peekOne(first);
    const failing = cache.set("a", 2);
    await flush();
    const error = new Error("constraint violated");
    store.only("after set(a, 2)").fail(error);
    expect(await peekOne(failing), "set(a, 2) once the store failed it").toEqual({ state: "rejected", reason: error });
    expect(await peekOne(cache.get("a")), "a after the write of 2 failed").toEqual({ state: "fulfilled", value: 1 });
    expect(store.data.get("a"), "the store's a after the write of 2 failed").toBe(1);
  });

  it("a miss reads the store and caches the value", async () => {
    const { store, cache } = writeThrough();
    store.data.set("a", 7);
    expect(await peekOne(cache.get("a")), "get(a) with a = 7 in the store").toEqual({ state: "fulfilled", value: 7 });
    store.data.set("a", 8);
    expect(await peekOne(cache.get("a")), "a second read, served from the cache").toEqual({
      state: "fulfilled",
      value: 7,
    });
  });
});

describe("performance against the reference", () => {
  type Impl = typeof learner | typeof reference;
  // No sum of answers here: get answers with a promise that settles only after `run` returns, and
  // whether a due flush calls store.write at once or a microtask later is the implementation's choice.

  loadTest("keeps pace with the reference: 100k reads and writes on Zipf keys", budgets, () => {
    const ops = 100_000;
    const names = Array.from({ length: 20_000 }, (_, i) => `key:${i}`);
    const keys = Array.from(zipfKeys(seedFor("write-back load"), ops, names.length), (r) => names[r] as string);
    const picks = uniformPicks(seedFor("write-back load writes"), ops);
    const make = (impl: Impl) => () => {
      const clock = new ManualClock();
      const store = new FakeStore<number>({ autoAck: true });
      return { clock, cache: new impl.WriteBackCache<number>({ store, clock, maxDirty: 1000, flushAfterMs: 1000 }) };
    };
    return compareLoad({
      learner: make(learner),
      reference: make(reference),
      ops,
      // every call allocates (a promise): few long batches, so each one has its share of young-generation
      // collections and p99 compares like with like instead of landing on one batch with a collection or not
      batches: 10,
      run: ({ clock, cache }, from, to) => {
        for (let i = from; i < to; i++) {
          clock.set(i >> 6);
          if ((picks[i] as number) < 0.5) cache.set(keys[i] as string, i);
          else cache.get(keys[i] as string);
          if ((i & 63) === 0) cache.tick();
        }
      },
    });
  });

  loadTest("a write costs the same with 1k or 10k dirty keys", budgets, () => {
    // nothing flushes: the dirty keys pile up, and each write and tick must not look at all of them
    const ops = 100_000;
    const picks = uniformPicks(seedFor("write-back growth"), ops);
    const names = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
    const holding = (impl: Impl) => (size: number) => {
      const clock = new ManualClock();
      const store = new FakeStore<number>({ autoAck: true });
      const cache = new impl.WriteBackCache<number>({ store, clock, maxDirty: 1e9, flushAfterMs: 1e9 });
      for (let i = 0; i < size; i++) cache.set(names[i] as string, i);
      return { cache, clock, size };
    };
    return compareGrowth({
      learner: holding(learner),
      reference: holding(reference),
      n: 1_000,
      ops,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) {
          s.clock.set(i);
          s.cache.set(names[Math.floor((picks[i] as number) * s.size)] as string, i);
          if ((i & 7) === 0) s.cache.tick();
        }
      },
    });
  });
});
