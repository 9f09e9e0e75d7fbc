import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/10-storage-engines/write-ahead-log";
import * as reference from "#ref/10-storage-engines/write-ahead-log";
import { asyncProp, compareLoad, flush, kataOf, loadTest, random, randomFor } from "#spec";
import chapter from "../../../chapters/10-storage-engines/chapter.ts";
import { type Fill, SimulatedDisk } from "./_disk.ts";

const { budgets } = kataOf(chapter, "10-storage-engines", "write-ahead-log");

/** a record of `size` bytes that says which it is: "r7" then a seeded pattern */
function record(index: number, size: number, salt = 0): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (index * 131 + i * 7 + salt * 31 + 1) & 0xff;
  return bytes;
}

const show = (bytes: Uint8Array) =>
  bytes.length <= 12 ? `[${bytes.join(",")}]` : `[${bytes.subarray(0, 8).join(",")},… ${bytes.length} bytes]`;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** a log on a disk, with what was appended and what has been acknowledged, in order */
class Session {
  readonly appended: Uint8Array[] = [];
  readonly acked: number[] = [];
  readonly log: learner.WriteAheadLog;
  constructor(
    readonly disk: SimulatedDisk,
    previous: readonly Uint8Array[] = [],
  ) {
    this.log = new learner.WriteAheadLog(disk);
    this.appended.push(...previous);
    for (let i = 0; i < previous.length; i++) this.acked.push(i);
  }
  append(bytes: Uint8Array): void {
    const index = this.appended.length;
    this.appended.push(bytes.slice());
    void this.log.append(bytes).then(() => this.acked.push(index));
  }
  get ackedCount(): number {
    return this.acked.length;
  }
}

/**
 * Recovery's contract: every acknowledged record, in order, then possibly some of those appended
 * after them, in order, each whole: never a torn, garbled or made-up record, never a gap.
 */
function expectRecovered(recovered: readonly Uint8Array[], session: Session, context: string): void {
  const { appended, ackedCount } = session;
  for (let i = 0; i < recovered.length; i++) {
    const got = recovered[i] as Uint8Array;
    const want = appended[i];
    if (!want) {
      expect.fail(
        `${context}: recovered ${recovered.length} records, but only ${appended.length} were ever appended (record ${i} is ${show(got)})`,
      );
    }
    if (!same(got, want)) {
      expect.fail(
        `${context}: record ${i} came back as ${show(got)}, but was appended as ${show(want)} ` +
          `(${i < ackedCount ? "acknowledged" : "not acknowledged"}; a torn or garbled record must not be replayed)`,
      );
    }
  }
  if (recovered.length < ackedCount) {
    expect.fail(
      `${context}: recovered ${recovered.length} records, but ${ackedCount} were acknowledged: record ${recovered.length} (${show(appended[recovered.length] as Uint8Array)}) is lost`,
    );
  }
}

/** acknowledged records must survive a crash at this very moment */
function expectAckedDurable(session: Session, context: string): void {
  const after = new learner.WriteAheadLog(session.disk.durableCopy());
  expectRecovered(after.recovered, session, `${context}, then a crash`);
}

/**
 * 3 acknowledged records on the disk, then 3 more written in one batch whose fsync is in flight:
 * the unsynced tail a crash tears.
 */
async function withUnsyncedTail(): Promise<Session> {
  const s = new Session(new SimulatedDisk());
  for (const [i, size] of [0, 5, 40].entries()) s.append(record(i, size));
  await flush();
  while (s.disk.completeSync()) await flush();
  s.append(record(3, 9)); // written, its fsync in flight
  await flush();
  for (const [i, size] of [0, 33, 200].entries()) s.append(record(4 + i, size)); // queued behind it
  await flush();
  s.disk.completeSync(); // record 3 durable; 4 to 6 written with their own fsync in flight
  await flush();
  expect(s.ackedCount, "records acknowledged before the crash").toBe(4);
  expect(s.disk.unsynced, "bytes of records 4 to 6 written and not yet synced").toBeGreaterThan(0);
  return s;
}

async function tornTail(fill: Fill, garbageAt: (keep: number) => number[], seed = 1): Promise<void> {
  const probe = await withUnsyncedTail();
  const rng = random(seed);
  for (let keep = 0; keep <= probe.disk.unsynced; keep++) {
    for (const garbageFrom of garbageAt(keep)) {
      // a fresh run for each cut: a crash kills the disk it tears
      const s = await withUnsyncedTail();
      const after = s.disk.crash({ keep, garbageFrom, fill, next: rng.float });
      const log = new learner.WriteAheadLog(after);
      expectRecovered(
        log.recovered,
        s,
        `a crash keeping ${keep} of the ${probe.disk.unsynced} unsynced bytes` +
          (fill === "none" ? "" : `, ${fill} from byte ${garbageFrom} of them`),
      );
    }
  }
}

describe("recovery", () => {
  it("an empty disk recovers no records", () => {
    const log = new learner.WriteAheadLog(new SimulatedDisk());
    expect(log.recovered, "records recovered from an empty disk").toEqual([]);
  });

  it("recovers every acknowledged record, in order, whatever its size (0 bytes to 70 kB)", async () => {
    const s = new Session(new SimulatedDisk());
    const sizes = [0, 1, 7, 8, 9, 255, 256, 4096, 70_000, 0, 3];
    for (const [i, size] of sizes.entries()) {
      s.append(record(i, size));
      await flush();
      if (i % 3 === 2) while (s.disk.completeSync()) await flush();
    }
    while (s.disk.completeSync()) await flush();
    expect(s.ackedCount, `records acknowledged of ${sizes.length} appended, every fsync completed`).toBe(sizes.length);
    const after = new learner.WriteAheadLog(s.disk.crash({ keep: 0, garbageFrom: 0, fill: "none" }));
    expectRecovered(after.recovered, s, `a restart after ${sizes.length} records of ${sizes.join(", ")} bytes`);
    expect(after.recovered.length, "records recovered").toBe(sizes.length);
  });

  it("after a crash at any byte of the unsynced tail, recovers the acknowledged records and only whole ones after them", async () => {
    await tornTail("none", () => [0]);
  });

  it("a torn tail of zeros replays no record: a crash may leave an allocated block unwritten", async () => {
    await tornTail("zeros", (keep) => [...new Set([0, Math.floor(keep / 2), Math.max(0, keep - 8)])]);
  });

  it("a torn tail of random bytes replays no record", async ({ task }) => {
    const rng = randomFor(task);
    await tornTail("random", (keep) => [rng.int(0, keep), rng.int(0, keep)], rng.int(0, 2 ** 30));
  });

  it("records acknowledged after a recovery survive the next crash: the torn tail is cut off", async () => {
    for (const fill of ["zeros", "random", "none"] as const) {
      const s = await withUnsyncedTail();
      const rng = random(7);
      // record 4 whole, then garbage or a torn piece of record 5
      const first = new Session(s.disk.crash({ keep: 25, garbageFrom: 12, fill, next: rng.float }));
      const before = first.log.recovered;
      expectRecovered(before, s, `a crash keeping 25 unsynced bytes (${fill} from byte 12)`);
      const second = new Session(first.disk, before);
      for (let i = 0; i < 3; i++) second.append(record(100 + i, 20 + i, 5));
      await flush();
      while (second.disk.completeSync()) await flush();
      expect(second.ackedCount, "records acknowledged, the old and the 3 appended after the recovery").toBe(
        before.length + 3,
      );
      const third = new learner.WriteAheadLog(second.disk.crash({ keep: 0, garbageFrom: 0, fill: "none" }));
      expectRecovered(
        third.recovered,
        second,
        `${before.length} records recovered after a torn crash (${fill}), 3 more appended and acknowledged, then a restart`,
      );
    }
  });

  asyncProp(
    "after any schedule of appends, fsyncs and a crash, recovers the acknowledged records and only whole ones after them",
    fc.record({
      steps: fc.array(
        fc.oneof(
          fc.record({ append: fc.integer({ min: 0, max: 300 }) }),
          fc.constant({ complete: true }),
          fc.constant({ flush: true }),
        ),
        { minLength: 1, maxLength: 40 },
      ),
      restarts: fc.integer({ min: 1, max: 3 }),
      crash: fc.integer({ min: 0, max: 2 ** 30 }),
    }),
    async ({ steps, restarts, crash }) => {
      const rng = random(crash);
      let s = new Session(new SimulatedDisk());
      for (let r = 0; r < restarts; r++) {
        for (const [i, step] of steps.entries()) {
          if ("append" in step) s.append(record(s.appended.length, step.append, r));
          else if ("complete" in step) s.disk.completeSync();
          else await flush();
          if (i % 5 === 4) await flush();
        }
        await flush();
        const acks = [...s.acked];
        expect(acks, "the order in which records were acknowledged (by their index of append)").toEqual(
          acks.map((_, i) => i),
        );
        const log = new Session(s.disk.crashRandomly(rng.float), []);
        expectRecovered(log.log.recovered, s, `crash ${r + 1} of ${restarts} after ${s.appended.length} appends`);
        s = new Session(log.disk, log.log.recovered);
      }
    },
  );
});

describe("durability", () => {
  it("acknowledges a record only once an fsync covering it has completed: a crash at that moment keeps it", async () => {
    const s = new Session(new SimulatedDisk());
    s.append(record(0, 10));
    await flush();
    expectAckedDurable(s, "one record appended, its fsync not completed");
    expect(s.ackedCount, "records acknowledged before any fsync completed").toBe(0);
    s.disk.completeSync();
    await flush();
    expect(s.ackedCount, "records acknowledged once the fsync completed").toBe(1);
    expectAckedDurable(s, "one record appended and acknowledged");
  });

  it("does not acknowledge a record written after the fsync in flight began", async () => {
    const s = new Session(new SimulatedDisk());
    s.append(record(0, 10));
    await flush();
    s.append(record(1, 10)); // while the first record's fsync is in flight
    await flush();
    s.disk.completeSync();
    await flush();
    expectAckedDurable(s, "record 1 appended during record 0's fsync, which then completed");
    while (s.disk.completeSync()) await flush();
    expect(s.ackedCount, "records acknowledged once every fsync completed").toBe(2);
    expectAckedDurable(s, "both records acknowledged");
  });

  it("keeps a record as it was when append returned, even if the caller reuses its buffer", async () => {
    const s = new Session(new SimulatedDisk());
    s.append(record(0, 10));
    const buffer = record(1, 16);
    s.append(buffer); // queued: the first fsync is in flight
    buffer.fill(0xee);
    await flush();
    while (s.disk.completeSync()) await flush();
    const after = new learner.WriteAheadLog(s.disk.crash({ keep: 0, garbageFrom: 0, fill: "none" }));
    expectRecovered(after.recovered, s, "a buffer overwritten right after append, then a restart");
  });
});

describe("group commit", () => {
  it("starts an fsync as soon as a record is appended and none is in flight", async () => {
    const s = new Session(new SimulatedDisk());
    s.append(record(0, 10));
    await flush();
    expect(s.disk.syncsInFlight, "fsyncs in flight after one append").toBe(1);
    s.disk.completeSync();
    await flush();
    s.append(record(1, 10));
    await flush();
    expect(s.disk.syncsInFlight, "fsyncs in flight after a second append, the first acknowledged").toBe(1);
  });

  it("acknowledges 100 records appended during one fsync with one more fsync, never two in flight", async () => {
    const s = new Session(new SimulatedDisk());
    s.append(record(0, 10));
    await flush();
    for (let i = 1; i <= 100; i++) {
      s.append(record(i, 10 + (i % 7)));
      if (i % 10 === 0) await flush();
    }
    await flush();
    while (s.disk.completeSync()) await flush();
    expect(s.ackedCount, "records acknowledged once every fsync completed").toBe(101);
    expect(
      { fsyncs: s.disk.fsyncCalls, maxInFlight: s.disk.maxInFlight },
      "fsyncs for one record, then 100 appended while its fsync was in flight",
    ).toEqual({ fsyncs: 2, maxInFlight: 1 });
  });
});

describe("performance against the reference", () => {
  const RECORDS = 2000;

  /** a log of RECORDS records, 20 to 200 bytes, written by `make`'s log and every fsync completed */
  async function logBytes(
    make: (disk: SimulatedDisk) => { append(r: Uint8Array): Promise<void> },
  ): Promise<Uint8Array> {
    const disk = new SimulatedDisk(new Uint8Array(0), { auto: true });
    const log = make(disk);
    const acks: Promise<void>[] = [];
    for (let i = 0; i < RECORDS; i++) acks.push(log.append(record(i, 20 + ((i * 37) % 181))));
    await Promise.all(acks);
    return disk.contents();
  }

  loadTest("keeps pace with the reference: recovering logs of 2,000 records", budgets, async () => {
    const learnerLog = await logBytes((d) => new learner.WriteAheadLog(d));
    const referenceLog = await logBytes((d) => new reference.WriteAheadLog(d));
    return compareLoad<{ bytes: Uint8Array; open: (disk: SimulatedDisk) => { recovered: Uint8Array[] } }>({
      learner: () => ({ bytes: learnerLog, open: (d) => new learner.WriteAheadLog(d) }),
      reference: () => ({ bytes: referenceLog, open: (d) => new reference.WriteAheadLog(d) }),
      ops: 200,
      batches: 20,
      run: (s, from, to) => {
        let records = 0;
        for (let i = from; i < to; i++) records += s.open(new SimulatedDisk(s.bytes)).recovered.length;
        return records;
      },
      answers: { what: "the records recovered" },
    });
  });

  loadTest("keeps pace with the reference: 50k appends while an fsync is in flight", budgets, () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i, 20 + ((i * 37) % 181)));
    return compareLoad<{ append(r: Uint8Array): Promise<void> }>({
      // a disk whose fsyncs never complete: every append after the first queues behind it
      learner: () => new learner.WriteAheadLog(new SimulatedDisk()),
      reference: () => new reference.WriteAheadLog(new SimulatedDisk()),
      ops: 50_000,
      run: (log, from, to) => {
        for (let i = from; i < to; i++) void log.append(records[i % 1000] as Uint8Array);
      },
    });
  });
});
