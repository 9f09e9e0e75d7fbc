/**
 * Kata: LSM tree (difficulty 3, 2 hours or more)
 * Read:  chapters/10-storage-engines/README.md#deep-dive-lsm-tree-amplifications
 * Grade: npm run grade -- lsm-tree
 * Hint:  npm run hint -- lsm-tree (one more hint each time you ask)
 *
 * A key-value store that never updates in place: writes go to a memtable,
 * full memtables become immutable SSTables on a disk, and compaction merges
 * them. The spec measures its costs on the disk itself.
 * - put(key, value), delete(key), get(key) and scan(from, to) behave as a Map:
 *   get returns the newest value, undefined for a key never put or deleted;
 *   scan returns the live [key, value] pairs with from <= key < to, ascending
 *   (keys compare with < on strings). The empty string is a value like any other.
 * - Memtable: after each put or delete, if the UTF-8 bytes of the keys and
 *   values it holds (a key alone for a delete) reach memtableBytes, flush it.
 *   Never before: the disk is untouched until then. flush() flushes now
 *   (nothing if the memtable is empty).
 * - A flush writes the memtable, sorted, as one new file with disk.writeFile:
 *   an SSTable. One file per table; a table is never changed, only removed
 *   once merged. Values live in the file, not only in memory: a get of a
 *   flushed key reads its record from the disk (UTF-8, no compression).
 * - Each table's data is cut into blocks of about blockBytes: end a block at
 *   the first record boundary at or past blockBytes (or before passing it).
 *   Keep in memory a sparse index (each block's first key and offset) and a
 *   Bloom filter of the table's keys, tombstones too, sized for
 *   falsePositiveRate: a get's disk reads are data blocks. A get reads nothing for a key in the memtable, and
 *   from each table it probes at most one block (the spec allows blockBytes +
 *   2 × the largest key and value + 64 bytes per table), none when the filter
 *   says no: with keys no table holds, at most 3 × falsePositiveRate of the
 *   probes may read a block.
 * - Deletes write tombstones. A tombstone hides every older value of its key
 *   and may be dropped only by a merge that leaves no older table that could
 *   hold the key: when the merge includes the oldest table.
 * - On equal keys the newest wins: memtable, then tables newest first; a merge
 *   keeps the newest table's entry. scan merges memtable and tables likewise.
 * - Size-tiered compaction, after each flush: once tierSize tables of similar
 *   size exist (say, tier 0 for flushes, tier i + 1 for a merge of tier i's),
 *   merge them into one. The spec checks bounds, not a schedule: after W
 *   flushes at most T·(⌈log_T W⌉ + 1) tables (T = tierSize), and write
 *   amplification at most 1.5 × (1 + ⌈log_T W⌉) with W = ⌈user bytes ÷
 *   memtableBytes⌉. Leveled compaction rewrites each byte about T/2 times a
 *   level and does not meet that: this kata is size-tiered.
 * - compact() flushes, then merges every table into one: no tombstone, no
 *   overwritten value left; the disk then holds at most 2 bytes per byte of
 *   live keys and values.
 * - stats() reports what the disk counted (every byte your code handed to
 *   writeFile, every byte read() returned, the tables' bytes now: exactly)
 *   and the amplifications, within 1% of the disk's figures:
 *   writeAmplification = disk bytes written ÷ user bytes (UTF-8 keys and
 *   values put, keys deleted); readAmplification = disk bytes read by get()
 *   ÷ calls to get(); spaceAmplification = disk bytes ÷ the largest table's
 *   bytes (1 + RocksDB's size amplification of universal compaction, the
 *   largest table standing for the oldest). 0 where
 *   the divisor is 0. tableCount() is the number of tables on the disk.
 * - RangeError for memtableBytes or blockBytes not a positive integer,
 *   falsePositiveRate outside (0, 1), tierSize not an integer >= 2.
 * You may import your BloomFilter from ./bloom-filter.ts, or write one here.
 */
import { hash32, todo } from "#kit";

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

export class LsmTree {
  constructor(disk: Disk, options: LsmOptions) {
    // TODO: check the options; keep the disk; an empty memtable, no tables, counters at 0.
    todo("LsmTree constructor", disk, options);
  }

  put(key: string, value: string): void {
    // TODO: count the user's bytes, set the key in the memtable, flush if it is full.
    todo("LsmTree.put", key, value);
  }

  delete(key: string): void {
    // TODO: the same with a tombstone.
    todo("LsmTree.delete", key);
  }

  /** the newest value of key, or undefined if it was never put or was deleted */
  get(key: string): string | undefined {
    // TODO: the memtable, then each table newest first: filter, index, one block.
    return todo("LsmTree.get", key);
  }

  /** the live keys in [from, to), ascending, each with its newest value */
  scan(from: string, to: string): Array<[string, string]> {
    // TODO: merge the memtable's and every table's entries in range, newest first, tombstones left out.
    return todo("LsmTree.scan", from, to);
  }

  /** writes the memtable out as a table now, if it holds anything */
  flush(): void {
    // TODO: sort, write one file with its blocks, keep its index and filter; then compact the tiers.
    todo("LsmTree.flush");
  }

  /** flushes, then merges every table into one, dropping tombstones and overwritten values */
  compact(): void {
    // TODO: a merge of everything, newest first, into one table.
    todo("LsmTree.compact");
  }

  /** the tables on the disk */
  tableCount(): number {
    // TODO: how many tables there are now.
    return todo("LsmTree.tableCount");
  }

  stats(): LsmStats {
    // TODO: the counters and the three ratios.
    return todo("LsmTree.stats");
  }
}
