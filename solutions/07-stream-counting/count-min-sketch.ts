/**
 * Count-Min sketch, the reference solution.
 * Chapter: chapters/07-stream-counting/README.md#count-min-sketch
 *
 * A table of `depth` rows by `width` counters. Each row has its own hash
 * function; an event adds its count to one cell in every row, and an item's
 * estimate is the smallest of its cells. Every cell holds the item's own count
 * plus whatever else hashed there, so the estimate never falls below the true
 * count, and with width ⌈e/ε⌉ and depth ⌈ln(1/δ)⌉ it exceeds it by more than
 * εN with probability at most δ (N: the events counted so far).
 */

import { hash32 } from "#kit";

// hash32(text, seed), given in #kit: a seeded 32-bit string hash (murmur3's mixing). Two
// different seeds give hash functions that behave as independent ones
export { hash32 };

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
    let smallest = Number.POSITIVE_INFINITY;
    for (let row = 0; row < this.depth; row++) {
      smallest = Math.min(smallest, this.#cells[this.#cell(row, item)] as number);
    }
    return smallest;
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
