import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/03-sharding/range-partitioner";
import * as reference from "#ref/03-sharding/range-partitioner";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/03-sharding/chapter.ts";
import { RangeModel } from "./_range-model.ts";

const { budgets } = kataOf(chapter, "03-sharding", "range-partitioner");

type Partitioner = Pick<
  learner.RangePartitioner,
  "route" | "write" | "read" | "split" | "merge" | "rebalance" | "ranges"
>;
type Kata = { RangePartitioner: new (options: { maxBytes: number; maxReads: number }) => Partitioner };

function partitioner(maxBytes = 100, maxReads = 100, kata: Kata = learner): Partitioner {
  return new kata.RangePartitioner({ maxBytes, maxReads });
}

const whole = (start: string, end: string | null, keys = 0, bytes = 0, reads = 0) => ({
  start,
  end,
  keys,
  bytes,
  reads,
});

// a small key universe, "" included, so that writes, reads, splits and merges meet the same keys
const key = fc.string({ unit: fc.constantFrom("a", "b", "c", "B"), maxLength: 3 });
const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("write" as const), key, bytes: fc.integer({ min: 0, max: 60 }) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("read" as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("split" as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("merge" as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rebalance" as const) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
const scenarios = fc.record({
  maxBytes: fc.constantFrom(40, 100, 250),
  maxReads: fc.constantFrom(3, 8, 20),
  ops: fc.array(op, { minLength: 1, maxLength: 60 }),
});

const describeOp = (o: Op) =>
  o.kind === "write"
    ? `write("${o.key}", ${o.bytes})`
    : o.kind === "rebalance"
      ? "rebalance()"
      : `${o.kind}("${o.key}")`;

/** applies the ops to the learner and the model, calling `check` after each with what happened so far */
function replay(
  s: { maxBytes: number; maxReads: number; ops: Op[] },
  check: (p: Partitioner, model: RangeModel, history: string, result: unknown, expected: unknown) => void,
): void {
  const p = partitioner(s.maxBytes, s.maxReads);
  const model = new RangeModel(s.maxBytes, s.maxReads);
  const done: string[] = [];
  for (const o of s.ops) {
    done.push(describeOp(o));
    let result: unknown;
    let expected: unknown;
    if (o.kind === "write") {
      p.write(o.key, o.bytes);
      model.write(o.key, o.bytes);
    } else if (o.kind === "read") {
      p.read(o.key);
      model.read(o.key);
    } else if (o.kind === "split") {
      result = p.split(o.key);
      expected = model.split(o.key);
    } else if (o.kind === "merge") {
      result = p.merge(o.key);
      expected = model.merge(o.key);
    } else {
      result = p.rebalance();
      expected = model.rebalance();
    }
    check(p, model, `after ${done.slice(-6).join(", ")}`, result, expected);
  }
}

describe("routing", () => {
  it('starts as one range, ["", null), that holds every key', () => {
    const p = partitioner();
    for (const k of ["", "a", "zzz", "\uffff"]) expect(p.route(k), `route("${k}")`).toEqual({ start: "", end: null });
    expect(p.ranges(), "ranges() of a new partitioner").toEqual([whole("", null)]);
  });

  it("a key equal to a boundary belongs to the range that starts there: ends are exclusive", () => {
    const p = partitioner();
    p.split("m");
    p.split("t");
    const after = 'after split("m"), split("t")';
    expect(p.route("m"), `route("m") ${after}`).toEqual({ start: "m", end: "t" });
    expect(p.route("t"), `route("t") ${after}`).toEqual({ start: "t", end: null });
    expect(p.route(""), `route("") ${after}`).toEqual({ start: "", end: "m" });
    expect(p.route("lzz"), `route("lzz") ${after}`).toEqual({ start: "", end: "m" });
    expect(p.route("szz"), `route("szz") ${after}`).toEqual({ start: "m", end: "t" });
  });

  it('routes keys in JavaScript string order: "B" < "a" < "aa" < "b"', () => {
    const p = partitioner();
    p.split("a");
    p.split("b");
    expect(p.route("B"), 'route("B"): capitals sort before lower case').toEqual({ start: "", end: "a" });
    expect(p.route("aa"), 'route("aa") after split("a"), split("b")').toEqual({ start: "a", end: "b" });
    expect(p.route("b"), 'route("b") after split("a"), split("b")').toEqual({ start: "b", end: null });
    expect(p.route("ba"), 'route("ba") after split("a"), split("b")').toEqual({ start: "b", end: null });
  });
});

describe("split and merge", () => {
  it("split(at) cuts the range holding `at` in two, and returns false where `at` is already a boundary", () => {
    const p = partitioner();
    expect(p.split("m"), 'split("m") on a new partitioner').toBe(true);
    expect(p.split("f"), 'split("f") after split("m")').toBe(true);
    expect(p.split("m"), "split at an existing boundary").toBe(false);
    expect(p.split(""), 'split at "", where the first range starts').toBe(false);
    expect(
      p.ranges().map(({ start, end }) => [start, end]),
      'ranges after split("m"), split("f") and two splits that did nothing',
    ).toEqual([
      ["", "f"],
      ["f", "m"],
      ["m", null],
    ]);
  });

  it("a split moves the keys at or above the boundary, with their bytes and reads, to the right-hand range", () => {
    const p = partitioner();
    p.write("a", 10);
    p.write("m", 20);
    p.write("n", 30);
    p.read("m");
    p.read("m");
    p.read("a");
    p.split("m");
    expect(p.ranges(), 'ranges() after a: 10 bytes, m: 20, n: 30, reads m, m, a, then split("m")').toEqual([
      whole("", "m", 1, 10, 1),
      whole("m", null, 2, 50, 2),
    ]);
  });

  it("merge(boundary) joins the two ranges that meet there, with everything they hold", () => {
    const p = partitioner();
    p.split("f");
    p.split("m");
    p.write("g", 5);
    p.write("p", 7);
    p.read("p");
    expect(p.merge("m"), 'merge("m") with boundaries f and m').toBe(true);
    expect(p.ranges(), 'ranges() after g: 5 bytes, p: 7, a read of p, then merge("m")').toEqual([
      whole("", "f"),
      whole("f", null, 2, 12, 1),
    ]);
    expect(p.route("p"), 'route("p") after merge("m")').toEqual({ start: "f", end: null });
  });

  it("merge returns false, changing nothing, for a key that is not a boundary", () => {
    const p = partitioner();
    p.split("m");
    p.split("t");
    expect(p.merge("k"), 'merge("k"), inside the first range').toBe(false);
    expect(p.merge("p"), 'merge("p"), inside ["m", "t")').toBe(false);
    expect(p.merge(""), 'merge(""): the first range has nothing before it').toBe(false);
    expect(
      p.ranges().map(({ start, end }) => [start, end]),
      "ranges after three merges that did nothing",
    ).toEqual([
      ["", "m"],
      ["m", "t"],
      ["t", null],
    ]);
  });

  it("write replaces a key's size, and 0 bytes deletes the key", () => {
    const p = partitioner();
    p.write("a", 10);
    p.write("a", 25);
    p.write("b", 5);
    expect(p.ranges(), 'ranges() after write("a", 10), write("a", 25), write("b", 5)').toEqual([
      whole("", null, 2, 30),
    ]);
    p.write("b", 0);
    expect(p.ranges(), 'ranges() after write("b", 0) as well').toEqual([whole("", null, 1, 25)]);
  });
});

describe("rebalance", () => {
  it("splits a range over maxBytes at the key that halves its bytes", () => {
    const p = partitioner(100, 100);
    for (const k of ["a", "b", "c", "d"]) p.write(k, 30);
    // 120 bytes: 60 lie before "c", the first key with half the bytes before it
    expect(p.rebalance(), "rebalance() of a, b, c, d at 30 bytes each, maxBytes 100").toEqual({
      splits: ["c"],
      merges: [],
      hotKeys: [],
    });
    expect(p.ranges(), "ranges() after that rebalance").toEqual([whole("", "c", 2, 60), whole("c", null, 2, 60)]);
  });

  it("splits a range over maxReads at the key that halves its reads", () => {
    const p = partitioner(100, 8);
    for (const [k, times] of [
      ["a", 2],
      ["b", 2],
      ["c", 2],
      ["d", 4],
    ] as const) {
      for (let i = 0; i < times; i++) p.read(k);
    }
    // 10 reads: 6 lie before "d", the first key with at least 5 before it
    expect(p.rebalance(), "rebalance() after reads a ×2, b ×2, c ×2, d ×4, maxReads 8").toEqual({
      splits: ["d"],
      merges: [],
      hotKeys: [],
    });
    expect(
      p.ranges().map(({ start, end }) => [start, end]),
      "ranges after that rebalance",
    ).toEqual([
      ["", "d"],
      ["d", null],
    ]);
  });

  it("keeps splitting until every range with two or more keys fits", () => {
    const p = partitioner(100, 100);
    const keys = Array.from({ length: 16 }, (_, i) => `user:${String(i).padStart(2, "0")}`);
    for (const k of keys) p.write(k, 50);
    const report = p.rebalance();
    const ranges = p.ranges();
    for (const r of ranges) {
      expect(
        r.bytes <= 100 || r.keys <= 1,
        `range ["${r.start}", ${r.end}) holds ${r.keys} keys, ${r.bytes} bytes`,
      ).toBe(true);
    }
    expect(ranges.length, "800 bytes in ranges of at most 100").toBe(8);
    expect(report.splits, "the splits reported by that rebalance").toHaveLength(7);
  });

  it("a range at exactly maxBytes or maxReads stays whole; one byte or one read more splits it", () => {
    const p = partitioner(100, 1000);
    p.write("a", 50);
    p.write("b", 50);
    expect(p.rebalance(), "rebalance() of one range of 100 bytes, maxBytes 100").toEqual({
      splits: [],
      merges: [],
      hotKeys: [],
    });
    p.write("b", 51);
    expect(p.rebalance().splits, "splits of one range of 101 bytes, maxBytes 100").toEqual(["b"]);

    const q = partitioner(1000, 10);
    for (let i = 0; i < 5; i++) q.read("c");
    for (let i = 0; i < 5; i++) q.read("d");
    expect(q.rebalance(), "rebalance() of one range read 10 times, maxReads 10").toEqual({
      splits: [],
      merges: [],
      hotKeys: [],
    });
    for (let i = 0; i < 5; i++) q.read("c");
    for (let i = 0; i < 6; i++) q.read("d");
    expect(q.rebalance().splits, "splits of one range read 11 times, maxReads 10").toEqual(["d"]);
  });

  it("a range over maxBytes with one stored key still splits by reads when it is over maxReads", () => {
    const p = partitioner(100, 10);
    p.write("big", 500);
    for (let i = 0; i < 6; i++) p.read("big");
    for (let i = 0; i < 6; i++) p.read("fan");
    // bytes cannot split one key; 12 reads over two keys can: 6 lie before "fan"
    expect(
      p.rebalance(),
      "rebalance() of big: 500 bytes (maxBytes 100), reads big ×6 and fan ×6 (maxReads 10)",
    ).toEqual({ splits: ["fan"], merges: [], hotKeys: [] });
  });

  it("cannot split one hot key: reports it in hotKeys and leaves it alone in its range", () => {
    const p = partitioner(1000, 10);
    for (let i = 0; i < 50; i++) p.read("celebrity");
    p.read("fan");
    expect(p.rebalance(), "rebalance() after 50 reads of celebrity and 1 of fan, maxReads 10").toEqual({
      splits: ["fan"],
      merges: [],
      hotKeys: ["celebrity"],
    });
    expect(p.route("celebrity"), 'route("celebrity") after that rebalance').toEqual({ start: "", end: "fan" });
  });

  it("merges neighbours that together stay within a quarter of maxBytes and a quarter of maxReads", () => {
    const p = partitioner(100, 100);
    for (const b of ["b", "c", "d"]) p.split(b);
    p.write("a", 10);
    p.write("b", 10);
    p.write("c", 5);
    p.write("d", 60);
    for (let i = 0; i < 30; i++) p.read("c");
    // ["", b) + [b, c): 20 bytes, 0 reads: merge. + [c, d): 25 bytes but 30 reads: no. [c, d) + [d, …): 65 bytes: no
    expect(
      p.rebalance(),
      "rebalance() of [, b) 10 bytes, [b, c) 10, [c, d) 5 bytes and 30 reads, [d, …) 60, limits 100 and 100",
    ).toEqual({ splits: [], merges: ["b"], hotKeys: [] });
    expect(
      p.ranges().map(({ start, end }) => [start, end]),
      "ranges after that rebalance",
    ).toEqual([
      ["", "c"],
      ["c", "d"],
      ["d", null],
    ]);
  });

  it("merges two neighbours that together hold exactly a quarter of each limit, not one byte more", () => {
    const p = partitioner(100, 100);
    p.split("m");
    p.write("a", 15);
    p.write("n", 10);
    for (let i = 0; i < 20; i++) p.read("a");
    for (let i = 0; i < 5; i++) p.read("n");
    expect(
      p.rebalance().merges,
      "merges of [, m) 15 bytes, 20 reads and [m, …) 10 bytes, 5 reads: 25 and 25, a quarter of 100 and 100",
    ).toEqual(["m"]);

    const q = partitioner(100, 100);
    q.split("m");
    q.write("a", 15);
    q.write("n", 11);
    expect(q.rebalance().merges, "merges of [, m) 15 bytes and [m, …) 11 bytes: 26, over a quarter of 100").toEqual([]);
  });

  it("merging walks left to right, each range joining the merged one before it while the sum fits", () => {
    const p = partitioner(100, 100);
    for (const b of ["b", "c", "d"]) p.split(b);
    for (const k of ["a", "b", "c", "d"]) p.write(k, 10);
    // a quarter of 100: [, b) + [b, c) = 20 fits; + [c, d) = 30 does not; [c, d) + [d, …) = 20 fits
    expect(p.rebalance().merges, "merges of four ranges of 10 bytes each, maxBytes 100").toEqual(["b", "d"]);
    expect(
      p.ranges().map(({ start, end, bytes }) => [start, end, bytes]),
      "ranges after that rebalance",
    ).toEqual([
      ["", "c", 20],
      ["c", null, 20],
    ]);
  });

  it("counts reads from zero after each rebalance", () => {
    const p = partitioner(1000, 1000);
    p.split("m");
    for (let i = 0; i < 5; i++) p.read("x");
    p.write("x", 600);
    p.rebalance();
    expect(
      p.ranges().map((r) => r.reads),
      "reads per range after 5 reads of x and a rebalance",
    ).toEqual([0, 0]);
    p.read("x");
    expect(
      p.ranges().map((r) => r.reads),
      "reads per range after one more read of x",
    ).toEqual([0, 1]);
  });
});

describe("properties", () => {
  prop("matches the model on random writes, reads, splits, merges and rebalances", scenarios, (s) => {
    replay(s, (p, model, history, result, expected) => {
      expect(result, `the value returned, ${history}`).toEqual(expected);
      expect(p.ranges(), `ranges(), ${history}`).toEqual(model.ranges());
    });
  });

  prop(
    'ranges always cover every key exactly once: the first starts at "", each ends where the next starts, the last has no end',
    scenarios,
    (s) => {
      replay(s, (p, _model, history) => {
        const ranges = p.ranges();
        expect(ranges[0]?.start, `the first range's start, ${history}`).toBe("");
        expect(ranges[ranges.length - 1]?.end, `the last range's end, ${history}`).toBeNull();
        for (let i = 0; i + 1 < ranges.length; i++) {
          const [left, right] = [ranges[i], ranges[i + 1]] as [learner.RangeStats, learner.RangeStats];
          expect(
            left.end,
            `range ${i} ["${left.start}", ${left.end}) ends where range ${i + 1} starts, ${history}`,
          ).toBe(right.start);
          expect(left.start < right.start, `ranges in key order, ${history}`).toBe(true);
        }
      });
    },
  );

  prop("every key routes to the one range that holds it", scenarios, (s) => {
    const probes = ["", "B", "Bz", "a", "aa", "ab", "abc", "b", "ba", "c", "cc", "ccc", "z"];
    replay(s, (p, _model, history) => {
      const ranges = p.ranges();
      for (const k of probes) {
        const holding = ranges.filter((r) => r.start <= k && (r.end === null || k < r.end));
        expect(holding.length, `ranges holding "${k}", ${history}`).toBe(1);
        const { start, end } = holding[0] as learner.RangeStats;
        expect(p.route(k), `route("${k}"), ${history}`).toEqual({ start, end });
      }
    });
  });

  prop("keys, bytes and reads add up across the ranges to what was written and read", scenarios, (s) => {
    replay(s, (p, model, history) => {
      const ranges = p.ranges();
      const sum = (field: "keys" | "bytes" | "reads") => ranges.reduce((total, r) => total + r[field], 0);
      expect(sum("keys"), `keys, ${history}`).toBe(model.sizes.size);
      expect(sum("bytes"), `bytes, ${history}`).toBe([...model.sizes.values()].reduce((a, b) => a + b, 0));
      expect(sum("reads"), `reads since the last rebalance, ${history}`).toBe(
        [...model.reads.values()].reduce((a, b) => a + b, 0),
      );
    });
  });
});

describe("validation", () => {
  it("throws a RangeError for limits that are not positive finite numbers, and sizes below 0", () => {
    for (const [maxBytes, maxReads] of [
      [0, 10],
      [-1, 10],
      [Number.NaN, 10],
      [Number.POSITIVE_INFINITY, 10],
      [10, 0],
      [10, Number.NaN],
      [10, Number.POSITIVE_INFINITY],
    ] as const) {
      expectThrows(
        () => new learner.RangePartitioner({ maxBytes, maxReads }),
        RangeError,
        `new RangePartitioner({ maxBytes: ${maxBytes}, maxReads: ${maxReads} })`,
      );
    }
    const p = partitioner();
    for (const bytes of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => p.write("a", bytes), RangeError, `write("a", ${bytes})`);
    }
  });
});

describe("performance against the reference", () => {
  const rng = random(seedFor("range-partitioner load"));
  const keyOf = (n: number) => `user:${String(n).padStart(8, "0")}`;
  // distinct boundaries, split in key order: each split lands at the end, so building stays cheap
  const boundaries = [...new Set(Array.from({ length: 10_500 }, () => keyOf(rng.int(0, 99_999_999))))].slice(0, 10_000);
  const probes = Array.from({ length: 100_000 }, () => keyOf(rng.int(0, 99_999_999)));
  const prefixes = [1_000, 10_000].map((size) => boundaries.slice(0, size).sort());
  const kinds = Uint8Array.from({ length: probes.length }, () => rng.int(0, 9));
  // which range each route answered, summed: the last characters of its start tell the boundaries apart
  const startCode = (start: string) =>
    start.length < 3
      ? start.length
      : start.charCodeAt(start.length - 1) +
        10 * start.charCodeAt(start.length - 2) +
        100 * start.charCodeAt(start.length - 3);
  const answers = { what: "the ranges routed to (a checksum of their starts)" };
  const holding = (kata: Kata) => (size: number) => {
    // limits far above the workload: nothing here triggers a split or a merge
    const p = partitioner(1e15, 1e15, kata);
    for (const at of prefixes[size === 1_000 ? 0 : 1] as string[]) p.split(at);
    return p;
  };

  loadTest("keeps pace with the reference: 50k routes, reads and writes over 1,000 ranges", budgets, () =>
    compareLoad<Partitioner>({
      learner: () => holding(learner)(1_000),
      reference: () => holding(reference)(1_000),
      ops: 50_000,
      run: (p, from, to) => {
        let sum = 0;
        for (let i = from; i < to; i++) {
          const k = probes[i] as string;
          const kind = kinds[i] as number;
          if (kind < 5) sum += startCode(p.route(k).start);
          else if (kind < 8) p.read(k);
          else p.write(k, kind);
        }
        return sum;
      },
      answers,
    }),
  );

  loadTest("routing costs about the same with 1,000 or 10,000 ranges", budgets, () =>
    compareGrowth<Partitioner>({
      learner: holding(learner),
      reference: holding(reference),
      n: 1_000,
      ops: 50_000,
      // seven rounds: the median holds when other processes take the cores in bursts
      rounds: 7,
      run: (p, from, to) => {
        let sum = 0;
        for (let i = from; i < to; i++) sum += startCode(p.route(probes[i] as string).start);
        return sum;
      },
      answers,
    }),
  );
});
