// A design against its problem's requirements: each component's load and utilisation at peak, each
// flow's p99 and availability, the stores' room for the retained data, and what losing a zone does.
// Numbers come from the units engine; every figure is worked out, none is typed in.
import type { Design } from "../kit/design.ts";
import { random } from "../sim/random.ts";
import type { Value } from "../units/engine.ts";
import { evaluate as evaluateExpression } from "../units/engine.ts";
import { erlangC, type Station, sampleResponse } from "./queueing.ts";
import type { Requirements } from "./requirements.ts";
import { type CheckedDesign, crossProblems, DesignSchema, quantity, STORES } from "./schema.ts";

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
  /** requests a second arriving at one instance (one node) at peak */
  perInstance: number;
  capacity: number;
  utilisation: number;
  station: Station;
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
}

export interface Evaluation {
  design: CheckedDesign;
  components: Map<string, ComponentLoad>;
  flows: FlowResult[];
  availability: number;
  storage?: { needTb: number; haveTb: number; store: string }[];
  /** for each zone: the components lost with it, and those left above 100% */
  zoneLoss: { zone: string; lost: string[]; overloaded: { name: string; utilisation: number }[] }[];
}

type Component = CheckedDesign["components"][string];
type HopObject = {
  to: string;
  hitRatio?: number | undefined;
  onMiss?: string | undefined;
  fanout?: number | undefined;
  write?: boolean | undefined;
  async?: boolean | undefined;
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
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...crossProblems(design), ...missing];
  if (parsed.success && issues.length === 0) return parsed.data;
  const lines = issues.map((issue) => `  ${issue.path.join(".") || "(design)"}: ${issue.message}`);
  throw new DesignProblem(`the design does not hold together:\n${lines.join("\n")}`);
}

const isStore = (component: Component) => STORES.has(component.kind);
const nodesOf = (component: Component) =>
  isStore(component) ? (component.shards ?? 1) * (component.replicas ?? 1) : (component.count ?? 1);

/** the zone of each instance (a store: of each replica of a shard), in turn over its zones */
const zoneOf = (component: Component, index: number) => component.zones[index % component.zones.length] ?? "";

export function evaluateDesign(input: Design, requirements: Requirements, seed = 1): Evaluation {
  const design = checkDesign(input, Object.keys(requirements.flows));
  const scope: Record<string, Value> = {};
  for (const [name, expression] of Object.entries(requirements.workload ?? {}))
    scope[name] = evaluateExpression(expression, scope);

  const numbers = new Map(
    Object.entries(design.components).map(([name, c]) => [
      name,
      {
        capacity: number(c.capacity, "req/s", scope, `components.${name}.capacity`),
        latency: number(c.latency, "ms", scope, `components.${name}.latency`),
        memory: c.memory === undefined ? 0 : number(c.memory, "GB", scope, `components.${name}.memory`),
        storage: c.storage === undefined ? 0 : number(c.storage, "TB", scope, `components.${name}.storage`),
      },
    ]),
  );
  const workingSet = requirements.workingSet ? number(requirements.workingSet, "GB", scope, "workingSet") : undefined;
  const component = (name: string) => design.components[name] as Component;
  const figures = (name: string) => numbers.get(name) as NonNullable<ReturnType<typeof numbers.get>>;

  /** what share of its requests a cache answers: as claimed, if its memory holds the working set */
  const hitRatio = (hop: HopObject) => {
    const claimed = hop.hitRatio ?? 0;
    if (workingSet === undefined) return claimed;
    const memory = figures(hop.to).memory * nodesOf(component(hop.to));
    return claimed * Math.min(1, memory / workingSet);
  };

  // requests a second each component takes at peak, reads and writes apart (a store's replicas all take a write)
  const reads = new Map<string, number>();
  const writes = new Map<string, number>();
  const add = (map: Map<string, number>, name: string, rate: number) => map.set(name, (map.get(name) ?? 0) + rate);
  const rates = new Map<string, number>();
  for (const [flow, { rate }] of Object.entries(requirements.flows)) {
    const perSecond = number(rate, "req/s", scope, `the ${flow} flow's rate`);
    rates.set(flow, perSecond);
    for (const raw of design.flows[flow]?.hops ?? []) {
      const hop = hopOf(raw);
      const arriving = perSecond * (hop.fanout ?? 1);
      add(hop.write ? writes : reads, hop.to, arriving);
      if (hop.onMiss) add(hop.write ? writes : reads, hop.onMiss, arriving * (1 - hitRatio(hop)));
    }
  }

  const perInstance = (name: string, lostReplicas = 0, lostInstances = 0): number => {
    const c = component(name);
    const read = reads.get(name) ?? 0;
    const write = writes.get(name) ?? 0;
    if (!isStore(c)) return (read + write) / Math.max(nodesOf(c) - lostInstances, 0);
    const shards = c.shards ?? 1;
    const replicas = (c.replicas ?? 1) - lostReplicas;
    return read / (shards * replicas) + write / shards;
  };

  const components = new Map<string, ComponentLoad>();
  for (const [name, c] of Object.entries(design.components)) {
    const { capacity, latency } = figures(name);
    const arriving = perInstance(name);
    const station: Station = {
      slots: Math.max(1, Math.floor((capacity * latency) / 1000)),
      meanMs: latency,
      rate: arriving,
    };
    components.set(name, {
      name,
      kind: c.kind,
      instances: nodesOf(c),
      perInstance: arriving,
      capacity,
      utilisation: arriving / capacity,
      station,
    });
  }

  const flows: FlowResult[] = [];
  for (const [flow, slo] of Object.entries(requirements.flows)) {
    const hops = (design.flows[flow]?.hops ?? []).map(hopOf).filter((hop) => !hop.async);
    const draw = random(seed + flow.length * 7919 + flow.charCodeAt(0));
    const chance = new Map([...components].map(([name, load]) => [name, waitChanceOf(load.station)]));
    const at = (name: string) => {
      const load = components.get(name) as ComponentLoad;
      return sampleResponse(load.station, draw, chance.get(name));
    };
    // a write to a quorum store is done when a majority of the shard's replicas have it: the majority-th fastest
    const majorityWrite = (name: string) => {
      const c = component(name);
      const times = Array.from({ length: c.replicas ?? 1 }, () => at(name)).sort((a, b) => a - b);
      return times[majority(c) - 1] ?? Number.POSITIVE_INFINITY;
    };
    const steps = hops.flatMap((hop) => [hop.to, ...(hop.onMiss ? [`${hop.onMiss} (on a miss)`] : [])]);
    const totals: number[] = [];
    const spent: number[][] = [];
    for (let i = 0; i < SAMPLES; i++) {
      let total = 0;
      const times: number[] = [];
      for (const hop of hops) {
        let slowest = 0;
        for (let k = 0; k < (hop.fanout ?? 1); k++)
          slowest = Math.max(slowest, hop.write && component(hop.to).quorum ? majorityWrite(hop.to) : at(hop.to));
        total += slowest;
        times.push(slowest);
        if (hop.onMiss) {
          const miss = draw.float() >= hitRatio(hop) ? at(hop.onMiss) : 0;
          total += miss;
          times.push(miss);
        }
      }
      totals.push(total);
      spent.push(times);
    }
    const p99 = [...totals].sort((a, b) => a - b)[Math.ceil(SAMPLES * 0.99) - 1] ?? Number.POSITIVE_INFINITY;
    // where the slowest 1% of requests spend their time, step by step: what to fix first
    const slow = spent.filter((_, i) => (totals[i] ?? 0) >= p99);
    const slowest = steps.map((step, index) => ({
      step,
      ms: slow.reduce((sum, times) => sum + (times[index] ?? 0), 0) / Math.max(slow.length, 1),
    }));
    const path = [...new Set(hops.flatMap((hop) => [hop.to, ...(hop.onMiss ? [hop.onMiss] : [])]))];
    flows.push({
      name: flow,
      rate: rates.get(flow) ?? 0,
      p99Slo: number(slo.p99, "ms", scope, `the ${flow} flow's p99`),
      p99,
      slowest,
      availability: pathAvailability(design, path),
      singlePoints: path.filter((name) => singlePoint(component(name))),
    });
  }

  const storage = requirements.storage
    ? writtenStores(design).map((name) => {
        const c = component(name);
        const logical = number(requirements.storage as string, "TB", scope, "storage");
        return { store: name, needTb: logical * (c.replicas ?? 1), haveTb: figures(name).storage * nodesOf(c) };
      })
    : undefined;

  const zoneLoss = design.zones.map((zone) => {
    const lost: string[] = [];
    const overloaded: { name: string; utilisation: number }[] = [];
    for (const [name, c] of Object.entries(design.components)) {
      const { capacity } = figures(name);
      if (isStore(c)) {
        const gone = Array.from({ length: c.replicas ?? 1 }, (_, r) => zoneOf(c, r)).filter((z) => z === zone).length;
        const left = (c.replicas ?? 1) - gone;
        if (left === 0 || (c.quorum && left < majority(c))) lost.push(name);
        else if (perInstance(name, gone) / capacity >= 1)
          overloaded.push({ name, utilisation: perInstance(name, gone) / capacity });
        continue;
      }
      const gone = Array.from({ length: nodesOf(c) }, (_, i) => zoneOf(c, i)).filter((z) => z === zone).length;
      if (gone === nodesOf(c)) lost.push(name);
      else if (perInstance(name, 0, gone) / capacity >= 1)
        overloaded.push({ name, utilisation: perInstance(name, 0, gone) / capacity });
    }
    return { zone, lost, overloaded };
  });

  return {
    design,
    components,
    flows,
    availability: number(requirements.availability, "", scope, "availability"),
    ...(storage ? { storage } : {}),
    zoneLoss,
  };
}

/** a store's majority */
const majority = (component: Component) => Math.floor((component.replicas ?? 1) / 2) + 1;

const waitChanceOf = (station: Station) => erlangC(station.slots, (station.rate * station.meanMs) / 1000);

/** the stores some flow writes to: where the retained data lives */
function writtenStores(design: CheckedDesign): string[] {
  const written = new Set<string>();
  for (const { hops } of Object.values(design.flows))
    for (const raw of hops) {
      const hop = hopOf(raw);
      if (hop.write && STORES.has(design.components[hop.to]?.kind ?? "service")) written.add(hop.to);
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

/** the chance a component is up when the zones in `up` are (a quorum store's shard: a majority of its replicas) */
function upGiven(component: Component, up: Set<string>): number {
  const copies = isStore(component) ? (component.replicas ?? 1) : (component.count ?? 1);
  const alive = Array.from({ length: copies }, (_, i) => zoneOf(component, i)).filter((zone) => up.has(zone)).length;
  const needed = component.quorum ? majority(component) : 1;
  const shardUp = atLeast(needed, alive, INSTANCE_AVAILABILITY);
  return isStore(component) ? shardUp ** (component.shards ?? 1) : shardUp;
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
  const copies = isStore(component) ? (component.replicas ?? 1) : (component.count ?? 1);
  const zones = Array.from({ length: copies }, (_, i) => zoneOf(component, i));
  if (copies === 1 || new Set(zones).size === 1) return true;
  if (!component.quorum) return false;
  const spare = copies - majority(component);
  return spare === 0 || zones.some((zone) => zones.filter((z) => z === zone).length > spare);
}
