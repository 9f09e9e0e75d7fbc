/**
 * Kata: Count-Min sketch (difficulty 2, about an hour)
 * Read:  chapters/07-stream-counting/README.md#count-min-sketch
 * Grade: npm run grade -- count-min-sketch
 * Hint:  npm run hint -- count-min-sketch (one more hint each time you ask)
 *
 * Count how often each item occurs in a stream, in fixed memory, never
 * under-counting and over-counting by more than ε·N only with probability δ.
 * - A table of `depth` rows by `width` counters: width = ⌈e/ε⌉, depth = ⌈ln(1/δ)⌉.
 * - Each row has its own hash function. Use hash32 below with a different seed
 *   per row, derived from options.seed. Do not hash once and XOR or add the row
 *   number afterwards: those rows collide together, and depth buys nothing.
 * - add(item, count) adds `count` to the item's cell in every row, and to total.
 *   The estimate is the smallest of the item's cells.
 * - Counters must not wrap: a cell may go far beyond 65,535 (a Float64Array or
 *   plain numbers are fine).
 * - merge(other) adds another sketch with the same width, depth and seed, cell
 *   by cell: the result is exactly the sketch of both streams.
 * - RangeError for ε or δ outside (0, 1), a seed that is not an integer, a count
 *   that is not a positive integer, or a merge of sketches that differ.
 */
import { hash32, todo } from "#kit";

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

  constructor(options: CountMinOptions) {
    // TODO: check the options, size the table from ε and δ, and pick one hash seed per row.
    this.width = 0;
    this.depth = 0;
    this.seed = options.seed;
    todo("CountMinSketch constructor", options);
  }

  /** the events counted so far, with their counts: the N of εN */
  get total(): number {
    // TODO: the sum of every count added.
    return todo("CountMinSketch.total");
  }

  /** counts `count` more occurrences of `item` */
  add(item: string, count = 1): void {
    // TODO: add `count` to the item's cell in every row.
    todo("CountMinSketch.add", item, count);
  }

  /** at least the true count of `item`, and at most ε·N above it with probability 1 − δ */
  estimate(item: string): number {
    // TODO: the smallest of the item's cells.
    return todo("CountMinSketch.estimate", item);
  }

  /** adds another sketch's counts to this one: the result is the sketch of both streams */
  merge(other: CountMinSketch): void {
    // TODO: refuse a sketch of another width, depth or seed; otherwise add it cell by cell.
    todo("CountMinSketch.merge", other);
  }
}
