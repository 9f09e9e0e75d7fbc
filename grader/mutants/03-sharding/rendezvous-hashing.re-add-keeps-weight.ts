/**
 * Mutant of solutions/03-sharding/rendezvous-hashing.ts: re-add-keeps-weight.
 *
 * The bug: addNode with an id that is already there keeps the weight it had.
 * The contract says it sets the new one: a node whose capacity was raised (or
 * lowered) keeps the share of keys of its old weight, without an error.
 * @caughtBy adding a node that is there sets its weight: it is still one node, ranked by the new weight
 */

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
  const u = (hash32(`${node}:${key}`) + 0.5) / 2 ** 32;
  return weight / -Math.log(u);
}

interface Scored {
  node: string;
  score: number;
}

/** highest score first; an exact tie goes to the node id that sorts first */
function ranking(a: Scored, b: Scored): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

export class RendezvousHash {
  /** node id → weight */
  readonly #nodes = new Map<string, number>();

  /** adds a node; adding one that is there sets its weight */
  addNode(id: string, weight = 1): void {
    if (!(weight > 0 && Number.isFinite(weight))) {
      throw new RangeError(`weight must be a positive number, got ${weight}`);
    }
    if (!this.#nodes.has(id)) this.#nodes.set(id, weight);
  }

  /** false if the node was not there */
  removeNode(id: string): boolean {
    return this.#nodes.delete(id);
  }

  /** the node with the highest score for the key; undefined with no nodes */
  nodeFor(key: string): string | undefined {
    let best: Scored | undefined;
    for (const [node, weight] of this.#nodes) {
      const candidate = { node, score: score(node, key, weight) };
      if (best === undefined || ranking(candidate, best) < 0) best = candidate;
    }
    return best?.node;
  }

  /** the `count` highest-scoring nodes for the key, best first: the owner, then its replicas */
  nodesFor(key: string, count: number): string[] {
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    }
    const scored: Scored[] = [];
    for (const [node, weight] of this.#nodes) scored.push({ node, score: score(node, key, weight) });
    return scored
      .sort(ranking)
      .slice(0, count)
      .map((s) => s.node);
  }

  /** how many nodes there are */
  size(): number {
    return this.#nodes.size;
  }
}
