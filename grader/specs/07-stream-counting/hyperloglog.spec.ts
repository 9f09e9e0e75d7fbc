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

/** what count() must answer for these registers: the stub's formula, below the large range */
function modelCount(registers: Uint8Array): number {
  const m = registers.length;
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  let sum = 0;
  let empty = 0;
  for (const rank of registers) {
    sum += 2 ** -rank;
    if (rank === 0) empty++;
  }
  const raw = (alpha * m * m) / sum;
  return raw <= 2.5 * m && empty > 0 ? m * Math.log(m / empty) : raw;
}

/** the first items, in the order of `user:0`, `user:1`, ..., whose hash passes `keep` */
function itemsWhere(seed: number, count: number, keep: (hash: number) => boolean): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) {
    const item = `user:${i}`;
    if (keep(reference.hash32(item, seed))) found.push(item);
  }
  return found;
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
    expect(sketch.registerCount, "registerCount with precision 10").toBe(1024);
    expect(registers, "what registers() returns").toBeInstanceOf(Uint8Array);
    expect(registers.length, "registers with precision 10").toBe(1024);
    expect(
      registers.every((rank) => rank === 0),
      "every register of a new sketch is 0",
    ).toBe(true);
  });

  it("gives rank 32 − p + 1 to a hash whose bits after the index are all zero", () => {
    // with p = 16, one hash in 65,536 ends in 16 zero bits
    const [item] = itemsWhere(21, 1, (hash) => (hash & 0xffff) === 0) as [string];
    const sketch = make({ precision: 16, seed: 21 });
    sketch.add(item);
    const index = reference.hash32(item, 21) >>> 16;
    expect(sketch.registers()[index], `register ${index} after adding "${item}", whose hash ends in 16 zero bits`).toBe(
      17,
    );
  });

  it("registers() returns a copy: writing to it changes nothing", () => {
    const sketch = make({ precision: 10, seed: 3 });
    for (const item of items(0, 2000)) sketch.add(item);
    const before = sketch.count();
    sketch.registers().fill(0);
    expect(
      firstDifference(sketch.registers(), modelRegisters(items(0, 2000), 10, 3)),
      "registers after zeroing a copy",
    ).toBe("");
    expect(sketch.count(), "count after zeroing a copy of the registers").toBe(before);
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
      [Number.NaN, 1],
      [10, 0.5],
      [10, Number.NaN],
    ] as const) {
      expectThrows(() => make({ precision, seed }), RangeError, `precision ${precision}, seed ${seed}`);
    }
    for (const precision of [4, 16]) {
      expect(make({ precision, seed: -3 }).registerCount, `registerCount with precision ${precision}, seed -3`).toBe(
        2 ** precision,
      );
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

describe("the estimate", () => {
  it("count() is α·m²/Σ2^−M, or m·ln(m/V) below 2.5·m with V registers at 0: checked against the registers", () => {
    // α has its own values for m = 16, 32 and 64; none of these is near the 2.5·m edge
    for (const [precision, seed, n] of [
      [4, 41, 1000],
      [5, 42, 2000],
      [6, 43, 3000],
      [12, 44, 1000],
      [12, 45, 30_000],
      [16, 46, 5000],
    ] as const) {
      const added = items(0, n);
      const sketch = make({ precision, seed });
      for (const item of added) sketch.add(item);
      const want = modelCount(modelRegisters(added, precision, seed));
      const got = sketch.count();
      expect(
        Math.abs(got - want) <= 1e-9 * want,
        `count() with p = ${precision}, seed ${seed}, after ${n.toLocaleString("en")} items is ${got}, the formula gives ${want}`,
      ).toBe(true);
    }
  });

  it("counts with the raw estimate when no register is 0, however small it is", () => {
    // 16 items, one per register of a p = 4 sketch, each of rank 1: no register is 0, and the raw
    // estimate is 0.673 × 16² / (16 × 2^−1) = 21.536, below 2.5·m = 40; linear counting would divide by 0
    const byIndex = new Map<number, string>();
    for (let i = 0; byIndex.size < 16; i++) {
      const hash = reference.hash32(`user:${i}`, 31);
      if ((hash << 4) >>> 31 === 1 && !byIndex.has(hash >>> 28)) byIndex.set(hash >>> 28, `user:${i}`);
    }
    const sketch = make({ precision: 4, seed: 31 });
    for (const item of byIndex.values()) sketch.add(item);
    expect([...sketch.registers()], "registers: one item of rank 1 in each").toEqual(
      Array.from({ length: 16 }, () => 1),
    );
    expect(sketch.count(), "count() with every register at 1, m = 16").toBeCloseTo(21.536, 6);
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
    expect(
      firstDifference(a.registers(), union.registers()),
      "registers of users 0–29,999 merged with users 20,000–59,999, against users 0–59,999 added to one sketch",
    ).toBe("");
    expect(a.count(), "count after merging, against the union's").toBe(union.count());
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
    for (const [precision, seed] of [
      [11, 1],
      [12, 2],
    ] as const) {
      expectThrows(
        () => sketch.merge(make({ precision, seed })),
        RangeError,
        `merging a sketch of precision ${precision}, seed ${seed} into one of precision 12, seed 1`,
      );
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
        let counted = 0;
        for (let i = from; i < to; i++) {
          s.add(stream[i % size] as string);
          if (i % 100_000 === 99_999) counted += s.count();
        }
        return counted;
      },
      // the registers are the rule's and count() the formula's: only the order of a float sum may differ
      answers: { what: "the counts, every 100k adds", tolerance: 1e-8 },
    });
  });
});
