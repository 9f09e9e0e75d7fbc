/**
 * Content-defined chunking and a deduplicating chunk store, the reference solution.
 * Chapter: chapters/10-storage-engines/README.md#deep-dive-metadata-and-data-paths
 *
 * chunk() cuts where a rolling hash of the last bytes matches a pattern, so a
 * boundary moves with the content: an edit shifts the bytes after it, and the
 * boundaries after it shift with them. The hash is Gear (FastCDC, Xia et al.,
 * USENIX ATC 2016): h = (h << 1) + GEAR[byte] in 32 bits. Each byte's entry is
 * shifted one place further at every step, so after 32 bytes it is out of the
 * word: h depends on the last 32 bytes alone. A cut comes where the top
 * log2(avgSize) bits of h are 0, once every avgSize bytes on random data; no
 * cut before minSize, a forced one at maxSize (a zero-filled region never
 * matches). The store names each chunk by the SHA-256 of its bytes and keeps
 * each name once (LBFS, Muthitacharoen et al., SOSP 2001).
 */
import { createHash } from "node:crypto";

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

function checkOptions({ minSize, avgSize, maxSize }: ChunkOptions): void {
  if (!(Number.isSafeInteger(minSize) && Number.isSafeInteger(avgSize) && Number.isSafeInteger(maxSize))) {
    throw new RangeError(`chunk sizes must be integers, got ${minSize}, ${avgSize}, ${maxSize}`);
  }
  if (!(avgSize >= 2 && avgSize <= 2 ** 30 && (avgSize & (avgSize - 1)) === 0)) {
    throw new RangeError(`avgSize must be a power of two in [2, 2^30], got ${avgSize}`);
  }
  if (!(minSize >= 1 && minSize <= avgSize && avgSize <= maxSize)) {
    throw new RangeError(`need 1 ≤ minSize ≤ avgSize ≤ maxSize, got ${minSize}, ${avgSize}, ${maxSize}`);
  }
}

/** the end offset of each chunk of data, in order; the last is data.length ([] for no bytes) */
export function chunk(data: Uint8Array, options: ChunkOptions): number[] {
  checkOptions(options);
  const { minSize, avgSize, maxSize } = options;
  const bits = Math.log2(avgSize);
  // the top bits: in a Gear hash they mix the whole 32-byte window, the low ones only the last few bytes
  const mask = (avgSize - 1) << (32 - bits);
  const ends: number[] = [];
  for (let start = 0; start < data.length; ) {
    const limit = Math.min(start + maxSize, data.length);
    let end = limit;
    let h = 0;
    for (let i = start; i < limit; i++) {
      h = ((h << 1) + (GEAR[data[i] as number] as number)) | 0;
      if (i + 1 - start >= minSize && (h & mask) === 0) {
        end = i + 1;
        break;
      }
    }
    ends.push(end);
    start = end;
  }
  return ends;
}

export interface StoreStats {
  /** distinct chunks held */
  chunks: number;
  /** their bytes, each distinct chunk counted once */
  bytes: number;
}

export class ChunkStore {
  readonly #options: ChunkOptions;
  readonly #chunks = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(options: ChunkOptions) {
    checkOptions(options);
    this.#options = { ...options };
  }

  /** stores the file's chunks it lacks; returns the manifest: each chunk's SHA-256, lowercase hex, in order */
  put(file: Uint8Array): string[] {
    const manifest: string[] = [];
    let start = 0;
    for (const end of chunk(file, this.#options)) {
      const piece = file.slice(start, end); // a copy: the caller may reuse its buffer
      const key = createHash("sha256").update(piece).digest("hex");
      if (!this.#chunks.has(key)) {
        this.#chunks.set(key, piece);
        this.#bytes += piece.length;
      }
      manifest.push(key);
      start = end;
    }
    return manifest;
  }

  /** the bytes of a manifest's chunks, concatenated; RangeError for a chunk it does not hold */
  get(manifest: readonly string[]): Uint8Array {
    const pieces = manifest.map((key) => {
      const piece = this.#chunks.get(key);
      if (piece === undefined) throw new RangeError(`no chunk ${key}`);
      return piece;
    });
    const bytes = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
    let at = 0;
    for (const piece of pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    return bytes;
  }

  stats(): StoreStats {
    return { chunks: this.#chunks.size, bytes: this.#bytes };
  }
}
