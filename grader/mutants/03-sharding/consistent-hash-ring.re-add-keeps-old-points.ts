/**
 * Mutant of solutions/03-sharding/consistent-hash-ring.ts: re-add-keeps-old-points.
 *
 * The bug: addNode with an id that is already there adds the new points without
 * taking the old ones off. Raising a weight looks right (the first points are
 * there twice, which changes nothing), but lowering it changes nothing at all:
 * the node keeps every point it ever had, and the keys it should give back
 * stay.
 * @caughtBy raising a node's weight moves keys only to that node, lowering it only away from it
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

/** one virtual node: point `index` of `node`, at hash32(`${node}#${index}`) */
interface Point {
  position: number;
  node: string;
  index: number;
}

/**
 * Ring order: by position, then node id, then index. Two points can share a
 * position (2^32 is not that large); ordering them by id keeps every placement
 * independent of the order nodes were added.
 */
function ringOrder(a: Point, b: Point): number {
  if (a.position !== b.position) return a.position - b.position;
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  return a.index - b.index;
}

/** two sorted lists as one sorted list, in O(a + b) */
function mergeSorted(a: Point[], b: Point[]): Point[] {
  const out: Point[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Point;
    const y = b[j] as Point;
    if (ringOrder(x, y) <= 0) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++] as Point);
  while (j < b.length) out.push(b[j++] as Point);
  return out;
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
  /** every point, in ring order */
  #points: Point[] = [];

  constructor({ vnodes }: RingOptions) {
    positiveInteger(vnodes, "vnodes");
    this.#vnodes = vnodes;
  }

  /** adds a node with weight × vnodes points; adding one that is there sets its weight */
  addNode(id: string, weight = 1): void {
    positiveInteger(weight, "weight");
    const fresh: Point[] = [];
    for (let index = 0; index < weight * this.#vnodes; index++) {
      fresh.push({ position: hash32(`${id}#${index}`), node: id, index });
    }
    fresh.sort(ringOrder);
    this.#points = mergeSorted(this.#points, fresh);
    this.#nodes.set(id, weight);
  }

  /** removes a node and all its points; false if it was not there */
  removeNode(id: string): boolean {
    if (!this.#nodes.delete(id)) return false;
    this.#points = this.#points.filter((point) => point.node !== id);
    return true;
  }

  /** the node owning the first point at or after hash32(key), clockwise; undefined on an empty ring */
  nodeFor(key: string): string | undefined {
    if (this.#points.length === 0) return undefined;
    return this.#points[this.#firstAtOrAfter(hash32(key))]?.node;
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
      const point = this.#points[(start + step) % this.#points.length] as Point;
      if (seen.has(point.node)) continue;
      seen.add(point.node);
      found.push(point.node);
    }
    return found;
  }

  /** how many nodes are on the ring */
  size(): number {
    return this.#nodes.size;
  }

  /** binary search: the first point with position ≥ target, wrapping past the top to point 0 */
  #firstAtOrAfter(target: number): number {
    let low = 0;
    let high = this.#points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#points[middle] as Point).position < target) low = middle + 1;
      else high = middle;
    }
    return low === this.#points.length ? 0 : low;
  }
}
