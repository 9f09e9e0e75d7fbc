/**
 * Mutant of solutions/02-caching/write-back-cache.ts: max-dirty-exclusive.
 *
 * The bug: a flush starts only when more than maxDirty keys are dirty (>), not
 * when maxDirty are (>=). The cache holds one dirty key more than it was
 * configured for, and maxDirty 1 never flushes on the first write.
 * @caughtBy flushes when maxDirty keys are dirty, without waiting for the timer
 */
import type { Clock } from "#kit";

/** the database behind the cache */
export interface Store<V> {
  /** one key's value, or undefined if the store does not have it */
  read(key: string): Promise<V | undefined>;
  /** stores the entries; resolves once they are durable, rejects if they were not written */
  write(entries: ReadonlyArray<readonly [key: string, value: V]>): Promise<void>;
}

export interface WriteBackOptions<V> {
  store: Store<V>;
  clock: Clock;
  /** flush as soon as this many keys are dirty: a positive integer */
  maxDirty: number;
  /** flush once the oldest dirty write is this old, in ms: the window a crash can lose */
  flushAfterMs: number;
}

export class WriteBackCache<V> {
  readonly #store: Store<V>;
  readonly #clock: Clock;
  readonly #maxDirty: number;
  readonly #flushAfterMs: number;
  /** every value the cache knows: written here, or read from the store */
  readonly #values = new Map<string, V>();
  /** keys whose latest value the store does not have yet, and is not being given */
  readonly #dirty = new Set<string>();
  /** when the oldest dirty write was made; Infinity when nothing is dirty */
  #dirtySince = Number.POSITIVE_INFINITY;
  /** the flush in flight, settled whatever its outcome */
  #flushing: Promise<void> | undefined;

  constructor({ store, clock, maxDirty, flushAfterMs }: WriteBackOptions<V>) {
    if (!(Number.isInteger(maxDirty) && maxDirty > 0)) {
      throw new RangeError(`maxDirty must be a positive integer, got ${maxDirty}`);
    }
    if (!(flushAfterMs > 0)) throw new RangeError(`flushAfterMs must be positive, got ${flushAfterMs}`);
    this.#store = store;
    this.#clock = clock;
    this.#maxDirty = maxDirty;
    this.#flushAfterMs = flushAfterMs;
  }

  /** the key's value: the cached one (written or read before), else read from the store */
  async get(key: string): Promise<V | undefined> {
    if (this.#values.has(key)) return this.#values.get(key);
    const value = await this.#store.read(key);
    // a write that landed while the read was out is newer than what the store said
    if (this.#values.has(key)) return this.#values.get(key);
    if (value !== undefined) this.#values.set(key, value);
    return value;
  }

  /** acknowledged at once: the value is in memory, and dirty until a flush stores it */
  set(key: string, value: V): void {
    this.#values.set(key, value);
    if (this.#dirty.size === 0) this.#dirtySince = this.#clock.now();
    this.#dirty.add(key);
    this.#flushIfDue();
  }

  /** called on a timer by the owner: flushes when the oldest dirty write is flushAfterMs old */
  tick(): void {
    this.#flushIfDue();
  }

  /** writes everything dirty now; resolves once the store has it, rejects if the store fails */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    if (this.#dirty.size > 0) await this.#startFlush();
  }

  #flushIfDue(): void {
    if (this.#flushing !== undefined || this.#dirty.size === 0) return;
    const due = this.#dirty.size > this.#maxDirty || this.#clock.now() - this.#dirtySince >= this.#flushAfterMs;
    // a failure here keeps the keys dirty for the next tick to retry; flush() is where it is reported
    if (due) this.#startFlush().catch(() => {});
  }

  #startFlush(): Promise<void> {
    const keys = [...this.#dirty];
    const batch = keys.map((key) => [key, this.#values.get(key) as V] as const);
    const since = this.#dirtySince;
    // a key written again during the flush is dirty again, and goes in the next batch
    this.#dirty.clear();
    this.#dirtySince = Number.POSITIVE_INFINITY;
    const written = this.#store.write(batch).catch((error: unknown) => {
      for (const key of keys) this.#dirty.add(key);
      this.#dirtySince = Math.min(this.#dirtySince, since);
      throw error;
    });
    this.#flushing = written.then(
      () => {
        this.#flushing = undefined;
        // writes that came in during the flush may be due already
        this.#flushIfDue();
      },
      () => {
        // no retry at once: a store that is down would be hammered; the next set or tick retries
        this.#flushing = undefined;
      },
    );
    return written;
  }
}

export interface WriteThroughOptions<V> {
  store: Store<V>;
}

export class WriteThroughCache<V> {
  readonly #store: Store<V>;
  readonly #values = new Map<string, V>();

  constructor({ store }: WriteThroughOptions<V>) {
    this.#store = store;
  }

  /** the key's value: the cached one, else read from the store */
  async get(key: string): Promise<V | undefined> {
    if (this.#values.has(key)) return this.#values.get(key);
    const value = await this.#store.read(key);
    if (this.#values.has(key)) return this.#values.get(key);
    if (value !== undefined) this.#values.set(key, value);
    return value;
  }

  /** the store first; the cache takes the value only once the store has it. A store failure rejects and changes nothing. */
  async set(key: string, value: V): Promise<void> {
    await this.#store.write([[key, value]]);
    this.#values.set(key, value);
  }
}
