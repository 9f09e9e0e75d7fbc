import { describe, expect, it } from "vitest";
import { buildModel, checkDesign, DesignProblem, evaluateDesign, loadsOf } from "../design/evaluate.ts";
import { type Requirements, RequirementsSchema } from "../design/requirements.ts";
import type { Component, Design } from "../kit/design.ts";

/** two regions 100 ms apart, or the share given to the first */
const twoRegions = (east = "50%", west = "50%"): Requirements => ({
  flows: { call: { rate: "1000 req/s", p99: "500 ms" } },
  availability: "99%",
  regions: { east: { share: east, rtt: { west: "100 ms" } }, west: { share: west, rtt: {} } },
});
/** three regions: east to west 80 ms, east to asia 200 ms, west to asia 150 ms; all traffic from east */
const threeRegions = (consistency?: "strong" | "eventual"): Requirements => ({
  flows: {
    read: { rate: "1000 req/s", p99: "500 ms", ...(consistency ? { consistency } : {}) },
    write: { rate: "100 req/s", p99: "500 ms", ...(consistency ? { consistency } : {}) },
  },
  availability: "99%",
  regions: {
    east: { share: "100%", rtt: { west: "80 ms", asia: "200 ms" } },
    west: { share: "0%", rtt: { asia: "150 ms" } },
    asia: { share: "0%", rtt: {} },
  },
});
const store = (extra: Partial<Component> = {}): Component => ({
  kind: "kv-store",
  shards: 1,
  replicas: 3,
  quorum: true,
  capacity: "10k req/s",
  latency: "1 ms",
  zones: ["east", "west", "asia"],
  ...extra,
});
const storeDesign = (read: Design["flows"][string]["hops"][number] = "kv", extra: Partial<Component> = {}): Design => ({
  zones: ["east", "west", "asia"],
  components: { kv: store(extra) },
  flows: { read: { hops: [read] }, write: { hops: [{ to: "kv", write: true }] } },
});
const flow = (design: Design, requirements: Requirements, name: string) =>
  evaluateDesign(design, requirements).flows.find((f) => f.name === name);

describe("a problem served from several regions", () => {
  it("takes a design's zones as its regions, and names a zone that is not one", () => {
    const design: Design = {
      zones: ["east", "mars"],
      components: {
        api: { kind: "service", count: 2, capacity: "1k req/s", latency: "1 ms", zones: ["east", "mars"] },
      },
      flows: { call: { hops: ["api"] } },
    };
    expect(() => buildModel(design, twoRegions())).toThrow(DesignProblem);
    expect(() => buildModel(design, twoRegions())).toThrow(/"mars" is not one of the problem's regions \(east, west\)/);
  });

  it("asks the problem for the round trip between every pair of regions", () => {
    const parsed = RequirementsSchema.safeParse({
      ...twoRegions(),
      regions: { east: { share: "50%" }, west: { share: "50%" } },
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/no round trip between east and west/);
  });

  it("makes a request from a region without the component pay the round trip to the nearest one", () => {
    const onlyEast: Design = {
      zones: ["east", "west"],
      components: { api: { kind: "service", count: 4, capacity: "10k req/s", latency: "1 ms", zones: ["east"] } },
      flows: { call: { hops: ["api"] } },
    };
    const both: Design = {
      ...onlyEast,
      components: { api: { ...onlyEast.components.api, zones: ["east", "west"] } } as Design["components"],
    };
    // half the requests come from the west: the slowest 1% of them paid the 100 ms
    expect(flow(onlyEast, twoRegions(), "call")?.p99).toBeGreaterThan(100);
    expect(flow(both, twoRegions(), "call")?.p99).toBeLessThan(20);
  });

  it("loads each region's instances with what is routed to them: the busiest region decides", () => {
    const uneven: Design = {
      zones: ["east", "west"],
      // nine instances in the east, one in the west; half the requests are the west's
      components: {
        api: {
          kind: "service",
          count: 10,
          capacity: "1k req/s",
          latency: "1 ms",
          zones: ["east", "east", "east", "east", "east", "east", "east", "east", "east", "west"],
        },
      },
      flows: { call: { hops: ["api"] } },
    };
    const load = loadsOf(buildModel(uneven, twoRegions())).get("api");
    // 500 a second on the west's one instance, not 1000 over ten
    expect(load?.perInstance).toBeCloseTo(500, 9);
    expect(load?.utilisation).toBeCloseTo(0.5, 9);
  });

  it("acknowledges a quorum write at the W-th fastest replica's answer, the round trips included", () => {
    // from the east: its own replica at once, the west's after 80 ms, asia's after 200 ms; W = 2
    const write = flow(storeDesign(), threeRegions(), "write");
    expect(write?.p99).toBeGreaterThan(80);
    expect(write?.p99).toBeLessThan(150);
    // a write acknowledged by one replica does not wait for another region
    expect(flow(storeDesign("kv", { quorum: false }), threeRegions(), "write")?.p99).toBeLessThan(20);
  });

  it("answers a read from the nearest replica, and a quorum read from the nearest majority", () => {
    expect(flow(storeDesign("kv"), threeRegions(), "read")?.p99).toBeLessThan(20);
    const quorum = flow(storeDesign({ to: "kv", consistency: "quorum" }), threeRegions(), "read");
    expect(quorum?.p99).toBeGreaterThan(80);
    expect(quorum?.p99).toBeLessThan(150);
  });

  it("loses a quorum store with a region only when the rest are no majority", () => {
    const three = evaluateDesign(storeDesign(), threeRegions());
    expect(three.zoneLoss.flatMap((z) => z.lost)).toEqual([]);
    const twoOfThree = evaluateDesign(storeDesign("kv", { zones: ["east", "east", "west"] }), threeRegions());
    expect(twoOfThree.zoneLoss.find((z) => z.zone === "east")?.lost).toEqual(["kv"]);
  });
});

describe("a flow that states its consistency", () => {
  const problems = (design: Design) =>
    evaluateDesign(design, threeRegions("strong")).flows.flatMap((f) => f.consistency ?? []);

  it("holds a strong flow to R + W > N: a quorum read of a quorum-written store passes, a nearest read does not", () => {
    expect(problems(storeDesign({ to: "kv", consistency: "quorum" }))).toEqual([]);
    const [stale] = problems(storeDesign("kv"));
    expect(stale).toMatch(
      /read reads kv from 1 of its 3 replicas, and a write waits for 2: R \+ W = 3, not above N = 3/,
    );
  });

  it("asks a strong write to wait for a majority", () => {
    const found = problems(storeDesign({ to: "kv", consistency: "quorum" }, { quorum: false }));
    expect(found.some((p) => /write writes kv, acknowledged by 1 of its 3 replicas/.test(p))).toBe(true);
  });

  it("finds a cache on a strong flow's path, which answers without asking the replicas", () => {
    const cached: Design = {
      ...storeDesign({ to: "kv", consistency: "quorum" }),
      components: {
        kv: store(),
        cache: {
          kind: "cache",
          count: 3,
          capacity: "100k req/s",
          latency: "1 ms",
          memory: "8 GB",
          zones: ["east", "west", "asia"],
        },
      },
      flows: {
        read: { hops: [{ to: "cache", hitRatio: 0.9, onMiss: "kv" }] },
        write: { hops: [{ to: "kv", write: true }] },
      },
    };
    expect(problems(cached).join("\n")).toMatch(/reads through cache/);
  });

  it("checks nothing of an eventual flow, and takes a consistency only on a store's read", () => {
    expect(
      evaluateDesign(storeDesign("kv"), threeRegions("eventual")).flows.every((f) => f.consistency === undefined),
    ).toBe(true);
    expect(() =>
      checkDesign({
        ...storeDesign(),
        flows: { read: { hops: [{ to: "kv", write: true, consistency: "quorum" }] }, write: { hops: ["kv"] } },
      }),
    ).toThrow(/consistency is a read's/);
  });
});
