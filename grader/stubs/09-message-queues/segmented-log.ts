/**
 * Kata: segmented log (difficulty 2, about an hour)
 * Read:  chapters/09-message-queues/README.md#deep-dive-the-log-on-disk
 * Grade: npm run grade -- segmented-log
 * Hint:  npm run hint -- segmented-log (one more hint each time you ask)
 *
 * One partition's log on a disk of files, as Kafka stores it.
 * - append(payload) writes the record at the end of the newest segment file and
 *   returns its offset: 0, 1, 2, … Write each record (your header and the
 *   payload) with ONE disk.append: a crash tears at most that write.
 * - Roll a new segment before a record would take the newest past segmentBytes
 *   (a segment holding one record may be larger). Name each file after the
 *   offset of its first record, so that a restart can find them all.
 * - Keep a sparse index per segment, in memory: an entry (offset, position)
 *   once indexIntervalBytes have been written since the last entry; at most
 *   one entry per interval of bytes, plus one. The disk holds only segments.
 * - read(offset) finds the segment, then the entry at or below the offset, and
 *   reads forward from there: the spec counts the bytes read from the disk and
 *   allows at most indexIntervalBytes + the record's own bytes per lookup. The
 *   record itself comes from the disk, not from memory. RangeError for an
 *   offset outside [startOffset(), endOffset()).
 * - deleteBefore(offset) is retention: delete the file of every segment, but
 *   the newest (active) one, whose records all lie below `offset`; return how
 *   many. Never delete or rewrite part of a segment: offsets never change.
 * - The constructor opens what is on the disk: find the segments, rebuild their
 *   indexes, and cut off a record torn by a crash (the file ends before the
 *   record does), keeping every record written whole.
 * - RangeError for segmentBytes or indexIntervalBytes not a positive integer.
 * - Speed: find the segment by binary search; a scan of the segment list fails
 *   the growth test at 5,000 segments.
 */
import { todo } from "#kit";

/** a disk of named files: the grader's counts the bytes read and can tear the last write */
export interface Disk {
  /** every file's name, in any order */
  files(): string[];
  /** the file's length in bytes, 0 for a file that does not exist */
  size(file: string): number;
  /** writes bytes at the end of the file, creating it if needed */
  append(file: string, bytes: Uint8Array): void;
  /** up to `length` bytes from `position` (fewer past the end): a copy */
  read(file: string, position: number, length: number): Uint8Array;
  /** cuts the file to `length` bytes */
  truncate(file: string, length: number): void;
  remove(file: string): void;
}

export interface LogOptions {
  /** a segment is rolled before a record would take it past this size (Kafka's segment.bytes) */
  segmentBytes: number;
  /** an index entry once this many bytes have been written since the last (Kafka's index.interval.bytes) */
  indexIntervalBytes: number;
}

export interface SegmentInfo {
  /** the offset of its first record */
  baseOffset: number;
  /** one past its last record */
  endOffset: number;
  /** its file's size */
  bytes: number;
}

export class SegmentedLog {
  constructor(disk: Disk, options: LogOptions) {
    // TODO: check the options, then open the segments on the disk (recovering a torn tail).
    todo("SegmentedLog constructor", disk, options);
  }

  /** the first offset still kept */
  startOffset(): number {
    // TODO: the base offset of the oldest segment.
    return todo("SegmentedLog.startOffset");
  }

  /** the offset the next append gets */
  endOffset(): number {
    // TODO: one past the last record.
    return todo("SegmentedLog.endOffset");
  }

  /** the segments, oldest first */
  segments(): SegmentInfo[] {
    // TODO: base offset, end offset and bytes of each segment.
    return todo("SegmentedLog.segments");
  }

  /** index entries held, over every segment */
  indexEntries(): number {
    // TODO: the number of sparse index entries.
    return todo("SegmentedLog.indexEntries");
  }

  append(payload: Uint8Array): number {
    // TODO: roll if needed, add an index entry if one is due, write the record in one append.
    return todo("SegmentedLog.append", payload);
  }

  read(offset: number): Uint8Array {
    // TODO: binary search the segment, then its index, then read forward.
    return todo("SegmentedLog.read", offset);
  }

  /** retention: deletes every segment, but the active one, whose records all lie below `offset` */
  deleteBefore(offset: number): number {
    // TODO: delete whole segment files, oldest first.
    return todo("SegmentedLog.deleteBefore", offset);
  }
}
