// shared by the hashing specs: the spec's own copy of the katas' hash, and models of where a key belongs
import fc from "fast-check";

/** the hash the katas are given: FNV-1a over UTF-16 code units, then murmur3's finalizer */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface NodeSpec {
  id: string;
  weight: number;
}

export interface ModelPoint {
  position: number;
  node: string;
  index: number;
}

/** every point of a ring, in ring order: position, then node id, then index */
export function ringPoints(nodes: readonly NodeSpec[], vnodes: number): ModelPoint[] {
  const points: ModelPoint[] = [];
  for (const { id, weight } of nodes) {
    for (let index = 0; index < weight * vnodes; index++) {
      points.push({ position: hash32(`${id}#${index}`), node: id, index });
    }
  }
  return points.sort(
    (a, b) => a.position - b.position || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0) || a.index - b.index,
  );
}

/** the index of the first point at or after the key's hash, wrapping to 0; by a plain scan */
function firstAtOrAfter(points: readonly ModelPoint[], key: string): number {
  const h = hash32(key);
  const found = points.findIndex((p) => p.position >= h);
  return found === -1 ? 0 : found;
}

export function ringOwner(points: readonly ModelPoint[], key: string): string | undefined {
  return points.length === 0 ? undefined : points[firstAtOrAfter(points, key)]?.node;
}

/** up to `count` distinct nodes clockwise from the key */
export function ringReplicas(points: readonly ModelPoint[], key: string, count: number): string[] {
  const found: string[] = [];
  if (points.length === 0) return found;
  const start = firstAtOrAfter(points, key);
  for (let step = 0; step < points.length && found.length < count; step++) {
    const node = (points[(start + step) % points.length] as ModelPoint).node;
    if (!found.includes(node)) found.push(node);
  }
  return found;
}

/** rendezvous: weight / −ln(u), u = (hash32(`${node}:${key}`) + 0.5) / 2^32 */
export function hrwScore(node: string, key: string, weight: number): number {
  return weight / -Math.log((hash32(`${node}:${key}`) + 0.5) / 2 ** 32);
}

/** every node ranked for the key: highest score first, an exact tie to the id that sorts first */
export function hrwRanking(nodes: readonly NodeSpec[], key: string): string[] {
  return nodes
    .map(({ id, weight }) => ({ id, score: hrwScore(id, key, weight) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((s) => s.id);
}

/** `count` distinct key names, all starting with `salt` */
export function keyNames(salt: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${salt}/key-${i}`);
}

/** `count` node ids, all starting with `salt` */
export function nodeNames(salt: string, count: number, label = "node"): string[] {
  return Array.from({ length: count }, (_, i) => `${salt}/${label}-${i}`);
}

/** the relative standard deviation of counts: σ ÷ mean */
export function relativeStdDev(counts: readonly number[]): number {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length;
  return Math.sqrt(variance) / mean;
}

/** how many of the keys each node gets */
export function countByNode(
  nodes: readonly string[],
  keys: readonly string[],
  owner: (key: string) => string | undefined,
) {
  const counts = new Map<string, number>(nodes.map((n) => [n, 0]));
  for (const key of keys) {
    const node = owner(key);
    if (node !== undefined) counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

/**
 * Node ids for properties, readable in a shrunk counterexample ("node-3"), with now and then
 * one that sorts or hashes unlike the rest: a capital, a "#" or ":" inside, a non-ASCII letter.
 */
export const nodeId: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 30 }).map((n) => `node-${n}`) },
  { weight: 1, arbitrary: fc.constantFrom("Node-1", "node-1#2", "node:7", "a", "B", "é") },
);

/** keys for properties, readable in a counterexample: "key-17", or a short string of plain characters ("" too) */
export const keyName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 9_999 }).map((n) => `key-${n}`) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom("a", "b", "z", "A", "0", "9", ":", "/", "#", "é"), maxLength: 6 }),
  },
);

/**
 * Which node answered, as a number to sum in a load test: the last two characters of the id
 * tell apart the spec's node names (`${salt}/node-0` to `${salt}/node-99`). 0 for no node.
 */
export function nodeCode(id: string | undefined): number {
  if (id === undefined || id.length < 2) return 0;
  return id.charCodeAt(id.length - 1) + 10 * id.charCodeAt(id.length - 2);
}
