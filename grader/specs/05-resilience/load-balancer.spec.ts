import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/load-balancer";
import * as reference from "#ref/05-resilience/load-balancer";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/05-resilience/chapter.ts";
import { type SimBackend, simulate } from "./_lb-sim.ts";

const { budgets } = kataOf(chapter, "05-resilience", "load-balancer");

type Policy = learner.Policy;

function balancer(policy: Policy, backends: ReadonlyArray<string | learner.BackendSpec>, seed = 7) {
  const rng = random(seed);
  return new learner.LoadBalancer({
    policy,
    backends: backends.map((b) => (typeof b === "string" ? { id: b } : b)),
    random: () => rng.float(),
  });
}

/** `count` picks, each released at once; the backends in order */
function picks(lb: learner.LoadBalancer, count: number): string[] {
  return Array.from({ length: count }, () => {
    const lease = lb.pick();
    lease.release();
    return lease.backend;
  });
}

function tally(list: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of list) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

describe("round robin", () => {
  it("takes each backend in turn", () => {
    expect(picks(balancer("round-robin", ["a", "b", "c"]), 7), "7 picks of a, b, c, each released at once").toEqual([
      "a",
      "b",
      "c",
      "a",
      "b",
      "c",
      "a",
    ]);
  });

  it("spreads evenly over the healthy backends when one is down", () => {
    const lb = balancer("round-robin", ["a", "b", "c", "d"]);
    lb.setHealthy("b", false);
    expect(picks(lb, 6), "the first 6 picks of a, b, c, d with b down").toEqual(["a", "c", "d", "a", "c", "d"]);
    expect(tally(picks(lb, 300)), "300 picks more with b down").toEqual({ a: 100, c: 100, d: 100 });
  });

  it("never picks an unhealthy backend, takes one back when it recovers, and throws NoHealthyBackendError when none is left", () => {
    const lb = balancer("round-robin", ["a", "b"]);
    lb.setHealthy("a", false);
    expect(picks(lb, 3), "3 picks of a, b with a down").toEqual(["b", "b", "b"]);
    lb.setHealthy("a", true);
    expect(new Set(picks(lb, 2)), "both are healthy again").toEqual(new Set(["a", "b"]));
    lb.setHealthy("a", false);
    lb.setHealthy("b", false);
    expectThrows(() => lb.pick(), learner.NoHealthyBackendError, "pick() with a and b both down");
  });
});

describe("smooth weighted round robin", () => {
  it("interleaves the picks: weights 5, 1, 1 give a a b a c a a, not five a's in a row", () => {
    const lb = balancer("weighted-round-robin", [
      { id: "a", weight: 5 },
      { id: "b", weight: 1 },
      { id: "c", weight: 1 },
    ]);
    expect(picks(lb, 14), "14 picks of a, b, c weighing 5, 1, 1: ties go to the first listed").toEqual([
      "a",
      "a",
      "b",
      "a",
      "c",
      "a",
      "a",
      "a",
      "a",
      "b",
      "a",
      "c",
      "a",
      "a",
    ]);
  });

  it("shares the picks among the healthy backends by their weights", () => {
    const lb = balancer("weighted-round-robin", [
      { id: "a", weight: 3 },
      { id: "b", weight: 2 },
      { id: "c", weight: 1 },
    ]);
    lb.setHealthy("a", false);
    expect(tally(picks(lb, 30)), "30 picks, a down, b weighs 2 and c 1").toEqual({ b: 20, c: 10 });
  });

  it("a backend back from being down gets no burst: its current weight does not grow while it is down", () => {
    const lb = balancer("weighted-round-robin", [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ]);
    lb.setHealthy("b", false);
    expect(picks(lb, 10), "10 picks with b down").toEqual(Array.from({ length: 10 }, () => "a"));
    lb.setHealthy("b", true);
    expect(picks(lb, 4), "the 4 picks after b, weighing as much as a, came back").toEqual(["a", "b", "a", "b"]);
  });

  prop(
    "gives each backend exactly its weight in every cycle of Σ weights picks",
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
    (weights) => {
      const lb = balancer(
        "weighted-round-robin",
        weights.map((weight, i) => ({ id: `b${i}`, weight })),
      );
      const total = weights.reduce((a, b) => a + b, 0);
      for (let cycle = 0; cycle < 3; cycle++) {
        const counts = tally(picks(lb, total));
        weights.forEach((weight, i) => {
          expect(counts[`b${i}`] ?? 0, `picks of b${i} (weight ${weight}) in cycle ${cycle + 1}`).toBe(weight);
        });
      }
    },
  );
});

describe("least connections", () => {
  it("picks a backend with the fewest requests in flight", () => {
    const lb = balancer("least-connections", ["a", "b", "c"]);
    const held = [lb.pick(), lb.pick(), lb.pick(), lb.pick()];
    expect(
      held.map((l) => l.backend),
      "4 picks of a, b, c, none released",
    ).toEqual(["a", "b", "c", "a"]);
    held[1]?.release();
    expect(lb.pick().backend, "b has 0 in flight, a 2, c 1").toBe("b");
    expect(lb.pick().backend, "a 2, b 1, c 1: c comes first after b").toBe("c");
  });

  it("breaks ties in round-robin order, so one request at a time still spreads", () => {
    expect(
      picks(balancer("least-connections", ["a", "b", "c"]), 6),
      "6 picks of a, b, c, each released at once: every pick a tie at 0 in flight",
    ).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  prop(
    "always picks a healthy backend with the fewest in flight",
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.constant({ kind: "pick" as const }) },
        { weight: 4, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat({ max: 20 }) }) },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant("health" as const), id: fc.constantFrom("a", "b", "c", "d") }),
        },
      ),
      { maxLength: 80 },
    ),
    (ops) => {
      const ids = ["a", "b", "c", "d"];
      const lb = balancer("least-connections", ids);
      const healthy = new Set(ids);
      const inFlight = new Map(ids.map((id) => [id, 0]));
      const held: learner.Lease[] = [];
      for (const op of ops) {
        if (op.kind === "pick") {
          if (healthy.size === 0) continue;
          const lease = lb.pick();
          const fewest = Math.min(...[...healthy].map((id) => inFlight.get(id) as number));
          expect(healthy.has(lease.backend), `picked ${lease.backend}, which is down`).toBe(true);
          expect(
            inFlight.get(lease.backend),
            `picked ${lease.backend}; in flight: ${[...inFlight].map(([id, n]) => `${id} ${n}${healthy.has(id) ? "" : " (down)"}`).join(", ")}`,
          ).toBe(fewest);
          inFlight.set(lease.backend, (inFlight.get(lease.backend) as number) + 1);
          held.push(lease);
        } else if (op.kind === "release") {
          const [lease] = held.splice(op.pick % Math.max(1, held.length), 1);
          if (lease === undefined) continue;
          lease.release();
          inFlight.set(lease.backend, (inFlight.get(lease.backend) as number) - 1);
        } else {
          const up = !healthy.has(op.id);
          if (up) healthy.add(op.id);
          else healthy.delete(op.id);
          lb.setHealthy(op.id, up);
        }
      }
      for (const id of ids) expect(lb.inFlight(id), `in flight on ${id} at the end`).toBe(inFlight.get(id));
    },
  );
});

describe("power of two choices", () => {
  it("with two healthy backends, always picks the less loaded one", () => {
    const lb = balancer("power-of-two-choices", ["a", "b", "c"]);
    lb.setHealthy("c", false);
    const held = lb.pick();
    const other = held.backend === "a" ? "b" : "a";
    expect(tally(picks(lb, 100)), `100 picks with ${held.backend} at 1 in flight, ${other} at 0`).toEqual({
      [other]: 100,
    });
  });

  prop(
    "never picks the one most loaded backend when there is a choice",
    fc.record({
      seed: fc.integer(),
      ops: fc.array(fc.oneof(fc.constant(-1), fc.nat({ max: 30 })), { minLength: 1, maxLength: 120 }),
    }),
    ({ seed, ops }) => {
      const ids = ["a", "b", "c", "d", "e"];
      const lb = balancer("power-of-two-choices", ids, seed);
      const inFlight = new Map(ids.map((id) => [id, 0]));
      const held: learner.Lease[] = [];
      for (const op of ops) {
        if (op >= 0) {
          // release one of the requests in flight
          const [lease] = held.splice(op % Math.max(1, held.length), 1);
          if (lease === undefined) continue;
          lease.release();
          inFlight.set(lease.backend, (inFlight.get(lease.backend) as number) - 1);
          continue;
        }
        const loads = [...inFlight.values()];
        const top = Math.max(...loads);
        const heaviest = loads.filter((n) => n === top).length === 1 ? ids[loads.indexOf(top)] : undefined;
        const lease = lb.pick();
        expect(lease.backend, `in flight: ${[...inFlight].map(([id, n]) => `${id} ${n}`).join(", ")}`).not.toBe(
          heaviest,
        );
        inFlight.set(lease.backend, (inFlight.get(lease.backend) as number) + 1);
        held.push(lease);
      }
      for (const id of ids) expect(lb.inFlight(id), `in flight on ${id} at the end`).toBe(inFlight.get(id));
    },
  );

  it("draws only from the random source it is given: the same seed, the same picks", () => {
    const ids = ["a", "b", "c", "d", "e"];
    expect(
      picks(balancer("power-of-two-choices", ids, 42), 50),
      "50 picks of a balancer whose random source has seed 42, against another's with the same seed",
    ).toEqual(picks(balancer("power-of-two-choices", ids, 42), 50));
  });

  it("with one healthy backend, picks it however loaded it is", () => {
    const lb = balancer("power-of-two-choices", ["a", "b", "c"]);
    lb.setHealthy("a", false);
    lb.setHealthy("c", false);
    const held = Array.from({ length: 5 }, () => lb.pick().backend);
    expect(held, "5 picks, none released, with a and c down").toEqual(["b", "b", "b", "b", "b"]);
  });
});

describe("health, every policy", () => {
  const policies: Policy[] = ["round-robin", "weighted-round-robin", "least-connections", "power-of-two-choices"];
  prop(
    "never picks an unhealthy backend, whatever the policy, and throws NoHealthyBackendError when none is healthy",
    fc.record({
      policy: fc.constantFrom(...policies),
      seed: fc.integer(),
      ops: fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.constant({ kind: "pick" as const }) },
          { weight: 3, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat({ max: 20 }) }) },
          {
            weight: 2,
            arbitrary: fc.record({ kind: fc.constant("health" as const), id: fc.constantFrom("a", "b", "c", "d") }),
          },
        ),
        { maxLength: 80 },
      ),
    }),
    ({ policy, seed, ops }) => {
      const ids = ["a", "b", "c", "d"];
      const lb = balancer(
        policy,
        ids.map((id, i) => ({ id, weight: i + 1 })),
        seed,
      );
      const healthy = new Set(ids);
      const held: learner.Lease[] = [];
      const log: string[] = [];
      for (const op of ops) {
        const where = () =>
          `${policy}, healthy: ${[...healthy].join(" ") || "none"}; after ${log.slice(-6).join(", ")}`;
        if (op.kind === "pick") {
          if (healthy.size === 0) {
            expectThrows(() => lb.pick(), learner.NoHealthyBackendError, `pick() (${where()})`);
            continue;
          }
          const lease = lb.pick();
          expect(healthy.has(lease.backend), `picked ${lease.backend}, which is down (${where()})`).toBe(true);
          held.push(lease);
          log.push(`pick ${lease.backend}`);
        } else if (op.kind === "release") {
          const [lease] = held.splice(op.pick % Math.max(1, held.length), 1);
          lease?.release();
          if (lease) log.push(`release ${lease.backend}`);
        } else {
          const up = !healthy.has(op.id);
          if (up) healthy.add(op.id);
          else healthy.delete(op.id);
          lb.setHealthy(op.id, up);
          log.push(`${op.id} ${up ? "up" : "down"}`);
        }
      }
    },
  );
});

describe("leases", () => {
  it("release() frees the backend once, however often it is called", () => {
    const lb = balancer("least-connections", ["a", "b"]);
    const first = lb.pick();
    lb.pick();
    first.release();
    first.release();
    expect([lb.inFlight("a"), lb.inFlight("b")], "in flight after a's lease was released twice").toEqual([0, 1]);
  });

  it("a failed call() frees its backend", async () => {
    const lb = balancer("least-connections", ["a", "b"]);
    await expect(
      lb.call(async () => Promise.reject(new Error("503"))),
      "a call that fails on a",
    ).rejects.toThrow("503");
    await expect(
      lb.call(async (id) => `served by ${id}`),
      "the next call: a tie, b is after a",
    ).resolves.toBe("served by b");
    expect([lb.inFlight("a"), lb.inFlight("b")], "in flight after one failed and one good call").toEqual([0, 0]);
    expect(picks(lb, 4), "a is not held down by the failed call").toEqual(["a", "b", "a", "b"]);
  });

  it("throws a RangeError for an empty pool, a repeated id, a bad weight, a missing random source or an unknown id", () => {
    const make = (options: learner.LoadBalancerOptions) => () => new learner.LoadBalancer(options);
    expectThrows(make({ policy: "round-robin", backends: [] }), RangeError, "no backends");
    expectThrows(make({ policy: "round-robin", backends: [{ id: "a" }, { id: "a" }] }), RangeError, "a listed twice");
    for (const weight of [0, 1.5, -1, Number.NaN]) {
      expectThrows(
        make({ policy: "weighted-round-robin", backends: [{ id: "a", weight }] }),
        RangeError,
        `a backend of weight ${weight}`,
      );
    }
    expectThrows(
      make({ policy: "power-of-two-choices", backends: [{ id: "a" }, { id: "b" }] }),
      RangeError,
      "power-of-two-choices without a random source",
    );
    const lb = balancer("round-robin", ["a"]);
    expectThrows(() => lb.setHealthy("zz", false), RangeError, "setHealthy of an unknown id");
    expectThrows(() => lb.inFlight("zz"), RangeError, "inFlight of an unknown id");
  });
});

describe("a slow backend: p99 latency per policy", () => {
  // five backends, one 4× slower; Poisson arrivals at 100 a second, a quarter of what they can serve
  const backends: SimBackend[] = [
    { id: "a", meanMs: 10 },
    { id: "b", meanMs: 10 },
    { id: "c", meanMs: 10 },
    { id: "d", meanMs: 10 },
    { id: "slow", meanMs: 40 },
  ];
  const simulation = { backends, rate: 100, requests: 20_000, seed: seedFor("slow backend") };
  const run = (impl: typeof learner | typeof reference, policy: Policy) => {
    const rng = random(seedFor(`slow backend ${policy}`));
    const lb = new impl.LoadBalancer({ policy, backends, random: () => rng.float() });
    return simulate(lb, simulation);
  };
  const describeRun = (r: ReturnType<typeof run>) =>
    `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, slow backend's share ${(100 * (r.share.slow ?? 0)).toFixed(1)}%`;

  for (const policy of ["least-connections", "power-of-two-choices"] as const) {
    it(`${policy === "least-connections" ? "least connections" : "power of two choices"} cuts round robin's p99 at least in half when one backend is 4× slower`, () => {
      const rr = run(learner, "round-robin");
      const smart = run(learner, policy);
      expect(smart.p99, `${policy}: ${describeRun(smart)}\n  round-robin: ${describeRun(rr)}`).toBeLessThanOrEqual(
        rr.p99 / 2,
      );
    });
  }

  it("each policy's p99 is within 25% of the reference's on the same simulation", () => {
    for (const policy of ["round-robin", "least-connections", "power-of-two-choices"] as const) {
      const mine = run(learner, policy);
      const theirs = run(reference, policy);
      expect(mine.p99, `${policy}: yours ${describeRun(mine)}\n  reference ${describeRun(theirs)}`).toBeLessThanOrEqual(
        theirs.p99 * 1.25,
      );
    }
  });
});

describe("performance against the reference", () => {
  type Subject = {
    balancers: Array<Pick<learner.LoadBalancer, "pick">>;
    /** which balancers' picks the contract decides: all but power of two choices */
    decided: boolean[];
    held: learner.Lease[];
  };
  const policies: Policy[] = ["round-robin", "weighted-round-robin", "least-connections", "power-of-two-choices"];
  const pool = (size: number) => Array.from({ length: size }, (_, i) => ({ id: `backend-${i}`, weight: 1 + (i % 3) }));
  const indexOf = new Map(pool(1000).map(({ id }, i) => [id, i + 1]));

  const fleet = (impl: typeof learner | typeof reference, make: Policy[], size: number): Subject => {
    const rng = random(seedFor("load-balancer load"));
    return {
      balancers: make.map(
        (policy) => new impl.LoadBalancer({ policy, backends: pool(size), random: () => rng.float() }),
      ),
      decided: make.map((policy) => policy !== "power-of-two-choices"),
      held: [],
    };
  };
  // each balancer keeps 16 requests in flight (8 with two balancers: 32): a pick, and the release of
  // the pick 64 before it. Returns a checksum of the backends picked by the policies the contract
  // decides; power of two choices is left out: how it turns random() into two backends is its own
  const churn = (s: Subject, from: number, to: number) => {
    const count = s.balancers.length;
    let checksum = 0;
    for (let i = from; i < to; i++) {
      const slot = i & 63;
      s.held[slot]?.release();
      const lease = (s.balancers[i % count] as Subject["balancers"][number]).pick();
      s.held[slot] = lease;
      if (s.decided[i % count]) checksum += indexOf.get(lease.backend) ?? 0;
    }
    return checksum;
  };
  const answers = { what: "the backends picked by round robin, weighted round robin and least connections" };

  loadTest("keeps pace with the reference: 200k picks and releases on 50 backends, every policy", budgets, () =>
    compareLoad<Subject>({
      learner: () => fleet(learner, policies, 50),
      reference: () => fleet(reference, policies, 50),
      ops: 200_000,
      run: churn,
      answers,
    }),
  );

  loadTest("round robin and power of two choices pick in O(1): the same cost with 100 or 1,000 backends", budgets, () =>
    compareGrowth<Subject>({
      learner: (size) => fleet(learner, ["round-robin", "power-of-two-choices"], size),
      reference: (size) => fleet(reference, ["round-robin", "power-of-two-choices"], size),
      n: 100,
      ops: 250_000,
      run: churn,
      answers,
    }),
  );
});
