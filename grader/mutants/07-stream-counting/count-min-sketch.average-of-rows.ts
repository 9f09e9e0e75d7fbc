/**
 * Mutant of solutions/07-stream-counting/count-min-sketch.ts: average-of-rows.
 *
 * The bug: the estimate is the average of the item's cells, not the smallest.
 * Every cell holds the item's count plus whatever else hashed there, so the
 * average never under-counts either, and over εN it fails about as rarely as
 * the minimum; but an item that shares one row's cell with a heavy hitter is
 * over-counted by a share of it, where the minimum would have read its own
 * count from another row.
 * @caughtBy estimates with the smallest cell: of 2,000 items never added, at most 25 read above 0 beside 100 heavy items
 */

/**
 * A seeded 32-bit string hash: murmur3's mixing, one UTF-16 code unit at a
 * time. Given: use it as it is. Two different seeds give hash functions that
 * behave as independent ones; one hash with a small number XORed or added
 * afterwards does not.
 */
export function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface CountMinOptions {
  /** the error, as a share of the stream: estimates exceed the truth by at most ε·N ... */
  epsilon: number;
  /** ... except with probability at most δ */
  delta: number;
  /** picks the hash functions: sketches merge only when their seeds are equal */
  seed: number;
}

export class CountMinSketch {
  /** counters per row: ⌈e/ε⌉ */
  readonly width: number;
  /** rows, each with its own hash function: ⌈ln(1/δ)⌉ */
  readonly depth: number;
  readonly seed: number;
  /** row r, column c is cells[r * width + c]; doubles count exactly up to 2^53 */
  readonly #cells: Float64Array;
  /** one seed per row: independent hash functions, not one hash shifted per row */
  readonly #rowSeeds: number[];
  #total = 0;

  constructor({ epsilon, delta, seed }: CountMinOptions) {
    if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
    if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.width = Math.ceil(Math.E / epsilon);
    this.depth = Math.ceil(Math.log(1 / delta));
    this.seed = seed;
    this.#cells = new Float64Array(this.width * this.depth);
    this.#rowSeeds = Array.from({ length: this.depth }, (_, row) => hash32(`row ${row}`, seed));
  }

  /** the events counted so far, with their counts: the N of εN */
  get total(): number {
    return this.#total;
  }

  /** counts `count` more occurrences of `item` */
  add(item: string, count = 1): void {
    if (!(Number.isSafeInteger(count) && count > 0)) {
      throw new RangeError(`count must be a positive integer, got ${count}`);
    }
    for (let row = 0; row < this.depth; row++) {
      const cell = this.#cell(row, item);
      this.#cells[cell] = (this.#cells[cell] as number) + count;
    }
    this.#total += count;
  }

  /** at least the true count of `item`, and at most ε·N above it with probability 1 − δ */
  estimate(item: string): number {
    let sum = 0;
    for (let row = 0; row < this.depth; row++) {
      sum += this.#cells[this.#cell(row, item)] as number;
    }
    return sum / this.depth;
  }

  /** adds another sketch's counts to this one: the result is the sketch of both streams */
  merge(other: CountMinSketch): void {
    if (other.width !== this.width || other.depth !== this.depth || other.seed !== this.seed) {
      throw new RangeError("only sketches with the same width, depth and seed can merge");
    }
    const theirs = other.#cells;
    for (let i = 0; i < this.#cells.length; i++) this.#cells[i] = (this.#cells[i] as number) + (theirs[i] as number);
    this.#total += other.#total;
  }

  #cell(row: number, item: string): number {
    return row * this.width + (hash32(item, this.#rowSeeds[row] as number) % this.width);
  }
}
