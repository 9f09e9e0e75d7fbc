// A problem served from several regions: each region's share of the requests and the round trip
// between regions (the problem's, measured facts, not a design's choice). A design's zones are then
// its regions. A request enters in its own region and is served by the nearest instances of each
// component, paying the round trip to reach them; a store's read asks its nearest replica, or the
// nearest majority for a quorum read, and a write waits for the W-th fastest replica's answer.
// A region's instances carry the requests routed to them, so a region with few instances is the
// busiest however many the others have.
import type { Requirements } from "./requirements.ts";
import { type CheckedDesign, quantity, STORES } from "./schema.ts";

export interface Regions {
  names: string[];
  /** each region's share of every flow's requests: they sum to 1 */
  share: Map<string, number>;
  /** the round trip between two regions, in ms (0 within one) */
  rtt: (a: string, b: string) => number;
}

type Component = CheckedDesign["components"][string];

/** the problem's regions, or undefined for a problem in one region */
export function regionsOf(requirements: Requirements): Regions | undefined {
  const given = requirements.regions;
  if (!given) return undefined;
  const names = Object.keys(given);
  const share = new Map<string, number>();
  const trips = new Map<string, number>();
  const number = (text: string, unit: string, where: string) => {
    const value = quantity(text, unit);
    if (typeof value === "string") throw new Error(`the problem's ${where}: "${text}": ${value}`);
    return value;
  };
  for (const [name, region] of Object.entries(given)) {
    share.set(name, number(region.share, "", `regions.${name}.share`));
    for (const [other, text] of Object.entries(region.rtt ?? {}))
      trips.set([name, other].sort().join(" "), number(text, "ms", `regions.${name}.rtt.${other}`));
  }
  const rtt = (a: string, b: string) => (a === b ? 0 : (trips.get([a, b].sort().join(" ")) ?? Number.NaN));
  return { names, share, rtt };
}

/** a request's round trip from `from` to `to`: nothing without regions or within one */
export const tripOf = (regions: Regions | undefined, from: string | undefined, to: string) =>
  regions && from !== undefined ? regions.rtt(from, to) : 0;

/**
 * of `zones` (an instance's or a replica's, repeats allowed), the indexes in order of their round
 * trip from `from`; ties keep the design's order, so the same request always takes the same path
 */
export function byDistance(regions: Regions | undefined, from: string | undefined, zones: string[]): number[] {
  return zones
    .map((zone, index) => ({ index, trip: tripOf(regions, from, zone) }))
    .sort((a, b) => a.trip - b.trip || a.index - b.index)
    .map((z) => z.index);
}

/** kinds a request passes through and goes on from (the caller waits); the rest answer the caller */
export const forwards = (component: Component) =>
  component.kind === "load-balancer" || component.kind === "service" || component.kind === "cdn";

/** a store's majority of its replicas */
export const majorityOf = (component: Component) => Math.floor((component.replicas ?? 1) / 2) + 1;

/** how many replicas a store's write waits for (W): a majority with quorum, else the first to answer */
export const writeQuorumOf = (component: Component) => (component.quorum ? majorityOf(component) : 1);

/** how many replicas a store's read asks (R): the nearest, or the nearest majority for a quorum read */
export const readQuorumOf = (component: Component, consistency: "one" | "quorum" | undefined) =>
  consistency === "quorum" ? majorityOf(component) : 1;

export interface ConsistencyHop {
  to: string;
  write?: boolean | undefined;
  async?: boolean | undefined;
  hitRatio?: number | undefined;
  consistency?: "one" | "quorum" | undefined;
}

/**
 * Why a flow that states strong consistency may not see the latest acknowledged write: a store read
 * whose replicas need not overlap the last write's (R + W ≤ N), a write acknowledged before a
 * majority holds it (a region lost can take it), or a cache on the path, which answers without
 * asking the replicas. A quorum read here is the overlap rule of Dynamo-style stores; a store led by
 * a consensus leader gets the same from a majority's ack.
 */
export function consistencyProblems(design: CheckedDesign, flow: string, hops: ConsistencyHop[]): string[] {
  const problems: string[] = [];
  for (const hop of hops) {
    if (hop.async) continue;
    const c = design.components[hop.to];
    if (!c) continue;
    if (hop.hitRatio !== undefined)
      problems.push(
        `${flow} reads through ${hop.to} (a ${c.kind} with a hit ratio), which answers without asking the replicas and can hold an older value`,
      );
    if (!STORES.has(c.kind)) continue;
    const n = c.replicas ?? 1;
    if (n === 1) continue;
    const w = writeQuorumOf(c);
    if (hop.write) {
      if (w < majorityOf(c))
        problems.push(
          `${flow} writes ${hop.to}, acknowledged by ${w} of its ${n} replicas: a strong write waits for a majority (quorum: true), or losing that replica's region loses it`,
        );
      continue;
    }
    const r = readQuorumOf(c, hop.consistency);
    if (r + w <= n)
      problems.push(
        `${flow} reads ${hop.to} from ${r} of its ${n} replicas, and a write waits for ${w}: R + W = ${r + w}, not above N = ${n}, so a read can miss the latest write (a quorum read, consistency: "quorum", with quorum writes overlaps every write)`,
      );
  }
  return problems;
}
