/**
 * Kata: Content-defined chunking and dedup (difficulty 2, about an hour)
 * Read:  chapters/10-storage-engines/README.md#deep-dive-metadata-and-data-paths
 * Grade: npm run grade -- chunked-dedup
 * Hint:  npm run hint -- chunked-dedup (one more hint each time you ask)
 *
 * File sync uploads only the chunks the server lacks. Cut where the content
 * says, not every n bytes, and an edit changes only the chunks around it.
 * - chunk(data, options) returns the end offset of each chunk, ascending; the
 *   last is data.length, and no bytes give []. The chunks cover data exactly.
 * - Every chunk is at least minSize and at most maxSize bytes long; the last
 *   may be shorter than minSize. A run of one byte value (a zero-filled
 *   region) still cuts at maxSize at the latest.
 * - Decide a cut with a rolling hash over a bounded window of the last bytes
 *   (Gear, as in FastCDC: h = (h << 1) + GEAR[byte]; or a Rabin or Buzhash
 *   rolling hash): cut where log2(avgSize) bits of it are all 0. Not a hash of
 *   everything since the last cut: after an edit, boundaries must find the
 *   same places again once the window has passed it.
 * - Locality: insert or delete a few bytes in the middle of a large file, and
 *   every chunk ending more than maxSize before the edit is unchanged, and all
 *   but a few of the chunks after it are the same bytes, shifted.
 * - On random data the mean chunk length is within 0.5× to 2× of avgSize
 *   (with minSize = avgSize/4 and maxSize = 4·avgSize).
 * - ChunkStore.put(file) cuts the file with chunk() and its options, and
 *   returns the manifest: each chunk's SHA-256 as lowercase hex, in order
 *   (createHash("sha256") from node:crypto). It stores each distinct chunk
 *   once, as a copy: the caller may reuse its buffer.
 * - get(manifest) returns the chunks' bytes concatenated, whichever put
 *   stored them; a RangeError for a chunk the store does not hold.
 * - stats() gives the distinct chunks held and their bytes, each counted once.
 * - RangeError for sizes that are not integers, avgSize not a power of two in
 *   [2, 2^30], or anything but 1 ≤ minSize ≤ avgSize ≤ maxSize.
 */
import { todo } from "#kit";

export interface ChunkOptions {
  /** no chunk but a file's last is shorter */
  minSize: number;
  /** the mean chunk length wanted on random data: a power of two */
  avgSize: number;
  /** no chunk is longer */
  maxSize: number;
}

/** 256 random 32-bit values, one per byte value, for the Gear hash. Given: use it as it is. */
export const GEAR: Uint32Array = (() => {
  const table = new Uint32Array(256);
  let state = 0x9e3779b9;
  for (let i = 0; i < 256; i++) {
    // splitmix32: a fixed seed, so every run cuts the same bytes the same way
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    table[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return table;
})();

/** the end offset of each chunk of data, in order; the last is data.length ([] for no bytes) */
export function chunk(data: Uint8Array, options: ChunkOptions): number[] {
  // TODO: check the options; roll the hash from each chunk's start, cut at a match past minSize or at maxSize.
  return todo("chunk", data, options);
}

export interface StoreStats {
  /** distinct chunks held */
  chunks: number;
  /** their bytes, each distinct chunk counted once */
  bytes: number;
}

export class ChunkStore {
  constructor(options: ChunkOptions) {
    // TODO: check the options and keep them; a map from chunk hash to bytes.
    todo("ChunkStore constructor", options);
  }

  /** stores the file's chunks it lacks; returns the manifest: each chunk's SHA-256, lowercase hex, in order */
  put(file: Uint8Array): string[] {
    // TODO: chunk the file, hash each chunk, keep a copy of the ones not held yet.
    return todo("ChunkStore.put", file);
  }

  /** the bytes of a manifest's chunks, concatenated; RangeError for a chunk it does not hold */
  get(manifest: readonly string[]): Uint8Array {
    // TODO: look each hash up and concatenate.
    return todo("ChunkStore.get", manifest);
  }

  stats(): StoreStats {
    // TODO: distinct chunks held and their total bytes.
    return todo("ChunkStore.stats");
  }
}
