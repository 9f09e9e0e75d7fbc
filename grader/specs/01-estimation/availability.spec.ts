import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/01-estimation/availability";
import * as reference from "#ref/01-estimation/availability";
import { compareGrowth, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/01-estimation/chapter.ts";

type System = learner.System;
const { budgets } = kataOf(chapter, "01-estimation", "availability");
const { availability, downtime, nines, availabilityOfNines } = learner;

const part = (a: number): System => ({ kind: "component", availability: a });
const parts = (...list: number[]) => list.map(part);

/** every up/down pattern of the leaves, each weighted by its chance: the definition, by brute force */
function bruteForce(system: System): number {
  const leaves: number[] = [];
  const index = new Map<System, number>();
  const collect = (node: System): void => {
    if (node.kind === "component") {
      index.set(node, leaves.length);
      leaves.push(node.availability);
    } else node.parts.forEach(collect);
  };
  collect(system);
  const isUp = (node: System, state: number): boolean => {
    if (node.kind === "component") return ((state >> (index.get(node) as number)) & 1) === 1;
    const ups = node.parts.filter((p) => isUp(p, state)).length;
    if (node.kind === "series") return ups === node.parts.length;
    if (node.kind === "parallel") return ups > 0;
    return ups >= node.needed;
  };
  let total = 0;
  for (let state = 0; state < 2 ** leaves.length; state++) {
    if (!isUp(system, state)) continue;
    total += leaves.reduce((chance, a, i) => chance * ((state >> i) & 1 ? a : 1 - a), 1);
  }
  return total;
}

const share = fc.oneof(
  fc.constantFrom(0, 0.5, 0.9, 0.99, 0.999, 0.9999, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

/** random trees of at most 8 components */
const systems: fc.Arbitrary<System> = fc
  .letrec<{ node: System }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      share.map(part),
      fc.record({ kind: fc.constant("series" as const), parts: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
      fc.record({
        kind: fc.constant("parallel" as const),
        parts: fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
      }),
      fc
        .array(tie("node"), { minLength: 1, maxLength: 4 })
        .chain((list) =>
          fc.integer({ min: 1, max: list.length }).map((needed): System => ({ kind: "quorum", needed, parts: list })),
        ),
    ),
  }))
  .node.filter((system) => JSON.stringify(system).split('"component"').length - 1 <= 8);

describe("compositions", () => {
  it("gives a component its own availability", () => {
    expect(availability(part(0.995))).toBe(0.995);
  });

  it("multiplies availabilities in series: three 99.9% services are up 99.7%", () => {
    expect(availability({ kind: "series", parts: parts(0.999, 0.999, 0.999) })).toBeCloseTo(0.997002999, 12);
  });

  it("multiplies unavailabilities in parallel: two 99% replicas are up 99.99%", () => {
    expect(availability({ kind: "parallel", parts: parts(0.99, 0.99) })).toBeCloseTo(0.9999, 12);
  });

  it("counts at least k of n up in a quorum: 2 of 3 replicas at 99% are up 99.97%", () => {
    expect(availability({ kind: "quorum", needed: 2, parts: parts(0.99, 0.99, 0.99) })).toBeCloseTo(0.999702, 12);
  });

  it("nests: a load balancer, two app servers, and a 2-of-3 database quorum", () => {
    const db = 3 * 0.999 ** 2 * 0.001 + 0.999 ** 3;
    const app = 1 - 0.01 ** 2;
    const system: System = {
      kind: "series",
      parts: [
        part(0.9999),
        { kind: "parallel", parts: parts(0.99, 0.99) },
        { kind: "quorum", needed: 2, parts: parts(0.999, 0.999, 0.999) },
      ],
    };
    expect(availability(system)).toBeCloseTo(0.9999 * app * db, 12);
  });
});

describe("downtime and nines", () => {
  it("gives downtime in seconds, with a 30-day month and a 365-day year", () => {
    expect(downtime(0.999, "year")).toBeCloseTo(31_536, 6);
    expect(downtime(0.9999, "month")).toBeCloseTo(259.2, 6);
    expect(downtime(0.99, "day")).toBeCloseTo(864, 6);
    expect(downtime(0.999, "week")).toBeCloseTo(604.8, 6);
  });

  it("counts nines, fractions included: 99.95% is 3.3 nines", () => {
    expect(nines(0.999)).toBeCloseTo(3, 9);
    expect(nines(0.9995)).toBeCloseTo(3.30103, 5);
    expect(nines(1)).toBe(Infinity);
    expect(nines(0)).toBeCloseTo(0, 12);
  });

  it("turns nines back into an availability", () => {
    expect(availabilityOfNines(4)).toBeCloseTo(0.9999, 12);
    expect(availabilityOfNines(3.5)).toBeCloseTo(1 - 10 ** -3.5, 12);
  });
});

describe("bad input", () => {
  it("throws a RangeError for an availability outside [0, 1]", () => {
    for (const a of [-0.1, 1.5, Number.NaN]) expectThrows(() => availability(part(a)), RangeError);
    expectThrows(() => downtime(2, "year"), RangeError);
    expectThrows(() => nines(-1), RangeError);
  });

  it("throws a RangeError for a composition without parts, or a quorum that cannot be met", () => {
    expectThrows(() => availability({ kind: "series", parts: [] }), RangeError);
    expectThrows(() => availability({ kind: "parallel", parts: [] }), RangeError);
    for (const needed of [0, 4, 1.5]) {
      expectThrows(() => availability({ kind: "quorum", needed, parts: parts(0.9, 0.9, 0.9) }), RangeError);
    }
    expectThrows(() => availabilityOfNines(-1), RangeError);
  });
});

describe("properties", () => {
  prop("agrees with brute force over every up/down pattern of the components", systems, (system) => {
    expect(availability(system)).toBeCloseTo(bruteForce(system), 10);
  });

  prop(
    "a quorum of identical parts is the binomial tail: Σ C(n,i) aⁱ (1−a)ⁿ⁻ⁱ for i ≥ k",
    fc
      .record({ n: fc.integer({ min: 1, max: 12 }), a: share })
      .chain(({ n, a }) => fc.integer({ min: 1, max: n }).map((k) => ({ n, a, k }))),
    ({ n, a, k }) => {
      let tail = 0;
      for (let i = k; i <= n; i++) {
        let choose = 1;
        for (let j = 1; j <= i; j++) choose = (choose * (n - i + j)) / j;
        tail += choose * a ** i * (1 - a) ** (n - i);
      }
      expect(availability({ kind: "quorum", needed: k, parts: Array.from({ length: n }, () => part(a)) })).toBeCloseTo(
        tail,
        10,
      );
    },
  );

  prop(
    "a quorum needing 1 is parallel, and one needing all is series",
    fc.array(share, { minLength: 1, maxLength: 8 }),
    (list) => {
      expect(availability({ kind: "quorum", needed: 1, parts: parts(...list) })).toBeCloseTo(
        availability({ kind: "parallel", parts: parts(...list) }),
        12,
      );
      expect(availability({ kind: "quorum", needed: list.length, parts: parts(...list) })).toBeCloseTo(
        availability({ kind: "series", parts: parts(...list) }),
        12,
      );
    },
  );

  prop("never falls when a component gets better, and stays within [0, 1]", systems, (system) => {
    const before = availability(system);
    const better = JSON.parse(JSON.stringify(system), (key, value) =>
      key === "availability" ? value + (1 - value) / 2 : value,
    ) as System;
    expect(before).toBeGreaterThanOrEqual(0);
    expect(before).toBeLessThanOrEqual(1 + 1e-12);
    expect(availability(better)).toBeGreaterThanOrEqual(before - 1e-12);
  });
});

describe("performance against the reference", () => {
  loadTest("a quorum of 15 parts costs no more than a polynomial step from one of 5", budgets, () => {
    const rng = random(seedFor("availability growth"));
    const shares = Array.from({ length: 15 }, () => 0.9 + rng.float() / 10);
    const quorumOf = (size: number): System => ({
      kind: "quorum",
      needed: Math.ceil(size / 2),
      parts: shares.slice(0, size).map(part),
    });
    return compareGrowth({
      learner: (size) => ({ impl: learner, system: quorumOf(size) }),
      reference: (size) => ({ impl: reference, system: quorumOf(size) }),
      n: 5,
      factor: 3,
      ops: 5_000,
      run: (s, from, to) => {
        for (let i = from; i < to; i++) s.impl.availability(s.system);
      },
    });
  });
});
