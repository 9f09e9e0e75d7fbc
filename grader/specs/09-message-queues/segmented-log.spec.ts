import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/09-message-queues/segmented-log";
import * as reference from "#ref/09-message-queues/segmented-log";
import { baseSeed, compareGrowth, compareLoad, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/09-message-queues/chapter.ts";
import { MemoryDisk } from "./_disk.ts";

const { budgets } = kataOf(chapter, "09-message-queues", "segmented-log");

type Options = learner.LogOptions;
type Log = Pick<
  learner.SegmentedLog,
  "append" | "read" | "startOffset" | "endOffset" | "segments" | "indexEntries" | "deleteBefore"
>;
type Kata = { SegmentedLog: new (disk: MemoryDisk, options: Options) => Log };

/** the payload of the record at `offset`: its bytes say where it belongs, so a misplaced read shows */
function payloadOf(offset: number, length: number, salt = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (offset * 31 + i * 7 + salt) & 255;
  return bytes;
}

const hex = (bytes: Uint8Array, max = 16) =>
  `${bytes.length} bytes [${[...bytes.subarray(0, max)].join(",")}${bytes.length > max ? ",…" : ""}]`;

/** a log on a disk, with what the spec wrote: each record's payload and the bytes its append put on disk */
class Driver {
  readonly disk = new MemoryDisk();
  readonly payloads: Uint8Array[] = [];
  readonly written: number[] = [];
  log: Log;

  constructor(
    readonly options: Options,
    readonly kata: Kata = learner,
  ) {
    this.log = new kata.SegmentedLog(this.disk, options);
  }

  append(length: number): number {
    const before = this.disk.totalBytes();
    const payload = payloadOf(this.payloads.length, length);
    const offset = this.log.append(payload);
    expect(offset, `append #${this.payloads.length} (${length} bytes) returns its offset`).toBe(this.payloads.length);
    this.payloads.push(payload);
    this.written.push(this.disk.totalBytes() - before);
    return offset;
  }

  /** the log after a restart on the same disk */
  reopen(): void {
    this.log = new this.kata.SegmentedLog(this.disk, this.options);
  }

  expectRecord(offset: number, what: string): void {
    const got = this.log.read(offset);
    const want = this.payloads[offset] as Uint8Array;
    if (got.length !== want.length || got.some((b, i) => b !== want[i])) {
      throw new Error(
        `${what}: read(${offset}) returned ${hex(got)}, expected ${hex(want)}\noptions: ${JSON.stringify(this.options)}`,
      );
    }
  }
}

const optionsArb: fc.Arbitrary<Options> = fc.record({
  segmentBytes: fc.integer({ min: 64, max: 4_096 }),
  indexIntervalBytes: fc.integer({ min: 16, max: 1_024 }),
});
const sizesArb = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 200 });
const scenario = fc.record({ options: optionsArb, sizes: sizesArb });

function filled(s: { options: Options; sizes: number[] }): Driver {
  const d = new Driver(s.options);
  for (const size of s.sizes) d.append(size);
  return d;
}

describe("append and read", () => {
  it("gives offsets 0, 1, 2, … and reads back each payload byte for byte", () => {
    const d = new Driver({ segmentBytes: 1_000, indexIntervalBytes: 100 });
    for (const size of [5, 0, 40, 17]) d.append(size);
    expect(d.log.startOffset(), "startOffset()").toBe(0);
    expect(d.log.endOffset(), "endOffset() after 4 appends").toBe(4);
    for (let offset = 0; offset < 4; offset++) d.expectRecord(offset, "four records");
  });

  prop("reads back every record byte for byte, across segments", scenario, (s) => {
    const d = filled(s);
    expect(d.log.endOffset(), `endOffset() after ${s.sizes.length} appends`).toBe(s.sizes.length);
    for (let offset = s.sizes.length - 1; offset >= 0; offset--) d.expectRecord(offset, `${s.sizes.length} records`);
  });

  it("refuses an offset outside [startOffset, endOffset) with a RangeError, and bad options too", () => {
    const d = new Driver({ segmentBytes: 1_000, indexIntervalBytes: 100 });
    d.append(10);
    for (const offset of [-1, 1, 0.5, Number.NaN]) expectThrows(() => d.log.read(offset), RangeError);
    for (const options of [
      { segmentBytes: 0, indexIntervalBytes: 100 },
      { segmentBytes: 1_000, indexIntervalBytes: -1 },
      { segmentBytes: 1.5, indexIntervalBytes: 100 },
    ]) {
      expectThrows(() => new learner.SegmentedLog(new MemoryDisk(), options), RangeError);
    }
  });

  prop("rolls a new segment before a record would take it past segmentBytes", scenario, (s) => {
    const d = filled(s);
    const segments = d.log.segments();
    let next = 0;
    for (const seg of segments) {
      const context = `segments ${JSON.stringify(segments)}, options ${JSON.stringify(s.options)}`;
      if (seg.baseOffset !== next)
        throw new Error(`a segment starts at ${seg.baseOffset}, expected ${next}: ${context}`);
      const records = seg.endOffset - seg.baseOffset;
      const bytes = d.written.slice(seg.baseOffset, seg.endOffset).reduce((a, b) => a + b, 0);
      if (seg.bytes !== bytes)
        throw new Error(`segment ${seg.baseOffset} says ${seg.bytes} bytes, its appends wrote ${bytes}: ${context}`);
      if (seg.bytes > s.options.segmentBytes && records > 1) {
        throw new Error(
          `segment ${seg.baseOffset} holds ${records} records in ${seg.bytes} bytes, past segmentBytes: ${context}`,
        );
      }
      next = seg.endOffset;
    }
    if (next !== s.sizes.length) throw new Error(`the segments end at ${next}, the log at ${s.sizes.length}`);
    if (d.disk.totalBytes() !== d.written.reduce((a, b) => a + b, 0))
      throw new Error("the disk holds bytes no segment accounts for");
  });

  prop("a lookup reads at most the index interval plus the record itself, from the disk", scenario, (s) => {
    const d = filled(s);
    for (let offset = 0; offset < s.sizes.length; offset++) {
      d.disk.bytesRead = 0;
      d.log.read(offset);
      const bound = s.options.indexIntervalBytes + (d.written[offset] as number);
      if (d.disk.bytesRead > bound || d.disk.bytesRead < (s.sizes[offset] as number)) {
        throw new Error(
          `read(${offset}) read ${d.disk.bytesRead} bytes from the disk; it must read the record's ${s.sizes[offset]} ` +
            `and at most ${bound} (index interval ${s.options.indexIntervalBytes} + the record's ${d.written[offset]})` +
            `\nsegments: ${JSON.stringify(d.log.segments())}`,
        );
      }
    }
  });

  prop("keeps a sparse index: at most one entry per index interval of each segment, plus one", scenario, (s) => {
    const d = filled(s);
    const segments = d.log.segments();
    const most = segments.reduce((sum, seg) => sum + Math.floor(seg.bytes / s.options.indexIntervalBytes) + 1, 0);
    if (d.log.indexEntries() > most) {
      throw new Error(
        `${d.log.indexEntries()} index entries for ${JSON.stringify(segments)}: at most ${most} with an interval of ${s.options.indexIntervalBytes}`,
      );
    }
  });
});

describe("retention", () => {
  const retention = fc.record({ options: optionsArb, sizes: sizesArb, cut: fc.nat({ max: 220 }) });

  prop("retention keeps every record at or above the offset", retention, (s) => {
    const d = filled(s);
    d.log.deleteBefore(s.cut);
    const from = Math.min(s.cut, s.sizes.length);
    if (d.log.startOffset() > from) {
      throw new Error(
        `deleteBefore(${s.cut}) left startOffset ${d.log.startOffset()}: records ${from} and up must stay\nsegments: ${JSON.stringify(d.log.segments())}`,
      );
    }
    for (let offset = d.log.startOffset(); offset < s.sizes.length; offset++)
      d.expectRecord(offset, `after deleteBefore(${s.cut})`);
  });

  prop(
    "retention deletes every segment whose records all lie below the offset, whole, but never the active one",
    retention,
    (s) => {
      const d = filled(s);
      const before = d.log.segments();
      const deleted = d.log.deleteBefore(s.cut);
      const after = d.log.segments();
      const expected = before.filter((seg, i) => i < before.length - 1 && seg.endOffset <= s.cut);
      const context = `deleteBefore(${s.cut}) on ${JSON.stringify(before)} left ${JSON.stringify(after)}`;
      if (deleted !== expected.length)
        throw new Error(`${context}: returned ${deleted}, expected ${expected.length} segments deleted`);
      expect(after, context).toEqual(before.slice(expected.length));
      expect(d.log.startOffset(), `${context}: startOffset()`).toBe(after[0]?.baseOffset);
      const kept = after.reduce((sum, seg) => sum + seg.bytes, 0);
      if (d.disk.totalBytes() !== kept)
        throw new Error(`${context}: the disk still holds ${d.disk.totalBytes() - kept} bytes of deleted segments`);
      if (d.log.startOffset() > 0) expectThrows(() => d.log.read(d.log.startOffset() - 1), RangeError);
      const next = d.append(10);
      d.expectRecord(next, "an append after retention");
    },
  );
});

describe("recovery", () => {
  prop("recovery keeps every fully written record, and the next append follows them", scenario, (s) => {
    const d = filled(s);
    d.reopen();
    expect(d.log.endOffset(), "endOffset() after a restart").toBe(s.sizes.length);
    for (let offset = 0; offset < s.sizes.length; offset++) d.expectRecord(offset, "after a restart");
    d.append(20);
    d.expectRecord(s.sizes.length, "the first append after a restart");
  });

  prop(
    "a crash mid-append: recovery drops the torn record, keeps every earlier one, and the next append takes its offset",
    fc.record({
      options: optionsArb,
      sizes: sizesArb,
      tear: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    }),
    (s) => {
      const d = filled(s);
      const torn = s.sizes.length - 1;
      const keep = Math.floor(s.tear * (d.written[torn] as number));
      d.disk.tearLastAppend(keep);
      d.reopen();
      const context = `record ${torn} (${d.written[torn]} bytes on disk) torn after ${keep} bytes, options ${JSON.stringify(s.options)}`;
      expect(d.log.endOffset(), `${context}: endOffset() after recovery`).toBe(torn);
      for (let offset = 0; offset < torn; offset++) d.expectRecord(offset, context);
      d.payloads.pop();
      d.written.pop();
      d.append(33);
      d.expectRecord(torn, `${context}: the append after recovery`);
      d.reopen();
      d.expectRecord(torn, `${context}: that record after another restart`);
    },
  );

  prop(
    "recovery after retention keeps the start offset and every record kept",
    fc.record({ options: optionsArb, sizes: sizesArb, cut: fc.nat({ max: 220 }) }),
    (s) => {
      const d = filled(s);
      d.log.deleteBefore(s.cut);
      const start = d.log.startOffset();
      d.reopen();
      expect(d.log.startOffset(), `startOffset() after deleteBefore(${s.cut}) and a restart`).toBe(start);
      for (let offset = start; offset < s.sizes.length; offset++)
        d.expectRecord(offset, "after retention and a restart");
    },
  );
});

describe("under load", () => {
  // 20k records of 10 to 300 bytes in 64 KiB segments with a 4 KiB index interval (Kafka's default),
  // then 20k reads at random offsets; the sum of each read's first byte is the answer
  loadTest("keeps pace with the reference: 20k appends, then 20k reads at random offsets", budgets, () => {
    const rng = random(seedFor("segmented-log load", baseSeed()));
    const sizes = Array.from({ length: 20_000 }, () => rng.int(10, 300));
    const reads = Array.from({ length: 20_000 }, () => rng.int(0, 19_999));
    const payloads = sizes.map((size, i) => payloadOf(i, size, 1));
    const options = { segmentBytes: 65_536, indexIntervalBytes: 4_096 };
    return compareLoad({
      learner: () => new learner.SegmentedLog(new MemoryDisk(), options) as Log,
      reference: () => new reference.SegmentedLog(new MemoryDisk(), options) as Log,
      ops: 40_000,
      run: (log, from, to) => {
        let sum = 0;
        for (let i = from; i < to; i++) {
          if (i < 20_000) log.append(payloads[i] as Uint8Array);
          else sum += log.read(reads[i - 20_000] as number)[0] ?? 0;
        }
        return sum;
      },
      answers: { what: "the first bytes of the records read" },
    });
  });

  // Segments of 5 records: 100 segments or 5,000. The timed reads hit random offsets; the segment is
  // found by binary search in O(log n), a scan of the segment list is O(n) and grows about 50×.
  loadTest("a lookup costs about the same with 100 or 5,000 segments", budgets, () => {
    type Subject = { log: Log; reads: number[] };
    const build = (kata: Kata) => (segments: number) => {
      const disk = new MemoryDisk();
      const log = new kata.SegmentedLog(disk, { segmentBytes: 5 * 52, indexIntervalBytes: 64 });
      for (let i = 0; i < segments * 5; i++) log.append(payloadOf(i, 40));
      const rng = random(seedFor(`segmented-log growth ${segments}`, baseSeed()));
      const reads = Array.from({ length: 4_096 }, () => rng.int(0, segments * 5 - 1));
      return { log, reads };
    };
    return compareGrowth<Subject>({
      learner: build(learner),
      reference: build(reference),
      n: 100,
      factor: 50,
      ops: 40_000,
      rounds: 3,
      run: (s, from, to) => {
        let sum = 0;
        for (let i = from; i < to; i++) sum += s.log.read(s.reads[i & 4095] as number)[1] ?? 0;
        return sum;
      },
    });
  });
});
