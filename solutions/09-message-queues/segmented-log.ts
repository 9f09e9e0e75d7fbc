/**
 * A partition's log, the reference: Kafka's storage layout in small.
 *
 * Records are appended to the newest segment file; when a record would take it
 * past segmentBytes, a new segment starts, named by the offset of its first
 * record. Each segment keeps a sparse index in memory: an entry (offset,
 * position) once indexIntervalBytes have been written since the last one, so a
 * lookup finds the segment by binary search, the entry at or below the offset by
 * binary search, and reads forward less than one interval of headers. Retention
 * deletes whole segment files, never records; opening the log scans every
 * segment, rebuilds the indexes and cuts off a record the crash left torn.
 */

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
  /** the offset of its first record, also its file's name */
  baseOffset: number;
  /** one past its last record */
  endOffset: number;
  bytes: number;
}

// a record on disk: its offset (float64, exact for any safe integer), its payload's length (uint32), the payload
const HEADER = 12;

interface Segment {
  base: number;
  end: number;
  file: string;
  bytes: number;
  /** the sparse index: offsets[i] is at byte positions[i] */
  offsets: number[];
  positions: number[];
  /** bytes written since the last index entry */
  sinceEntry: number;
}

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const fileOf = (base: number) => `${String(base).padStart(20, "0")}.log`;

/** the last i with values[i] ≤ target, or −1 */
function floorIndex(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) <= target) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export class SegmentedLog {
  readonly #disk: Disk;
  readonly #options: LogOptions;
  #segments: Segment[] = [];
  #bases: number[] = [];

  constructor(disk: Disk, options: LogOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isSafeInteger(value) || value <= 0)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    this.#disk = disk;
    this.#options = { ...options };
    const names = disk
      .files()
      .filter((name) => /^\d{20}\.log$/.test(name))
      .sort();
    for (const name of names) this.#segments.push(this.#recover(name, Number(name.slice(0, 20))));
    if (this.#segments.length === 0) this.#segments.push(this.#empty(0));
    this.#bases = this.#segments.map((s) => s.base);
  }

  /** the first offset still kept */
  startOffset(): number {
    return (this.#segments[0] as Segment).base;
  }

  /** the offset the next append gets */
  endOffset(): number {
    return this.#active().end;
  }

  segments(): SegmentInfo[] {
    return this.#segments.map((s) => ({ baseOffset: s.base, endOffset: s.end, bytes: s.bytes }));
  }

  /** index entries held, over every segment */
  indexEntries(): number {
    return this.#segments.reduce((sum, s) => sum + s.offsets.length, 0);
  }

  append(payload: Uint8Array): number {
    const size = HEADER + payload.length;
    let segment = this.#active();
    if (segment.bytes > 0 && segment.bytes + size > this.#options.segmentBytes) {
      segment = this.#empty(segment.end);
      this.#segments.push(segment);
      this.#bases.push(segment.base);
    }
    const offset = segment.end;
    const record = new Uint8Array(size);
    const view = new DataView(record.buffer);
    view.setFloat64(0, offset);
    view.setUint32(8, payload.length);
    record.set(payload, HEADER);
    this.#indexIfDue(segment, offset, segment.bytes, size);
    // one write per record: a crash tears at most this one
    this.#disk.append(segment.file, record);
    segment.bytes += size;
    segment.end = offset + 1;
    return offset;
  }

  read(offset: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || offset < this.startOffset() || offset >= this.endOffset()) {
      throw new RangeError(`offset ${offset} is outside the log [${this.startOffset()}, ${this.endOffset()})`);
    }
    const segment = this.#segments[floorIndex(this.#bases, offset)] as Segment;
    const entry = floorIndex(segment.offsets, offset);
    let at = entry < 0 ? segment.base : (segment.offsets[entry] as number);
    let position = entry < 0 ? 0 : (segment.positions[entry] as number);
    // read headers forward from the entry: fewer than indexIntervalBytes of them
    for (;;) {
      const length = viewOf(this.#disk.read(segment.file, position, HEADER)).getUint32(8);
      if (at === offset) return this.#disk.read(segment.file, position + HEADER, length);
      position += HEADER + length;
      at++;
    }
  }

  /** retention: deletes every segment, but the active one, whose records all lie below `offset` */
  deleteBefore(offset: number): number {
    let deleted = 0;
    while (this.#segments.length > 1 && (this.#segments[1] as Segment).base <= offset) {
      this.#disk.remove((this.#segments.shift() as Segment).file);
      this.#bases.shift();
      deleted++;
    }
    return deleted;
  }

  #active(): Segment {
    return this.#segments[this.#segments.length - 1] as Segment;
  }

  #empty(base: number): Segment {
    return { base, end: base, file: fileOf(base), bytes: 0, offsets: [], positions: [], sinceEntry: 0 };
  }

  #indexIfDue(segment: Segment, offset: number, position: number, size: number): void {
    if (segment.sinceEntry >= this.#options.indexIntervalBytes) {
      segment.offsets.push(offset);
      segment.positions.push(position);
      segment.sinceEntry = 0;
    }
    segment.sinceEntry += size;
  }

  /** scans a segment file, rebuilding its index; a record cut short by a crash is cut off */
  #recover(file: string, base: number): Segment {
    const segment = this.#empty(base);
    const size = this.#disk.size(file);
    let position = 0;
    while (position < size) {
      const header = this.#disk.read(file, position, HEADER);
      if (header.length < HEADER) break; // torn inside the header
      const view = viewOf(header);
      const length = view.getUint32(8);
      if (view.getFloat64(0) !== segment.end || position + HEADER + length > size) break; // torn payload
      this.#indexIfDue(segment, segment.end, position, HEADER + length);
      position += HEADER + length;
      segment.end++;
    }
    if (position < size) this.#disk.truncate(file, position);
    segment.bytes = position;
    return segment;
  }
}
