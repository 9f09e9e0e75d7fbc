// seeded workloads for the bench: the same seed gives the same operations on every run
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** a seeded source of floats in [0, 1) */
export function seededFloats(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

/**
 * `count` draws from a Zipf distribution over ranks 0 .. keySpace − 1: rank r
 * is drawn with probability proportional to 1 / (r + 1)^exponent, so a few
 * keys are hot and most are cold, as in real read traffic.
 */
export function zipfRanks(count: number, keySpace: number, exponent: number, seed: number): Uint32Array {
  const cumulative = new Float64Array(keySpace);
  let total = 0;
  for (let r = 0; r < keySpace; r++) {
    total += 1 / (r + 1) ** exponent;
    cumulative[r] = total;
  }
  const next = seededFloats(seed);
  const ranks = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    // the first rank whose cumulative weight reaches the draw: binary search
    const target = next() * total;
    let low = 0;
    let high = keySpace - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    ranks[i] = low;
  }
  return ranks;
}
