/**
 * Kata: write-back cache, and write-through for contrast (difficulty 2, about an hour)
 * Read:  chapters/02-caching/README.md#deep-dive-write-back
 * Grade: npm run grade -- write-back-cache
 * Hint:  npm run hint -- write-back-cache (one more hint each time you ask)
 *
 * Build two caches in front of the same store, with opposite write policies.
 *
 * WriteBackCache: fast writes, a bounded loss window.
 * - [ ] set(key, value) returns at once: the value is in memory, and the key is dirty.
 *       get(key) answers from memory, dirty values included; a miss reads the store and
 *       caches what it finds (undefined: not found, not cached).
 * - [ ] A read that misses and ends after a set() of the same key must not overwrite the
 *       newer value (nor the value a flush would write).
 * - [ ] A flush writes every dirty key, with its latest value, in one store.write() call:
 *       ten sets of one key between flushes are one entry. Start one when maxDirty keys are
 *       dirty (checked on set), or when the oldest dirty write is flushAfterMs old (checked
 *       on set and on tick(); the owner calls tick() on a timer). The age counts from the
 *       oldest write that no flush has taken yet, not the latest: steady writes must not
 *       postpone it, and a write made after a flush started counts from its own time.
 * - [ ] One flush at a time: a second batch in flight could land before the first and let
 *       an older value overwrite a newer one. A flush that falls due while one runs waits
 *       for it, and starts as soon as that one succeeds.
 * - [ ] A key set again while its flush is in flight is dirty again: the next flush writes it.
 * - [ ] A failed store write keeps its keys dirty, with the age of their oldest write and
 *       without overwriting newer values; the next set or tick that finds a flush due retries
 *       it. Background failures are never thrown at anyone (no unhandled rejections).
 * - [ ] flush() waits for the flush in flight, then writes whatever is dirty; it resolves once
 *       the store has it, and rejects with the store's error if the write fails.
 * - [ ] set, get and tick are O(1): the spec times them with 1k and 10k dirty keys.
 * - [ ] A maxDirty that is not a positive integer, or a flushAfterMs that is not positive:
 *       throw a RangeError.
 *
 * WriteThroughCache: every write is durable before it is acknowledged.
 * - [ ] set(key, value) writes [[key, value]] to the store first; once the store resolves,
 *       the cache takes the value and set resolves. Until then reads see the old value.
 * - [ ] If the store rejects, set rejects with its error and the cache is left as it was.
 * - [ ] get(key) answers from the cache; a miss reads the store and caches what it finds.
 */
import { type Clock, todo } from "#kit";

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
  constructor(options: WriteBackOptions<V>) {
    // TODO: check the options; keep the values, the dirty keys, and when the oldest dirty write was made.
    todo("WriteBackCache constructor", options);
  }

  /** the key's value: the cached one (written or read before), else read from the store */
  get(key: string): Promise<V | undefined> {
    // TODO: answer from memory; on a miss read the store, and cache what it says unless a set came first.
    return todo("WriteBackCache.get", key);
  }

  /** acknowledged at once: the value is in memory, and dirty until a flush stores it */
  set(key: string, value: V): void {
    // TODO: keep the value, mark the key dirty, and start a flush if one is due.
    todo("WriteBackCache.set", key, value);
  }

  /** called on a timer by the owner: flushes when the oldest dirty write is flushAfterMs old */
  tick(): void {
    // TODO: start a flush if one is due.
    todo("WriteBackCache.tick");
  }

  /** writes everything dirty now; resolves once the store has it, rejects if the store fails */
  flush(): Promise<void> {
    // TODO: wait for the flush in flight, then write what is dirty in one batch.
    return todo("WriteBackCache.flush");
  }
}

export interface WriteThroughOptions<V> {
  store: Store<V>;
}

export class WriteThroughCache<V> {
  constructor(options: WriteThroughOptions<V>) {
    // TODO: keep the store and a map of cached values.
    todo("WriteThroughCache constructor", options);
  }

  /** the key's value: the cached one, else read from the store */
  get(key: string): Promise<V | undefined> {
    // TODO: answer from the cache; on a miss read the store and cache what it says.
    return todo("WriteThroughCache.get", key);
  }

  /** the store first; the cache takes the value only once the store has it. A store failure rejects and changes nothing. */
  set(key: string, value: V): Promise<void> {
    // TODO: write to the store, and only then to the cache.
    return todo("WriteThroughCache.set", key, value);
  }
}
