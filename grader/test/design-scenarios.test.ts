// Traffic over time, the drills and the review, each against a closed form on a small design.
import { describe, expect, it } from "vitest";
import { coldCache, hotKey } from "../design/drills.ts";
import { buildModel, evaluateDesign, loadsOf } from "../design/evaluate.ts";
import type { Requirements } from "../design/requirements.ts";
import { findingsOf, patternVerdict, reviewDesign, shareOf } from "../design/review.ts";
import { PATTERNS, RECOVERY_SECONDS, runPattern, TYPICAL } from "../design/traffic.ts";
import type { Design } from "../kit/design.ts";

/** one flow through two services: 1,000 a second at peak on 2 × 1k: 50% busy */
const service = (admits?: string): Design => ({
  zones: ["a", "b"],
  components: { api: { kind: "service", count: 2, capacity: "1k req/s", latency: "10 ms", zones: ["a", "b"] } },
  flows: { call: { hops: ["api"], ...(admits ? { admits } : {}) } },
});
const asked: Requirements = { flows: { call: { rate: "1000 req/s", p99: "100 ms" } }, availability: "99%" };
const pattern = (name: string) => PATTERNS.find((p) => p.name === name) as (typeof PATTERNS)[number];

describe("traffic over time", () => {
  it("holds steady at peak: the same utilisation every minute, no queue, the p99 of the steady state", () => {
    const model = buildModel(service(), asked);
    const run = runPattern(model, pattern("steady"));
    const steady = evaluateDesign(service(), asked).flows[0]?.p99 ?? 0;
    expect(run.windows).toHaveLength(10);
    for (const w of run.windows) {
      expect(w.utilisation.get("api")).toBeCloseTo(0.5, 12);
      expect(w.backlog.get("api")).toBe(0);
      expect(w.p99.get("call")).toBeGreaterThan(steady * 0.8);
      expect(w.p99.get("call")).toBeLessThan(steady * 1.2);
    }
  });

  it("builds a queue in a spike at (10/3 × 50% − 1) a second and drains it at 1 − 50%/3: a fluid queue's closed form", () => {
    const run = runPattern(buildModel(service(), asked), pattern("spike"));
    const over = 10 * TYPICAL * 0.5 - 1;
    const backlog = 60 * over; // seconds of work queued by the spike's end
    const drain = backlog / (1 - TYPICAL * 0.5);
    expect(Math.abs((run.drainedAfter ?? 0) - drain)).toBeLessThanOrEqual(1);
    const worst = Math.max(...run.windows.map((w) => w.backlog.get("api") ?? 0));
    expect(worst).toBeCloseTo(backlog, 6);
    // a request arriving behind the queue waits for it: the window's p99 is the backlog and more
    expect(Math.max(...run.windows.map((w) => w.p99.get("call") ?? 0))).toBeGreaterThanOrEqual(backlog * 1000);
    expect(patternVerdict(run).map((p) => p.text)[0]).toMatch(
      /call's p99 reaches \d+ s .*refuse what is past capacity/,
    );
  });

  it("refuses at the edge what is past a flow's admits: no queue in the spike, nothing refused up to peak", () => {
    const model = buildModel(service("1.2k req/s"), asked);
    const spike = runPattern(model, pattern("spike"));
    expect(spike.drainedAfter).toBe(0);
    expect(Math.max(...spike.windows.map((w) => w.backlog.get("api") ?? 0))).toBe(0);
    const refused = Math.max(...spike.windows.map((w) => w.refused.get("call") ?? 0));
    expect(refused).toBeCloseTo(1 - 1.2 / (10 * TYPICAL), 9);
    for (const name of ["steady", "ramp", "wave"])
      expect(runPattern(model, pattern(name)).windows.every((w) => w.refused.get("call") === 0)).toBe(true);
    expect(patternVerdict(spike)).toEqual([]);
  });

  it("says when a limit is below the peak asked: traffic refused at steady peak", () => {
    const run = runPattern(buildModel(service("500 req/s"), asked), pattern("steady"));
    expect(run.windows[0]?.refused.get("call")).toBeCloseTo(0.5, 12);
    expect(patternVerdict(run).map((p) => p.text)).toEqual([
      "steady peak (10 min): call refuses 50% of its requests at 100% of peak: its admits is below the peak the problem asks for",
    ]);
  });

  it("follows the day: the wave is a fifth of peak at midnight and the peak at noon", () => {
    const wave = pattern("wave");
    expect(wave.share(0)).toBeCloseTo(0.2, 12);
    expect(wave.share(43_200)).toBeCloseTo(1, 12);
    const ramp = pattern("ramp");
    expect(ramp.share(0)).toBeCloseTo(0.1, 12);
    expect(ramp.share(ramp.seconds)).toBeCloseTo(1, 12);
    expect(RECOVERY_SECONDS).toBe(300);
  });
});

/** a cache of 4 nodes, 80% hits, in front of a store of 4 shards × 2 replicas */
const cached = (): Design => ({
  zones: ["a", "b"],
  components: {
    cache: { kind: "cache", count: 4, capacity: "10k req/s", latency: "1 ms", memory: "8 GB", zones: ["a", "b"] },
    store: { kind: "kv-store", shards: 4, replicas: 2, capacity: "2k req/s", latency: "5 ms", zones: ["a", "b"] },
  },
  flows: {
    read: { hops: [{ to: "cache", hitRatio: 0.8, onMiss: "store" }] },
    write: { hops: [{ to: "store", write: true }] },
    direct: { hops: ["store"] },
  },
});
const cachedAsks: Requirements = {
  flows: {
    read: { rate: "8000 req/s", p99: "100 ms" },
    write: { rate: "400 req/s", p99: "100 ms" },
    direct: { rate: "400 req/s", p99: "100 ms" },
  },
  availability: "99%",
  hotKeys: { read: "1%", write: "1%", direct: "1%" },
  drills: ["cold-cache", "hot-key"],
};

describe("drills", () => {
  it("empties one cache node of four: a quarter of its hits become the store's misses", () => {
    const model = buildModel(cached(), cachedAsks);
    const [cold] = coldCache(model);
    expect(cold?.nodes).toBe(4);
    // reads reaching the store: 8000 × (1 − 0.8 × 3/4), plus 400 direct, over 8 nodes; writes 400 over 4 shards
    const perNode = (8000 * (1 - 0.8 * 0.75) + 400) / 8 + 400 / 4;
    const loads = loadsOf(model, { warmth: (name) => (name === "cache" ? 0.75 : 1) });
    expect(loads.get("store")?.perInstance).toBeCloseTo(perNode, 9);
    expect(cold?.oneNode.overloaded).toEqual([]);
    // every node empty: 8400 reads over 8 nodes and 100 writes each: 1150 a node, 58% of 2k
    expect(cold?.wholeTier.overloaded).toEqual([]);
  });

  it("puts a hot key on the instance that holds it: a cache node, a shard's replicas for a read, every replica for a write", () => {
    const model = buildModel(cached(), cachedAsks);
    const peak = loadsOf(model);
    const extra = (rate: number) => 9 * 0.01 * rate;
    const read = hotKey(model, "read", 0.01);
    expect(read.share).toBeCloseTo(0.1, 12);
    // the cache node holding it takes all of its requests; nothing more reaches the store
    expect(read.holders).toEqual([{ name: "cache", utilisation: expect.any(Number) }]);
    expect(read.holders[0]?.utilisation).toBeCloseTo(((peak.get("cache")?.perInstance ?? 0) + extra(8000)) / 10_000, 9);
    const direct = hotKey(model, "direct", 0.01);
    expect(direct.holders[0]?.utilisation).toBeCloseTo(
      ((peak.get("store")?.perInstance ?? 0) + extra(400) / 2) / 2000,
      9,
    );
    const write = hotKey(model, "write", 0.01);
    expect(write.holders[0]?.utilisation).toBeCloseTo(((peak.get("store")?.perInstance ?? 0) + extra(400)) / 2000, 9);
  });

  it("needs the hot key's share to run the hot-key drill, and flows the problem has", async () => {
    const { RequirementsSchema } = await import("../design/requirements.ts");
    const issues = (value: unknown) =>
      RequirementsSchema.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ ...asked, drills: ["hot-key"] })).toEqual([
      "hotKeys: the hot-key drill needs hotKeys: a flow's hottest key's share",
    ]);
    expect(issues({ ...asked, hotKeys: { other: "1%" } })).toEqual([
      'hotKeys.other: "other" is not one of the problem\'s flows',
    ]);
    expect(issues({ ...asked, drills: ["meteor"] })?.[0]).toMatch(/^drills.0: /);
  });

  it("reads a share as a share, and refuses anything else", () => {
    expect(shareOf("0.1%")).toBeCloseTo(0.001, 15);
    expect(shareOf("0.25")).toBe(0.25);
    expect(() => shareOf("ten")).toThrow(/expected a share such as "0.1%"/);
    expect(() => shareOf("150%")).toThrow(/expected a share/);
  });
});

describe("storage over time", () => {
  it("says what a store adds a year: the retained data with its replicas over the retention", () => {
    const stored: Requirements = { ...cachedAsks, storage: "12 TB", retention: "3 year", drills: [] };
    const design = cached();
    design.components.store = { ...design.components.store, storage: "10 TB" } as Design["components"][string];
    const [store] = evaluateDesign(design, stored).storage ?? [];
    expect(store).toEqual({ store: "store", needTb: 24, haveTb: 80, yearlyTb: 8 });
  });
});

describe("what a design costs", () => {
  it("prices every node as instances (a cache node by its memory) and every disk by the TB-month", async () => {
    const { costOf, PRICES } = await import("../design/cost.ts");
    const { quantity } = await import("../design/schema.ts");
    const month = quantity(PRICES.instance, "USD/month") as number;
    expect(month).toBeCloseTo(0.0816 * 24 * 30, 9);
    const design: Design = {
      zones: ["a"],
      components: {
        api: { kind: "service", count: 2, capacity: "1k req/s", latency: "1 ms", zones: ["a"] },
        cache: { kind: "cache", count: 1, capacity: "1k req/s", latency: "1 ms", memory: "20 GB", zones: ["a"] },
        db: {
          kind: "sql-store",
          shards: 2,
          replicas: 2,
          capacity: "1k req/s",
          latency: "1 ms",
          storage: "1 TB",
          zones: ["a"],
        },
        blobs: {
          kind: "object-store",
          shards: 1,
          replicas: 1,
          capacity: "1k req/s",
          latency: "1 ms",
          storage: "10 TB",
          zones: ["a"],
        },
      },
      flows: { call: { hops: ["api"] } },
    };
    const cost = costOf(buildModel(design, asked));
    const of = (name: string) => cost.components.find((c) => c.name === name);
    expect(of("api")).toEqual({ name: "api", compute: 2 * month, storage: 0 });
    // 20 GB is three 8 GB instances' worth of memory
    expect(of("cache")?.compute).toBeCloseTo(3 * month, 9);
    expect(of("db")?.storage).toBeCloseTo(4 * 1000 * 0.08, 9);
    expect(of("blobs")?.storage).toBeCloseTo(10 * 1000 * 0.023, 9);
    expect(cost.total).toBeCloseTo(
      cost.components.reduce((sum, c) => sum + c.compute + c.storage, 0),
      9,
    );
    expect(cost.components.map((c) => c.name)).toEqual(
      ["db", "cache", "blobs", "api"].sort((a, b) => {
        const total = (n: string) => (of(n)?.compute ?? 0) + (of(n)?.storage ?? 0);
        return total(b) - total(a);
      }),
    );
  });

  it("holds a design to its budget when the problem sets one, and says where the money goes", () => {
    const tight: Requirements = { ...asked, budget: "100 USD/month" };
    const evaluation = evaluateDesign(service("1.2k req/s"), tight);
    const review = reviewDesign(findingsOf(evaluation, tight), tight);
    const row = review.rows.find((r) => r.requirement.startsWith("monthly cost"));
    expect(row).toEqual({ requirement: "monthly cost within $100", holds: false, figure: "$118: api $118" });
    expect(review.problems.map((p) => p.text)).toContain(
      "the design costs $118 a month, $100 allowed: api takes $118 of instances and $0 of disk",
    );
  });
});

describe("the review", () => {
  it("puts a design broken at peak first, then a requirement missed, then what a traffic pattern shows", () => {
    // one service at 90% with no limit: past its headroom, and a spike that queues
    const busy: Design = { ...service(), components: { api: { ...service().components.api, count: 1 } } } as Design;
    const narrow: Requirements = { ...asked, flows: { call: { rate: "900 req/s", p99: "100 ms" } } };
    const evaluation = evaluateDesign(busy, narrow);
    const review = reviewDesign(findingsOf(evaluation, narrow), narrow);
    // the requirements missed at peak come before what the spike shows (its queue is the same want of room)
    expect(review.problems.map((p) => p.text)).toEqual([
      "call is up 99.4005% of the time; one failure stops api: spread it over zones, with a spare",
      "api (service) at 90% of its capacity at peak: add instances",
      expect.stringMatching(/^a 10× spike \(1 min\): call's p99 reaches [\d.]+ s/),
    ]);
    expect(review.problems.map((p) => p.severity)).toEqual(
      [...review.problems.map((p) => p.severity)].sort((a, b) => b - a),
    );
    const rows = review.rows.map((r) => r.requirement);
    expect(rows).toEqual([
      "every component at 70% of capacity or less at peak",
      "call: p99 ≤ 100 ms at peak",
      "call: up 99%, no single point of failure",
      "monthly cost (no budget asked)",
      "steady peak (10 min): p99s met, nothing refused",
      "a ramp to peak (30 min): p99s met, nothing refused",
      "a diurnal wave (24 h): p99s met, nothing refused",
      "a 10× spike (1 min): p99s met, queues empty 5 min after",
    ]);
    expect(review.rows.find((r) => r.requirement.startsWith("call: up"))?.figure).toContain("single points: api");
  });

  it("states what still holds in each drill", () => {
    const evaluation = evaluateDesign(cached(), cachedAsks);
    const review = reviewDesign(findingsOf(evaluation, cachedAsks), cachedAsks);
    const cold = review.rows.find((r) => r.requirement.startsWith("one cache node of 4"));
    expect(cold?.figure).toMatch(/^carried; holds: read p99 [\d.]+ ms, write p99 [\d.]+ ms, direct p99 [\d.]+ ms$/);
    const hot = review.rows.filter((r) => r.requirement.includes("hottest key"));
    expect(hot.map((r) => r.requirement)).toEqual([
      "read's hottest key at ten times its share (10%): its holders under 100%",
      "write's hottest key at ten times its share (10%): its holders under 100%",
      "direct's hottest key at ten times its share (10%): its holders under 100%",
    ]);
  });
});
