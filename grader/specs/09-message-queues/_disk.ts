// the segmented-log spec's disk: named files in memory that count the bytes read and can tear the last write

/** the same shape as the kata's Disk (spec helpers do not import #kata) */
export interface DiskApi {
  files(): string[];
  size(file: string): number;
  append(file: string, bytes: Uint8Array): void;
  read(file: string, position: number, length: number): Uint8Array;
  truncate(file: string, length: number): void;
  remove(file: string): void;
}

export class MemoryDisk implements DiskApi {
  #files = new Map<string, { data: Uint8Array; length: number }>();
  /** bytes returned by read() since the counter was last reset */
  bytesRead = 0;
  reads = 0;
  /** the file the last append wrote to, and its length before that append */
  lastAppend: { file: string; before: number } | undefined;

  files(): string[] {
    return [...this.#files.keys()];
  }

  size(file: string): number {
    return this.#files.get(file)?.length ?? 0;
  }

  append(file: string, bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`append(${file}) takes a Uint8Array`);
    const entry = this.#files.get(file) ?? { data: new Uint8Array(256), length: 0 };
    if (entry.length + bytes.length > entry.data.length) {
      const grown = new Uint8Array(Math.max(entry.data.length * 2, entry.length + bytes.length));
      grown.set(entry.data.subarray(0, entry.length));
      entry.data = grown;
    }
    entry.data.set(bytes, entry.length);
    this.lastAppend = { file, before: entry.length };
    entry.length += bytes.length;
    this.#files.set(file, entry);
  }

  read(file: string, position: number, length: number): Uint8Array {
    const entry = this.#files.get(file);
    if (!entry) throw new Error(`read of ${file}, which does not exist`);
    if (!(position >= 0 && length >= 0)) throw new RangeError(`read(${file}, ${position}, ${length})`);
    const out = entry.data.slice(Math.min(position, entry.length), Math.min(position + length, entry.length));
    this.bytesRead += out.length;
    this.reads++;
    return out;
  }

  truncate(file: string, length: number): void {
    const entry = this.#files.get(file);
    if (!entry) throw new Error(`truncate of ${file}, which does not exist`);
    if (!(length >= 0 && length <= entry.length))
      throw new RangeError(`truncate(${file}, ${length}) of ${entry.length} bytes`);
    entry.length = length;
  }

  remove(file: string): void {
    this.#files.delete(file);
  }

  /** every byte on the disk */
  totalBytes(): number {
    let sum = 0;
    for (const entry of this.#files.values()) sum += entry.length;
    return sum;
  }

  /** a crash during the last append: only its first `keep` bytes reached the disk */
  tearLastAppend(keep: number): void {
    const last = this.lastAppend;
    if (!last) throw new Error("nothing was appended");
    this.truncate(last.file, last.before + keep);
    this.lastAppend = undefined;
  }
}
