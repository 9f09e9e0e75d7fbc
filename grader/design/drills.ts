// Failure drills at peak: a cache node that restarts empty, and one key whose traffic grows tenfold.
// Each says what breaks and which requirements still hold: components under 100%, each flow's p99.
import {
  type ComponentLoad,
  type Conditions,
  componentOf,
  figuresOf,
  hopsOf,
  loadsOf,
  type Model,
  SAMPLES,
  sampleFlow,
} from "./evaluate.ts";
import { isLog, STORES } from "./schema.ts";

/** how a design fares under a drill: what runs past capacity, each flow's p99 against its objective */
export interface DrillOutcome {
  overloaded: { name: string; utilisation: number }[];
  flows: { name: string; p99: number; slo: number }[];
}

function outcomeOf(
  model: Model,
  loads: Map<string, ComponentLoad>,
  conditions: Conditions,
  seed: number,
): DrillOutcome {
  return {
    overloaded: [...loads.values()]
      .filter((load) => load.utilisation >= 1)
      .sort((a, b) => b.utilisation - a.utilisation)
      .map(({ name, utilisation }) => ({ name, utilisation })),
    flows: [...model.rates.keys()].map((flow) => ({
      name: flow,
      p99: sampleFlow(model, flow, loads, { seed, samples: SAMPLES / 4, conditions }).p99,
      slo: model.slos.get(flow) ?? 0,
    })),
  };
}

export interface ColdCache {
  cache: string;
  nodes: number;
  /** one of its nodes restarted empty: its share of the keys misses until refilled */
  oneNode: DrillOutcome;
  /** every node empty at once (a deploy, a power cut): shown, not required */
  wholeTier: DrillOutcome;
}

/** the caches some flow reads through (a hop with a hit ratio and somewhere for the misses) */
function cachesOf(model: Model): string[] {
  const caches = new Set<string>();
  for (const flow of model.rates.keys())
    for (const hop of hopsOf(model, flow)) if (hop.hitRatio !== undefined && hop.onMiss) caches.add(hop.to);
  return [...caches];
}

export function coldCache(model: Model, seed = 1): ColdCache[] {
  return cachesOf(model).map((cache) => {
    const c = componentOf(model, cache);
    const nodes = STORES.has(c.kind) ? (c.shards ?? 1) : (c.count ?? 1);
    const run = (warmth: number) => {
      const conditions: Conditions = { warmth: (name) => (name === cache ? warmth : 1) };
      return outcomeOf(model, loadsOf(model, conditions), conditions, seed);
    };
    return { cache, nodes, oneNode: run(1 - 1 / nodes), wholeTier: run(0) };
  });
}

/** keys live on one instance of a cache, one shard of a store, one partition of a log; the rest spread any key's requests */
const keyed = (c: { kind: string; partitions?: number | undefined }) =>
  c.kind === "cache" || STORES.has(c.kind as never) || isLog(c);

export interface HotKey {
  flow: string;
  /** the key's share of the flow's requests in the drill: ten times its usual share */
  share: number;
  /**
   * the instance (store node) holding the key, per keyed component on the flow's path; a log's
   * partition, `what: "partition"`, when it is fuller than the brokers holding its replicas
   */
  holders: { name: string; utilisation: number; what?: string }[];
  /** the hot key's own requests, through the instances that hold it */
  outcome: DrillOutcome;
}

/**
 * One key's traffic grows tenfold at peak: `usual` is its share of the flow's requests. The cache
 * instance holding it takes all of the key's requests (a hot key is always cached, so nothing more
 * reaches the store behind); a store read without a cache lands on one shard, spread over its
 * replicas; a store write, on every replica of that shard. A log's write lands on one partition:
 * its leader appends it, and each replica's broker with it. A hop's keySpread spreads the key
 * over that many shards (partitions, cache instances). Services spread it like any request.
 */
export function hotKey(model: Model, flow: string, usual: number, seed = 1): HotKey {
  const loads = loadsOf(model);
  const extra = 9 * usual * (model.rates.get(flow) ?? 0);
  const hot = new Map<string, number>(); // per component: requests a second more on the instance holding the key
  const hotWrites = new Map<string, number>(); // per log: writes a second more on the partition holding the key
  const add = (map: Map<string, number>, name: string, rate: number) => map.set(name, (map.get(name) ?? 0) + rate);
  for (const hop of hopsOf(model, flow)) {
    const c = componentOf(model, hop.to);
    const arriving = (extra * (hop.fanout ?? 1)) / (hop.keySpread ?? 1);
    if (!keyed(c)) add(hot, hop.to, arriving / (c.count ?? 1));
    else if (isLog(c)) {
      // a broker holds one replica of a partition: the key's share of it, read or appended
      add(hot, hop.to, arriving);
      if (hop.write) add(hotWrites, hop.to, arriving);
    } else if (!STORES.has(c.kind)) add(hot, hop.to, arriving);
    else add(hot, hop.to, hop.write ? arriving : arriving / (c.replicas ?? 1));
  }
  const holding = new Map(
    [...loads].map(([name, load]) => {
      const rate = load.perInstance + (hot.get(name) ?? 0);
      // the partition holding the key: its usual writes and the key's
      const partition = load.partition && {
        ...load.partition,
        perPartition: load.partition.perPartition + (hotWrites.get(name) ?? 0),
        utilisation: (load.partition.perPartition + (hotWrites.get(name) ?? 0)) / load.partition.capacity,
      };
      const utilisation = Math.max(rate / figuresOf(model, name).capacity, partition?.utilisation ?? 0);
      const station = { ...load.station, rate };
      return [name, { ...load, perInstance: rate, utilisation, station, ...(partition ? { partition } : {}) }];
    }),
  );
  const holders = [...hot.keys()]
    .filter((name) => keyed(componentOf(model, name)))
    .map((name) => {
      const load = holding.get(name) as ComponentLoad;
      const byPartition =
        load.partition !== undefined && load.partition.utilisation >= load.perInstance / load.capacity;
      return { name, utilisation: load.utilisation, ...(byPartition ? { what: "partition" } : {}) };
    });
  const outcome = outcomeOf(model, holding, {}, seed);
  return {
    flow,
    share: usual * 10,
    holders,
    outcome: { ...outcome, flows: outcome.flows.filter((f) => f.name === flow) },
  };
}
