// The seeded string hash the sketch and filter katas are given (chapters 07 and 10): one function,
// so every kata and the specs that recompute a reference's choices hash alike.

/**
 * A seeded 32-bit string hash: murmur3's mixing (Appleby, MurmurHash3, 2011), one UTF-16 code
 * unit at a time. Two different seeds give hash functions that behave as independent ones; one
 * hash with a small number XORed or added afterwards does not.
 */
export function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
