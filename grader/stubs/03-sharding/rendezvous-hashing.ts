/**
 * Kata: rendezvous hashing (difficulty 1, about 30 minutes)
 * Read:  chapters/03-sharding/README.md#rendezvous-hashing
 * Grade: npm run grade -- rendezvous-hashing
 * Hint:  npm run hint -- rendezvous-hashing (one more hint each time you ask)
 *
 * Build highest-random-weight (rendezvous) hashing, with weights and replicas.
 * - hash32 is given below: keep it as it is.
 * - score(node, key, weight) is weight / −ln(u), where
 *   u = (hash32(`${node}:${key}`) + 0.5) / 2^32, a number in (0, 1). Hash the
 *   node and the key together, as one string: each node's scores must be
 *   independent of every other node's.
 * - nodeFor(key) is the node with the highest score for the key. An exact tie
 *   goes to the node id that sorts first (JavaScript string order, a < b),
 *   whichever node was added first.
 * - nodesFor(key, count) is the `count` highest-scoring nodes, best first, by
 *   that same score and tie rule: the owner, then its replicas. All the nodes,
 *   ranked, when there are fewer than `count`.
 * - addNode with an id that is already there sets its weight. A weight must be
 *   a positive finite number, count an integer ≥ 0: otherwise throw a RangeError.
 */
import { todo } from "#kit";

/**
 * The hash, given: FNV-1a over the string's UTF-16 code units, then murmur3's
 * 32-bit finalizer. An unsigned 32-bit integer. The spec ranks nodes with this
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

/**
 * A node's score for a key: weight / −ln(u), with u = (hash32(`${node}:${key}`) + 0.5) / 2^32
 * in (0, 1). With equal weights it ranks nodes as the raw hash does; with
 * weights, a node's chance of scoring highest is its share of the total weight.
 */
export function score(node: string, key: string, weight: number): number {
  // TODO: turn the pair's hash into u in (0, 1), then weight / −ln(u).
  return todo("score", node, key, weight);
}

export class RendezvousHash {
  /** adds a node; adding one that is there sets its weight */
  addNode(id: string, weight = 1): void {
    // TODO: check the weight and remember the node with it.
    todo("RendezvousHash.addNode", id, weight);
  }

  /** false if the node was not there */
  removeNode(id: string): boolean {
    // TODO: forget the node.
    return todo("RendezvousHash.removeNode", id);
  }

  /** the node with the highest score for the key; undefined with no nodes */
  nodeFor(key: string): string | undefined {
    // TODO: score every node for this key and keep the best (ties: the id that sorts first).
    return todo("RendezvousHash.nodeFor", key);
  }

  /** the `count` highest-scoring nodes for the key, best first: the owner, then its replicas */
  nodesFor(key: string, count: number): string[] {
    // TODO: rank every node by its score for this key and take the first `count`.
    return todo("RendezvousHash.nodesFor", key, count);
  }

  /** how many nodes there are */
  size(): number {
    // TODO: count the nodes.
    return todo("RendezvousHash.size");
  }
}
