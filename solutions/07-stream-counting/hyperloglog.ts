/**
 * HyperLogLog, the reference solution.
 * Chapter: chapters/07-stream-counting/README.md#hyperloglog
 *
 * m = 2^p one-byte registers. An item's 32-bit hash picks a register with its
 * top p bits; the rest of the bits start with a run of zeros, and the register
 * keeps the longest run seen plus one (the rank). Among n distinct items, about
 * n/2^r of them reach rank r, so the registers' harmonic mean says how many there
 * were: α·m²/Σ2^−M[j], with a relative standard error of about 1.04/√m. Below
 * 2.5·m that estimate is biased upwards, and counting the empty registers
 * (linear counting) is better. Merging takes the larger of each register pair:
 * the result is exactly the sketch of the union.
 */

import { hash32 } from "#kit";

// hash32(text, seed), given in #kit: a seeded 32-bit string hash (murmur3's mixing). Two
// different seeds give hash functions that behave as independent ones
export { hash32 };

export interface HyperLogLogOptions {
  /** p: the sketch has m = 2^p registers, 4 ≤ p ≤ 16 */
  precision: number;
  /** picks the hash function: sketches merge only when their seeds are equal */
  seed: number;
}

const TWO_TO_32 = 2 ** 32;

/** the bias correction α for m registers (Flajolet et al. 2007) */
function alpha(m: number): number {
  if (m === 16) return 0.673;
  if (m === 32) return 0.697;
  if (m === 64) return 0.709;
  return 0.7213 / (1 + 1.079 / m);
}

export class HyperLogLog {
  readonly precision: number;
  readonly seed: number;
  /** m = 2^precision */
  readonly registerCount: number;
  readonly #registers: Uint8Array;
  /** the largest rank: all 32 − p bits after the index are zero */
  readonly #maxRank: number;

  constructor({ precision, seed }: HyperLogLogOptions) {
    if (!(Number.isInteger(precision) && precision >= 4 && precision <= 16)) {
      throw new RangeError(`precision must be an integer from 4 to 16, got ${precision}`);
    }
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.precision = precision;
    this.seed = seed;
    this.registerCount = 2 ** precision;
    this.#registers = new Uint8Array(this.registerCount);
    this.#maxRank = 32 - precision + 1;
  }

  add(item: string): void {
    const hash = hash32(item, this.seed);
    const index = hash >>> (32 - this.precision);
    // the bits after the index, moved to the top: rank = their leading zeros + 1
    const rest = (hash << this.precision) >>> 0;
    const rank = Math.min(Math.clz32(rest) + 1, this.#maxRank);
    if (rank > (this.#registers[index] as number)) this.#registers[index] = rank;
  }

  /** the estimated number of distinct items added */
  count(): number {
    const m = this.registerCount;
    let sum = 0;
    let empty = 0;
    for (const rank of this.#registers) {
      sum += 2 ** -rank;
      if (rank === 0) empty++;
    }
    const raw = (alpha(m) * m * m) / sum;
    // small range: the raw estimate is biased up; the share of empty registers is accurate
    if (raw <= 2.5 * m && empty > 0) return m * Math.log(m / empty);
    // large range: 32-bit hashes start to collide
    if (raw > TWO_TO_32 / 30) return -TWO_TO_32 * Math.log(1 - raw / TWO_TO_32);
    return raw;
  }

  /** takes in another sketch: this becomes the sketch of the union of both streams */
  merge(other: HyperLogLog): void {
    if (other.precision !== this.precision || other.seed !== this.seed) {
      throw new RangeError("only sketches with the same precision and seed can merge");
    }
    const theirs = other.#registers;
    for (let i = 0; i < this.#registers.length; i++) {
      this.#registers[i] = Math.max(this.#registers[i] as number, theirs[i] as number);
    }
  }

  /** a copy of the m registers, one byte each: what a sketch stores or sends */
  registers(): Uint8Array {
    return this.#registers.slice();
  }
}
