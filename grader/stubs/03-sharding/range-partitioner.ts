/**
 * Kata: range partitioner (difficulty 2, about an hour)
 * Read:  chapters/03-sharding/README.md#range-partitioning
 * Grade: npm run grade -- range-partitioner
 * Hint:  npm run hint -- range-partitioner (one more hint each time you ask)
 *
 * Cut the key space into ranges, route keys, split hot ranges, merge cold ones.
 * - Keys are strings, ordered as JavaScript compares them (a < b). A range is
 *   [start, end): it holds every key k with start ≤ k < end; end null means no
 *   upper bound. The ranges never leave a gap and never overlap: the first
 *   starts at "", each ends where the next starts, the last ends at null.
 *   A new partitioner has one range, ["", null).
 * - route(key) returns the range holding the key, in O(log ranges): keep the
 *   starts sorted and binary-search them. The spec times routing over 1,000
 *   and over 10,000 ranges.
 * - write(key, bytes) stores a key's size (replacing the old one; 0 deletes the
 *   key); read(key) counts one read of the key. Both count against the key's
 *   range; ranges() reports keys, bytes and reads per range, in key order.
 * - split(at) makes `at` a boundary: [start, end) becomes [start, at) and
 *   [at, end), and the keys ≥ at move to the right-hand range with their bytes
 *   and reads. merge(boundary) removes a boundary: the two ranges meeting there
 *   become one. Each returns false, changing nothing, when there is nothing to do.
 * - rebalance(), in three steps:
 *   1. Split. A range over maxBytes with two or more stored keys splits by
 *      bytes; otherwise a range over maxReads with two or more keys read splits
 *      by reads. The split key is the first key, after the range's first, with
 *      at least half the range's bytes (or reads) on keys before it; the last
 *      key if there is none. Both halves are checked again, until every range
 *      fits or cannot split.
 *   2. Merge. Walking left to right, a range joins the one before it (as merged
 *      so far) when the two together hold at most maxBytes / 4 bytes and
 *      maxReads / 4 reads.
 *   3. Report, then count reads from zero again. A range still over maxReads
 *      holds one hot key: report it in hotKeys. A boundary cannot split one key.
 * - Options must be positive finite numbers, bytes a finite number ≥ 0:
 *   otherwise throw a RangeError.
 */
import { todo } from "#kit";

/** [start, end) in JavaScript string order; end null: no upper bound */
export interface Range {
  start: string;
  end: string | null;
}

export interface RangeStats extends Range {
  /** keys stored in the range */
  keys: number;
  /** their bytes */
  bytes: number;
  /** reads counted since the last rebalance */
  reads: number;
}

export interface RebalanceReport {
  /** boundaries added by splits, in key order */
  splits: string[];
  /** boundaries removed by merges, in key order */
  merges: string[];
  /** keys alone in a range still over maxReads: a range boundary cannot split one key */
  hotKeys: string[];
}

export interface RangePartitionerOptions {
  /** a range holding more bytes than this splits */
  maxBytes: number;
  /** a range read more times than this between two rebalances splits */
  maxReads: number;
}

export class RangePartitioner {
  constructor(options: RangePartitionerOptions) {
    // TODO: check the options and start with one range, ["", null).
    todo("RangePartitioner constructor", options);
  }

  /** the range whose [start, end) holds the key */
  route(key: string): Range {
    // TODO: binary-search for the last range whose start ≤ key.
    return todo("RangePartitioner.route", key);
  }

  /** stores the key with its size in bytes (replacing its old size); 0 bytes deletes it */
  write(key: string, bytes: number): void {
    // TODO: record the key's size in its range, and the range's bytes.
    todo("RangePartitioner.write", key, bytes);
  }

  /** counts one read of the key, against its range */
  read(key: string): void {
    // TODO: count the read for the key and for its range.
    todo("RangePartitioner.read", key);
  }

  /** makes `at` a boundary: the range holding it becomes [start, at) and [at, end); false if it already is one */
  split(at: string): boolean {
    // TODO: cut the range holding `at`; keys ≥ at move right with their bytes and reads.
    return todo("RangePartitioner.split", at);
  }

  /** removes the boundary: the ranges ending and starting at it become one; false if it is not a boundary */
  merge(boundary: string): boolean {
    // TODO: join the range starting at `boundary` into the one before it.
    return todo("RangePartitioner.merge", boundary);
  }

  /**
   * Splits every range over a limit until it fits or cannot be split, then
   * merges neighbours that together stay within a quarter of both limits, then
   * starts counting reads afresh.
   */
  rebalance(): RebalanceReport {
    // TODO: split, merge, report hot keys, reset the reads.
    return todo("RangePartitioner.rebalance");
  }

  /** every range in key order, with what it holds */
  ranges(): RangeStats[] {
    // TODO: list the ranges with their keys, bytes and reads.
    return todo("RangePartitioner.ranges");
  }
}
