import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/07-stream-counting/sliding-window-top-k";
import * as reference from "#ref/07-stream-counting/sliding-window-top-k";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, ManualClock, prop } from "#spec";
import chapter from "../../../chapters/07-stream-counting/chapter.ts";
import { compareWithModel, type Played, slidingWindowReplay } from "./_bounds.ts";
import { expectCheck, seedOf, skewedItems } from "./_seeded.ts";

const { budgets } = kataOf(chapter, "07-stream-counting", "sliding-window-top-k");

const MINUTE = 60_000;

/** a one-minute window of six 10-second buckets */
function trending(clock: ManualClock, windowMs = MINUTE, bucketMs = 10_000) {
  return new learner.SlidingWindowTopK({ windowMs, bucketMs, clock });
}

describe("window", () => {
  it("counts every event recorded in the window", () => {
    const clock = new ManualClock();
    const counter = trending(clock);
    counter.record("song:a");
    clock.set(25_000);
    counter.record("song:a", 2);
    counter.record("song:b");
    clock.set(59_999);
    expect(counter.count("song:a"), "song:a at 59.999 s: played once at 0 s and twice at 25 s").toBe(3);
    expect(counter.count("song:b"), "song:b at 59.999 s: played once at 25 s").toBe(1);
    expect(counter.count("song:never"), "a song never played").toBe(0);
  });

  it("aligns buckets to clock time, not to when the counter was made", () => {
    const clock = new ManualClock(5_000);
    const counter = trending(clock);
    counter.record("early"); // at 5 s, in the bucket [0, 10 s)
    clock.set(59_999);
    expect(counter.count("early"), "at 59.999 s, a play at 5 s by a counter made at 5 s").toBe(1);
    clock.set(60_000);
    expect(counter.count("early"), "at 60 s: the bucket [0, 10 s) has left the window").toBe(0);
  });

  it("accepts a window of one bucket: it holds only the current bucket", () => {
    const clock = new ManualClock();
    const counter = trending(clock, 10_000, 10_000);
    counter.record("a", 2);
    clock.set(9_999);
    counter.record("b");
    expect(counter.top(5), "top(5) at 9.999 s, a window of one 10 s bucket").toEqual([
      { item: "a", count: 2 },
      { item: "b", count: 1 },
    ]);
    clock.set(10_000);
    expect(counter.size(), "items held at 10 s: the bucket [0, 10 s) has left").toBe(0);
  });

  it("drops an event exactly when its bucket leaves the window", () => {
    const clock = new ManualClock();
    const counter = trending(clock);
    counter.record("early"); // bucket [0, 10 s)
    clock.set(9_999);
    counter.record("late"); // the same bucket, 9.999 s later
    clock.set(10_000);
    counter.record("next"); // bucket [10 s, 20 s)
    clock.set(59_999);
    expect(
      [counter.count("early"), counter.count("late"), counter.count("next")],
      "counts of early (0 s), late (9.999 s) and next (10 s) at 59.999 s",
    ).toEqual([1, 1, 1]);
    clock.set(60_000);
    expect(
      [counter.count("early"), counter.count("late"), counter.count("next")],
      "counts of early (0 s), late (9.999 s) and next (10 s) at 60 s",
    ).toEqual([0, 0, 1]);
    clock.set(69_999);
    expect(counter.count("next"), "at 69.999 s").toBe(1);
    clock.set(70_000);
    expect(counter.count("next"), "at 70 s").toBe(0);
  });

  it("forgets everything after a gap longer than the window", () => {
    const clock = new ManualClock();
    const counter = trending(clock);
    for (let at = 0; at < 50_000; at += 10_000) {
      clock.set(at);
      counter.record("old", 10);
    }
    clock.set(50_000 + 2 * MINUTE + 30_000);
    expect(counter.count("old"), "2.5 minutes after the last play").toBe(0);
    counter.record("new");
    expect(counter.top(5), "top(5) after one play of new, 2.5 minutes after old's").toEqual([
      { item: "new", count: 1 },
    ]);
  });

  it("forgets items whose events have all left the window", () => {
    const clock = new ManualClock();
    const counter = trending(clock);
    for (let i = 0; i < 1000; i++) counter.record(`song:${i}`);
    clock.set(30_000);
    counter.record("song:0");
    expect(counter.size(), "items held at 30 s: 1,000 songs played at 0 s, song:0 again at 30 s").toBe(1000);
    clock.set(MINUTE);
    expect(counter.size(), "items held once only one has an event in the window").toBe(1);
  });

  it("throws a RangeError for a window that is not a whole number of buckets, or a bad count", () => {
    const clock = new ManualClock();
    for (const [windowMs, bucketMs] of [
      [MINUTE, 7_000],
      [MINUTE, 0],
      [0, 1000],
      [-MINUTE, 10_000],
      [MINUTE, -10_000],
      [MINUTE, 2.5],
    ] as const) {
      expectThrows(
        () => new learner.SlidingWindowTopK({ windowMs, bucketMs, clock }),
        RangeError,
        `windowMs ${windowMs}, bucketMs ${bucketMs}`,
      );
    }
    const counter = trending(clock);
    for (const count of [0, -1, 1.5, Number.NaN]) {
      expectThrows(() => counter.record("a", count), RangeError, `record("a", ${count})`);
    }
  });
});

describe("top-k", () => {
  it("lists the k items with the most events in the window", () => {
    const counter = trending(new ManualClock());
    for (const [item, plays] of [
      ["b", 5],
      ["a", 9],
      ["c", 1],
      ["d", 7],
    ] as const) {
      counter.record(item, plays);
    }
    expect(counter.top(3), "top(3) with b 5, a 9, c 1, d 7").toEqual([
      { item: "a", count: 9 },
      { item: "d", count: 7 },
      { item: "b", count: 5 },
    ]);
    expect(counter.top(10), "top(10) with 4 items in the window").toHaveLength(4);
  });

  it("breaks ties by item name", () => {
    const counter = trending(new ManualClock());
    for (const item of ["zeta", "mu", "alpha", "mu", "zeta", "alpha", "beta"]) counter.record(item);
    expect(
      counter.top(4).map((t) => t.item),
      "top(4) after zeta mu alpha mu zeta alpha beta: three at 2, beta at 1",
    ).toEqual(["alpha", "mu", "zeta", "beta"]);
  });

  it("gives the last places among equal counts to the first items by name", () => {
    const counter = trending(new ManualClock());
    for (const item of ["zeta", "mu", "top", "top", "alpha", "omega"]) counter.record(item);
    expect(counter.top(3), "top(3) after zeta mu top top alpha omega: top at 2, then four at 1 for two places").toEqual(
      [
        { item: "top", count: 2 },
        { item: "alpha", count: 1 },
        { item: "mu", count: 1 },
      ],
    );
  });

  it("ranks by the window's counts, not all-time counts", () => {
    const clock = new ManualClock();
    const counter = trending(clock);
    counter.record("yesterday's hit", 1000);
    clock.set(45_000);
    counter.record("rising", 3);
    clock.set(MINUTE + 5_000);
    expect(counter.top(1), "top(1) at 65 s: yesterday's hit played 1,000 times at 0 s, rising 3 times at 45 s").toEqual(
      [{ item: "rising", count: 3 }],
    );
  });
});

/** plays at increasing times: gaps of 0 (same ms), small steps, and some longer than a bucket */
const timeline = fc.array(
  fc.record({
    gap: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 3_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 3_000, max: 90_000 }) },
    ),
    item: fc.constantFrom("a", "b", "c", "d", "e"),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  { minLength: 1, maxLength: 80 },
);

describe("model", () => {
  prop("counts, top-k and size match a replay of the events in the window", timeline, (plays) => {
    const clock = new ManualClock();
    const counter = trending(clock, 30_000, 5_000);
    const played: Played[] = [];
    let now = 0;
    for (const { gap, item, count } of plays) {
      now += gap;
      clock.set(now);
      counter.record(item, count);
      played.push({ at: now, item, count });
      const problem = compareWithModel(counter, played, now, {
        windowMs: 30_000,
        bucketMs: 5_000,
        items: ["a", "b", "c", "d", "e"],
        k: 3,
      });
      const recent = played
        .slice(-6)
        .map((p) => `${p.item}×${p.count} at ${p.at} ms`)
        .join(", ");
      expect(problem, `a 30 s window of 5 s buckets, the last plays: ${recent}`).toBe("");
    }
  });

  // deterministic: a correct counter never fails this, whatever the seed
  it("matches the replay over 3,000 skewed plays, with bucket-boundary steps and long gaps", ({ task }) => {
    expectCheck(slidingWindowReplay((options) => new learner.SlidingWindowTopK(options), seedOf(task)));
  });
});

type Subject = { clock: ManualClock; counter: learner.SlidingWindowTopK | reference.SlidingWindowTopK };
type Make = (clock: ManualClock) => Subject["counter"];
const options = { windowMs: 5 * MINUTE, bucketMs: 10_000 };

describe("performance against the reference", () => {
  // the contract decides every count, so both must answer the same: the sums of the top 10's counts
  loadTest("keeps pace with the reference: 150k plays over 10 minutes, a top 10 every 15,000", budgets, () => {
    const ops = 150_000;
    const plays = skewedItems("sliding-window load", ops, 5_000);
    const subject = (make: Make) => () => {
      const clock = new ManualClock();
      return { clock, counter: make(clock) };
    };
    return compareLoad<Subject>({
      learner: subject((clock) => new learner.SlidingWindowTopK({ ...options, clock })),
      reference: subject((clock) => new reference.SlidingWindowTopK({ ...options, clock })),
      ops,
      run: (s, from, to) => {
        let counted = 0;
        for (let i = from; i < to; i++) {
          s.clock.set(i * 4); // 150k plays over 600 s: the first leave the 5-minute window halfway
          s.counter.record(plays[i] as string);
          if (i % 15_000 === 14_999) for (const trend of s.counter.top(10)) counted += trend.count;
        }
        return counted;
      },
      answers: { what: "the counts of the top 10, every 15,000 plays" },
    });
  });

  loadTest("a record costs the same with 1,000 or 10,000 items in the window", budgets, () => {
    // 150k records, so that one measurement takes over 10 ms: shorter ones are mostly noise
    const ops = 150_000;
    const names = Array.from({ length: 10_000 }, (_, i) => `song:${i}`);
    // skewed plays of the first 1,000 songs, which every state holds
    const picks = skewedItems("sliding-window growth", ops, 1_000).map((item) => item.replace("item:", "song:"));
    const holding = (make: Make) => (size: number) => {
      const clock = new ManualClock();
      const counter = make(clock);
      for (let i = 0; i < size; i++) counter.record(names[i] as string);
      return { clock, counter };
    };
    return compareGrowth<Subject>({
      learner: holding((clock) => new learner.SlidingWindowTopK({ ...options, clock })),
      reference: holding((clock) => new reference.SlidingWindowTopK({ ...options, clock })),
      n: 1_000,
      ops,
      // 150k records over 75 s: inside the 5-minute window, so every item held stays held. Each
      // batch returns the count of the last song it played: the contract decides it
      run: (s, from, to) => {
        for (let i = from; i < to; i++) {
          s.clock.set(i >> 1);
          s.counter.record(picks[i] as string);
        }
        return s.counter.count(picks[to - 1] as string);
      },
      answers: { what: "the count of each batch's last song" },
    });
  });
});
