/**
 * Mutant of solutions/03-sharding/range-partitioner.ts: splits-at-the-limit.
 *
 * The bug: a range splits once it holds maxBytes (>=), not once it holds more
 * (>). A range exactly at its limit is cut in two: more ranges, and more moves,
 * than the limit asks for, and a range of one key's size at the limit splits at
 * every rebalance its neighbours allow.
 * @caughtBy a range at exactly maxBytes or maxReads stays whole; one byte or one read more splits it
 */

/** [start, end) in JavaScript string order; end null: no upper bound */
export interface Range {
  start: string;
  end: string | null;
}

export interface RangeStats extends Range {
  /** keys stored in the range */
  keys: number;
  /** their bytes */
  bytes: number;
  /** reads counted since the last rebalance */
  reads: number;
}

export interface RebalanceReport {
  /** boundaries added by splits, in key order */
  splits: string[];
  /** boundaries removed by merges, in key order */
  merges: string[];
  /** keys alone in a range still over maxReads: a range boundary cannot split one key */
  hotKeys: string[];
}

export interface RangePartitionerOptions {
  /** a range holding more bytes than this splits */
  maxBytes: number;
  /** a range read more times than this between two rebalances splits */
  maxReads: number;
}

/** one range and what it holds: stored keys with their sizes, and reads per key this period */
class Part {
  sizes = new Map<string, number>();
  bytes = 0;
  readsByKey = new Map<string, number>();
  reads = 0;

  constructor(
    public start: string,
    public end: string | null,
  ) {}

  stats(): RangeStats {
    return { start: this.start, end: this.end, keys: this.sizes.size, bytes: this.bytes, reads: this.reads };
  }

  /** moves every key ≥ at, with its bytes and reads, into a new range [at, end); this one ends at `at` */
  cutAt(at: string): Part {
    const right = new Part(at, this.end);
    this.end = at;
    for (const [key, size] of this.sizes) {
      if (key < at) continue;
      this.sizes.delete(key);
      this.bytes -= size;
      right.sizes.set(key, size);
      right.bytes += size;
    }
    for (const [key, count] of this.readsByKey) {
      if (key < at) continue;
      this.readsByKey.delete(key);
      this.reads -= count;
      right.readsByKey.set(key, count);
      right.reads += count;
    }
    return right;
  }

  /** takes in its right-hand neighbour, whose start is this one's end */
  absorb(right: Part): void {
    for (const [key, size] of right.sizes) this.sizes.set(key, size);
    for (const [key, count] of right.readsByKey) this.readsByKey.set(key, count);
    this.bytes += right.bytes;
    this.reads += right.reads;
    this.end = right.end;
  }
}

/**
 * Where to split a range by some per-key weight (bytes or reads): at the first
 * key, after the first, with at least half the total weight before it; if none
 * has, at the last key. Needs two keys or more; both sides keep at least one.
 */
function splitPoint(weights: Map<string, number>, total: number): string {
  const keys = [...weights.keys()].sort();
  let before = 0;
  for (let i = 1; i < keys.length; i++) {
    before += weights.get(keys[i - 1] as string) as number;
    if (before >= total / 2) return keys[i] as string;
  }
  return keys[keys.length - 1] as string;
}

function positive(value: number, what: string): void {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${what} must be a positive number, got ${value}`);
}

export class RangePartitioner {
  readonly #maxBytes: number;
  readonly #maxReads: number;
  /** sorted by start; parts[i].end === parts[i + 1].start */
  #parts: Part[] = [new Part("", null)];

  constructor({ maxBytes, maxReads }: RangePartitionerOptions) {
    positive(maxBytes, "maxBytes");
    positive(maxReads, "maxReads");
    this.#maxBytes = maxBytes;
    this.#maxReads = maxReads;
  }

  /** the range whose [start, end) holds the key */
  route(key: string): Range {
    const part = this.#partFor(key);
    return { start: part.start, end: part.end };
  }

  /** stores the key with its size in bytes (replacing its old size); 0 bytes deletes it */
  write(key: string, bytes: number): void {
    if (!(bytes >= 0 && Number.isFinite(bytes))) throw new RangeError(`bytes must be ≥ 0, got ${bytes}`);
    const part = this.#partFor(key);
    part.bytes += bytes - (part.sizes.get(key) ?? 0);
    if (bytes === 0) part.sizes.delete(key);
    else part.sizes.set(key, bytes);
  }

  /** counts one read of the key, against its range */
  read(key: string): void {
    const part = this.#partFor(key);
    part.readsByKey.set(key, (part.readsByKey.get(key) ?? 0) + 1);
    part.reads++;
  }

  /** makes `at` a boundary: the range holding it becomes [start, at) and [at, end); false if it already is one */
  split(at: string): boolean {
    const index = this.#indexFor(at);
    const part = this.#parts[index] as Part;
    if (part.start === at) return false;
    this.#parts.splice(index + 1, 0, part.cutAt(at));
    return true;
  }

  /** removes the boundary: the ranges ending and starting at it become one; false if it is not a boundary */
  merge(boundary: string): boolean {
    const index = this.#indexFor(boundary);
    const right = this.#parts[index] as Part;
    if (index === 0 || right.start !== boundary) return false;
    (this.#parts[index - 1] as Part).absorb(right);
    this.#parts.splice(index, 1);
    return true;
  }

  /**
   * Splits every range over a limit until it fits or cannot be split, then
   * merges neighbours that together stay within a quarter of both limits, then
   * starts counting reads afresh.
   */
  rebalance(): RebalanceReport {
    const splits: string[] = [];
    const split: Part[] = [];
    for (const part of this.#parts) this.#splitUntilFits(part, split, splits);

    const merges: string[] = [];
    const merged: Part[] = [];
    for (const part of split) {
      const last = merged[merged.length - 1];
      if (
        last !== undefined &&
        last.bytes + part.bytes <= this.#maxBytes / 4 &&
        last.reads + part.reads <= this.#maxReads / 4
      ) {
        merges.push(part.start);
        last.absorb(part);
      } else {
        merged.push(part);
      }
    }

    const hotKeys: string[] = [];
    for (const part of merged) {
      if (part.reads > this.#maxReads) hotKeys.push(...part.readsByKey.keys());
      part.readsByKey.clear();
      part.reads = 0;
    }
    this.#parts = merged;
    return { splits: splits.sort(), merges, hotKeys };
  }

  /** every range in key order, with what it holds */
  ranges(): RangeStats[] {
    return this.#parts.map((part) => part.stats());
  }

  /** splits `part` (and its pieces) while over a limit with two keys to split between; appends the pieces in order */
  #splitUntilFits(part: Part, out: Part[], splits: string[]): void {
    // a stack rather than recursion: a skewed range can split many times over
    const pending = [part];
    while (pending.length > 0) {
      const current = pending.pop() as Part;
      let at: string | undefined;
      if (current.bytes >= this.#maxBytes && current.sizes.size >= 2) {
        at = splitPoint(current.sizes, current.bytes);
      } else if (current.reads > this.#maxReads && current.readsByKey.size >= 2) {
        at = splitPoint(current.readsByKey, current.reads);
      }
      if (at === undefined) {
        out.push(current);
        continue;
      }
      splits.push(at);
      const right = current.cutAt(at);
      pending.push(right, current);
    }
  }

  #partFor(key: string): Part {
    return this.#parts[this.#indexFor(key)] as Part;
  }

  /** binary search: the last range whose start ≤ key (the first starts at "", which every key is ≥) */
  #indexFor(key: string): number {
    let low = 0;
    let high = this.#parts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.#parts[middle] as Part).start <= key) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
