/**
 * Bloom filter, the reference solution.
 * Chapter: chapters/10-storage-engines/README.md#bloom-filters
 *
 * m bits and k hash functions (Bloom, 1970). add sets the k bits of an item;
 * mightContain answers yes only if all k are set, so an item added is always
 * found, and an item never added is found by accident with probability about
 * (1 − e^(−kn/m))^k. For n items and a target rate p, m = ⌈−n·ln p / (ln 2)²⌉
 * minimizes the bits and k = round(m/n · ln 2) the rate for those bits.
 *
 * The k indexes come from two hashes, g_i = h1 + i·h2 mod m (Kirsch and
 * Mitzenmacher, "Less Hashing, Same Performance", 2006): the same false-positive
 * rate as k independent hashes, for two hash computations.
 */

import { hash32 } from "#kit";

// hash32(text, seed), given in #kit: a seeded 32-bit string hash (murmur3's mixing). Two
// different seeds give hash functions that behave as independent ones
export { hash32 };

export interface BloomOptions {
  /** n: how many distinct items the filter is sized for */
  expectedItems: number;
  /** p: the false-positive rate wanted once n items are in */
  falsePositiveRate: number;
  /** picks the hash functions */
  seed: number;
}

export class BloomFilter {
  /** m = ⌈−n·ln p / (ln 2)²⌉ */
  readonly bits: number;
  /** k = round(m/n · ln 2), at least 1 */
  readonly hashes: number;
  readonly #words: Uint32Array;
  readonly #seed1: number;
  readonly #seed2: number;

  constructor({ expectedItems, falsePositiveRate, seed }: BloomOptions) {
    if (!(Number.isSafeInteger(expectedItems) && expectedItems > 0)) {
      throw new RangeError(`expectedItems must be a positive integer, got ${expectedItems}`);
    }
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
      throw new RangeError(`falsePositiveRate must be in (0, 1), got ${falsePositiveRate}`);
    }
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.bits = Math.ceil((-expectedItems * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
    this.hashes = Math.max(1, Math.round((this.bits / expectedItems) * Math.LN2));
    this.#words = new Uint32Array(Math.ceil(this.bits / 32));
    this.#seed1 = hash32("bloom 1", seed);
    this.#seed2 = hash32("bloom 2", seed);
  }

  add(item: string): void {
    const h1 = hash32(item, this.#seed1);
    const h2 = (hash32(item, this.#seed2) | 1) >>> 0; // odd, so never 0; >>> 0 keeps it unsigned
    for (let i = 0; i < this.hashes; i++) {
      // h1 + i·h2 < 2^37: exact in a double, and never negative
      const bit = (h1 + i * h2) % this.bits;
      this.#words[bit >>> 5] = (this.#words[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  /** true for every item added; true for an item never added with probability about p */
  mightContain(item: string): boolean {
    const h1 = hash32(item, this.#seed1);
    const h2 = (hash32(item, this.#seed2) | 1) >>> 0;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.bits;
      if (((this.#words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
