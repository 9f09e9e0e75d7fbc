/**
 * Kata: HyperLogLog (difficulty 2, about an hour)
 * Read:  chapters/07-stream-counting/README.md#hyperloglog
 * Grade: npm run grade -- hyperloglog
 * Hint:  npm run hint -- hyperloglog (one more hint each time you ask)
 *
 * Count distinct items (unique visitors) in m one-byte registers, within about
 * 1.04/√m.
 * - m = 2^p registers, p = precision, 4 ≤ p ≤ 16, all 0 at the start.
 * - add(item): h = hash32(item, seed). The top p bits of h pick the register.
 *   The rank is the number of leading zeros in the remaining 32 − p bits, plus
 *   one (32 − p + 1 when they are all zero). The register keeps the largest
 *   rank it has seen. The spec checks the registers against this rule.
 * - count(): E = α·m² / Σ 2^−register, with α = 0.673 (m = 16), 0.697 (m = 32),
 *   0.709 (m = 64), else 0.7213 / (1 + 1.079/m). When E ≤ 2.5·m and some
 *   registers are still 0 (V of them), return m·ln(m/V) instead: linear
 *   counting, accurate where E is not. (Above 2^32/30, −2^32·ln(1 − E/2^32);
 *   the spec does not reach it.)
 * - merge(other): the larger of each pair of registers. The result must equal
 *   the sketch of the union of both streams. Only sketches with the same
 *   precision and seed merge.
 * - registers(): a copy of the m registers.
 * - RangeError for a precision outside 4..16, a seed that is not an integer, or
 *   a merge of sketches that differ.
 */
import { hash32, todo } from "#kit";

// hash32(text, seed), given in #kit: a seeded 32-bit string hash (murmur3's mixing). Two
// different seeds give hash functions that behave as independent ones
export { hash32 };

export interface HyperLogLogOptions {
  /** p: the sketch has m = 2^p registers, 4 ≤ p ≤ 16 */
  precision: number;
  /** picks the hash function: sketches merge only when their seeds are equal */
  seed: number;
}

export class HyperLogLog {
  readonly precision: number;
  readonly seed: number;
  /** m = 2^precision */
  readonly registerCount: number;

  constructor(options: HyperLogLogOptions) {
    // TODO: check the options and make m = 2^precision registers of one byte (a Uint8Array).
    this.precision = options.precision;
    this.seed = options.seed;
    this.registerCount = 0;
    todo("HyperLogLog constructor", options);
  }

  add(item: string): void {
    // TODO: hash, pick the register from the top p bits, and keep the larger rank.
    todo("HyperLogLog.add", item);
  }

  /** the estimated number of distinct items added */
  count(): number {
    // TODO: the bias-corrected harmonic mean, or linear counting in the small range.
    return todo("HyperLogLog.count");
  }

  /** takes in another sketch: this becomes the sketch of the union of both streams */
  merge(other: HyperLogLog): void {
    // TODO: refuse a sketch of another precision or seed; otherwise keep the larger of each register pair.
    todo("HyperLogLog.merge", other);
  }

  /** a copy of the m registers, one byte each: what a sketch stores or sends */
  registers(): Uint8Array {
    // TODO: a copy, so that the caller cannot change the sketch.
    return todo("HyperLogLog.registers");
  }
}
