// the lsm-tree spec's disk: whole files written once (SSTables are immutable), in memory, counting
// every byte written and read, per file too: the spec measures amplification here, never from the
// tree's own report alone. Nothing here imports vitest or the kata.

/** the same shape as the kata's Disk (spec helpers do not import #kata) */
export interface TableDiskApi {
  writeFile(name: string, bytes: Uint8Array): void;
  read(name: string, position: number, length: number): Uint8Array;
  size(name: string): number;
  remove(name: string): void;
}

export class TableDisk implements TableDiskApi {
  #files = new Map<string, Uint8Array>();
  /** bytes handed to writeFile, ever */
  bytesWritten = 0;
  /** bytes read() returned, ever */
  bytesRead = 0;
  filesWritten = 0;
  /** bytes read from each file since the last resetReads(): what one get read, table by table */
  readsByFile = new Map<string, number>();

  writeFile(name: string, bytes: Uint8Array): void {
    if (typeof name !== "string") throw new TypeError("writeFile takes a file name");
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`writeFile(${name}) takes a Uint8Array`);
    if (this.#files.has(name)) throw new Error(`writeFile(${name}): the file exists, and tables are written once`);
    this.#files.set(name, bytes.slice()); // a copy: the caller may reuse its buffer
    this.bytesWritten += bytes.length;
    this.filesWritten++;
  }

  read(name: string, position: number, length: number): Uint8Array {
    const file = this.#files.get(name);
    if (!file) throw new Error(`read of ${name}, which does not exist`);
    if (!(Number.isInteger(position) && Number.isInteger(length) && position >= 0 && length >= 0)) {
      throw new RangeError(`read(${name}, ${position}, ${length}): position and length must be non-negative integers`);
    }
    const out = file.slice(Math.min(position, file.length), Math.min(position + length, file.length));
    this.bytesRead += out.length;
    this.readsByFile.set(name, (this.readsByFile.get(name) ?? 0) + out.length);
    return out;
  }

  size(name: string): number {
    const file = this.#files.get(name);
    if (!file) throw new Error(`size of ${name}, which does not exist`);
    return file.length;
  }

  remove(name: string): void {
    if (!this.#files.delete(name)) throw new Error(`remove of ${name}, which does not exist`);
  }

  files(): string[] {
    return [...this.#files.keys()];
  }

  /** bytes of every file on the disk now */
  totalBytes(): number {
    let sum = 0;
    for (const file of this.#files.values()) sum += file.length;
    return sum;
  }

  largestFile(): number {
    let max = 0;
    for (const file of this.#files.values()) max = Math.max(max, file.length);
    return max;
  }

  /** whether some file holds these bytes */
  holds(bytes: Uint8Array): boolean {
    for (const file of this.#files.values()) if (indexOf(file, bytes) >= 0) return true;
    return false;
  }

  resetReads(): void {
    this.readsByFile.clear();
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  const first = needle[0];
  outer: for (let i = haystack.indexOf(first as number); i >= 0 && i + needle.length <= haystack.length; ) {
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        i = haystack.indexOf(first as number, i + 1);
        continue outer;
      }
    }
    return i;
  }
  return -1;
}
