// our reference LRU (solutions/02-caching/lru-cache.ts) against npm lru-cache on one cache-aside workload
import { LRUCache } from "lru-cache";
import { LruCache } from "../../solutions/02-caching/lru-cache.ts";
import { ManualClock } from "../kit/clock.ts";
import { compareLoad } from "../load/harness.ts";
import { random, zipf } from "../sim/random.ts";
import type { Comparison, Measured } from "./comparison.ts";

/** what both caches offer this workload */
interface Cache {
  get(key: string): number | undefined;
  set(key: string, value: number): unknown;
}

type MakeCache = (clock: ManualClock) => Cache;
type Subject = { cache: Cache; clock: ManualClock };

const OPS = 200_000;
const KEY_SPACE = 100_000;
const CAPACITY = 10_000;
const WRITE_SHARE = 0.1;
const TTL_MS = 60_000;

interface Workload {
  keys: string[];
  writes: Uint8Array;
}

/**
 * Keys drawn from Zipf(0.99) over 100k keys, ten times the capacity, so the
 * cache evicts all the time; one operation in ten is a write.
 */
function workload(): Workload {
  const names = Array.from({ length: KEY_SPACE }, (_, rank) => `key:${rank}`);
  const rank = zipf(KEY_SPACE, 0.99, random(2002).float);
  const keys = Array.from({ length: OPS }, () => names[rank()] as string);
  const draw = random(2020).float;
  const writes = Uint8Array.from({ length: OPS }, () => (draw() < WRITE_SHARE ? 1 : 0));
  return { keys, writes };
}

/**
 * Operations [from, to): a write stores the key; a read gets it and, on a
 * miss, stores it as if loaded from the database (cache-aside). The clock
 * moves 1 ms every 100 operations. Returns the reads that hit.
 */
function play({ keys, writes }: Workload, { cache, clock }: Subject, from: number, to: number): number {
  let hits = 0;
  for (let i = from; i < to; i++) {
    clock.set(Math.floor(i / 100));
    const key = keys[i] as string;
    if (writes[i] === 1) cache.set(key, i);
    else if (cache.get(key) !== undefined) hits++;
    else cache.set(key, i);
  }
  return hits;
}

function hitRate(work: Workload, make: MakeCache): string {
  const clock = new ManualClock();
  const hits = play(work, { cache: make(clock), clock }, 0, OPS);
  const reads = work.writes.length - work.writes.reduce((sum, w) => sum + w, 0);
  return `hit rate ${((100 * hits) / reads).toFixed(2)}%`;
}

function cacheAside(ours: MakeCache, library: MakeCache): () => Measured {
  return () => {
    const work = workload();
    const subject = (make: MakeCache) => (): Subject => {
      const clock = new ManualClock();
      return { cache: make(clock), clock };
    };
    const result = compareLoad<Subject>({
      learner: subject(ours),
      reference: subject(library),
      ops: OPS,
      maxSlowdown: Number.POSITIVE_INFINITY,
      run: (s, from, to) => {
        play(work, s, from, to);
      },
    });
    return { result, ours: hitRate(work, ours), library: hitRate(work, library) };
  };
}

export const lruComparisons: Comparison[] = [
  {
    name: "LRU: cache-aside, Zipf keys, 10% writes",
    ours: "LruCache (solutions/02-caching/lru-cache.ts)",
    library: "lru-cache",
    target: 0.5,
    measure: cacheAside(
      (clock) => new LruCache<string, number>({ capacity: CAPACITY, clock }),
      () => new LRUCache<string, number>({ max: CAPACITY }),
    ),
  },
  {
    name: "LRU with a 60 s TTL on every entry",
    ours: "LruCache (solutions/02-caching/lru-cache.ts)",
    library: "lru-cache",
    target: 0.5,
    measure: cacheAside(
      (clock) => new LruCache<string, number>({ capacity: CAPACITY, ttlMs: TTL_MS, clock }),
      (clock) => new LRUCache<string, number>({ max: CAPACITY, ttl: TTL_MS, perf: clock }),
    ),
  },
];
