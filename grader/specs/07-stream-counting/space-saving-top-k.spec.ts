import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/07-stream-counting/space-saving-top-k";
import * as reference from "#ref/07-stream-counting/space-saving-top-k";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, prop } from "#spec";
import chapter from "../../../chapters/07-stream-counting/chapter.ts";
import { spaceSavingBoundsHold, spaceSavingOnZipf } from "./_bounds.ts";
import { expectCheck, seedOf, skewedItems } from "./_seeded.ts";

const { budgets } = kataOf(chapter, "07-stream-counting", "space-saving-top-k");

function summaryOf(capacity: number, stream: readonly string[]): learner.SpaceSaving {
  const summary = new learner.SpaceSaving(capacity);
  for (const item of stream) summary.add(item);
  return summary;
}

function exactCounts(stream: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of stream) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** skewed streams over up to 20 items: "a" is far more likely than "t" */
const streams = fc.record({
  capacity: fc.integer({ min: 1, max: 8 }),
  stream: fc.array(
    fc.integer({ min: 0, max: 399 }).map((x) => String.fromCharCode(97 + Math.floor(Math.sqrt(x)))),
    { minLength: 1, maxLength: 300 },
  ),
});

describe("counting", () => {
  it("counts exactly while there are no more distinct items than counters", () => {
    const summary = summaryOf(5, ["a", "b", "a", "c", "a", "b"]);
    expect(summary.top(5), "top(5) after a b a c a b with 5 counters").toEqual([
      { item: "a", count: 3, error: 0 },
      { item: "b", count: 2, error: 0 },
      { item: "c", count: 1, error: 0 },
    ]);
    expect(summary.total, "total after 6 events").toBe(6);
    expect(summary.size(), "counters in use after 6 events of 3 items, 5 counters").toBe(3);
  });

  it("gives a new item the smallest counter: count = smallest + 1, error = smallest", () => {
    const summary = summaryOf(2, ["a", "a", "a", "b", "b", "c"]);
    expect(summary.top(2), "top(2) after a a a b b c with 2 counters: c takes b's counter, 2").toEqual([
      { item: "a", count: 3, error: 0 },
      { item: "c", count: 3, error: 2 },
    ]);
  });

  it("keeps a heavy item when a run of new items follows", () => {
    // the counters after 1,000 × A then B, C, D, E with 2 counters: A stays, E holds 4 with error 3
    const summary = summaryOf(2, [...Array.from({ length: 1000 }, () => "A"), "B", "C", "D", "E"]);
    expect(summary.top(2), "top(2) after 1,000 × A, then B C D E, with 2 counters").toEqual([
      { item: "A", count: 1000, error: 0 },
      { item: "E", count: 4, error: 3 },
    ]);
  });

  it("throws a RangeError for a capacity that is not a positive integer", () => {
    for (const capacity of [0, -1, 2.5, Number.NaN]) {
      expectThrows(() => new learner.SpaceSaving(capacity), RangeError, `a summary of capacity ${capacity}`);
    }
  });
});

describe("guarantees", () => {
  prop("count − error ≤ true count ≤ count for every tracked item", streams, ({ capacity, stream }) => {
    const summary = summaryOf(capacity, stream);
    const exact = exactCounts(stream);
    for (const c of summary.top(capacity)) {
      const truth = exact.get(c.item) ?? 0;
      expect(c.count - c.error, `"${c.item}": count ${c.count} − error ${c.error}, true ${truth}`).toBeLessThanOrEqual(
        truth,
      );
      expect(c.count, `"${c.item}": count, true ${truth}`).toBeGreaterThanOrEqual(truth);
    }
  });

  prop("the counts add up to N, and the smallest is at most N/k", streams, ({ capacity, stream }) => {
    const summary = summaryOf(capacity, stream);
    const counts = summary.top(capacity).map((c) => c.count);
    expect(
      counts.reduce((a, c) => a + c, 0),
      "sum of the counts",
    ).toBe(stream.length);
    if (counts.length === capacity) {
      expect(Math.min(...counts), `smallest count, N/k = ${stream.length / capacity}`).toBeLessThanOrEqual(
        stream.length / capacity,
      );
    }
  });

  prop("tracks every item that occurred more than N/k times", streams, ({ capacity, stream }) => {
    const summary = summaryOf(capacity, stream);
    const tracked = new Set(summary.top(capacity).map((c) => c.item));
    for (const [item, truth] of exactCounts(stream)) {
      if (truth > stream.length / capacity) {
        expect(tracked.has(item), `"${item}" occurred ${truth} times, N/k = ${stream.length / capacity}`).toBe(true);
      }
    }
  });

  // deterministic guarantees: a correct summary never fails this, whatever the seed
  it("holds every bound on a 100,000-event Zipf stream with 100 counters", ({ task }) => {
    expectCheck(spaceSavingOnZipf((capacity) => new learner.SpaceSaving(capacity), seedOf(task)));
  });
});

describe("queries", () => {
  it("top(n) lists the n largest counters by count, ties by item", () => {
    const summary = summaryOf(10, ["d", "b", "c", "a", "b", "c", "c"]);
    expect(summary.top(3), "top(3) after d b c a b c c: a and d tie for third").toEqual([
      { item: "c", count: 3, error: 0 },
      { item: "b", count: 2, error: 0 },
      { item: "a", count: 1, error: 0 },
    ]);
    expect(summary.top(100), "top(100) with 4 items tracked").toHaveLength(4);
  });

  it("frequent(φ) misses no item above φN, and marks the certain ones", () => {
    // x occurs 4 times in 7 (> N/2), but was evicted once: its lower bound count − error is only 3
    const summary = summaryOf(2, ["x", "a", "a", "b", "x", "x", "x"]);
    const frequent = summary.frequent(0.5);
    expect(
      frequent.map((f) => f.item),
      "frequent(0.5) after x a a b x x x with 2 counters: items above 3.5",
    ).toEqual(["x"]);
    expect(frequent[0], "x's entry: it took a counter of 2").toEqual({
      item: "x",
      count: 5,
      error: 2,
      guaranteed: false,
    });
    const certain = summaryOf(2, ["x", "x", "x", "y"]).frequent(0.5);
    expect(certain, "frequent(0.5) after x x x y with 2 counters").toEqual([
      { item: "x", count: 3, error: 0, guaranteed: true },
    ]);
  });

  prop(
    "frequent(φ) misses no item that truly occurred more than φN times, for φ ≥ 1/k",
    fc.record({ s: streams, share: fc.double({ min: 0, max: 1, noNaN: true }) }),
    ({ s: { capacity, stream }, share }) => {
      const phi = 1 / capacity + share * (1 - 1 / capacity);
      const reported = new Set(
        summaryOf(capacity, stream)
          .frequent(phi)
          .map((f) => f.item),
      );
      for (const [item, truth] of exactCounts(stream)) {
        // a hair above φN: at exactly N/k, float rounding of φ·N must not decide the verdict
        if (truth > phi * stream.length + 1e-9) {
          expect(reported.has(item), `"${item}" occurred ${truth} times, φN = ${phi * stream.length}`).toBe(true);
        }
      }
    },
  );

  it("frequent(φ) reports counts above φN, not at it, and marks as guaranteed only a lower bound above it", () => {
    // with 3 counters: a 3 (error 0), b 2 (error 0), and d 3 (error 1: it took c's counter); φN = 0.25 × 8 = 2
    const stream = ["a", "a", "a", "b", "b", "c", "d", "d"];
    const frequent = summaryOf(3, stream).frequent(0.25);
    expect(
      [...frequent].sort((x, y) => (x.item < y.item ? -1 : 1)),
      `frequent(0.25) after ${stream.join(" ")} with 3 counters: b's count is exactly φN, d's lower bound too`,
    ).toEqual([
      { item: "a", count: 3, error: 0, guaranteed: true },
      { item: "d", count: 3, error: 1, guaranteed: false },
    ]);
  });

  it("throws a RangeError for φ outside (0, 1]", () => {
    const summary = summaryOf(2, ["a"]);
    for (const phi of [0, -0.5, 1.5, Number.NaN]) {
      expectThrows(() => summary.frequent(phi), RangeError, `frequent(${phi})`);
    }
    expect(summary.frequent(1), "frequent(1): φ = 1 is in range, and no count exceeds N").toEqual([]);
  });
});

// the bounds checker shared with the Zipf test, on a stream where every counter changes hands
describe("eviction", () => {
  it("keeps every bound while every counter changes hands many times", () => {
    const stream = Array.from({ length: 5000 }, (_, i) => (i % 5 === 0 ? "hot" : `cold:${i % 997}`));
    const summary = new learner.SpaceSaving(10);
    const exact = new Map<string, number>();
    stream.forEach((item, i) => {
      summary.add(item);
      exact.set(item, (exact.get(item) ?? 0) + 1);
      if (i % 250 === 249) expect(spaceSavingBoundsHold(summary, exact, 10), `after ${i + 1} events`).toBe("");
    });
    expect(summary.top(1)[0]?.item, "the item that is 20% of the stream").toBe("hot");
  });
});

type Summary = learner.SpaceSaving | reference.SpaceSaving;

describe("performance against the reference", () => {
  // an add takes tens of ns: 600k of them (the 200k events three times over), so that each timed
  // batch lasts a millisecond or more and its p99 is not a single preemption
  loadTest("keeps pace with the reference: 600k events on a skewed stream, 1,000 counters", budgets, () => {
    const size = 200_000;
    const stream = skewedItems("space-saving load", size, 100_000);
    return compareLoad<Summary>({
      learner: () => new learner.SpaceSaving(1000),
      reference: () => new reference.SpaceSaving(1000),
      ops: 3 * size,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) s.add(stream[i % size] as string);
        // every 120k events, the top 10's counts: heavy items tracked from their first event, so exact
        // whichever smallest counter each new item took (the 11th is far below the 10th)
        return to % 120_000 === 0 ? s.top(10).reduce((sum, c) => sum + c.count, 0) : 0;
      },
      answers: { what: "the top 10's counts, every 120k events" },
    });
  });

  loadTest("an update costs the same with 1,000 or 10,000 counters", budgets, () => {
    // every timed add is a new item, so every one takes over the smallest counter; 200k of them,
    // so that one measurement takes some 20 ms: shorter ones are mostly noise on a loaded machine
    const ops = 200_000;
    const fresh = Array.from({ length: ops }, (_, i) => `new:${i}`);
    const held = Array.from({ length: 10_000 }, (_, i) => `held:${i}`);
    const full = (make: (capacity: number) => Summary) => (size: number) => {
      const summary = make(size);
      for (let i = 0; i < size; i++) summary.add(held[i] as string);
      return summary;
    };
    // no answers: which of the equal smallest counters a new item takes is the learner's choice, and
    // every timed add here takes one
    return compareGrowth<Summary>({
      learner: full((capacity) => new learner.SpaceSaving(capacity)),
      reference: full((capacity) => new reference.SpaceSaving(capacity)),
      n: 1_000,
      ops,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) s.add(fresh[i] as string);
      },
    });
  });
});
