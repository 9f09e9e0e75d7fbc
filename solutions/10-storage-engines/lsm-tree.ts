/**
 * LSM tree, the reference solution.
 * Chapter: chapters/10-storage-engines/README.md#deep-dive-lsm-tree-amplifications
 *
 * A memtable (a Map, sorted when it is flushed), immutable SSTables of one file each (data blocks,
 * then the sparse index and the Bloom filter, both also kept in memory), size-tiered compaction in
 * tiers of tierSize tables (O'Neil et al. 1996 merged components of geometric sizes; tiering is
 * Cassandra's and RocksDB's universal compaction), deletes as tombstones, and the amplifications
 * counted as the disk sees them.
 *
 * Tiers keep the age order: every table of tier i is newer than every table of tier i + 1, so a merge
 * of a whole tier is a merge of neighbours in age, and its output, put first in the next tier, keeps
 * the order. A tombstone is dropped only when no tier below the merge holds a table.
 */

import { hash32 } from "#kit";

/** the disk the tree keeps its tables on: whole files, written once */
export interface Disk {
  /** creates the file with these bytes; a file of that name must not exist */
  writeFile(name: string, bytes: Uint8Array): void;
  /** up to `length` bytes from `position` (fewer at the end of the file) */
  read(name: string, position: number, length: number): Uint8Array;
  size(name: string): number;
  remove(name: string): void;
}

export interface LsmOptions {
  /** flush once the memtable's keys and values (UTF-8) reach this many bytes */
  memtableBytes: number;
  /** a data block ends at the first record boundary at or past this many bytes */
  blockBytes: number;
  /** each table's Bloom filter is sized for this false-positive rate */
  falsePositiveRate: number;
  /** size-tiered: once this many tables of one tier exist, they are merged into one of the next */
  tierSize: number;
}

export interface LsmStats {
  /** UTF-8 bytes of every key and value put, and of every key deleted */
  userBytesWritten: number;
  /** bytes handed to disk.writeFile, every file counted */
  diskBytesWritten: number;
  /** bytes disk.read returned, to gets, scans and compactions */
  diskBytesRead: number;
  /** bytes of the tables on the disk now */
  diskBytes: number;
  /** diskBytesWritten ÷ userBytesWritten (0 before any write) */
  writeAmplification: number;
  /** disk bytes read by get() ÷ calls to get() (0 before any get) */
  readAmplification: number;
  /** diskBytes ÷ the bytes of the largest table (0 with no table) */
  spaceAmplification: number;
}

// hash32(text, seed), given in #kit: a seeded 32-bit string hash (murmur3's mixing). Two
// different seeds give hash functions that behave as independent ones
export { hash32 };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const utf8Length = (text: string) => encoder.encode(text).length;

/** a deleted key's marker: in the memtable, in a table, and through merges until it can be dropped */
const TOMBSTONE = null;
type Value = string | typeof TOMBSTONE;
type Entry = readonly [key: string, value: Value];

/** the value length that marks a tombstone in a record */
const TOMBSTONE_LENGTH = 0xffffffff;

class Bloom {
  readonly #words: Uint32Array;
  readonly #bits: number;
  readonly #hashes: number;

  constructor(keys: number, falsePositiveRate: number) {
    this.#bits = Math.max(1, Math.ceil((-keys * Math.log(falsePositiveRate)) / Math.LN2 ** 2));
    this.#hashes = Math.max(1, Math.round((this.#bits / keys) * Math.LN2));
    this.#words = new Uint32Array(Math.ceil(this.#bits / 32));
  }

  add(key: string): void {
    const h1 = hash32(key, 1);
    const h2 = (hash32(key, 2) | 1) >>> 0;
    for (let i = 0; i < this.#hashes; i++) {
      const bit = (h1 + i * h2) % this.#bits; // below 2^37: exact, never negative
      this.#words[bit >>> 5] = (this.#words[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  mightContain(key: string): boolean {
    const h1 = hash32(key, 1);
    const h2 = (hash32(key, 2) | 1) >>> 0;
    for (let i = 0; i < this.#hashes; i++) {
      const bit = (h1 + i * h2) % this.#bits;
      if (((this.#words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.#words.buffer.slice(0));
  }
}

/** an SSTable: its file, and what of it stays in memory (the sparse index and the filter) */
interface Table {
  readonly file: string;
  /** the first key of each data block, ascending */
  readonly firstKeys: string[];
  /** where each data block starts; offsets[blocks] is where the data ends */
  readonly offsets: number[];
  readonly filter: Bloom;
  readonly bytes: number;
}

/** record: [key length u32][value length u32, or TOMBSTONE_LENGTH][key][value], little-endian */
function encodeRecord(key: Uint8Array, value: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(8 + key.length + (value?.length ?? 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, key.length, true);
  view.setUint32(4, value ? value.length : TOMBSTONE_LENGTH, true);
  out.set(key, 8);
  if (value) out.set(value, 8 + key.length);
  return out;
}

function decodeRecords(bytes: Uint8Array): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: Entry[] = [];
  let at = 0;
  while (at < bytes.length) {
    const keyLength = view.getUint32(at, true);
    const valueLength = view.getUint32(at + 4, true);
    const key = decoder.decode(bytes.subarray(at + 8, at + 8 + keyLength));
    at += 8 + keyLength;
    if (valueLength === TOMBSTONE_LENGTH) entries.push([key, TOMBSTONE]);
    else {
      entries.push([key, decoder.decode(bytes.subarray(at, at + valueLength))]);
      at += valueLength;
    }
  }
  return entries;
}

export class LsmTree {
  readonly #disk: Disk;
  readonly #options: LsmOptions;
  #memtable = new Map<string, Value>();
  #memtableBytes = 0;
  /** tiers[i] holds tier i's tables, newest first; every table of tier i is newer than tier i + 1's */
  #tiers: Table[][] = [];
  #nextFile = 1;
  #userBytes = 0;
  #bytesWritten = 0;
  #bytesRead = 0;
  #getBytesRead = 0;
  #gets = 0;

  constructor(disk: Disk, options: LsmOptions) {
    const { memtableBytes, blockBytes, falsePositiveRate, tierSize } = options;
    for (const [name, value] of [
      ["memtableBytes", memtableBytes],
      ["blockBytes", blockBytes],
    ] as const) {
      if (!(Number.isSafeInteger(value) && value > 0))
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1))
      throw new RangeError(`falsePositiveRate must be in (0, 1), got ${falsePositiveRate}`);
    if (!(Number.isSafeInteger(tierSize) && tierSize >= 2))
      throw new RangeError(`tierSize must be an integer of at least 2, got ${tierSize}`);
    this.#disk = disk;
    this.#options = { ...options };
  }

  put(key: string, value: string): void {
    this.#userBytes += utf8Length(key) + utf8Length(value);
    this.#write(key, value);
  }

  delete(key: string): void {
    this.#userBytes += utf8Length(key);
    this.#write(key, TOMBSTONE);
  }

  get(key: string): string | undefined {
    this.#gets++;
    const inMemory = this.#memtable.get(key);
    if (inMemory !== undefined) return inMemory === TOMBSTONE ? undefined : inMemory;
    const before = this.#bytesRead;
    try {
      for (const table of this.#tables()) {
        if (!table.filter.mightContain(key)) continue;
        const found = this.#lookup(table, key);
        if (found !== undefined) return found[1] === TOMBSTONE ? undefined : found[1];
      }
      return undefined;
    } finally {
      this.#getBytesRead += this.#bytesRead - before;
    }
  }

  /** the live keys in [from, to), ascending, each with its newest value */
  scan(from: string, to: string): Array<[string, string]> {
    const sources: Entry[][] = [[...this.#memtable].filter(([k]) => k >= from && k < to).sort(byKey)];
    for (const table of this.#tables()) sources.push(this.#readRange(table, from, to));
    const out: Array<[string, string]> = [];
    for (const [key, value] of mergeNewestFirst(sources)) if (value !== TOMBSTONE) out.push([key, value]);
    return out;
  }

  /** writes the memtable out as a table now, if it holds anything */
  flush(): void {
    if (this.#memtable.size === 0) return;
    const entries = [...this.#memtable].sort(byKey);
    this.#memtable = new Map();
    this.#memtableBytes = 0;
    const table = this.#writeTable(entries);
    this.#tierAt(0).unshift(table);
    this.#compactTiers();
  }

  /** flushes, then merges every table into one, dropping tombstones and overwritten values */
  compact(): void {
    this.flush();
    const tables = this.#tables();
    if (tables.length <= 1) return;
    const merged = this.#merge(tables, true);
    this.#tiers = this.#tiers.map(() => []);
    if (merged) this.#tierAt(this.#tiers.length - 1).push(merged);
  }

  /** the tables on the disk, newest first */
  tableCount(): number {
    return this.#tables().length;
  }

  stats(): LsmStats {
    const tables = this.#tables();
    const diskBytes = tables.reduce((sum, t) => sum + t.bytes, 0);
    const largest = tables.reduce((max, t) => Math.max(max, t.bytes), 0);
    return {
      userBytesWritten: this.#userBytes,
      diskBytesWritten: this.#bytesWritten,
      diskBytesRead: this.#bytesRead,
      diskBytes,
      writeAmplification: this.#userBytes === 0 ? 0 : this.#bytesWritten / this.#userBytes,
      readAmplification: this.#gets === 0 ? 0 : this.#getBytesRead / this.#gets,
      spaceAmplification: largest === 0 ? 0 : diskBytes / largest,
    };
  }

  #write(key: string, value: Value): void {
    const previous = this.#memtable.get(key);
    if (previous !== undefined)
      this.#memtableBytes -= utf8Length(key) + (previous === TOMBSTONE ? 0 : utf8Length(previous));
    this.#memtable.set(key, value);
    this.#memtableBytes += utf8Length(key) + (value === TOMBSTONE ? 0 : utf8Length(value));
    if (this.#memtableBytes >= this.#options.memtableBytes) this.flush();
  }

  #tables(): Table[] {
    return this.#tiers.flat();
  }

  #tierAt(i: number): Table[] {
    while (this.#tiers.length <= i) this.#tiers.push([]);
    return this.#tiers[i] as Table[];
  }

  /** size-tiered: a full tier merges into one table of the next, which may fill that one in turn */
  #compactTiers(): void {
    for (let i = 0; i < this.#tiers.length; i++) {
      const tier = this.#tierAt(i);
      if (tier.length < this.#options.tierSize) continue;
      // tombstones may go only if no older table could still hold the key: no tier below has any table
      const oldest = this.#tiers.slice(i + 1).every((t) => t.length === 0);
      const merged = this.#merge(tier, oldest);
      this.#tiers[i] = [];
      if (merged) this.#tierAt(i + 1).unshift(merged);
    }
  }

  /** merges tables (newest first) into a new one, removing them; undefined if nothing is left */
  #merge(tables: Table[], dropTombstones: boolean): Table | undefined {
    const sources = tables.map((t) => decodeRecords(this.#readFile(t.file, 0, t.offsets.at(-1) as number)));
    const entries = mergeNewestFirst(sources).filter(([, v]) => !(dropTombstones && v === TOMBSTONE));
    for (const t of tables) this.#disk.remove(t.file);
    return entries.length === 0 ? undefined : this.#writeTable(entries);
  }

  /** entries sorted by key: data blocks, then the sparse index and the filter, in one new file */
  #writeTable(entries: readonly Entry[]): Table {
    const filter = new Bloom(entries.length, this.#options.falsePositiveRate);
    const records: Uint8Array[] = [];
    const firstKeys: string[] = [];
    const offsets: number[] = [];
    let size = 0;
    let blockStart = -1;
    for (const [key, value] of entries) {
      if (blockStart < 0 || size - blockStart >= this.#options.blockBytes) {
        blockStart = size;
        firstKeys.push(key);
        offsets.push(size);
      }
      filter.add(key);
      const record = encodeRecord(encoder.encode(key), value === TOMBSTONE ? undefined : encoder.encode(value));
      records.push(record);
      size += record.length;
    }
    offsets.push(size);
    // the index and the filter go to the file too: a restart would load them from there
    records.push(encoder.encode(JSON.stringify({ firstKeys, offsets })), filter.bytes());
    const file = new Uint8Array(records.reduce((sum, r) => sum + r.length, 0));
    let at = 0;
    for (const r of records) {
      file.set(r, at);
      at += r.length;
    }
    const name = `sst-${String(this.#nextFile++).padStart(6, "0")}`;
    this.#disk.writeFile(name, file);
    this.#bytesWritten += file.length;
    return { file: name, firstKeys, offsets, filter, bytes: file.length };
  }

  /** the entry of `key` in the one data block that may hold it */
  #lookup(table: Table, key: string): Entry | undefined {
    const block = lastAtOrBefore(table.firstKeys, key);
    if (block < 0) return undefined;
    const start = table.offsets[block] as number;
    const end = table.offsets[block + 1] as number;
    return decodeRecords(this.#readFile(table.file, start, end - start)).find(([k]) => k === key);
  }

  /** the table's entries with keys in [from, to): the blocks that may hold them */
  #readRange(table: Table, from: string, to: string): Entry[] {
    const first = Math.max(0, lastAtOrBefore(table.firstKeys, from));
    let last = lastAtOrBefore(table.firstKeys, to);
    if (last < first) return [];
    if ((table.firstKeys[last] as string) >= to) last--; // a block that starts at `to` holds nothing below it
    if (last < first) return [];
    const start = table.offsets[first] as number;
    const end = table.offsets[last + 1] as number;
    return decodeRecords(this.#readFile(table.file, start, end - start)).filter(([k]) => k >= from && k < to);
  }

  #readFile(file: string, position: number, length: number): Uint8Array {
    const bytes = this.#disk.read(file, position, length);
    this.#bytesRead += bytes.length;
    return bytes;
  }
}

function byKey(a: Entry, b: Entry): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** the index of the last key ≤ key, or −1: the block that may hold it */
function lastAtOrBefore(sortedKeys: readonly string[], key: string): number {
  let low = 0;
  let high = sortedKeys.length; // the answer is in [low − 1, high − 1]
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sortedKeys[mid] as string) <= key) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** merges sorted sources, the newest first: for a key in several, the newest source's entry wins */
function mergeNewestFirst(sources: readonly Entry[][]): Entry[] {
  const at = sources.map(() => 0);
  const out: Entry[] = [];
  for (;;) {
    let smallest: string | undefined;
    let winner = -1;
    for (let s = 0; s < sources.length; s++) {
      const entry = (sources[s] as Entry[])[at[s] as number];
      // strictly smaller: on a tie the earlier (newer) source keeps the win
      if (entry && (smallest === undefined || entry[0] < smallest)) {
        smallest = entry[0];
        winner = s;
      }
    }
    if (winner < 0) return out;
    out.push((sources[winner] as Entry[])[at[winner] as number] as Entry);
    for (let s = 0; s < sources.length; s++) {
      const entry = (sources[s] as Entry[])[at[s] as number];
      if (entry && entry[0] === smallest) at[s] = (at[s] as number) + 1;
    }
  }
}
