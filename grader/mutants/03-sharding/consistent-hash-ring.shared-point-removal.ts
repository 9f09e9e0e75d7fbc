/**
 * Mutant of solutions/03-sharding/consistent-hash-ring.ts: shared-point-removal.
 *
 * The bug: points are kept as a Map from position to node plus a sorted list
 * of positions, as in the source's ring. Two points on one position share one
 * Map entry: the node added last overwrites the other, and removing either
 * node deletes the entry, so the other node loses its point and its keys move.
 * With 32-bit positions, 20,000 points collide somewhere 4.6% of the time.
 * Source: seed 003, Core Concepts, ConsistentHashRing (self.ring[hash_val] = node,
 * del self.ring[hash_val] in remove_node).
 * @rewrites the source's Map of positions in place of a sorted array of points
 * @caughtBy removing a node moves only its own keys, even when it shares a point with another node
 */
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

function positiveInteger(value: number, what: string): void {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
  }
}

export class ConsistentHashRing {
  readonly #vnodes: number;
  /** node id → weight */
  readonly #nodes = new Map<string, number>();
  /** position → the node whose point is there */
  readonly #owners = new Map<number, string>();
  /** every position, sorted */
  #positions: number[] = [];

  constructor({ vnodes }: RingOptions) {
    positiveInteger(vnodes, "vnodes");
    this.#vnodes = vnodes;
  }

  /** adds a node with weight × vnodes points; adding one that is there sets its weight */
  addNode(id: string, weight = 1): void {
    positiveInteger(weight, "weight");
    if (this.#nodes.has(id)) this.removeNode(id);
    for (let index = 0; index < weight * this.#vnodes; index++) {
      const position = hash32(`${id}#${index}`);
      if (!this.#owners.has(position)) this.#positions.splice(this.#firstAtOrAfterRaw(position), 0, position);
      this.#owners.set(position, id);
    }
    this.#nodes.set(id, weight);
  }

  /** removes a node and all its points; false if it was not there */
  removeNode(id: string): boolean {
    const weight = this.#nodes.get(id);
    if (weight === undefined) return false;
    this.#nodes.delete(id);
    for (let index = 0; index < weight * this.#vnodes; index++) {
      const position = hash32(`${id}#${index}`);
      if (!this.#owners.delete(position)) continue;
      this.#positions.splice(this.#firstAtOrAfterRaw(position), 1);
    }
    return true;
  }

  /** the node owning the first point at or after hash32(key), clockwise; undefined on an empty ring */
  nodeFor(key: string): string | undefined {
    if (this.#positions.length === 0) return undefined;
    return this.#owners.get(this.#positions[this.#firstAtOrAfter(hash32(key))] as number);
  }

  /**
   * Up to `count` distinct nodes, walking clockwise from the key's point: the
   * owner first, then the next different nodes, as replicas go.
   */
  nodesFor(key: string, count: number): string[] {
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    }
    const wanted = Math.min(count, this.#nodes.size);
    const found: string[] = [];
    if (wanted === 0) return found;
    const seen = new Set<string>();
    const start = this.#firstAtOrAfter(hash32(key));
    for (let step = 0; found.length < wanted; step++) {
      const node = this.#owners.get(this.#positions[(start + step) % this.#positions.length] as number) as string;
      if (seen.has(node)) continue;
      seen.add(node);
      found.push(node);
    }
    return found;
  }

  /** how many nodes are on the ring */
  size(): number {
    return this.#nodes.size;
  }

  /** binary search: the first position ≥ target, wrapping past the top to 0 */
  #firstAtOrAfter(target: number): number {
    const found = this.#firstAtOrAfterRaw(target);
    return found === this.#positions.length ? 0 : found;
  }

  /** binary search: the first position ≥ target, or the length when there is none */
  #firstAtOrAfterRaw(target: number): number {
    let low = 0;
    let high = this.#positions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#positions[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
