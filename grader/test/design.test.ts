import { describe, expect, it } from "vitest";
import chapter from "../../chapters/06-ids-and-url-shortener/chapter.ts";
import { design as reference } from "../../solutions/06-ids-and-url-shortener/design-url-shortener.ts";
import { hotKey } from "../design/drills.ts";
import {
  buildModel,
  checkDesign,
  DesignProblem,
  evaluateDesign,
  HEADROOM,
  INSTANCE_AVAILABILITY,
  loadsOf,
  lostWith,
  pathAvailability,
  ZONE_AVAILABILITY,
} from "../design/evaluate.ts";
import { erlangC, sampleResponse, waitBeyond } from "../design/queueing.ts";
import type { Requirements } from "../design/requirements.ts";
import type { Design } from "../kit/design.ts";
import { random } from "../sim/random.ts";

const requirements = chapter.katas.find((k) => k.id === "design-url-shortener")?.design as Requirements;

/** a one-service design a test changes a field of */
const small = (): Design & { components: { api: Design["components"][string] } } => ({
  zones: ["a", "b"],
  components: { api: { kind: "service", count: 2, capacity: "1k req/s", latency: "10 ms", zones: ["a", "b"] } },
  flows: { call: { hops: ["api"] } },
});
const asked: Requirements = { flows: { call: { rate: "1000 req/s", p99: "100 ms" } }, availability: "99%" };

describe("queueing: one instance as an M/M/k queue", () => {
  it("gives Erlang C's textbook values: ρ for one server, 1/3 for two servers offered one erlang", () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(3, 0)).toBe(0);
  });

  it("stays a probability for thousands of servers, where the factorials of the formula overflow", () => {
    const c = erlangC(5_000, 4_900);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
  });

  it("waits beyond t with M/M/1's ρ·e^(−(μ−λ)t)", () => {
    // μ = 100/s (10 ms), λ = 50/s: ρ = 0.5, μ − λ = 0.05 per ms
    expect(waitBeyond({ slots: 1, meanMs: 10, rate: 50 }, 20)).toBeCloseTo(0.5 * Math.exp(-0.05 * 20), 12);
  });

  it("draws responses whose 99th percentile is M/M/1's ln(100)/(μ − λ), within 5%", () => {
    const draw = random(7);
    const station = { slots: 1, meanMs: 10, rate: 50 };
    const times = Array.from({ length: 40_000 }, () => sampleResponse(station, draw)).sort((a, b) => a - b);
    const p99 = times[Math.ceil(times.length * 0.99) - 1] ?? 0;
    expect(p99 / (Math.log(100) / 0.05)).toBeGreaterThan(0.95);
    expect(p99 / (Math.log(100) / 0.05)).toBeLessThan(1.05);
  });

  it("answers at once for a component with more servers than any machine has: a bound, not a loop", () => {
    const started = performance.now();
    const c = erlangC(3.6e15, 0.5 * 3.6e15);
    expect(c).toBeGreaterThanOrEqual(0);
    expect(c).toBeLessThan(1e-6);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("has no end past capacity: a response is unbounded", () => {
    expect(sampleResponse({ slots: 1, meanMs: 10, rate: 100 }, random(1))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("a design's numbers", () => {
  it("loads each component with its flows' peak: the chapter's 347k redirects and 3.5k creations", () => {
    const { components, flows } = evaluateDesign(reference(), requirements);
    const redirects = (100e6 / 86_400) * 100 * 3;
    const creations = (100e6 / 86_400) * 3;
    expect(flows.find((f) => f.name === "redirect")?.rate).toBeCloseTo(redirects, 6);
    expect(components.get("api")?.perInstance).toBeCloseTo((redirects + creations) / 60, 6);
    // the cache answers 90%: the store's 108 nodes share the misses; each of 36 shards' replicas takes its writes
    expect(components.get("links")?.perInstance).toBeCloseTo((redirects * 0.1) / 108 + creations / 36, 6);
  });

  it("cuts a cache's hit ratio to the share of the working set its memory holds", () => {
    const design = structuredClone(reference()) as Design;
    (design.components.cache as { memory: string }).memory = "7 GB"; // 6 × 7 = 42 GB of a 70 GB working set
    const { components } = evaluateDesign(design, requirements);
    const redirects = (100e6 / 86_400) * 300;
    const misses = redirects * (1 - 0.9 * (42 / 70));
    expect(components.get("links")?.perInstance).toBeCloseTo(misses / 108 + ((100e6 / 86_400) * 3) / 36, 6);
  });

  it("counts zones as failing whole: components all in one zone are up no more often than the zone", () => {
    const one = checkDesign({ ...small(), components: { api: { ...small().components.api, zones: ["a"] } } });
    expect(pathAvailability(one, ["api"])).toBeLessThanOrEqual(ZONE_AVAILABILITY);
    const two = checkDesign(small());
    const bothDown = (1 - ZONE_AVAILABILITY) ** 2;
    const instancesDown = (1 - INSTANCE_AVAILABILITY) ** 2;
    expect(pathAvailability(two, ["api"])).toBeGreaterThan(1 - bothDown - 2 * instancesDown);
    expect(pathAvailability(two, ["api"])).toBeGreaterThan(pathAvailability(one, ["api"]));
  });

  it("names what a lost zone takes: a component with every instance there is gone", () => {
    const design = small();
    design.components.api.zones = ["a"];
    const { zoneLoss } = evaluateDesign(design, asked);
    expect(zoneLoss.find((z) => z.zone === "a")?.lost).toEqual(["api"]);
    expect(zoneLoss.find((z) => z.zone === "b")?.lost).toEqual([]);
  });

  it("says where the slowest requests spend their time: a log nobody needs to wait for, waited for", () => {
    const design = structuredClone(reference()) as Design;
    const redirect = design.flows.redirect as { hops: Design["flows"][string]["hops"] };
    redirect.hops = redirect.hops.map((hop) => (typeof hop === "object" && hop.to === "clicks" ? "clicks" : hop));
    const flow = evaluateDesign(design, requirements).flows.find((f) => f.name === "redirect");
    const ranked = [...(flow?.slowest ?? [])].sort((a, b) => b.ms - a.ms).map((s) => s.step);
    expect(ranked[0]).toBe("clicks");
    expect(ranked).toContain("links (on a miss)");
  });

  it("finds a queue that only grows: a p99 without end when a component is past its capacity", () => {
    const { flows } = evaluateDesign(small(), { ...asked, flows: { call: { rate: "2500 req/s", p99: "100 ms" } } });
    expect(flows[0]?.p99).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("a store that agrees by quorum", () => {
  const cluster = (replicas: number, zones: string[]): Design => ({
    zones: ["a", "b", "c"],
    components: {
      log: { kind: "kv-store", shards: 1, replicas, quorum: true, capacity: "10k req/s", latency: "5 ms", zones },
    },
    flows: { write: { hops: [{ to: "log", write: true }] } },
  });
  const writes: Requirements = { flows: { write: { rate: "100 req/s", p99: "1 s" } }, availability: "99%" };

  it("finishes a write with the majority-th fastest replica: sooner than the slowest, later than the fastest", () => {
    const [five] = evaluateDesign(cluster(5, ["a", "b", "c"]), writes).flows;
    const [one] = evaluateDesign(cluster(1, ["a"]), writes).flows;
    // one replica idle: p99 of an exponential with a 5 ms mean, ln(100) × 5 ms
    expect(one?.p99).toBeGreaterThan(5 * Math.log(100) * 0.93);
    expect(five?.p99).toBeLessThan(one?.p99 ?? 0);
  });

  it("is up while a majority is: five over three zones survive any zone; four over two do not", () => {
    const five = evaluateDesign(cluster(5, ["a", "b", "c"]), writes);
    const four = evaluateDesign(cluster(4, ["a", "b"]), writes);
    expect(five.zoneLoss.every((z) => z.lost.length === 0)).toBe(true);
    expect(four.zoneLoss.filter((z) => z.lost.includes("log")).map((z) => z.zone)).toEqual(["a", "b"]);
    expect(four.flows[0]?.singlePoints).toEqual(["log"]);
    expect(five.flows[0]?.singlePoints).toEqual([]);
    // two zones down (three ways) take a majority of five; one zone down takes that of four (two ways)
    expect(1 - (five.flows[0]?.availability ?? 0)).toBeLessThan(1e-4);
    expect(1 - (four.flows[0]?.availability ?? 0)).toBeGreaterThan(2 * (1 - ZONE_AVAILABILITY) * 0.9);
  });
});

describe("another design that meets the URL shortener's requirements", () => {
  it("passes every requirement with its own names, four zones, a cluster cache and a bigger store", async () => {
    const alternative: Design = {
      zones: ["z1", "z2", "z3", "z4"],
      components: {
        edge: {
          kind: "load-balancer",
          count: 4,
          capacity: "200k req/s",
          latency: "0.3 ms",
          zones: ["z1", "z2", "z3", "z4"],
        },
        app: { kind: "service", count: 48, capacity: "12k req/s", latency: "3 ms", zones: ["z1", "z2", "z3", "z4"] },
        redis: {
          kind: "cache",
          count: 4,
          capacity: "200k req/s",
          latency: "0.5 ms",
          memory: "48 GB",
          zones: ["z1", "z2", "z3", "z4"],
        },
        kv: {
          kind: "kv-store",
          shards: 24,
          replicas: 3,
          capacity: "4k req/s",
          latency: "4 ms",
          storage: "16 TB",
          zones: ["z1", "z2", "z3", "z4"],
        },
      },
      flows: {
        redirect: { hops: ["edge", "app", { to: "redis", hitRatio: 0.95, onMiss: "kv" }], admits: "400k req/s" },
        create: { hops: ["edge", "app", { to: "kv", write: true }], admits: "5k req/s" },
      },
    };
    const evaluation = evaluateDesign(alternative, requirements);
    const { components, flows, availability, storage = [], zoneLoss } = evaluation;
    expect([...components.values()].filter((c) => c.utilisation > HEADROOM).map((c) => c.name)).toEqual([]);
    expect(
      flows.filter((f) => !(f.p99 <= f.p99Slo) || f.availability < availability || f.singlePoints.length > 0),
    ).toEqual([]);
    expect(storage.filter((s) => s.needTb > s.haveTb * HEADROOM)).toEqual([]);
    expect(zoneLoss.filter((z) => z.lost.length > 0 || z.overloaded.length > 0)).toEqual([]);
    // and every other requirement: the traffic patterns, a cold cache node, a viral link
    const { findingsOf, reviewDesign } = await import("../design/review.ts");
    const review = reviewDesign(findingsOf(evaluation, requirements), requirements);
    expect(review.rows.filter((r) => !r.holds)).toEqual([]);
    expect(review.rows.length).toBeGreaterThanOrEqual(12);
  });
});

describe("the store that keeps the retained data", () => {
  // an object store's shape: the bytes on data nodes, a small index written beside them
  const withIndex = (dataDisk: string): Design => ({
    zones: ["a", "b", "c"],
    components: {
      api: { kind: "service", count: 6, capacity: "10k req/s", latency: "2 ms", zones: ["a", "b", "c"] },
      index: {
        kind: "kv-store",
        shards: 2,
        replicas: 3,
        capacity: "10k req/s",
        latency: "2 ms",
        zones: ["a", "b", "c"],
      },
      data: {
        kind: "object-store",
        shards: 4,
        replicas: 3,
        capacity: "2k req/s",
        latency: "20 ms",
        storage: dataDisk,
        zones: ["a", "b", "c"],
      },
    },
    flows: { put: { hops: ["api", { to: "data", write: true }, { to: "index", write: true }] } },
  });
  const needs: Requirements = {
    flows: { put: { rate: "1k req/s", p99: "200 ms" } },
    availability: "99.9%",
    storage: "100 TB",
  };

  it("is the written store with the most room: an index written beside the data is not asked for all of it", () => {
    const storage = evaluateDesign(withIndex("40 TB"), needs).storage ?? [];
    expect(storage.map((s) => [s.store, s.needTb, s.haveTb])).toEqual([["data", 300, 480]]);
  });

  it("still fails a design whose data store holds the data once where it keeps three replicas", () => {
    const [store] = evaluateDesign(withIndex("12 TB"), needs).storage ?? [];
    expect(store?.store).toBe("data");
    expect((store?.needTb ?? 0) / (store?.haveTb ?? 1)).toBeGreaterThan(HEADROOM);
  });
});

describe("a design that does not hold together", () => {
  const problem = (design: unknown, needs: Requirements = asked) => {
    try {
      evaluateDesign(design as Design, needs);
    } catch (error) {
      expect(error).toBeInstanceOf(DesignProblem);
      return (error as Error).message;
    }
    throw new Error("expected the design to be refused");
  };

  it("names a quantity without its unit, or in the wrong one, by its place", () => {
    const design = small();
    design.components.api.capacity = "1k";
    expect(problem(design)).toContain("components.api.capacity");
    design.components.api.capacity = "1k req/s";
    design.components.api.latency = "10 GB";
    expect(problem(design)).toMatch(/components\.api\.latency: expected a quantity such as "2 ms"/);
  });

  it("names an unknown kind, a zone it does not declare, a hop to nothing, and a hit ratio with nowhere for misses", () => {
    const message = problem({
      zones: ["a"],
      components: {
        api: { kind: "server", count: 1, capacity: "1k req/s", latency: "1 ms", zones: ["a"] },
        cache: { kind: "cache", count: 1, capacity: "1k req/s", latency: "1 ms", memory: "1 GB", zones: ["z"] },
      },
      flows: { call: { hops: ["api", "db", { to: "cache", hitRatio: 0.5 }] } },
    });
    expect(message).toContain("components.api.kind: expected one of");
    expect(message).toContain('components.cache.zones: "z" is not one of the design\'s zones');
    expect(message).toContain('flows.call.hops.1: "db" is not a component of the design');
    expect(message).toContain("flows.call.hops.2.onMiss: a hit ratio needs onMiss");
  });

  it("names a flow the problem has and the design does not", () => {
    expect(problem(small(), { ...asked, flows: { create: { rate: "1 req/s", p99: "1 s" } } })).toContain(
      'the problem has a flow "create" the design does not',
    );
  });

  it("refuses counts no whiteboard has, which would make the grader's own work endless", () => {
    const design = small();
    design.components.api.count = 1e9;
    expect(problem(design)).toContain("components.api.count: expected at most 100,000 instances");
    expect(problem({ ...small(), zones: Array.from({ length: 30 }, (_, i) => `z${i}`) })).toContain(
      "zones: expected at most 8 zones",
    );
    const api = small().components.api;
    const many = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`s${i}`, api]));
    expect(problem({ ...small(), components: { ...many, api } })).toContain(
      "components: expected at most 40 components",
    );
    expect(problem({ ...small(), flows: { call: { hops: Array.from({ length: 41 }, () => "api") } } })).toContain(
      "flows.call.hops: expected at most 40 hops",
    );
    expect(problem({ ...small(), components: { ["a".repeat(41)]: api } })).toContain(
      "expected a name of 40 characters or fewer",
    );
  });

  it("says what it expected of something that is not a design at all", () => {
    expect(problem(undefined)).toContain("the design does not hold together");
    expect(problem({ zones: "a" })).toContain("zones");
  });
});

describe("a learner's half-finished design, graded", () => {
  it("gets a report that says what is wrong, where, and no stack trace", async () => {
    const { cli, copyOf, repo } = await import("./cli-helper.ts");
    const { existsSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
    const path = await import("node:path");
    const root = copyOf("project", "half-design");
    try {
      // a design problem of the fixture's own: one flow through one service
      const manifest = path.join(root, "chapters/01-fixture/chapter.ts");
      writeFileSync(
        manifest,
        readFileSync(manifest, "utf8").replace(
          "  katas: [",
          `  katas: [
    {
      id: "design-tiny",
      title: "Design: one service",
      difficulty: 1,
      file: "design-tiny.ts",
      hints: ["Size the service for the peak at 70%.", "Two instances in two zones."],
      budgets: {},
      design: { flows: { call: { rate: "1000 req/s", p99: "100 ms" } }, availability: "99%" },
    },`,
        ),
      );
      writeFileSync(
        path.join(root, "grader/specs/01-fixture/design-tiny.spec.ts"),
        [
          'import { describe } from "vitest";',
          'import { design } from "#kata/01-fixture/design-tiny";',
          'import { kataOf } from "#spec";',
          'import chapter from "../../../chapters/01-fixture/chapter.ts";',
          `import { designTests } from ${JSON.stringify(path.join(repo, "grader/spec/design.ts"))};`,
          'const { design: requirements } = kataOf(chapter, "01-fixture", "design-tiny");',
          'describe("one service", () => designTests(requirements as never, design));',
          "",
        ].join("\n"),
      );
      const half = [
        'import { type Design, defineDesign } from "#kit";',
        "export function design(): Design {",
        "  return defineDesign({",
        '    zones: ["a", "b"],',
        '    components: { api: { kind: "service", count: 2, capacity: "1k", latency: "10 ms", zones: ["a", "c"] } },',
        '    flows: { call: { hops: ["api", "db"] } },',
        "  });",
        "}",
        "",
      ].join("\n");
      // the reference and the stub only need to exist here: the learner's file is what is graded
      for (const dir of ["solutions", "grader/stubs"])
        writeFileSync(path.join(root, dir, "01-fixture/design-tiny.ts"), `// ${dir}\n${half}`);
      writeFileSync(path.join(root, "katas/01-fixture/design-tiny.ts"), half);
      const run = await cli("grade", ["design-tiny"], root);
      expect(run.stdout).toContain("the design does not hold together");
      expect(run.stdout).toContain('components.api.capacity: expected a quantity such as "15k req/s"');
      expect(run.stdout).toContain('components.api.zones: "c" is not one of the design\'s zones (a, b)');
      expect(run.stdout).toContain('flows.call.hops.1: "db" is not a component of the design');
      expect(run.stdout).toContain("not graded: the design does not hold together (the first test says where)");
      expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\n\s+at .*\.ts:\d+:\d+/);
      expect(
        existsSync(path.join(root, ".grade/designs/design-tiny.mmd")),
        "a design that does not hold is not drawn",
      ).toBe(false);

      // whole, but with nothing to stop a spike: the review puts that first, with the table after
      const whole = half
        .replace('"1k"', '"1k req/s"')
        .replace('["a", "c"]', '["a", "b"]')
        .replace("count: 2", "count: 3");
      writeFileSync(path.join(root, "katas/01-fixture/design-tiny.ts"), whole.replace('["api", "db"]', '["api"]'));
      const spiked = await cli("grade", ["design-tiny"], root);
      const review = spiked.stdout.slice(spiked.stdout.indexOf("What to fix first"));
      expect(review, spiked.stdout).toMatch(
        /^What to fix first\n\s+1\. a 10× spike \(1 min\): call's p99 reaches [\d.]+ s/,
      );
      expect(review.indexOf("Requirements")).toBeGreaterThan(0);
      expect(review).toMatch(/✓ every component at 70% of capacity or less at peak\s+busiest: api at 33%/);
      expect(review).toMatch(/✗ a 10× spike \(1 min\): p99s met, queues empty 5 min after/);
      expect(review).toContain("--trace follows one request of each flow hop by hop");

      // finished: it refuses what is past 1.2k a second at the edge, passes, and is drawn for the site
      writeFileSync(
        path.join(root, "katas/01-fixture/design-tiny.ts"),
        whole.replace('{ hops: ["api", "db"] }', '{ hops: ["api"], admits: "1.2k req/s" }'),
      );
      const done = await cli("grade", ["design-tiny", "--trace", "--json", path.join(root, "results.json")], root);
      expect(done.stdout, done.stderr).toContain("passing");
      // the review travels in the results too, for a dashboard or an instructor
      const results = JSON.parse(readFileSync(path.join(root, "results.json"), "utf8"));
      const tiny = results.katas.find((k: { id: string }) => k.id === "design-tiny");
      expect(tiny.design.problems).toEqual([]);
      expect(tiny.design.requirements[0]).toEqual({
        requirement: "every component at 70% of capacity or less at peak",
        holds: true,
        figure: "busiest: api at 33%",
      });
      expect(done.stdout).not.toContain("What to fix first");
      expect(done.stdout).toMatch(/Trace: a call request, hop by hop[^\n]*\n\s+1\. api\s+[\d.]+ ms\s+100%/);
      const drawn = readFileSync(path.join(root, ".grade/designs/design-tiny.mmd"), "utf8");
      expect(drawn).toContain("c_api");
      const { checkDiagrams } = await import("../../docs/site/diagrams.ts");
      expect(await checkDiagrams([{ file: "design-tiny.mmd", line: 1, source: drawn }])).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a design drawn", () => {
  it("is a flowchart mermaid parses, with every component and every flow's arrows", async () => {
    const { designDiagram } = await import("../design/diagram.ts");
    const { checkDiagrams } = await import("../../docs/site/diagrams.ts");
    const evaluation = evaluateDesign(reference(), requirements);
    const diagram = designDiagram(evaluation.design, evaluation);
    expect(await checkDiagrams([{ file: "design.mmd", line: 1, source: diagram }])).toEqual([]);
    for (const name of ["lb", "api", "cache", "links", "clicks"]) expect(diagram).toContain(`c_${name}`);
    expect(diagram).toContain("c_cache -.->|redirect misses| c_links");
    expect(diagram).toContain("client -->|redirect, at most 420k req/s| c_lb");
    expect(diagram).toContain("c_cache -.->|redirect| c_clicks".replace("c_cache", "c_cache"));
    expect(diagram).toMatch(/c_api\["api<br\/>service × 60<br\/>10k req\/s each<br\/>\d+% at peak"\]/);
  });
});

describe("a partitioned log (a queue with partitions)", () => {
  // 6 brokers over three zones, 12 partitions of 3 replicas: 60k appends and 30k reads a second
  const log = (changes: Partial<Design["components"][string]> = {}, keySpread?: number): Design => ({
    zones: ["a", "b", "c"],
    components: {
      log: {
        kind: "queue",
        count: 6,
        partitions: 12,
        replicas: 3,
        quorum: true,
        capacity: "100k req/s",
        partitionCapacity: "10k req/s",
        latency: "1 ms",
        storage: "10 TB",
        zones: ["a", "b", "c"],
        ...changes,
      },
    },
    flows: {
      produce: { hops: [{ to: "log", write: true, ...(keySpread ? { keySpread } : {}) }] },
      consume: { hops: ["log"] },
    },
  });
  const asked: Requirements = {
    workload: { rate: "60k msg/s", size: "1 kB/msg", kept_for: "1 day", kept: "rate * size * kept_for" },
    flows: { produce: { rate: "rate", p99: "100 ms" }, consume: { rate: "rate / 2", p99: "100 ms" } },
    availability: "99.9%",
    storage: "kept",
    retention: "kept_for",
    hotKeys: { produce: "1%" },
    drills: ["zone-loss", "hot-key"],
  };

  it("loads each broker with every replica's appends and the leaders' reads, and each partition with its writes", () => {
    const load = evaluateDesign(log(), asked).components.get("log");
    // (60k × 3 + 30k) ÷ 6 brokers = 35k of 100k; 60k ÷ 12 partitions = 5k of 10k: the partitions bind
    expect(load?.perInstance).toBeCloseTo(35_000, 6);
    expect(load?.partition?.perPartition).toBeCloseTo(5_000, 6);
    expect(load?.utilisation).toBeCloseTo(0.5, 6);
  });

  it("keeps the retained data once per replica on its brokers' disks, and says a day's log rolls over", () => {
    // 60 MB/s × 1 day = 5.18 TB, × 3 replicas = 15.6 TB on 6 × 10 TB
    const [store] = evaluateDesign(log(), asked).storage ?? [];
    expect(store?.needTb).toBeCloseTo(60e6 * 86_400 * 3 * 1e-12, 6);
    expect(store?.haveTb).toBe(60);
    expect(store?.yearlyTb).toBeUndefined();
    expect(store?.rollingDays).toBeCloseTo(1, 6);
  });

  it("puts a hot key on one partition unless it is spread: more partitions do not help, salting does", () => {
    // the key's tenfold share: 10% of 60k is 6k more on one partition than the 5k each takes
    const one = (design: Design) => {
      const model = buildModel(design, asked);
      return hotKey(model, "produce", 0.01).holders.find((h) => h.name === "log");
    };
    const keyed = one(log());
    expect(keyed?.what).toBe("partition");
    expect(keyed?.utilisation).toBeCloseTo((5_000 + 5_400) / 10_000, 6);
    // twice the partitions: 2.5k each, and the key's 5.4k more still on one of them
    expect(one(log({ partitions: 24 }))?.utilisation).toBeCloseTo((2_500 + 5_400) / 10_000, 6);
    // salted over 6 partitions: 0.9k more on each
    expect(one(log({}, 6))?.utilisation).toBeCloseTo((5_000 + 900) / 10_000, 6);
  });

  it("survives a zone with a replica of each partition in every zone; stops with every broker in one", () => {
    const spread = evaluateDesign(log(), asked);
    expect(spread.zoneLoss.every((z) => z.lost.length === 0)).toBe(true);
    // 4 brokers left: (180k + 30k) ÷ 4 = 52.5k each
    expect(findingsLoad(spread)).toBeCloseTo(52_500, 6);
    const oneZone = evaluateDesign(log({ zones: ["a"] }), asked);
    expect(oneZone.flows[0]?.singlePoints).toEqual(["log"]);
    expect(oneZone.zoneLoss.find((z) => z.zone === "a")?.lost).toEqual(["log"]);
  });

  it("lets one member of each consumer group a partition work: the groups are the reads over the writes", () => {
    // 30k reads of 60k writes is half a group: one group, 12 partitions, so 12 of 20 consumers work
    const design = log();
    design.components.readers = {
      kind: "service",
      count: 20,
      capacity: "10k req/s",
      latency: "1 ms",
      zones: ["a", "b", "c"],
    };
    design.flows.consume = { hops: ["log", "readers"] };
    const one = evaluateDesign(design, asked).components.get("readers");
    expect(one?.working).toBe(12);
    expect(one?.perInstance).toBeCloseTo(30_000 / 12, 6);
    // 120k reads are two groups: 24 partitions' worth, more than the 20 consumers, all of which work
    const two = evaluateDesign(design, {
      ...asked,
      flows: { ...asked.flows, consume: { rate: "rate * 2", p99: "100 ms" } },
    }).components.get("readers");
    expect(two?.working).toBeUndefined();
    expect(two?.perInstance).toBeCloseTo(120_000 / 20, 6);
  });

  it("waits for every replica with acks=all: a write is slower than a read of the same broker", () => {
    const [produce, consume] = evaluateDesign(log(), asked).flows;
    expect(produce?.p99).toBeGreaterThan((consume?.p99 ?? 0) * 1.2);
  });

  it("counts a log's flow up as often as one partition: a request needs only its own", () => {
    const twelve = evaluateDesign(log(), asked).flows[0]?.availability ?? 0;
    const thousand = evaluateDesign(log({ partitions: 1_000 }), asked).flows[0]?.availability ?? 0;
    expect(thousand).toBeCloseTo(twelve, 12);
  });

  it("names partitions on what is not a queue, replicas on a queue without partitions, and a key spread too far", () => {
    const problems = (design: Design) => {
      try {
        checkDesign(design);
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    const { partitions: _dropped, ...unpartitioned } = log().components.log as Design["components"][string];
    expect(problems({ ...log(), components: { log: unpartitioned } })).toContain(
      "components.log.replicas: a queue has a count, not replicas (a queue with partitions has replicas of each)",
    );
    expect(problems(log({ kind: "service" }))).toContain("components.log.partitions: only a queue has partitions");
    expect(problems(log({ count: 2 }))).toContain(
      "components.log.replicas: 3 replicas of each partition need as many brokers (count), one each; it has 2",
    );
    expect(problems(log({}, 13))).toContain(
      'flows.produce.hops.0.keySpread: a key spread over 13, where "log" has 12 partitions',
    );
  });
});

/** the log's load per broker with zone a lost */
function findingsLoad(evaluation: ReturnType<typeof evaluateDesign>): number {
  const lost = lostWith(evaluation.model, "a");
  return loadsOf(evaluation.model, { lost }).get("log")?.perInstance ?? 0;
}
