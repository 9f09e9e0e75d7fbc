/**
 * Kata: consistent hash ring (difficulty 2, about an hour)
 * Read:  chapters/03-sharding/README.md#consistent-hashing
 * Grade: npm run grade -- consistent-hash-ring
 * Hint:  npm run hint -- consistent-hash-ring (one more hint each time you ask)
 *
 * Build a consistent hash ring with virtual nodes and weights.
 * - The ring has 2^32 positions. hash32 (given below, keep it as it is) places
 *   everything on it.
 * - A node of weight w puts w × vnodes points on the ring: point i (from 0) of
 *   node "id" sits at hash32(`${id}#${i}`).
 * - A key belongs to the node of the first point at or after hash32(key),
 *   clockwise. A key past the last point wraps around to the first point. A key
 *   exactly on a point belongs to that point.
 * - Two points can share a position: order them by node id (JavaScript string
 *   order, a < b), then by i. Placement never depends on the order nodes were
 *   added, and removing a node never moves another node's keys.
 * - nodeFor(key) is O(log points): keep the points sorted and binary-search
 *   them. The spec times a lookup with 1,000 and with 10,000 points.
 * - nodesFor(key, count) walks clockwise from the key's point and lists the
 *   first `count` distinct nodes: the owner, then where its replicas go. Fewer
 *   when the ring has fewer nodes.
 * - addNode with an id that is already there sets its weight (its points become
 *   the first weight × vnodes of the same sequence).
 * - vnodes, weight and count must be integers, vnodes and weight ≥ 1 and
 *   count ≥ 0: otherwise throw a RangeError.
 */
import { todo } from "#kit";

/**
 * The ring's hash, given: FNV-1a over the string's UTF-16 code units, then
 * murmur3's 32-bit finalizer (FNV alone mixes the last characters poorly into
 * the high bits). An unsigned 32-bit integer. The spec places keys with this
 * exact function, so keep it as it is.
 */
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

export interface RingOptions {
  /** points on the ring per unit of weight: a node of weight w gets w × vnodes points */
  vnodes: number;
}

export class ConsistentHashRing {
  constructor(options: RingOptions) {
    // TODO: check vnodes and set up an empty ring.
    todo("ConsistentHashRing constructor", options);
  }

  /** adds a node with weight × vnodes points; adding one that is there sets its weight */
  addNode(id: string, weight = 1): void {
    // TODO: put the node's points on the ring, keeping the points sorted.
    todo("ConsistentHashRing.addNode", id, weight);
  }

  /** removes a node and all its points; false if it was not there */
  removeNode(id: string): boolean {
    // TODO: take the node's points off the ring, and only its points.
    return todo("ConsistentHashRing.removeNode", id);
  }

  /** the node owning the first point at or after hash32(key), clockwise; undefined on an empty ring */
  nodeFor(key: string): string | undefined {
    // TODO: binary-search the sorted points for the first position ≥ hash32(key); wrap past the top.
    return todo("ConsistentHashRing.nodeFor", key);
  }

  /**
   * Up to `count` distinct nodes, walking clockwise from the key's point: the
   * owner first, then the next different nodes, as replicas go.
   */
  nodesFor(key: string, count: number): string[] {
    // TODO: walk clockwise from the key's point, skipping nodes already listed.
    return todo("ConsistentHashRing.nodesFor", key, count);
  }

  /** how many nodes are on the ring */
  size(): number {
    // TODO: count the nodes.
    return todo("ConsistentHashRing.size");
  }
}
