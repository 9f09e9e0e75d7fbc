import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** a seeded source of workload data; the same seed gives the same sequence */
export interface Random {
  /** an integer in [from, to] */
  int(from: number, to: number): number;
  /** a float in [0, 1) */
  float(): number;
  /** an exponentially distributed gap with the given mean: Poisson arrivals */
  exponential(mean: number): number;
}

export function random(seed: number): Random {
  const generator = xoroshiro128plus(seed);
  return {
    int: (from, to) => uniformInt(generator, from, to),
    float: () => uniformFloat64(generator),
    exponential: (mean) => -Math.log(1 - uniformFloat64(generator)) * mean,
  };
}

/** a 32-bit seed derived from a base seed and a label: one independent stream per label */
export function deriveSeed(base: number, label: string): number {
  // FNV-1a over "base:label"
  let hash = 0x811c9dc5;
  const text = `${base}:${label}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** draws ranks 0..size−1 with P(rank r) ∝ 1/(r + 1)^exponent: a few items are hot, most are rare */
export function zipf(size: number, exponent: number, next: () => number): () => number {
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) {
    sum += 1 / (r + 1) ** exponent;
    cumulative[r] = sum;
  }
  return () => {
    const target = next() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** murmur3's finalizer over a seed and an index: the seed of trial i, independent of trial i + 1 */
export function trialSeed(seed: number, trial: number): number {
  let h = (seed ^ Math.imul(trial + 1, 0x9e3779b9)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
