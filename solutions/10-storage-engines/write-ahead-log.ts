/**
 * Write-ahead log with group commit, the reference solution.
 * Chapter: chapters/10-storage-engines/README.md#deep-dive-the-write-ahead-log
 *
 * Each record is framed as [length: u32][crc32 of length and payload: u32][payload],
 * little-endian. append() queues the frame and resolves once an fsync that
 * started after the frame was written has completed. One fsync is in flight at
 * a time; frames queued meanwhile are written together and covered by the next
 * one (group commit: one fsync acknowledges many records).
 *
 * Recovery reads frames from the start and stops at the first one that is cut
 * short or fails its checksum: that is the torn tail of the last unsynced write,
 * and it is cut off, so that records appended after recovery follow the last
 * good one instead of garbage that would hide them from the next recovery.
 */

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

const HEADER = 8;

interface Waiting {
  frame: Uint8Array;
  acknowledge: () => void;
}

export class WriteAheadLog {
  /** the records found on the disk when the log was opened, in the order they were appended */
  readonly recovered: Uint8Array[];
  readonly #disk: LogDisk;
  /** frames appended but not yet written, waiting for the fsync in flight to finish */
  #queue: Waiting[] = [];
  #syncing = false;

  /** opens the log: reads back every intact record and cuts off a torn tail */
  constructor(disk: LogDisk) {
    this.#disk = disk;
    const bytes = disk.read(0, disk.size());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const records: Uint8Array[] = [];
    let offset = 0;
    while (offset + HEADER <= bytes.length) {
      const length = view.getUint32(offset, true);
      const end = offset + HEADER + length;
      if (end > bytes.length) break; // cut short: the tail of the last write
      const payload = bytes.subarray(offset + HEADER, end);
      // the checksum covers the length too: a zeroed header (length 0, crc 0) must not pass
      if (crc32(payload, crc32(bytes.subarray(offset, offset + 4))) !== view.getUint32(offset + 4, true)) break;
      records.push(payload.slice());
      offset = end;
    }
    if (offset < bytes.length) disk.truncate(offset);
    this.recovered = records;
  }

  /** resolves once the record is durable: an fsync that started after it was written has completed */
  append(record: Uint8Array): Promise<void> {
    // framed now: the caller may reuse its buffer as soon as append returns
    const frame = new Uint8Array(HEADER + record.length);
    const view = new DataView(frame.buffer);
    view.setUint32(0, record.length, true);
    frame.set(record, HEADER);
    view.setUint32(4, crc32(record, crc32(frame.subarray(0, 4))), true);
    return new Promise((acknowledge) => {
      this.#queue.push({ frame, acknowledge });
      this.#flush();
    });
  }

  /** writes every queued frame in one write and covers them with one fsync, unless one is in flight */
  #flush(): void {
    if (this.#syncing || this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    let size = 0;
    for (const { frame } of batch) size += frame.length;
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const { frame } of batch) {
      bytes.set(frame, at);
      at += frame.length;
    }
    this.#disk.write(bytes);
    this.#syncing = true;
    void this.#disk.fsync().then(() => {
      this.#syncing = false;
      for (const { acknowledge } of batch) acknowledge();
      // what queued up during this fsync goes out together now
      this.#flush();
    });
  }
}
