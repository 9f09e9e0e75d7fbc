// shared by the write-policy specs: a database the test acknowledges by hand
import type { Call } from "./_async.ts";

type Entries<V> = ReadonlyArray<readonly [key: string, value: V]>;

/** one batch the cache asked the store to write */
export interface Write<V> {
  entries: Entries<V>;
  settled: boolean;
  /** makes the batch durable, then resolves the write */
  ack(): void;
  /** rejects the write; nothing of it is stored */
  fail(error?: unknown): void;
}

/**
 * A fake store. Writes are applied when acknowledged: by the test (the
 * default) or at once (autoAck). Reads answer at once from what is durable,
 * unless holdReads, when the test answers them.
 */
export class FakeStore<V> {
  /** what is durable: what survives a crash of the cache */
  readonly data = new Map<string, V>();
  /** every value each key was given, in the order the store applied them */
  readonly history = new Map<string, V[]>();
  readonly writes: Write<V>[] = [];
  readonly reads: Call<V | undefined>[] = [];

  constructor(readonly options: { autoAck?: boolean; holdReads?: boolean } = {}) {}

  readonly read = (key: string): Promise<V | undefined> => {
    if (!this.options.holdReads) return Promise.resolve(this.data.get(key));
    return new Promise((resolve, reject) => {
      const call: Call<V | undefined> = {
        key,
        at: 0,
        settled: false,
        resolve: (value) => {
          call.settled = true;
          resolve(value);
        },
        reject: (error) => {
          call.settled = true;
          reject(error);
        },
      };
      this.reads.push(call);
    });
  };

  readonly write = (entries: Entries<V>): Promise<void> => {
    const copy = entries.map(([key, value]) => [key, value] as const);
    if (this.options.autoAck) {
      this.#apply(copy);
      this.writes.push({ entries: copy, settled: true, ack: () => {}, fail: () => {} });
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const write: Write<V> = {
        entries: copy,
        settled: false,
        ack: () => {
          write.settled = true;
          this.#apply(copy);
          resolve();
        },
        fail: (error = new Error("store unavailable")) => {
          write.settled = true;
          reject(error);
        },
      };
      this.writes.push(write);
    });
  };

  /** writes not acknowledged or failed yet, oldest first */
  pending(): Write<V>[] {
    return this.writes.filter((w) => !w.settled);
  }

  /** the one pending write, for tests where exactly one is expected; `when` says at which step, for the message */
  only(when?: string): Write<V> {
    const pending = this.pending();
    if (pending.length !== 1) {
      const batches = pending.map((w) => JSON.stringify(w.entries)).join(", ");
      throw new Error(
        `expected exactly 1 store write in flight${when ? ` ${when}` : ""}, found ${pending.length}${batches ? `: ${batches}` : ""}`,
      );
    }
    return pending[0] as Write<V>;
  }

  #apply(entries: Entries<V>): void {
    for (const [key, value] of entries) {
      this.data.set(key, value);
      const seen = this.history.get(key) ?? [];
      seen.push(value);
      this.history.set(key, seen);
    }
  }
}
