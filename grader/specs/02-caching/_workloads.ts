// shared by the caching specs: seeded key streams for the load tests
import { random, zipf } from "#spec";

/**
 * `count` keys drawn from Zipf(exponent) over ranks 0 .. keySpace − 1: rank r
 * comes with probability proportional to 1 / (r + 1)^exponent. Real read
 * traffic looks like this: a few hot keys and a long cold tail.
 */
export function zipfKeys(seed: number, count: number, keySpace: number, exponent = 0.99): Uint32Array {
  const draw = zipf(keySpace, exponent, random(seed).float);
  return Uint32Array.from({ length: count }, draw);
}

/** `count` uniform picks in [0, 1): which held key an operation touches, scaled to the size at hand */
export function uniformPicks(seed: number, count: number): Float64Array {
  const rng = random(seed);
  return Float64Array.from({ length: count }, () => rng.float());
}
