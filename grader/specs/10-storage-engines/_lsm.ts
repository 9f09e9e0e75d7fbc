// the lsm-tree spec's driver and its seeded bounds, as plain functions of an implementation and a seed:
// the spec asserts them, and grader/bench/false-failures.ts runs them over 1,000 seeds against the
// reference. Nothing here imports vitest or the kata.
import { type Random, random } from "../../sim/random.ts";
import { TableDisk } from "./_table-disk.ts";

/** the same shapes as the kata's (spec helpers do not import #kata) */
export interface LsmOptions {
  memtableBytes: number;
  blockBytes: number;
  falsePositiveRate: number;
  tierSize: number;
}

export interface LsmStats {
  userBytesWritten: number;
  diskBytesWritten: number;
  diskBytesRead: number;
  diskBytes: number;
  writeAmplification: number;
  readAmplification: number;
  spaceAmplification: number;
}

export interface Tree {
  put(key: string, value: string): void;
  delete(key: string): void;
  get(key: string): string | undefined;
  scan(from: string, to: string): Array<[string, string]>;
  flush(): void;
  compact(): void;
  tableCount(): number;
  stats(): LsmStats;
}

export type Kata = { LsmTree: new (disk: TableDisk, options: LsmOptions) => Tree };

export interface CheckResult {
  ok: boolean;
  /** what was measured, for the failure message */
  detail: string;
}

const encoder = new TextEncoder();
export const utf8 = (text: string) => encoder.encode(text).length;

export const describeOptions = (o: LsmOptions) =>
  `memtableBytes ${o.memtableBytes}, blockBytes ${o.blockBytes}, falsePositiveRate ${o.falsePositiveRate}, tierSize ${o.tierSize}`;

/** keys that sort as their numbers do: key(2i) are written, key(2i + 1) fall between them */
export const key = (i: number) => `key:${String(i).padStart(8, "0")}`;

export const standard: LsmOptions = { memtableBytes: 4096, blockBytes: 256, falsePositiveRate: 0.01, tierSize: 4 };
export const WRITES = 20_000;

/**
 * A tree on a disk, beside a plain Map of what it must hold: every call goes to both, and the user's
 * bytes are tallied here, as the contract counts them, to hold the tree's report to.
 */
export class Driver {
  readonly disk = new TableDisk();
  readonly tree: Tree;
  readonly model = new Map<string, string>();
  userBytes = 0;
  longestRecord = 0;
  gets = 0;
  getBytesRead = 0;

  constructor(
    readonly options: LsmOptions,
    kata: Kata,
  ) {
    this.tree = new kata.LsmTree(this.disk, options);
  }

  put(k: string, value: string): void {
    this.userBytes += utf8(k) + utf8(value);
    this.longestRecord = Math.max(this.longestRecord, utf8(k) + utf8(value));
    this.model.set(k, value);
    this.tree.put(k, value);
  }

  delete(k: string): void {
    this.userBytes += utf8(k);
    this.model.delete(k);
    this.tree.delete(k);
  }

  /** the tree's answer, with the bytes it read from each file for it */
  get(k: string): { value: string | undefined; reads: Map<string, number> } {
    this.disk.resetReads();
    const before = this.disk.bytesRead;
    const value = this.tree.get(k);
    this.gets++;
    this.getBytesRead += this.disk.bytesRead - before;
    return { value, reads: new Map(this.disk.readsByFile) };
  }

  /** the model's scan of [from, to) */
  expectedScan(from: string, to: string): Array<[string, string]> {
    return [...this.model].filter(([k]) => k >= from && k < to).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** the UTF-8 bytes of the live keys and values */
  liveBytes(): number {
    let sum = 0;
    for (const [k, v] of this.model) sum += utf8(k) + utf8(v);
    return sum;
  }

  tables(): number {
    return this.disk.files().length;
  }
}

/** the bytes one get may read from a table it probes: one data block, which may end past blockBytes by one record */
export const intervalBound = (d: Driver) => d.options.blockBytes + 2 * d.longestRecord + 64;

/** `writes` seeded writes on `distinct` keys (key(0), key(2), ...): puts of 10 to 50 bytes, a share of them deletes */
export function randomWrites(d: Driver, rng: Random, writes: number, distinct: number, deletes = 0.1): void {
  for (let i = 0; i < writes; i++) {
    const k = key(rng.int(0, distinct - 1) * 2);
    if (rng.float() < deletes) d.delete(k);
    else d.put(k, `v${i}:${"abcdefghijklmnopqrstuvwxyz0123456789".slice(0, rng.int(8, 36))}`);
  }
}

/** flushes a workload of `userBytes` makes at most: one per memtableBytes written */
export const flushesFor = (d: Driver) => Math.ceil(d.userBytes / d.options.memtableBytes);
/** ⌈log_T W⌉, the tiers W flushes fill when each holds T tables of the one above */
export const tiersFor = (d: Driver) =>
  Math.max(1, Math.ceil(Math.log(flushesFor(d)) / Math.log(d.options.tierSize) - 1e-9));

/**
 * 5,000 gets of keys no table holds, in a tree of 20,000 puts on 10,000 keys (about 240 flushes, some
 * 9 tables in the reference). A filter at p = 1% lets about 1% of the probes through, each reading one
 * block of about blockBytes: about 2.5 bytes a probe in the reference. The bound allows 3% of the
 * probes reading the largest interval a block may have (13 bytes a probe): without filters a probe
 * reads about 280.
 */
export const ABSENT_GETS = { gets: 5000, slack: 3 } as const;

export function absentGetsCheck(kata: Kata, seed: number): CheckResult & { perProbe: number; tables: number } {
  const rng = random(seed);
  const d = new Driver(standard, kata);
  randomWrites(d, rng, WRITES, 10_000, 0);
  const tables = d.tables();
  const { gets, slack } = ABSENT_GETS;
  const before = d.disk.bytesRead;
  for (let i = 0; i < gets; i++) {
    const absent = key(rng.int(0, 9999) * 2 + 1);
    const { value } = d.get(absent);
    if (value !== undefined)
      return {
        ok: false,
        perProbe: Number.NaN,
        tables,
        detail: `get("${absent}"), a key never written, returned "${value}"`,
      };
  }
  const read = d.disk.bytesRead - before;
  const allowed = slack * standard.falsePositiveRate * gets * tables * intervalBound(d);
  const perProbe = read / (gets * tables);
  return {
    ok: read <= allowed,
    perProbe,
    tables,
    detail:
      `${read} bytes read by ${gets} gets of keys no table holds, each probing ${tables} tables (${perProbe.toFixed(1)} a probe; ` +
      `a filter at p = ${standard.falsePositiveRate} reads about p × one block a probe; at most ${allowed} allowed in all)`,
  };
}

/** after each 1,000 of 20,000 random writes, at most T·(⌈log_T W⌉ + 1) tables, and tableCount() says how many */
export function tablesCheck(kata: Kata, seed: number): CheckResult & { most: number } {
  const rng = random(seed);
  const d = new Driver(standard, kata);
  let most = 0;
  for (let step = 1; step <= 20; step++) {
    randomWrites(d, rng, WRITES / 20, 10_000);
    const allowed = standard.tierSize * (tiersFor(d) + 1);
    most = Math.max(most, d.tables());
    const what = `after ${step * (WRITES / 20)} random writes, ${d.userBytes} bytes, up to ${flushesFor(d)} flushes (tierSize ${standard.tierSize})`;
    if (d.tables() > allowed)
      return { ok: false, most, detail: `${d.tables()} tables on the disk ${what}: at most ${allowed} allowed` };
    if (d.tree.tableCount() !== d.tables())
      return {
        ok: false,
        most,
        detail: `tableCount() is ${d.tree.tableCount()} ${what}; the disk holds ${d.tables()}`,
      };
  }
  return { ok: true, most, detail: `at most ${most} tables` };
}

/** write amplification after 20,000 random writes: at most 1.5 × (1 + ⌈log_T W⌉) */
export function writeAmplificationCheck(kata: Kata, seed: number): CheckResult & { measured: number } {
  const d = new Driver(standard, kata);
  randomWrites(d, random(seed), WRITES, 10_000);
  const measured = d.disk.bytesWritten / d.userBytes;
  const tiers = tiersFor(d);
  const allowed = 1.5 * (1 + tiers);
  return {
    ok: measured <= allowed,
    measured,
    detail:
      `${measured.toFixed(2)}: bytes written to the disk (${d.disk.bytesWritten}) ÷ the user's bytes (${d.userBytes}), up to ${flushesFor(d)} flushes; ` +
      `each byte is written by its flush and once by each merge into the ${tiers} tiers above, 1.5× for the encoding, filters and indexes: at most ${allowed}`,
  };
}
