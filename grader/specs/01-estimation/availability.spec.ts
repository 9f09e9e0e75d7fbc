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
  it("gives a component its own availability, from 0 to 1 included", () => {
    for (const a of [0.995, 0, 1]) expect(availability(part(a)), `a component of ${a}`).toBe(a);
  });

  it("multiplies availabilities in series: three 99.9% services are up 99.7%", () => {
    expect(
      availability({ kind: "series", parts: parts(0.999, 0.999, 0.999) }),
      "three components of 0.999 in series",
    ).toBeCloseTo(0.997002999, 12);
  });

  it("multiplies unavailabilities in parallel: two 99% replicas are up 99.99%", () => {
    expect(
      availability({ kind: "parallel", parts: parts(0.99, 0.99) }),
      "two components of 0.99 in parallel",
    ).toBeCloseTo(0.9999, 12);
  });

  it("counts at least k of n up in a quorum: 2 of 3 replicas at 99% are up 99.97%", () => {
    expect(
      availability({ kind: "quorum", needed: 2, parts: parts(0.99, 0.99, 0.99) }),
      "a quorum needing 2 of 3 components of 0.99",
    ).toBeCloseTo(0.999702, 12);
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
    expect(availability(system), "0.9999 in series with (0.99 ∥ 0.99) and a 2-of-3 quorum of 0.999").toBeCloseTo(
      0.9999 * app * db,
      12,
    );
  });
});

describe("downtime and nines", () => {
  it("gives downtime in seconds, with a 30-day month and a 365-day year", () => {
    expect(downtime(0.999, "year"), 'downtime(0.999, "year"), in s').toBeCloseTo(31_536, 6);
    expect(downtime(0.9999, "month"), 'downtime(0.9999, "month"), in s').toBeCloseTo(259.2, 6);
    expect(downtime(0.99, "day"), 'downtime(0.99, "day"), in s').toBeCloseTo(864, 6);
    expect(downtime(0.999, "week"), 'downtime(0.999, "week"), in s').toBeCloseTo(604.8, 6);
    expect(downtime(1, "year"), 'downtime(1, "year"), in s').toBe(0);
  });

  it("counts nines, fractions included: 99.95% is 3.3 nines", () => {
    expect(nines(0.999), "nines(0.999)").toBeCloseTo(3, 9);
    expect(nines(0.9995), "nines(0.9995)").toBeCloseTo(3.30103, 5);
    expect(nines(1), "nines(1)").toBe(Infinity);
    expect(nines(0), "nines(0)").toBeCloseTo(0, 12);
  });

  it("turns nines back into an availability", () => {
    expect(availabilityOfNines(4), "availabilityOfNines(4)").toBeCloseTo(0.9999, 12);
    expect(availabilityOfNines(3.5), "availabilityOfNines(3.5)").toBeCloseTo(1 - 10 ** -3.5, 12);
    expect(availabilityOfNines(0), "availabilityOfNines(0)").toBeCloseTo(0, 12);
  });
});

describe("bad input", () => {
  it("throws a RangeError for an availability outside [0, 1]", () => {
    for (const a of [-0.1, 1.5, Number.NaN]) {
      expectThrows(() => availability(part(a)), RangeError, `a component of ${a}`);
      expectThrows(
        () => availability({ kind: "series", parts: parts(0.9, a) }),
        RangeError,
        `a series holding a component of ${a}`,
      );
    }
    expectThrows(() => downtime(2, "year"), RangeError, 'downtime(2, "year")');
    expectThrows(() => downtime(-0.5, "day"), RangeError, 'downtime(-0.5, "day")');
    expectThrows(() => nines(-1), RangeError, "nines(-1)");
    expectThrows(() => nines(1.01), RangeError, "nines(1.01)");
  });

  it("throws a RangeError for a composition without parts, or a quorum that cannot be met", () => {
    expectThrows(() => availability({ kind: "series", parts: [] }), RangeError, "a series without parts");
    expectThrows(() => availability({ kind: "parallel", parts: [] }), RangeError, "a parallel without parts");
    expectThrows(
      () => availability({ kind: "quorum", needed: 1, parts: [] }),
      RangeError,
      "a quorum needing 1 of no parts",
    );
    for (const needed of [0, -1, 4, 1.5, Number.NaN]) {
      expectThrows(
        () => availability({ kind: "quorum", needed, parts: parts(0.9, 0.9, 0.9) }),
        RangeError,
        `a quorum needing ${needed} of 3 parts`,
      );
    }
    expectThrows(() => availabilityOfNines(-1), RangeError, "availabilityOfNines(-1)");
  });
});

describe("properties", () => {
  prop("agrees with brute force over every up/down pattern of the components", systems, (system) => {
    expect(availability(system), `availability of ${JSON.stringify(system)}`).toBeCloseTo(bruteForce(system), 10);
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
      expect(
        availability({ kind: "quorum", needed: k, parts: Array.from({ length: n }, () => part(a)) }),
        `a quorum needing ${k} of ${n} components of ${a}`,
      ).toBeCloseTo(tail, 10);
    },
  );

  prop(
    "a quorum needing 1 is parallel, and one needing all is series",
    fc.array(share, { minLength: 1, maxLength: 8 }),
    (list) => {
      expect(
        availability({ kind: "quorum", needed: 1, parts: parts(...list) }),
        `a quorum needing 1 of [${list.join(", ")}], against the same in parallel`,
      ).toBeCloseTo(availability({ kind: "parallel", parts: parts(...list) }), 12);
      expect(
        availability({ kind: "quorum", needed: list.length, parts: parts(...list) }),
        `a quorum needing all of [${list.join(", ")}], against the same in series`,
      ).toBeCloseTo(availability({ kind: "series", parts: parts(...list) }), 12);
    },
  );

  prop("never falls when a component gets better, and stays within [0, 1]", systems, (system) => {
    const before = availability(system);
    const better = JSON.parse(JSON.stringify(system), (key, value) =>
      key === "availability" ? value + (1 - value) / 2 : value,
    ) as System;
    const what = `availability of ${JSON.stringify(system)}`;
    expect(before, what).toBeGreaterThanOrEqual(0);
    expect(before, what).toBeLessThanOrEqual(1 + 1e-12);
    expect(
      availability(better),
      `${what}, with every component halfway to 1: it must not fall below ${before}`,
    ).toBeGreaterThanOrEqual(before - 1e-12);
  });

  prop("availabilityOfNines undoes nines", fc.double({ min: 0, max: 0.999999, noNaN: true }), (a) => {
    expect(availabilityOfNines(nines(a)), `availabilityOfNines(nines(${a}))`).toBeCloseTo(a, 9);
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
        let sum = 0;
        for (let i = from; i < to; i++) sum += s.impl.availability(s.system);
        return sum;
      },
      // the same quorum each call: correct code differs from the reference by float rounding only
      answers: { what: "the availabilities computed", tolerance: 1e-9 },
    });
  });
});
