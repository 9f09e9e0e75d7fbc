import { describe, expect, it } from "vitest";
import * as learner from "#kata/07-stream-counting/hyperloglog";
import * as reference from "#ref/07-stream-counting/hyperloglog";
import { compareLoad, expectThrows, kataOf, loadTest } from "#spec";
import chapter from "../../../chapters/07-stream-counting/chapter.ts";
import { hyperLogLogErrors, smallRange, spreadsLikeSigma, unbiased, withinThreeSigma } from "./_bounds.ts";
import { expectCheck, seedOf, skewedItems } from "./_seeded.ts";

const { budgets } = kataOf(chapter, "07-stream-counting", "hyperloglog");

const make = (options: { precision: number; seed: number }) => new learner.HyperLogLog(options);

/** the registers the HLL rule gives: top p bits of the hash pick one, leading zeros of the rest + 1 is the rank */
function modelRegisters(items: readonly string[], precision: number, seed: number): Uint8Array {
  const registers = new Uint8Array(2 ** precision);
  for (const item of items) {
    const hash = reference.hash32(item, seed);
    const index = hash >>> (32 - precision);
    const rest = (hash << precision) >>> 0;
    const rank = Math.min(Math.clz32(rest) + 1, 32 - precision + 1);
    registers[index] = Math.max(registers[index] as number, rank);
  }
  return registers;
}

function firstDifference(got: Uint8Array, want: Uint8Array): string {
  if (got.length !== want.length) return `${got.length} registers, expected ${want.length}`;
  const i = want.findIndex((rank, j) => got[j] !== rank);
  return i < 0 ? "" : `register ${i} holds ${got[i]}, expected ${want[i]}`;
}

const items = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `user:${from + i}`);

describe("registers", () => {
  it("has m = 2^precision one-byte registers, all zero at the start", () => {
    const sketch = make({ precision: 10, seed: 1 });
    const registers = sketch.registers();
    expect(sketch.registerCount).toBe(1024);
    expect(registers).toBeInstanceOf(Uint8Array);
    expect(registers.length).toBe(1024);
    expect(registers.every((rank) => rank === 0)).toBe(true);
  });

  it("sets each register to the longest run of leading zeros after the index bits, plus one", () => {
    for (const [precision, seed] of [
      [4, 11],
      [10, 12],
      [14, 13],
    ] as const) {
      const added = items(0, 5000);
      const sketch = make({ precision, seed });
      for (const item of added) sketch.add(item);
      const problem = firstDifference(sketch.registers(), modelRegisters(added, precision, seed));
      expect(problem, `p = ${precision}, seed ${seed}, after 5,000 items`).toBe("");
    }
  });

  it("throws a RangeError for a precision outside 4..16 or a seed that is not an integer", () => {
    for (const [precision, seed] of [
      [3, 1],
      [17, 1],
      [10.5, 1],
      [10, 0.5],
    ] as const) {
      expectThrows(() => make({ precision, seed }), RangeError);
    }
  });
});

describe("small range", () => {
  it("counts an empty sketch as 0 and one item as 1, however often it is added", () => {
    const sketch = make({ precision: 12, seed: 1 });
    expect(sketch.count(), "count of an empty sketch").toBe(0);
    for (let i = 0; i < 100; i++) sketch.add("only-visitor");
    expect(sketch.count(), "count after one item added 100 times").toBeCloseTo(1, 2);
  });

  // linear counting's error here has a standard deviation of 1.1–1.4%: 10% fails with probability ≈ 5e-13
  it("uses linear counting below 2.5·m: 100, 1,000 and 5,000 items within 10% with 4,096 registers", ({ task }) => {
    expectCheck(smallRange(make, seedOf(task)));
  });
});

describe("accuracy over seeds (m = 4,096, σ = 1.04/√m = 1.625%)", () => {
  // P(a correct sketch fails) ≤ P(Bin(32, 0.0027) ≥ 4) ≈ 1.8e-6 with normal errors of σ; the reference has
  // 0.19% of its sketches outside 3σ (4e-7 a run), and failed 0 of 1,000 seeded runs
  it("counts 50,000 items within 3σ on at least 29 of 32 seeds", ({ task }) => {
    expectCheck(withinThreeSigma(hyperLogLogErrors(make, seedOf(task))));
  });

  // the mean of 32 errors has standard deviation σ/√32: P(|Z| > 4.5) ≈ 6.8e-6
  it("has no bias: the mean error over 32 seeds is within 4.5σ/√32", ({ task }) => {
    expectCheck(unbiased(hyperLogLogErrors(make, seedOf(task))));
  });

  // 32·(RMS/σ)² is about χ² with 32 degrees of freedom: outside [0.4σ, 1.5σ] with probability 6.5e-5 for
  // normal errors of exactly σ, 3e-6 at the 0.94σ the reference measures
  it("spreads like 1.04/√m: the RMS error over 32 seeds is between 0.4σ and 1.5σ", ({ task }) => {
    expectCheck(spreadsLikeSigma(hyperLogLogErrors(make, seedOf(task))));
  });
});

describe("merge", () => {
  it("merge equals the sketch of the union", () => {
    const [a, b, union] = [
      make({ precision: 12, seed: 5 }),
      make({ precision: 12, seed: 5 }),
      make({ precision: 12, seed: 5 }),
    ];
    for (const item of items(0, 30_000)) a.add(item);
    for (const item of items(20_000, 60_000)) b.add(item);
    for (const item of items(0, 60_000)) union.add(item);
    a.merge(b);
    expect(firstDifference(a.registers(), union.registers()), "registers after merging").toBe("");
    expect(a.count(), "count after merging").toBe(union.count());
  });

  it("merging the same sketch again, or a sketch into itself, changes nothing", () => {
    const [a, b] = [make({ precision: 10, seed: 5 }), make({ precision: 10, seed: 5 })];
    for (const item of items(0, 8000)) a.add(item);
    for (const item of items(4000, 12_000)) b.add(item);
    a.merge(b);
    const once = a.registers();
    a.merge(b);
    a.merge(a);
    expect(firstDifference(a.registers(), once), "registers after merging twice and into itself").toBe("");
  });

  it("refuses to merge sketches of another precision or seed", () => {
    const sketch = make({ precision: 12, seed: 1 });
    for (const other of [make({ precision: 11, seed: 1 }), make({ precision: 12, seed: 2 })]) {
      expectThrows(() => sketch.merge(other), RangeError);
    }
  });
});

describe("performance against the reference", () => {
  // an add takes tens of ns: 1M of them (the 200k items five times over), so that each of the 50
  // timed batches lasts a millisecond or more and its p99 is not a single preemption
  loadTest("keeps pace with the reference: 1M adds, a count every 100k", budgets, () => {
    const size = 200_000;
    const stream = skewedItems("hyperloglog load", size, size, 0.6);
    const options = { precision: 14, seed: 1 };
    return compareLoad<learner.HyperLogLog | reference.HyperLogLog>({
      learner: () => new learner.HyperLogLog(options),
      reference: () => new reference.HyperLogLog(options),
      ops: 5 * size,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) {
          s.add(stream[i % size] as string);
          if (i % 100_000 === 99_999) s.count();
        }
      },
    });
  });
});
