/**
 * Kata: Write-ahead log with group commit (difficulty 2, about an hour)
 * Read:  chapters/10-storage-engines/README.md#deep-dive-the-write-ahead-log
 * Grade: npm run grade -- write-ahead-log
 * Hint:  npm run hint -- write-ahead-log (one more hint each time you ask)
 *
 * An append-only log on a disk (LogDisk below; the grader gives you a simulated
 * one) that a database writes before it changes anything else.
 * - append(record) resolves only once the record is durable: an fsync that
 *   started after the record was written has completed. Bytes written are in
 *   the page cache until then, and a crash may lose them or tear them at any
 *   byte, leaving zeros or garbage at the end.
 * - Group commit: one fsync in flight at a time. An append with none in flight
 *   writes and starts one at once; appends made meanwhile wait, and are written
 *   together and covered by one more fsync once it completes.
 * - Acknowledge in the order records were appended.
 * - Copy what you need in append: the caller may reuse its buffer afterwards.
 * - new WriteAheadLog(disk) recovers: `recovered` holds every acknowledged
 *   record, in order, and maybe some appended after them, each whole: never a
 *   torn, garbled or made-up one. Frame each record with its length and a
 *   checksum (crc32 below) and stop at the first frame that does not check out.
 *   A zeroed frame must not check out: length 0 with crc 0 is an empty record
 *   if the checksum covers the payload alone.
 * - Cut the torn tail off when opening (disk.truncate): records appended after
 *   a recovery must not sit behind garbage that hides them from the next one.
 * - Records may be empty, and as large as 70 kB in the tests.
 */
import { todo } from "#kit";

/** the disk a log lives on: one file, appended to */
export interface LogDisk {
  /** the file's length in bytes, synced or not */
  size(): number;
  /** a copy of `length` bytes from `offset` */
  read(offset: number, length: number): Uint8Array;
  /** appends the bytes at the end of the file; they survive a crash only once an fsync covers them */
  write(bytes: Uint8Array): void;
  /** cuts the file to `size` bytes, durably at once */
  truncate(size: number): void;
  /** resolves once every byte written before the call is durable; a crash before that may lose or tear them */
  fsync(): Promise<void>;
}

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE 802.3, as zlib and PNG compute it). Given: use it as it is.
 * Pass the previous result as `crc` to continue over more bytes:
 * crc32(b, crc32(a)) is the checksum of a followed by b.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

export class WriteAheadLog {
  /** the records found on the disk when the log was opened, in the order they were appended */
  readonly recovered: Uint8Array[];

  /** opens the log: reads back every intact record and cuts off a torn tail */
  constructor(disk: LogDisk) {
    // TODO: read the file, parse frames while they are whole and their checksums match,
    // keep copies of their payloads, and truncate the file after the last good one.
    this.recovered = [];
    todo("WriteAheadLog constructor", disk);
  }

  /** resolves once the record is durable: an fsync that started after it was written has completed */
  append(record: Uint8Array): Promise<void> {
    // TODO: frame the record now; write it and start an fsync if none is in flight, or queue it
    // for the next one; resolve once an fsync covering it completes.
    return todo("WriteAheadLog.append", record);
  }
}
