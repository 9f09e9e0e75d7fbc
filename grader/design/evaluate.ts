// A design against its problem's requirements: each component's load and utilisation at peak, each
// flow's p99 and availability, the stores' room for the retained data, and what losing a zone does.
// Numbers come from the units engine; every figure is worked out, none is typed in.
import type { Design } from "../kit/design.ts";
import { random } from "../sim/random.ts";
import type { Value } from "../units/engine.ts";
import { evaluate as evaluateExpression } from "../units/engine.ts";
import { type Cost, costOf } from "./cost.ts";
import { erlangC, type Station, sampleResponse } from "./queueing.ts";
import { byDistance, consistencyProblems, forwards, type Regions, readQuorumOf, regionsOf, tripOf } from "./regions.ts";
import type { Requirements } from "./requirements.ts";
import { type CheckedDesign, crossProblems, DesignSchema, isLog, quantity, STORES } from "./schema.ts";

/** the most of its capacity a component may use at peak: room for a bad minute */
export const HEADROOM = 0.7;
/**
 * One instance is up 99.5% of a month: the instance-level commitment of Amazon's Compute Service
 * Level Agreement (aws.amazon.com/compute/sla, 2022). A zone's 99.9% is assumed: the agreement
 * names none for a zone, and regions commit to 99.99% across several.
 */
export const INSTANCE_AVAILABILITY = 0.995;
export const ZONE_AVAILABILITY = 0.999;
/** requests drawn per flow for its p99: the 200th-slowest of 20,000 */
export const SAMPLES = 20_000;

/** a design that cannot be graded as it stands: what is wrong, each with its place */
export class DesignProblem extends Error {
  override readonly name = "DesignProblem";
}

export interface ComponentLoad {
  name: string;
  kind: string;
  /** instances, or a store's nodes (shards × replicas) */
  instances: number;
  /** a log's consumers: the instances that work, when its consumer groups leave some idle */
  working?: number;
  /** requests a second arriving at one instance (one node) at peak */
  perInstance: number;
  capacity: number;
  /** the busier of its instances and, for a partitioned log, its partitions */
  utilisation: number;
  station: Station;
  /** a partitioned log's partitions: writes a second on each, what one takes, and the share used */
  partition?: { perPartition: number; capacity: number; utilisation: number };
}

export interface FlowResult {
  name: string;
  rate: number;
  p99Slo: number;
  p99: number;
  availability: number;
  /** components of its path with every instance in one zone, or only one instance */
  singlePoints: string[];
  /** each step of the path with the mean time the slowest 1% of requests spent there */
  slowest: { step: string; ms: number }[];
  /** each step of the path with the mean time every request spent there */
  typical: { step: string; ms: number }[];
  /** a flow that states strong consistency: why a read may miss the latest write (none: it cannot) */
  consistency?: string[];
}

export interface Evaluation {
  model: Model;
  design: CheckedDesign;
  components: Map<string, ComponentLoad>;
  flows: FlowResult[];
  availability: number;
  /** each written store: the retained data with its replicas, its disks, and what it adds a year (with replicas) */
  storage?: { needTb: number; haveTb: number; store: string; yearlyTb?: number; rollingDays?: number }[];
  /** USD a month at the price table's list prices, and the most the problem allows, if it says */
  cost: Cost;
  budget?: number;
  /** for each zone: the components lost with it, and those left above 100% */
  zoneLoss: { zone: string; lost: string[]; overloaded: { name: string; utilisation: number }[] }[];
}

type Component = CheckedDesign["components"][string];
export type HopObject = {
  to: string;
  hitRatio?: number | undefined;
  onMiss?: string | undefined;
  fanout?: number | undefined;
  write?: boolean | undefined;
  async?: boolean | undefined;
  keySpread?: number | undefined;
  consistency?: "one" | "quorum" | undefined;
};
const hopOf = (hop: string | HopObject): HopObject => (typeof hop === "string" ? { to: hop } : hop);

function number(text: string, unit: string, scope: Record<string, Value>, where: string): number {
  const value = quantity(text, unit, scope);
  if (typeof value === "string") throw new DesignProblem(`${where}: "${text}": ${value}`);
  return value;
}

/** the design, checked: every problem listed with its place, as a learner can act on it */
export function checkDesign(design: unknown, flows: string[] = []): CheckedDesign {
  const parsed = DesignSchema.safeParse(design);
  const own = Object.keys((design as { flows?: object } | undefined)?.flows ?? {});
  const missing = flows
    .filter((flow) => !own.includes(flow))
    .map((flow) => ({ path: ["flows"], message: `the problem has a flow "${flow}" the design does not` }));
  // a bad name is a bad key of a record: say what is wrong with it, not only that it is
  const keyed = (parsed.success ? [] : parsed.error.issues).map((issue) =>
    issue.code === "invalid_key"
      ? { path: issue.path, message: `not a name: ${issue.issues.map((i) => i.message).join("; ")}` }
      : issue,
  );
  const issues = [...keyed, ...crossProblems(design), ...missing];
  if (parsed.success && issues.length === 0) return parsed.data;
  const lines = issues.map((issue) => `  ${issue.path.join(".") || "(design)"}: ${issue.message}`);
  throw new DesignProblem(`the design does not hold together:\n${lines.join("\n")}`);
}

const isStore = (component: Component) => STORES.has(component.kind);
const nodesOf = (component: Component) =>
  isStore(component) ? (component.shards ?? 1) * (component.replicas ?? 1) : (component.count ?? 1);
/** copies of each piece of data: a store's replicas of a shard, a log's of a partition; else its instances */
const copiesOf = (component: Component) =>
  isStore(component) || isLog(component) ? (component.replicas ?? 1) : (component.count ?? 1);
/**
 * the pieces that must all be up for the flow to be: a store's shards. A log's request needs only
 * its own partition (a partition down stops its keys, and keyless records go to the partitions that
 * are up), so a log's flow is up as often as one partition: the share of requests it serves.
 */
const piecesOf = (component: Component) => (isStore(component) ? (component.shards ?? 1) : 1);

/** the zone of each instance (a store: of each replica of a shard), in turn over its zones */
const zoneOf = (component: Component, index: number) => component.zones[index % component.zones.length] ?? "";
/** where a component's instances are (a store: the replicas of a shard), a zone for each */
const placesOf = (component: Component) =>
  Array.from({ length: isStore(component) ? (component.replicas ?? 1) : nodesOf(component) }, (_, i) =>
    zoneOf(component, i),
  );

/** a design's numbers, worked out once: what the scenarios (peak, drills, traffic over time) vary */
export interface Model {
  design: CheckedDesign;
  /** each flow's peak rate, per second */
  rates: Map<string, number>;
  /** each flow's p99 objective, in ms */
  slos: Map<string, number>;
  /** the flows with a rate limit at the edge: the most requests a second each lets in */
  admits: Map<string, number>;
  figures: Map<string, Figures>;
  workingSet: number | undefined;
  scope: Record<string, Value>;
  /**
   * per component that consumes a partitioned log (the hop after a read of it): the most of its
   * instances that can work, one member of each consumer group a partition (consumerGroupsOf)
   */
  members: Map<string, number>;
  /** a problem served from several regions (the design's zones): shares and round trips */
  regions?: Regions;
}

export interface Figures {
  capacity: number;
  latency: number;
  memory: number;
  storage: number;
  /** what one partition of a partitioned log appends a second (Infinity: no limit given) */
  partitionCapacity: number;
}

/** what a scenario changes from the peak: the flows' rates, the caches' warmth, instances gone */
export interface Conditions {
  /** each flow at this share of its peak rate */
  scale?: number;
  /** per flow, its share of its peak rate (a flow left out: none of its traffic); takes the place of scale */
  flows?: ReadonlyMap<string, number>;
  /** a cache's hit ratio times this: 1 warm, 0 empty */
  warmth?: (cache: string) => number;
  /** per component: instances gone (a store: replicas of each shard gone) */
  lost?: ReadonlyMap<string, number>;
  /** the zone they were in: with regions, requests are routed around it */
  zone?: string;
}

/** requests a second each component takes, reads and writes apart (a store's replicas all take a write) */
export interface Traffic {
  reads: Map<string, number>;
  writes: Map<string, number>;
}

export function buildModel(input: Design, requirements: Requirements): Model {
  const design = checkDesign(input, Object.keys(requirements.flows));
  const scope: Record<string, Value> = {};
  for (const [name, expression] of Object.entries(requirements.workload ?? {}))
    scope[name] = evaluateExpression(expression, scope);
  const figures = new Map(
    Object.entries(design.components).map(([name, c]) => [
      name,
      {
        capacity: number(c.capacity, "req/s", scope, `components.${name}.capacity`),
        latency: number(c.latency, "ms", scope, `components.${name}.latency`),
        memory: c.memory === undefined ? 0 : number(c.memory, "GB", scope, `components.${name}.memory`),
        storage: c.storage === undefined ? 0 : number(c.storage, "TB", scope, `components.${name}.storage`),
        partitionCapacity:
          c.partitionCapacity === undefined
            ? Number.POSITIVE_INFINITY
            : number(c.partitionCapacity, "req/s", scope, `components.${name}.partitionCapacity`),
      },
    ]),
  );
  const rates = new Map<string, number>();
  const slos = new Map<string, number>();
  for (const [flow, { rate, p99 }] of Object.entries(requirements.flows)) {
    rates.set(flow, number(rate, "req/s", scope, `the ${flow} flow's rate`));
    slos.set(flow, number(p99, "ms", scope, `the ${flow} flow's p99`));
  }
  const admits = new Map<string, number>();
  for (const [flow, { admits: limit }] of Object.entries(design.flows))
    if (limit !== undefined) admits.set(flow, number(limit, "req/s", scope, `flows.${flow}.admits`));
  const workingSet = requirements.workingSet ? number(requirements.workingSet, "GB", scope, "workingSet") : undefined;
  const members = consumerGroupsOf(design, rates);
  const regions = regionsOf(requirements);
  if (regions) {
    const strangers = design.zones.filter((zone) => !regions.names.includes(zone));
    if (strangers.length)
      throw new DesignProblem(
        `the design does not hold together:\n  zones: ${strangers.map((z) => `"${z}"`).join(", ")} ${strangers.length === 1 ? "is not one of" : "are not among"} the problem's regions (${regions.names.join(", ")}): here each zone is a region`,
      );
  }
  return { design, rates, slos, admits, figures, workingSet, scope, members, ...(regions ? { regions } : {}) };
}

/**
 * A consumer group reads each partition with one member: past one member a partition, the rest sit
 * idle. The component a flow reaches right after reading a partitioned log is its consumers; each
 * group reads every record once, so the groups are the flow's reads over the log's writes, and at
 * most partitions × groups of the consumers' instances work.
 */
function consumerGroupsOf(design: CheckedDesign, rates: Map<string, number>): Map<string, number> {
  const writes = new Map<string, number>();
  for (const [flow, rate] of rates)
    for (const raw of design.flows[flow]?.hops ?? []) {
      const hop = hopOf(raw);
      if (hop.write) writes.set(hop.to, (writes.get(hop.to) ?? 0) + rate * (hop.fanout ?? 1));
    }
  const members = new Map<string, number>();
  for (const [flow, rate] of rates) {
    const hops = (design.flows[flow]?.hops ?? []).map(hopOf);
    hops.forEach((hop, index) => {
      const log = design.components[hop.to];
      const next = hops[index + 1];
      const written = writes.get(hop.to) ?? 0;
      if (!log || !isLog(log) || hop.write || !next || written === 0) return;
      const consumer = design.components[next.to];
      if (!consumer || STORES.has(consumer.kind) || isLog(consumer)) return;
      const groups = Math.ceil((rate * (hop.fanout ?? 1)) / written - 1e-9);
      members.set(next.to, (members.get(next.to) ?? 0) + (log.partitions ?? 1) * groups);
    });
  }
  return members;
}

export const componentOf = (model: Model, name: string) => model.design.components[name] as Component;
export const figuresOf = (model: Model, name: string) => model.figures.get(name) as Figures;

/** what share of its requests a cache answers: as claimed, if its memory holds the working set */
export function hitRatio(model: Model, hop: HopObject, conditions: Conditions = {}): number {
  const claimed = (hop.hitRatio ?? 0) * (conditions.warmth?.(hop.to) ?? 1);
  if (model.workingSet === undefined) return claimed;
  const cache = componentOf(model, hop.to);
  const left = nodesOf(cache) - (conditions.lost?.get(hop.to) ?? 0);
  const memory = figuresOf(model, hop.to).memory * Math.max(left, 0);
  return claimed * Math.min(1, memory / model.workingSet);
}

/** the hops of a flow, each as an object */
export const hopsOf = (model: Model, flow: string): HopObject[] => (model.design.flows[flow]?.hops ?? []).map(hopOf);

export function trafficOf(model: Model, conditions: Conditions = {}): Traffic {
  const reads = new Map<string, number>();
  const writes = new Map<string, number>();
  const add = (map: Map<string, number>, name: string, rate: number) => map.set(name, (map.get(name) ?? 0) + rate);
  for (const [flow, peak] of model.rates) {
    const perSecond = peak * (conditions.flows ? (conditions.flows.get(flow) ?? 0) : (conditions.scale ?? 1));
    for (const hop of hopsOf(model, flow)) {
      const arriving = perSecond * (hop.fanout ?? 1);
      add(hop.write ? writes : reads, hop.to, arriving);
      if (hop.onMiss) add(hop.write ? writes : reads, hop.onMiss, arriving * (1 - hitRatio(model, hop, conditions)));
    }
  }
  return { reads, writes };
}

/** requests a second on one instance (one store node); Infinity with every instance gone */
export function perInstance(model: Model, name: string, traffic: Traffic, lost = 0): number {
  const c = componentOf(model, name);
  const read = traffic.reads.get(name) ?? 0;
  const write = traffic.writes.get(name) ?? 0;
  if (isLog(c)) {
    // every replica of a partition appends each write, on a broker of its own; reads go to leaders
    const left = nodesOf(c) - lost;
    return left > 0 ? (read + write * (c.replicas ?? 1)) / left : Number.POSITIVE_INFINITY;
  }
  if (!isStore(c)) {
    // a log's consumers: no more of them work than the groups have partitions to read
    const left = Math.min(nodesOf(c) - lost, model.members.get(name) ?? Number.POSITIVE_INFINITY);
    return left > 0 ? (read + write) / left : Number.POSITIVE_INFINITY;
  }
  const shards = c.shards ?? 1;
  const replicas = (c.replicas ?? 1) - lost;
  if (replicas <= 0) return Number.POSITIVE_INFINITY;
  return read / (shards * replicas) + write / shards;
}

/** every component's load and queue under `conditions` */
export function loadsOf(model: Model, conditions: Conditions = {}): Map<string, ComponentLoad> {
  const traffic = trafficOf(model, conditions);
  const loads = new Map<string, ComponentLoad>();
  const regional = model.regions ? regionalPerInstance(model, conditions) : undefined;
  for (const [name, c] of Object.entries(model.design.components)) {
    const { capacity, latency } = figuresOf(model, name);
    const arriving = regional?.get(name) ?? perInstance(model, name, traffic, conditions.lost?.get(name) ?? 0);
    const partition = partitionLoad(model, name, traffic.writes.get(name) ?? 0);
    const working = model.members.get(name);
    loads.set(name, {
      name,
      kind: c.kind,
      instances: nodesOf(c),
      ...(working !== undefined && working < nodesOf(c) ? { working } : {}),
      perInstance: arriving,
      capacity,
      utilisation: Math.max(arriving / capacity, partition?.utilisation ?? 0),
      station: { slots: Math.max(1, Math.floor((capacity * latency) / 1000)), meanMs: latency, rate: arriving },
      ...(partition ? { partition } : {}),
    });
  }
  return loads;
}

/**
 * With regions: requests a second on the busiest instance (store node) of each component. Each
 * region's requests go to the nearest instances left (none in a lost zone): a store's read to its
 * nearest replica (a quorum read, to the nearest majority), its write to every replica; a service
 * or balancer passes the request on from its own zone. A zone's instances share what reaches that
 * zone, so the busiest zone decides. A partitioned log keeps its own count (every replica appends).
 */
function regionalPerInstance(model: Model, conditions: Conditions): Map<string, number> {
  const regions = model.regions as Regions;
  const byZone = new Map<string, Map<string, number>>(); // component → zone → requests a second
  const written = new Map<string, number>(); // store → writes a second, on every replica of a shard
  const places = (c: Component) => placesOf(c).filter((zone) => zone !== conditions.zone);
  const add = (name: string, zone: string, rate: number) => {
    const zones = byZone.get(name) ?? new Map<string, number>();
    zones.set(zone, (zones.get(zone) ?? 0) + rate);
    byZone.set(name, zones);
  };
  for (const [flow, peak] of model.rates) {
    const perSecond = peak * (conditions.flows ? (conditions.flows.get(flow) ?? 0) : (conditions.scale ?? 1));
    for (const origin of regions.names) {
      const rate = perSecond * (regions.share.get(origin) ?? 0);
      let here = origin;
      const visit = (name: string, arriving: number, hop: HopObject) => {
        const c = componentOf(model, name);
        const zones = places(c);
        if (zones.length === 0) return; // every instance lost: isGone says so
        if (isStore(c) && hop.write) {
          written.set(name, (written.get(name) ?? 0) + arriving);
          return;
        }
        const order = byDistance(regions, here, zones);
        const asked = isStore(c) ? readQuorumOf(c, hop.consistency) : 1;
        for (const index of order.slice(0, asked)) add(name, zones[index] ?? "", arriving);
        if (forwards(c)) here = zones[order[0] ?? 0] ?? here;
      };
      for (const hop of hopsOf(model, flow)) {
        const arriving = rate * (hop.fanout ?? 1);
        visit(hop.to, arriving, hop);
        if (hop.onMiss)
          visit(hop.onMiss, arriving * (1 - hitRatio(model, hop, conditions)), { to: hop.onMiss, write: hop.write });
      }
    }
  }
  const result = new Map<string, number>();
  for (const [name, c] of Object.entries(model.design.components)) {
    if (isLog(c)) continue;
    const zones = places(c);
    if (zones.length === 0) {
      result.set(name, Number.POSITIVE_INFINITY);
      continue;
    }
    const here = (zone: string) => zones.filter((z) => z === zone).length;
    let busiest = 0;
    for (const zone of new Set(zones)) {
      const arriving = byZone.get(name)?.get(zone) ?? 0;
      busiest = Math.max(
        busiest,
        isStore(c)
          ? arriving / ((c.shards ?? 1) * here(zone)) + (written.get(name) ?? 0) / (c.shards ?? 1)
          : arriving / here(zone),
      );
    }
    result.set(name, busiest);
  }
  return result;
}

/**
 * A partitioned log's partitions at `writes` a second spread over them: one leader appends each
 * partition's writes in order, so a partition has a ceiling of its own whatever the brokers' room
 */
function partitionLoad(model: Model, name: string, writes: number): ComponentLoad["partition"] {
  const c = componentOf(model, name);
  if (!isLog(c)) return undefined;
  const capacity = figuresOf(model, name).partitionCapacity;
  const perPartition = writes / (c.partitions ?? 1);
  return { perPartition, capacity, utilisation: perPartition / capacity };
}

/**
 * A flow's p99 from `samples` seeded requests through its hops, each hop's time drawn from its
 * queue; `backlog` adds a wait (ms) at a component whose queue has built up (traffic.ts).
 */
export function sampleFlow(
  model: Model,
  flow: string,
  loads: Map<string, ComponentLoad>,
  options: { seed: number; samples: number; conditions?: Conditions; backlog?: (name: string) => number },
): { p99: number; slowest: { step: string; ms: number }[]; typical: { step: string; ms: number }[] } {
  const hops = hopsOf(model, flow).filter((hop) => !hop.async);
  const draw = random(options.seed + flow.length * 7919 + flow.charCodeAt(0));
  const chance = new Map([...loads].map(([name, load]) => [name, waitChanceOf(load.station)]));
  const at = (name: string) => {
    const load = loads.get(name) as ComponentLoad;
    const waited = options.backlog?.(name) ?? 0;
    // a queue that has built up runs its instances flat out: a wait for it, then the service
    if (waited > 0) return waited + draw.exponential(load.station.meanMs);
    return sampleResponse(load.station, draw, chance.get(name));
  };
  // with regions, a request starts in its own region and pays the round trip to each instance it
  // reaches; `here` is where it is (the zone of the last instance it went through)
  const { regions } = model;
  let here: string | undefined;
  const origin = () => {
    const pick = draw.float();
    let sum = 0;
    for (const name of regions?.names ?? []) {
      sum += regions?.share.get(name) ?? 0;
      if (pick < sum) return name;
    }
    return regions?.names.at(-1);
  };
  const trip = (zone: string) => tripOf(regions, here, zone);
  // a write to a quorum store is done when a majority of the shard's replicas have it: the
  // majority-th fastest; an append to a replicated log with acks=all, when every replica in sync has it
  const replicatedWrite = (name: string) => {
    const c = componentOf(model, name);
    const times = Array.from({ length: c.replicas ?? 1 }, (_, i) => trip(zoneOf(c, i)) + at(name)).sort(
      (a, b) => a - b,
    );
    return times[(isLog(c) ? (c.replicas ?? 1) : majority(c)) - 1] ?? Number.POSITIVE_INFINITY;
  };
  // where each component's instances are, and which of them a request from a region reaches:
  // worked out once per component and region, not per request
  const places = new Map<string, string[]>();
  const placed = (name: string) => {
    const zones = places.get(name) ?? placesOf(componentOf(model, name));
    places.set(name, zones);
    return zones;
  };
  const routes = new Map<string, string[]>();
  const nearestFirst = (name: string) => {
    const key = `${name} ${here}`;
    const all = placed(name);
    const zones = routes.get(key) ?? byDistance(regions, here, all).map((index) => all[index] ?? "");
    routes.set(key, zones);
    return zones;
  };
  // the nearest instance (a store: replica) answers; a service or balancer passes the request on from there
  const nearest = (name: string) => {
    if (!regions) return at(name);
    const zone = nearestFirst(name)[0] ?? "";
    const time = trip(zone) + at(name);
    if (forwards(componentOf(model, name))) here = zone;
    return time;
  };
  // a quorum read asks the nearest majority of a shard's replicas and waits for them all
  const quorumRead = (name: string) => {
    const asked = nearestFirst(name).slice(0, readQuorumOf(componentOf(model, name), "quorum"));
    return Math.max(...asked.map((zone) => trip(zone) + at(name)));
  };
  const waitsForReplicas = (hop: HopObject) => {
    const c = componentOf(model, hop.to);
    return hop.write === true && (c.quorum === true || (isLog(c) && (c.replicas ?? 1) > 1));
  };
  const hits = hops.map((hop) => hitRatio(model, hop, options.conditions));
  const steps = hops.flatMap((hop) => [hop.to, ...(hop.onMiss ? [`${hop.onMiss} (on a miss)`] : [])]);
  const totals: number[] = [];
  const spent: number[][] = [];
  for (let i = 0; i < options.samples; i++) {
    let total = 0;
    const times: number[] = [];
    here = regions ? origin() : undefined;
    hops.forEach((hop, h) => {
      let slowest = 0;
      for (let k = 0; k < (hop.fanout ?? 1); k++)
        slowest = Math.max(
          slowest,
          waitsForReplicas(hop)
            ? replicatedWrite(hop.to)
            : hop.consistency === "quorum" && !hop.write
              ? quorumRead(hop.to)
              : nearest(hop.to),
        );
      total += slowest;
      times.push(slowest);
      if (hop.onMiss) {
        const miss = draw.float() >= (hits[h] ?? 0) ? nearest(hop.onMiss) : 0;
        total += miss;
        times.push(miss);
      }
    });
    totals.push(total);
    spent.push(times);
  }
  const p99 = [...totals].sort((a, b) => a - b)[Math.ceil(options.samples * 0.99) - 1] ?? Number.POSITIVE_INFINITY;
  // where the slowest 1% of requests spend their time, step by step: what to fix first
  const slow = spent.filter((_, i) => (totals[i] ?? 0) >= p99);
  const slowest = steps.map((step, index) => ({
    step,
    ms: slow.reduce((sum, times) => sum + (times[index] ?? 0), 0) / Math.max(slow.length, 1),
  }));
  // and where an ordinary request spends it: each step's mean over every request
  const typical = steps.map((step, index) => ({
    step,
    ms: spent.reduce((sum, times) => sum + (times[index] ?? 0), 0) / Math.max(spent.length, 1),
  }));
  return { p99, slowest, typical };
}

/** the components a flow's requests pass through, misses and async hand-offs included */
export const pathOf = (model: Model, flow: string, withAsync = false) => [
  ...new Set(
    hopsOf(model, flow)
      .filter((hop) => withAsync || !hop.async)
      .flatMap((hop) => [hop.to, ...(hop.onMiss ? [hop.onMiss] : [])]),
  ),
];

/** per component, what one zone's loss takes: its instances there (a store: its replicas there; a log: its brokers there) */
export function lostWith(model: Model, zone: string): Map<string, number> {
  const lost = new Map<string, number>();
  for (const [name, c] of Object.entries(model.design.components)) {
    const copies = isStore(c) ? (c.replicas ?? 1) : nodesOf(c);
    lost.set(name, inZone(c, copies, zone));
  }
  return lost;
}

/** how many of `copies`, placed over a component's zones in turn, are in `zone` */
const inZone = (c: Component, copies: number, zone: string) =>
  Array.from({ length: copies }, (_, i) => zoneOf(c, i)).filter((z) => z === zone).length;

/**
 * A component left with no instance, or a quorum store left without a majority, serves nothing. A
 * log loses `lost` brokers, and with `zone` the replicas of each partition placed there (replicas
 * go over the zones in turn, rack-aware): a partition with none left, or under a quorum's majority, stops.
 */
export function isGone(model: Model, name: string, lost: number, zone?: string): boolean {
  const c = componentOf(model, name);
  const copies = isStore(c) ? (c.replicas ?? 1) : nodesOf(c);
  if (copies - lost <= 0) return true;
  if (isLog(c)) {
    const left = (c.replicas ?? 1) - (zone === undefined ? 0 : inZone(c, c.replicas ?? 1, zone));
    return left <= 0 || (c.quorum === true && left < majority(c));
  }
  return c.quorum === true && copies - lost < majority(c);
}

export function evaluateDesign(input: Design, requirements: Requirements, seed = 1): Evaluation {
  const model = buildModel(input, requirements);
  const { design } = model;
  const components = loadsOf(model);
  const flows: FlowResult[] = [...model.rates].map(([flow, rate]) => {
    const path = pathOf(model, flow);
    return {
      name: flow,
      rate,
      p99Slo: model.slos.get(flow) ?? 0,
      ...sampleFlow(model, flow, components, { seed, samples: SAMPLES }),
      availability: pathAvailability(design, path),
      singlePoints: path.filter((name) => singlePoint(componentOf(model, name))),
      ...(requirements.flows[flow]?.consistency === "strong"
        ? { consistency: consistencyProblems(design, flow, hopsOf(model, flow)) }
        : {}),
    };
  });

  const storage = requirements.storage
    ? keeperOf(
        writtenStores(design).map((name) => {
          const c = componentOf(model, name);
          const logical = number(requirements.storage as string, "TB", model.scope, "storage");
          const years = requirements.retention
            ? number(requirements.retention, "year", model.scope, "retention")
            : undefined;
          return {
            store: name,
            needTb: logical * (c.replicas ?? 1),
            // a store's nodes, or a log's brokers
            haveTb: figuresOf(model, name).storage * nodesOf(c),
            // kept less than a year (a log's 7 days): the oldest is deleted as the newest arrives, nothing grows
            ...(years && years >= 1 ? { yearlyTb: (logical * (c.replicas ?? 1)) / years } : {}),
            ...(years && years < 1 ? { rollingDays: years * 365 } : {}),
          };
        }),
      )
    : undefined;

  const zoneLoss = design.zones.map((zone) => {
    const lost = lostWith(model, zone);
    const loads = loadsOf(model, { lost, zone });
    const gone = [...lost].filter(([name, count]) => isGone(model, name, count, zone)).map(([name]) => name);
    const overloaded = [...loads.values()]
      .filter((load) => !gone.includes(load.name) && load.utilisation >= 1)
      .map((load) => ({ name: load.name, utilisation: load.utilisation }));
    return { zone, lost: gone, overloaded };
  });

  return {
    model,
    design,
    components,
    flows,
    availability: number(requirements.availability, "", model.scope, "availability"),
    ...(storage ? { storage } : {}),
    cost: costOf(model),
    ...(requirements.budget ? { budget: number(requirements.budget, "USD/month", model.scope, "budget") } : {}),
    zoneLoss,
  };
}

/** a store's majority */
const majority = (component: Component) => Math.floor((component.replicas ?? 1) / 2) + 1;

const waitChanceOf = (station: Station) => erlangC(station.slots, (station.rate * station.meanMs) / 1000);

/**
 * The written store with the most room for the retained data: the one that keeps it. A design also
 * writes indexes beside the data (an object store's metadata, a file's block list) that hold a
 * sliver of it; asking each of them for the whole would fail every design with a metadata path.
 */
function keeperOf<T extends { needTb: number; haveTb: number }>(written: T[]): T[] {
  const room = (s: T) => s.haveTb / s.needTb;
  return written.length === 0 ? [] : [written.reduce((best, s) => (room(s) > room(best) ? s : best))];
}

/** the stores and partitioned logs some flow writes to: where the retained data lives */
function writtenStores(design: CheckedDesign): string[] {
  const written = new Set<string>();
  for (const { hops } of Object.values(design.flows))
    for (const raw of hops) {
      const hop = hopOf(raw);
      const c = design.components[hop.to];
      if (hop.write && c && (STORES.has(c.kind) || isLog(c))) written.add(hop.to);
    }
  return [...written];
}

/**
 * The chance a path of components is up. Zones fail as wholes, taking every instance in them at
 * once, so the zones' states are counted out (each zone up or down, 2^zones cases, each with its
 * chance); within a case, instances fail apart: a component is up if an instance in an up zone is
 * (a store: if every shard has a replica up).
 */
export function pathAvailability(design: CheckedDesign, path: string[]): number {
  const zones = design.zones;
  let total = 0;
  for (let state = 0; state < 2 ** zones.length; state++) {
    const up = new Set(zones.filter((_, i) => (state >> i) & 1));
    let chance = zones.reduce((p, zone) => p * (up.has(zone) ? ZONE_AVAILABILITY : 1 - ZONE_AVAILABILITY), 1);
    for (const name of path) chance *= upGiven(design.components[name] as Component, up);
    total += chance;
  }
  return total;
}

/**
 * the chance a component is up when the zones in `up` are (every shard of a store, a log's
 * partition: a replica up, or with quorum a majority of them)
 */
function upGiven(component: Component, up: Set<string>): number {
  const copies = copiesOf(component);
  const alive = Array.from({ length: copies }, (_, i) => zoneOf(component, i)).filter((zone) => up.has(zone)).length;
  const needed = component.quorum ? majority(component) : 1;
  const shardUp = atLeast(needed, alive, INSTANCE_AVAILABILITY);
  return shardUp ** piecesOf(component);
}

/** the chance that at least `needed` of `n` instances are up, each up with chance `p` (binomial) */
function atLeast(needed: number, n: number, p: number): number {
  let chance = 0;
  let ways = 1; // n choose k, built up as k grows
  for (let k = 0; k <= n; k++) {
    if (k > 0) ways = (ways * (n - k + 1)) / k;
    if (k >= needed) chance += ways * p ** k * (1 - p) ** (n - k);
  }
  return chance;
}

/**
 * One failure takes the component down: one instance (one replica), every one in one zone, or, for
 * a quorum store, no replica to spare or a majority of them in one zone.
 */
function singlePoint(component: Component): boolean {
  const copies = copiesOf(component);
  const zones = Array.from({ length: copies }, (_, i) => zoneOf(component, i));
  if (copies === 1 || new Set(zones).size === 1) return true;
  if (!component.quorum) return false;
  const spare = copies - majority(component);
  return spare === 0 || zones.some((zone) => zones.filter((z) => z === zone).length > spare);
}
