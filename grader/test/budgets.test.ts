import { describe, expect, it } from "vitest";
import { BudgetExceeded, formatNs, formatRate, formatRatio, judgeGrowth, judgeLoad } from "../load/budgets.ts";
import type { GrowthResult, LoadResult } from "../load/harness.ts";

const load = (throughput: number, p99: number): LoadResult => ({
  kind: "load",
  ops: 1000,
  learner: { opsPerSec: 1e6 * throughput, p50Ns: 1000, p99Ns: 2000 * p99, rounds: 5, stoppedEarly: false },
  reference: { opsPerSec: 1e6, p50Ns: 1000, p99Ns: 2000, rounds: 5, stoppedEarly: false },
  ratios: { throughput, p50: 1, p99 },
});

const budgets = {
  throughput: { min: 0.3, reason: "sound designs are within 2×" },
  p99: { max: 5, reason: "no stalls" },
  growth: { max: 3, reason: "O(1) per call" },
};

describe("judgeLoad", () => {
  it("passes ratios within budget and fails those outside", () => {
    expect(judgeLoad(load(0.9, 1.1), budgets).map((v) => v.ok)).toEqual([true, true]);
    const verdicts = judgeLoad(load(0.2, 6), budgets);
    expect(verdicts.map((v) => [v.budget, v.ok])).toEqual([
      ["throughput", false],
      ["p99", false],
    ]);
  });

  it("judges only the budgets the manifest sets", () => {
    expect(judgeLoad(load(0.1, 100), { p50: { max: 2, reason: "medians" } }).map((v) => v.budget)).toEqual(["p50"]);
  });
});

describe("judgeGrowth", () => {
  const growth = (learner: number): GrowthResult => ({
    kind: "growth",
    n: 100,
    factor: 10,
    ops: 100,
    learner: { smallNsPerOp: 10, largeNsPerOp: 10 * learner, growth: learner, stoppedEarly: false },
    reference: { smallNsPerOp: 10, largeNsPerOp: 12, growth: 1.2, stoppedEarly: false },
    ratio: learner / 1.2,
  });

  it("compares growth with the reference's growth", () => {
    expect(judgeGrowth(growth(1.3), budgets)[0]?.ok).toBe(true);
    expect(judgeGrowth(growth(9), budgets)[0]?.ok).toBe(false);
  });
});

describe("BudgetExceeded", () => {
  it("states both measurements, the ratio, the budget and its reason", () => {
    const error = new BudgetExceeded(judgeLoad(load(0.2, 1), budgets).filter((v) => !v.ok));
    expect(error.message).toBe(
      "throughput: yours 200.0 k ops/s, reference 1.00 M ops/s: ratio 0.20×, budget ≥ 0.30×\n" +
        "  why this budget: sound designs are within 2×",
    );
  });
});

describe("formatting", () => {
  it("picks units a reader can compare at a glance", () => {
    expect(formatRate(2_345_678)).toBe("2.35 M ops/s");
    expect(formatRate(950)).toBe("950 ops/s");
    expect(formatNs(7.25)).toBe("7.3 ns/op");
    expect(formatNs(1530)).toBe("1.53 µs/op");
    expect(formatRatio(0.456)).toBe("0.46×");
    expect(formatRatio(12.3)).toBe("12×");
  });
});
