// shared by the caching specs: seeded key streams for the load tests
import { random } from "#spec";

/**
 * `count` keys drawn from Zipf(exponent) over ranks 0 .. keySpace − 1: rank r
 * comes with probability proportional to 1 / (r + 1)^exponent. Real read
 * traffic looks like this: a few hot keys and a long cold tail.
 */
export function zipfKeys(seed: number, count: number, keySpace: number, exponent = 0.99): Uint32Array {
  const rng = random(seed);
  const cumulative = new Float64Array(keySpace);
  let total = 0;
  for (let r = 0; r < keySpace; r++) {
    total += 1 / (r + 1) ** exponent;
    cumulative[r] = total;
  }
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const target = rng.float() * total;
    let low = 0;
    let high = keySpace - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    keys[i] = low;
  }
  return keys;
}

/** `count` uniform picks in [0, 1): which held key an operation touches, scaled to the size at hand */
export function uniformPicks(seed: number, count: number): Float64Array {
  const rng = random(seed);
  return Float64Array.from({ length: count }, () => rng.float());
}
