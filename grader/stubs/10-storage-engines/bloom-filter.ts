/**
 * Kata: Bloom filter (difficulty 1, about 30 minutes)
 * Read:  chapters/10-storage-engines/README.md#bloom-filters
 * Grade: npm run grade -- bloom-filter
 * Hint:  npm run hint -- bloom-filter (one more hint each time you ask)
 *
 * A set that answers "maybe" or "no" in a few bits per item: an LSM tree asks
 * it before reading an SSTable from disk.
 * - Size from n (expectedItems) and p (falsePositiveRate):
 *   bits m = ⌈−n·ln p / (ln 2)²⌉, hashes k = round(m/n · ln 2), at least 1.
 *   ln is Math.log; (ln 2)² is Math.LN2 ** 2.
 * - add(item) sets k bits; mightContain(item) is true only if all k are set.
 * - Never a false negative: every item added is found, whatever the seed.
 * - With n items in, items never added are found at a rate close to p. The k
 *   bit indexes must behave as independent: k seeds of hash32, or two hashes
 *   combined as h1 + i·h2 (Kirsch and Mitzenmacher, 2006). The same hash k
 *   times, or k neighbouring bits, makes the rate many times p.
 * - Keep indexes in [0, m): Math.imul and | 0 give negative numbers, and a
 *   negative index into a typed array is silently ignored.
 * - RangeError for expectedItems not a positive integer, falsePositiveRate
 *   outside (0, 1), or a seed that is not an integer.
 */
import { hash32, todo } from "#kit";

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

  constructor(options: BloomOptions) {
    // TODO: check the options, compute m and k, allocate m bits and pick the hash seeds.
    this.bits = 0;
    this.hashes = 0;
    todo("BloomFilter constructor", options);
  }

  add(item: string): void {
    // TODO: set the item's k bits.
    todo("BloomFilter.add", item);
  }

  /** true for every item added; true for an item never added with probability about p */
  mightContain(item: string): boolean {
    // TODO: true only if all k of the item's bits are set.
    return todo("BloomFilter.mightContain", item);
  }
}
