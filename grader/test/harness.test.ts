import { describe, expect, it } from "vitest";
import { compareGrowth, compareLoad } from "../load/harness.ts";

// work that cannot be optimized away: a running sum kept on the instance
type Sink = { total: number };
const spin = (sink: Sink, units: number) => {
  for (let k = 0; k < units; k++) sink.total = (sink.total * 31 + k) % 1_000_003;
};

describe("compareLoad", () => {
  it("reports the same code at about 1×", () => {
    const result = compareLoad<Sink>({
      learner: () => ({ total: 0 }),
      reference: () => ({ total: 0 }),
      ops: 20_000,
      run: (sink, from, to) => {
        for (let i = from; i < to; i++) spin(sink, 20);
      },
    });
    expect(result.ratios.throughput).toBeGreaterThan(0.5);
    expect(result.ratios.throughput).toBeLessThan(2);
    expect(result.learner.rounds).toBe(5);
  });

  it("reports code doing 20× the work at well under 1×", () => {
    const result = compareLoad<{ sink: Sink; units: number }>({
      learner: () => ({ sink: { total: 0 }, units: 200 }),
      reference: () => ({ sink: { total: 0 }, units: 10 }),
      ops: 5_000,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) spin(s.sink, s.units);
      },
    });
    expect(result.ratios.throughput).toBeLessThan(0.3);
    expect(result.ratios.p50).toBeGreaterThan(3);
  });

  it("stops timing hopelessly slow code and says so", () => {
    const started = performance.now();
    const result = compareLoad<{ sink: Sink; units: number }>({
      learner: () => ({ sink: { total: 0 }, units: 5_000 }),
      reference: () => ({ sink: { total: 0 }, units: 5 }),
      ops: 20_000,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) spin(s.sink, s.units);
      },
    });
    expect(result.learner.stoppedEarly).toBe(true);
    // two rounds cut short, then it gives up: one could have been a hiccup
    expect(result.learner.rounds).toBe(2);
    expect(result.ratios.throughput).toBeLessThan(0.1);
    // untimed, 20k calls of 5,000 units would take many seconds
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("answers under load", () => {
  // a counter that answers honestly, and one that takes a shortcut once it has been called often
  type Counter = { calls: number; shortcutAfter: number };
  const answer = (c: Counter, i: number) => (++c.calls > c.shortcutAfter ? 1 : i % 3 === 0 ? 1 : 0);
  const run = (c: Counter, from: number, to: number) => {
    let yes = 0;
    for (let i = from; i < to; i++) yes += answer(c, i);
    return yes;
  };
  const what = { what: "yes answers" };

  it("agree when the learner answers as the reference does", () => {
    const honest = () => ({ calls: 0, shortcutAfter: Number.POSITIVE_INFINITY });
    const result = compareLoad<Counter>({ learner: honest, reference: honest, ops: 3_000, run, answers: what });
    expect(result.answers).toMatchObject({ ok: true, learner: 1_000, reference: 1_000, round: "3000 calls" });
  });

  it("differ when the learner takes a shortcut after many calls, and name the round", () => {
    const result = compareLoad<Counter>({
      learner: () => ({ calls: 0, shortcutAfter: 1_000 }),
      reference: () => ({ calls: 0, shortcutAfter: Number.POSITIVE_INFINITY }),
      ops: 3_000,
      run,
      answers: what,
    });
    expect(result.answers).toMatchObject({ ok: false, reference: 1_000, round: "3000 calls" });
    expect(result.answers?.learner).toBeGreaterThan(1_000);
  });

  it("allow the tolerance the spec gives", () => {
    const result = compareLoad<Counter>({
      learner: () => ({ calls: 0, shortcutAfter: 2_990 }),
      reference: () => ({ calls: 0, shortcutAfter: Number.POSITIVE_INFINITY }),
      ops: 3_000,
      run,
      answers: { what: "yes answers", tolerance: 0.01 },
    });
    expect(result.answers?.ok).toBe(true);
  });

  it("refuse a spec whose reference does not agree with itself", () => {
    let rounds = 0;
    expect(() =>
      compareLoad<Counter>({
        learner: () => ({ calls: 0, shortcutAfter: Number.POSITIVE_INFINITY }),
        reference: () => ({ calls: 0, shortcutAfter: rounds++ > 3 ? 10 : Number.POSITIVE_INFINITY }),
        ops: 3_000,
        run,
        answers: what,
      }),
    ).toThrow(/not deterministic/);
  });

  it("are compared size by size in a growth test", () => {
    const result = compareGrowth<Counter>({
      learner: (size) => ({ calls: 0, shortcutAfter: size > 100 ? 0 : Number.POSITIVE_INFINITY }),
      reference: () => ({ calls: 0, shortcutAfter: Number.POSITIVE_INFINITY }),
      n: 100,
      ops: 600,
      run,
      answers: what,
    });
    expect(result.answers).toMatchObject({ ok: false, round: "600 calls against a state of 1000" });
  });
});

describe("compareGrowth", () => {
  const constant = (size: number) => ({ sink: { total: 0 }, size, units: 20 });
  const linear = (size: number) => ({ sink: { total: 0 }, size, units: size });
  type Subject = ReturnType<typeof constant>;
  const run = (s: Subject, from: number, to: number) => {
    for (let i = from; i < to; i++) spin(s.sink, s.units);
  };

  it("sees no growth difference between two O(1) operations", () => {
    const result = compareGrowth<Subject>({ learner: constant, reference: constant, n: 100, ops: 2_000, run });
    expect(result.ratio).toBeGreaterThan(0.5);
    expect(result.ratio).toBeLessThan(2);
  });

  it("is not fooled by one slow round of the same code", () => {
    let calls = 0;
    const hiccup = (size: number) => {
      calls++;
      // the third instance built stalls once, as a collection or another process would make it
      return { ...constant(size), units: calls === 3 ? 2_000 : 20 };
    };
    const result = compareGrowth<Subject>({ learner: hiccup, reference: constant, n: 100, ops: 2_000, run });
    expect(result.ratio).toBeLessThan(2);
  });

  it("sees an O(n) operation grow about 10× more than an O(1) one", () => {
    const result = compareGrowth<Subject>({ learner: linear, reference: constant, n: 200, ops: 2_000, run });
    expect(result.learner.growth).toBeGreaterThan(5);
    expect(result.ratio).toBeGreaterThan(4);
  });
});
