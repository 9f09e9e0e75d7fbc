// shared by the id-range-allocator spec: a durable counter that can crash, and a driver for it
import { isNotImplemented } from "#kit";
import type { Random } from "#spec";
import { flush } from "#spec";

export class StoreError extends Error {
  override readonly name = "StoreError";
}

interface PendingSave {
  value: bigint;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface Connection {
  load(): Promise<bigint>;
  save(next: bigint): Promise<void>;
}

/**
 * The coordinator's disk: one durable counter. A process talks to it through
 * a connection. In "instant" mode a save lands at once; in "manual" mode it
 * waits until the spec lands it (or fails it), and concurrent saves can land
 * in any order, as two UPDATEs on two connections can. A crash drops every
 * pending save, and every connection opened before it goes dead: its calls
 * never settle.
 */
export class Disk {
  #durable: bigint;
  #generation = 0;
  readonly pending: PendingSave[] = [];
  readonly manual: boolean;
  loads = 0;
  saves = 0;
  /** the most saves that were ever pending at once */
  maxPending = 0;
  /** the next loads fail with a StoreError */
  failLoads = 0;

  constructor(initial = 0n, mode: "instant" | "manual" = "instant") {
    this.#durable = initial;
    this.manual = mode === "manual";
  }

  get durable(): bigint {
    return this.#durable;
  }

  connect(): Connection {
    const generation = this.#generation;
    const alive = () => generation === this.#generation;
    const never = new Promise<never>(() => {});
    return {
      load: () => {
        if (!alive()) return never;
        this.loads++;
        if (this.failLoads > 0) {
          this.failLoads--;
          return Promise.reject(new StoreError("load failed: the store is unreachable"));
        }
        return Promise.resolve(this.#durable);
      },
      save: (value) => {
        if (!alive()) return never;
        this.saves++;
        if (!this.manual) {
          this.#durable = value;
          return Promise.resolve();
        }
        return new Promise<void>((resolve, reject) => {
          this.pending.push({ value, resolve, reject });
          this.maxPending = Math.max(this.maxPending, this.pending.length);
        });
      },
    };
  }

  /** the pending save at `index` lands: the value is durable, then the caller hears so */
  land(index = 0): void {
    const [save] = this.pending.splice(index, 1);
    if (!save) throw new Error(`no pending save at ${index}`);
    this.#durable = save.value;
    save.resolve();
  }

  /** the pending save at `index` fails without landing */
  fail(index = 0): void {
    const [save] = this.pending.splice(index, 1);
    if (!save) throw new Error(`no pending save at ${index}`);
    save.reject(new StoreError("save failed: the store is unreachable"));
  }

  /** the coordinator's process dies: pending saves are lost, old connections go dead */
  crash(): void {
    this.pending.length = 0;
    this.#generation++;
  }
}

/** which pending save lands next: the oldest, the newest, or a seeded pick */
export type Pick = "oldest" | "newest" | Random;

function pickIndex(pick: Pick, length: number): number {
  if (pick === "oldest") return 0;
  if (pick === "newest") return length - 1;
  return pick.int(0, length - 1);
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** lands pending saves, one at a time, until every promise has settled */
export async function drive<T>(disk: Disk, promises: Promise<T>[], pick: Pick = "oldest"): Promise<Settled<T>[]> {
  const results: Array<Settled<T> | undefined> = promises.map(() => undefined);
  promises.forEach((promise, i) => {
    promise.then(
      (value) => {
        results[i] = { ok: true, value };
      },
      (error: unknown) => {
        results[i] = { ok: false, error };
      },
    );
  });
  for (let round = 0; round < 10_000; round++) {
    await flush();
    if (results.every((r) => r !== undefined)) return results as Settled<T>[];
    if (disk.pending.length > 0) disk.land(pickIndex(pick, disk.pending.length));
    else if (round > 0) {
      await flush();
      if (results.every((r) => r !== undefined)) return results as Settled<T>[];
      const waiting = results.filter((r) => r === undefined).length;
      throw new Error(`${waiting} call(s) never settled, with no save left to land: are they waiting on each other?`);
    }
  }
  throw new Error("calls still pending after 10,000 saves landed");
}

/** like drive, for calls that must succeed */
export async function driveAll<T>(disk: Disk, promises: Promise<T>[], pick: Pick = "oldest"): Promise<T[]> {
  const results = await drive(disk, promises, pick);
  return results.map((r, i) => {
    if (r.ok) return r.value;
    if (isNotImplemented(r.error)) throw r.error;
    throw new Error(`call #${i} failed: ${(r.error as Error)?.message ?? String(r.error)}`);
  });
}
