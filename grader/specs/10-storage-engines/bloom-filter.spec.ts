import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/10-storage-engines/bloom-filter";
import * as reference from "#ref/10-storage-engines/bloom-filter";
import { baseSeed, compareLoad, expectThrows, kataOf, loadTest, prop, seedFor, testName } from "#spec";
import chapter from "../../../chapters/10-storage-engines/chapter.ts";
import { falsePositiveTrials } from "./_bloom.ts";

const { budgets } = kataOf(chapter, "10-storage-engines", "bloom-filter");

const filter = (expectedItems: number, falsePositiveRate: number, seed = 1) =>
  new learner.BloomFilter({ expectedItems, falsePositiveRate, seed });

/** the run's seed and the test's name, recorded on the test so the report prints the reproduce command */
function seedOf(task: { fullName: string; fullTestName?: string; meta: { seed?: number } }): number {
  const base = baseSeed();
  task.meta.seed = base;
  return seedFor(testName(task), base);
}

describe("sizing", () => {
  it("sizes the filter from n and p: m = ⌈−n·ln p / (ln 2)²⌉ bits, k = round(m/n · ln 2) hashes", () => {
    for (const [n, p, bits, hashes] of [
      // −n·ln p/(ln 2)² = 9,585.06: rounded up, not to the nearest; m/n·ln 2 = 6.64: rounded, not down
      [1000, 0.01, 9586, 7],
      [1_000_000, 0.01, 9_585_059, 7],
      [5000, 0.001, 71_888, 10],
      // m/n·ln 2 = 3.33 and 4.32: rounded, not up
      [10, 0.1, 48, 3],
      [2000, 0.05, 12_471, 4],
      [1000, 0.02, 8143, 6],
      // m/n·ln 2 = 1.005: k is at least 1 anyway
      [100, 0.5, 145, 1],
      [1, 0.3, 3, 2],
    ] as const) {
      const f = filter(n, p);
      expect({ bits: f.bits, hashes: f.hashes }, `n = ${n}, p = ${p}`).toEqual({ bits, hashes });
    }
  });

  it("throws a RangeError for n not a positive integer, p outside (0, 1) or a seed that is not an integer", () => {
    for (const [n, p, seed] of [
      [0, 0.01, 1],
      [-5, 0.01, 1],
      [10.5, 0.01, 1],
      [Number.NaN, 0.01, 1],
      [100, 0, 1],
      [100, 1, 1],
      [100, 1.5, 1],
      [100, Number.NaN, 1],
      [100, 0.01, 0.5],
    ] as const) {
      expectThrows(
        () => new learner.BloomFilter({ expectedItems: n, falsePositiveRate: p, seed }),
        RangeError,
        `a filter with n = ${n}, p = ${p}, seed ${seed}`,
      );
    }
  });
});

describe("membership", () => {
  it("an empty filter holds nothing", () => {
    const f = filter(1000, 0.01);
    const found = ["a", "b", "user:1", ""].filter((item) => f.mightContain(item));
    expect(found, "items found in a filter nothing was added to").toEqual([]);
  });

  prop(
    "never a false negative: every item added is found, whatever the seed and the items",
    fc.record({
      items: fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 200 }),
      seed: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      rate: fc.constantFrom(0.5, 0.1, 0.01, 0.0001),
    }),
    ({ items, seed, rate }) => {
      const f = filter(Math.max(1, Math.floor(items.length / 2)), rate, seed);
      for (const item of items) f.add(item);
      for (const item of items)
        expect(f.mightContain(item), `"${item}" was added (seed ${seed}, p = ${rate})`).toBe(true);
    },
  );

  it("never a false negative: 200,000 items added to a filter sized for them are all found", ({ task }) => {
    const seed = seedOf(task);
    const f = filter(200_000, 0.01, seed);
    const missed: string[] = [];
    for (let i = 0; i < 200_000; i++) f.add(`user:${seed}:${i}`);
    for (let i = 0; i < 200_000; i++) if (!f.mightContain(`user:${seed}:${i}`)) missed.push(`user:${seed}:${i}`);
    expect(missed.length, `items added but not found, e.g. ${missed.slice(0, 3).join(", ")}`).toBe(0);
  });

  it("adding an item twice changes nothing", () => {
    const once = filter(100, 0.01, 3);
    const twice = filter(100, 0.01, 3);
    for (const item of ["a", "b", "c"]) {
      once.add(item);
      twice.add(item);
      twice.add(item);
    }
    const probes = Array.from({ length: 2000 }, (_, i) => `probe:${i}`);
    expect(
      probes.filter((p) => twice.mightContain(p)),
      "items found after adding a, b, c twice, against once",
    ).toEqual(probes.filter((p) => once.mightContain(p)));
  });
});

describe("false-positive rate", () => {
  // a filter with independent indexes fails this with probability ≈ 1e-17 (8.8 standard deviations); the
  // reference failed 0 of seeds 1..1000 (its worst seed found 2,14x of 200,000)
  it("keeps the false-positive rate near p: 10 full filters (n = 5,000, p = 1%) find at most 2,400 of 200,000 items never added", ({
    task,
  }) => {
    const result = falsePositiveTrials((options) => new learner.BloomFilter(options), seedOf(task));
    expect(result.ok, result.detail).toBe(true);
  });

  it("a filter filled past n finds more items it never held, not fewer of those it did", () => {
    const f = filter(100, 0.01, 9);
    for (let i = 0; i < 1000; i++) f.add(`in:${i}`);
    let missed = 0;
    for (let i = 0; i < 1000; i++) if (!f.mightContain(`in:${i}`)) missed++;
    let found = 0;
    for (let i = 0; i < 2000; i++) if (f.mightContain(`out:${i}`)) found++;
    expect(missed, "items added to a filter holding 10 × n but not found").toBe(0);
    // at 10 × n the rate is (1 − e^(−70))^7, about 1: far above p
    expect(found, "of 2,000 items never added, found by a filter holding 10 × n").toBeGreaterThan(1000);
  });
});

describe("performance against the reference", () => {
  loadTest("keeps pace with the reference: 100k adds and lookups on a filter for 100k items", budgets, () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `user:${(i * 7919) % 100_000}:${i}`);
    const options = { expectedItems: 100_000, falsePositiveRate: 0.01, seed: 1 };
    return compareLoad<learner.BloomFilter | reference.BloomFilter>({
      learner: () => new learner.BloomFilter(options),
      reference: () => new reference.BloomFilter(options),
      ops: 100_000,
      run: (f, from, to) => {
        let found = 0;
        for (let i = from; i < to; i++) {
          const item = items[i] as string;
          f.add(item);
          if (f.mightContain(item)) found++;
        }
        return found;
      },
      answers: { what: "the items found right after being added" },
    });
  });
});
