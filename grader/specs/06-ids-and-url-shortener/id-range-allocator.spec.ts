import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as learner from "#kata/06-ids-and-url-shortener/id-range-allocator";
import { isNotImplemented } from "#kit";
import * as reference from "#ref/06-ids-and-url-shortener/id-range-allocator";
import { asyncProp, compareLoad, expectThrows, flush, kataOf, loadTest, random } from "#spec";
import chapter from "../../../chapters/06-ids-and-url-shortener/chapter.ts";
import { Disk, drive, driveAll, StoreError } from "./_disk.ts";

const { budgets } = kataOf(chapter, "06-ids-and-url-shortener", "id-range-allocator");
const { RangeAllocator, IdPool } = learner;

type Block = learner.Block;

function allocator(disk: Disk, blockSize = 100) {
  return new RangeAllocator({ store: disk.connect(), blockSize });
}

const show = (b: Block) => `[${b.start}, ${b.end})`;

function expectDisjoint(blocks: readonly Block[], what: string): void {
  const sorted = [...blocks].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const block = sorted[i] as Block;
    expect(block.end > block.start, `${what}: block ${show(block)} is empty`).toBe(true);
    const next = sorted[i + 1];
    if (next && next.start < block.end) expect.fail(`${what}: blocks ${show(block)} and ${show(next)} overlap`);
  }
}

/** hands out the blocks it is given, in turn, counting calls; the first `failures` calls reject */
class ScriptedSource {
  calls = 0;
  #failures: number;
  readonly #blocks: (i: number) => Block;

  constructor(blocks: (i: number) => Block, failures = 0) {
    this.#blocks = blocks;
    this.#failures = failures;
  }

  allocate(): Promise<Block> {
    const i = this.calls++;
    if (this.#failures > 0) {
      this.#failures--;
      return Promise.reject(new StoreError("the coordinator is unreachable"));
    }
    return Promise.resolve(this.#blocks(i));
  }
}

const blocksOf = (size: number) => (i: number) => ({ start: BigInt(i * size), end: BigInt((i + 1) * size) });

async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    return { ok: false, error };
  }
}

describe("blocks", () => {
  it("hands out consecutive blocks of blockSize, starting at the stored counter", async () => {
    const disk = new Disk(1000n);
    const coordinator = allocator(disk);
    const blocks = [await coordinator.allocate(), await coordinator.allocate(), await coordinator.allocate()];
    expect(blocks, "three allocate() calls one after another, blockSize 100, the store holding 1000").toEqual([
      { start: 1000n, end: 1100n },
      { start: 1100n, end: 1200n },
      { start: 1200n, end: 1300n },
    ]);
  });

  it("has saved the counter past a block by the time it hands the block out", async () => {
    const disk = new Disk(0n, "manual");
    const coordinator = allocator(disk);
    const durableWhenHandedOut: bigint[] = [];
    const calls = [0, 1, 2].map((i) =>
      coordinator.allocate().then((block) => {
        durableWhenHandedOut[i] = disk.durable;
        return block;
      }),
    );
    const blocks = await driveAll(disk, calls);
    blocks.forEach((block, i) => {
      expect(durableWhenHandedOut[i], `the durable counter when ${show(block)} was handed out`).toBeGreaterThanOrEqual(
        block.end,
      );
    });
  });

  it("loads the counter once, before the first block, then keeps it in memory", async () => {
    const disk = new Disk(500n);
    const coordinator = allocator(disk);
    await coordinator.allocate();
    await Promise.all([coordinator.allocate(), coordinator.allocate()]);
    await coordinator.allocate();
    expect(disk.loads, "loads from the store for 4 blocks, 2 of them asked for at once").toBe(1);
  });

  it("rejects a blockSize that is not a positive integer with a RangeError", () => {
    const disk = new Disk();
    for (const blockSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => new RangeAllocator({ store: disk.connect(), blockSize }), RangeError);
    }
  });
});

describe("crashes", () => {
  it("a crash right after a block is handed out never reuses it", async () => {
    const disk = new Disk(0n, "manual");
    const [before] = await driveAll(disk, [allocator(disk).allocate()]);
    disk.crash();
    const [after] = await driveAll(disk, [allocator(disk).allocate()]);
    expectDisjoint([before as Block, after as Block], "the block before the crash and the first after it");
  });

  it("continues above every block handed out before a restart", async () => {
    const disk = new Disk();
    const first = allocator(disk);
    const before = [await first.allocate(), await first.allocate(), await first.allocate()];
    disk.crash();
    const second = allocator(disk);
    const after = [await second.allocate(), await second.allocate()];
    expect(after[0]?.start, "the first block after the restart starts at the durable counter").toBe(300n);
    expectDisjoint([...before, ...after], "blocks before and after the restart");
  });

  it("a failed save hands out nothing, and no later block overlaps one handed out", async () => {
    const disk = new Disk(0n, "manual");
    const coordinator = allocator(disk);
    const failing = settle(coordinator.allocate());
    await flush();
    expect(disk.pending.length, "saves pending after one allocate()").toBe(1);
    disk.fail();
    expect((await failing).ok, "allocate() whose save failed").toBe(false);
    const later = await driveAll(disk, [coordinator.allocate(), coordinator.allocate()]);
    disk.crash();
    const afterCrash = await driveAll(disk, [allocator(disk).allocate()]);
    expectDisjoint([...later, ...afterCrash], "blocks after a failed save, and after a crash");
  });

  it("never offers a range again once its save has failed: the save may have landed", async () => {
    const disk = new Disk(0n, "manual");
    const coordinator = allocator(disk);
    const failing = settle(coordinator.allocate());
    await flush();
    expect(disk.pending.length, "saves pending after one allocate() on a new coordinator").toBe(1);
    disk.fail();
    expect((await failing).ok, "allocate() whose save of 100 failed").toBe(false);
    const [next] = await driveAll(disk, [coordinator.allocate()]);
    // the failed save may have reached the disk before the connection broke: [0, 100) may be promised already
    expect(
      (next as Block).start >= 100n,
      `the next block after the save for [0, 100) failed is ${show(next as Block)}: it must start at 100 or above`,
    ).toBe(true);
  });

  it("a failed load hands out nothing, and the next call loads again", async () => {
    const disk = new Disk(5000n);
    disk.failLoads = 1;
    const coordinator = allocator(disk);
    expect((await settle(coordinator.allocate())).ok, "allocate() while the store is unreachable").toBe(false);
    expect(await coordinator.allocate(), "the first block once the store answers").toEqual({
      start: 5000n,
      end: 5100n,
    });
  });
});

describe("concurrency", () => {
  it("never hands out overlapping blocks to servers asking at once", async () => {
    const disk = new Disk(0n, "manual");
    const coordinator = allocator(disk);
    const calls = Array.from({ length: 16 }, () => coordinator.allocate());
    const blocks = await driveAll(disk, calls, random(16));
    expectDisjoint(blocks, "16 blocks asked for at once");
    expect(
      blocks.every((b) => b.end - b.start === 100n),
      "every block holds blockSize ids",
    ).toBe(true);
  });

  it("keeps at most one save in flight, however many servers ask at once", async () => {
    const disk = new Disk(0n, "manual");
    const coordinator = allocator(disk);
    await driveAll(
      disk,
      Array.from({ length: 5 }, () => coordinator.allocate()),
    );
    expect(disk.maxPending, "the most saves pending at once while 5 blocks were asked for at once").toBe(1);
  });

  it("keeps the durable counter above every block handed out, whatever order the store applies writes in", async () => {
    // two UPDATEs in flight on two connections may land in either order: the smaller value can land last
    const disk = new Disk(0n, "manual");
    const coordinator = allocator(disk);
    const blocks = await driveAll(disk, [coordinator.allocate(), coordinator.allocate()], "newest");
    const highest = blocks.reduce((max, b) => (b.end > max ? b.end : max), 0n);
    expect(disk.durable, "the durable counter after both blocks were handed out").toBeGreaterThanOrEqual(highest);
    disk.crash();
    const after = await driveAll(disk, [allocator(disk).allocate()]);
    expectDisjoint([...blocks, ...after], "blocks before and after the crash");
  });

  asyncProp(
    "never reuses a block across crashes at random moments, with writes landing in any order",
    fc.record({
      blockSize: fc.constantFrom(1, 10, 1000),
      seed: fc.integer(),
      steps: fc.array(
        fc.oneof(
          {
            weight: 3,
            arbitrary: fc.record({ kind: fc.constant("ask" as const), count: fc.integer({ min: 1, max: 4 }) }),
          },
          { weight: 4, arbitrary: fc.record({ kind: fc.constant("land" as const) }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant("fail" as const) }) },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant("crash" as const) }) },
        ),
        { minLength: 1, maxLength: 40 },
      ),
    }),
    async ({ blockSize, seed, steps }) => {
      const rng = random(seed);
      const disk = new Disk(0n, "manual");
      let coordinator = allocator(disk, blockSize);
      let current: Promise<unknown>[] = [];
      const handedOut: Block[] = [];
      const ask = () => {
        const call = coordinator.allocate().then((block) => {
          handedOut.push(block);
          return block;
        });
        // a failed save rejects now; drive() reads the outcome later
        call.catch(() => undefined);
        return call;
      };
      for (const step of steps) {
        if (step.kind === "ask") for (let i = 0; i < step.count; i++) current.push(ask());
        else if (step.kind === "crash") {
          disk.crash();
          coordinator = allocator(disk, blockSize);
          current = [];
        } else if (disk.pending.length > 0) {
          const index = rng.int(0, disk.pending.length - 1);
          if (step.kind === "land") disk.land(index);
          else disk.fail(index);
        }
        await flush();
      }
      current.push(ask());
      const results = await drive(disk, current, rng);
      const failure = results.find((r) => !r.ok && isNotImplemented(r.error));
      if (failure && !failure.ok) throw failure.error;
      expectDisjoint(handedOut, `blocks handed out over ${steps.filter((s) => s.kind === "crash").length} crash(es)`);
      expect(results.at(-1)?.ok, "allocate() after the last step, with every save landing").toBe(true);
    },
    { numRuns: 200 },
  );
});

describe("pools", () => {
  it("hands out every id of a block once, in order, then fetches the next block", async () => {
    // blocks of 3 with gaps between them: [0, 3), [10, 13), [20, 23), ...
    const source = new ScriptedSource((i) => ({ start: BigInt(10 * i), end: BigInt(10 * i + 3) }));
    const pool = new IdPool(source);
    const ids: bigint[] = [];
    for (let i = 0; i < 6; i++) ids.push(await pool.next());
    expect(ids, "6 ids from next(), the coordinator handing out [0, 3) and then [10, 13)").toEqual([
      0n,
      1n,
      2n,
      10n,
      11n,
      12n,
    ]);
    expect(source.calls, "blocks fetched for 6 ids from blocks of 3").toBeGreaterThanOrEqual(2);
  });

  it("take() gives the next id without waiting, and undefined when no id is in hand", async () => {
    const pool = new IdPool(new ScriptedSource(blocksOf(5)));
    expect(pool.take(), "take() on a new pool").toBeUndefined();
    expect(await pool.next(), "next() on a new pool, the coordinator handing out [0, 5)").toBe(0n);
    expect(pool.take(), "take() with 1 to 4 left in the block").toBe(1n);
    expect(pool.take(), "take() with 2 to 4 left in the block").toBe(2n);
  });

  it("fetches one block for many callers that find the pool empty at once", async () => {
    const source = new ScriptedSource(blocksOf(1000));
    const pool = new IdPool(source);
    const ids = await Promise.all(Array.from({ length: 100 }, () => pool.next()));
    expect(source.calls, "blocks fetched for 100 callers at once, 1,000 ids a block").toBe(1);
    expect(new Set(ids).size, "distinct ids among 100").toBe(100);
  });

  it("serves more callers at once than a block holds, fetching at most one block more than the ids need", async () => {
    const source = new ScriptedSource(blocksOf(100));
    const pool = new IdPool(source);
    const ids = await Promise.all(Array.from({ length: 250 }, () => pool.next()));
    // 3 blocks hold 250 ids; a pool that fetches the next block early may have asked for a 4th
    expect(source.calls, "blocks of 100 fetched for 250 callers at once").toBeLessThanOrEqual(4);
    expect(
      [...ids].sort((a, b) => (a < b ? -1 : 1)),
      "the ids of 250 callers at once, sorted, from blocks [0, 100), [100, 200), ...",
    ).toEqual(Array.from({ length: 250 }, (_, i) => BigInt(i)));
  });

  it("a failed fetch rejects the callers waiting on it, and the next call fetches again", async () => {
    const source = new ScriptedSource(blocksOf(10), 1);
    const pool = new IdPool(source);
    const waiting = await Promise.all([0, 1, 2].map(() => settle(pool.next())));
    expect(
      waiting.map((r) => r.ok),
      "three callers waiting on a fetch that failed",
    ).toEqual([false, false, false]);
    expect(source.calls, "fetches for three callers at once").toBe(1);
    expect(await pool.next(), "the next call, once the coordinator answers").toBe(10n);
  });

  asyncProp(
    "ids from 8 servers' pools are all distinct, through coordinator crashes",
    fc.record({
      seed: fc.integer(),
      steps: fc.array(
        fc.oneof(
          {
            weight: 5,
            arbitrary: fc.record({
              kind: fc.constant("ids" as const),
              server: fc.integer({ min: 0, max: 7 }),
              count: fc.integer({ min: 1, max: 30 }),
            }),
          },
          { weight: 4, arbitrary: fc.record({ kind: fc.constant("land" as const) }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant("crash" as const) }) },
        ),
        { minLength: 1, maxLength: 40 },
      ),
    }),
    async ({ seed, steps }) => {
      const rng = random(seed);
      const disk = new Disk(0n, "manual");
      let coordinator = allocator(disk, 16);
      // the network: a crash resets the connections, so calls in flight to the old coordinator fail
      let cutOff: Array<(error: Error) => void> = [];
      const network = {
        allocate: () =>
          new Promise<Block>((resolve, reject) => {
            cutOff.push(reject);
            coordinator.allocate().then(resolve, reject);
          }),
      };
      const pools = Array.from({ length: 8 }, () => new IdPool(network));
      const ids: Array<{ id: bigint; server: number }> = [];
      const calls: Promise<unknown>[] = [];
      const ask = (server: number) => {
        const call = (pools[server] as learner.IdPool).next().then((id) => {
          ids.push({ id, server });
        });
        // a fetch cut off by a crash rejects now; drive() reads the outcome later
        call.catch(() => undefined);
        return call;
      };
      for (const step of steps) {
        if (step.kind === "ids") for (let i = 0; i < step.count; i++) calls.push(ask(step.server));
        else if (step.kind === "crash") {
          disk.crash();
          for (const reject of cutOff) reject(new StoreError("connection reset: the coordinator restarted"));
          cutOff = [];
          coordinator = allocator(disk, 16);
        } else if (disk.pending.length > 0) disk.land(rng.int(0, disk.pending.length - 1));
        await flush();
      }
      const results = await drive(disk, calls, rng);
      const failure = results.find((r) => !r.ok && isNotImplemented(r.error));
      if (failure && !failure.ok) throw failure.error;
      const owner = new Map<bigint, number>();
      for (const { id, server } of ids) {
        const other = owner.get(id);
        if (other !== undefined) expect.fail(`id ${id} went to server ${other} and to server ${server}`);
        owner.set(id, server);
      }
    },
    { numRuns: 60 },
  );
});

describe("performance against the reference", () => {
  type Taker = { take(): bigint | undefined };
  const ROUNDS = 8;
  const primed: { learner: Taker[]; reference: Taker[]; error?: unknown } = { learner: [], reference: [] };

  // the harness builds instances synchronously: pools get their block in hand here, before timing
  beforeAll(async () => {
    const huge = () => ({ allocate: () => Promise.resolve({ start: 1n << 40n, end: (1n << 40n) + 10_000_000n }) });
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const mine = new learner.IdPool(huge());
        await mine.next();
        primed.learner.push(mine);
        const theirs = new reference.IdPool(huge());
        await theirs.next();
        primed.reference.push(theirs);
      }
    } catch (error) {
      primed.error = error;
    }
  });

  const fromPrimed = (list: Taker[]) => (): Taker => {
    const pool = list.pop();
    if (!pool) throw new Error("the load test needs more primed pools than it made");
    return pool;
  };

  // one op is 100 ids: a single take() is a compare and an increment, too quick to time alone
  loadTest("take() keeps pace with the reference: 1M ids from a block in hand", budgets, () => {
    if (primed.error !== undefined) throw primed.error;
    let last: bigint | undefined = 0n;
    const result = compareLoad<Taker>({
      learner: fromPrimed(primed.learner),
      reference: fromPrimed(primed.reference),
      ops: 10_000,
      run: (pool, from, to) => {
        for (let i = from; i < to; i++) for (let j = 0; j < 100; j++) last = pool.take();
        return Number((last ?? 0n) & 0xffff_ffffn);
      },
      // each round takes from a fresh pool of one block: every id is fixed by the contract
      answers: { what: "the last id of each batch (its low 32 bits, summed)" },
    });
    expect(last, "take() from a block of 10M ids").toBeTypeOf("bigint");
    return result;
  });
});
