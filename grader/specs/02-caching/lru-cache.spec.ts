import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/02-caching/lru-cache";
import * as reference from "#ref/02-caching/lru-cache";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, ManualClock, prop, seedFor } from "#spec";
import chapter from "../../../chapters/02-caching/chapter.ts";
import { uniformPicks, zipfKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "02-caching", "lru-cache");

function lru<V = string>(capacity: number, clock = new ManualClock(), ttlMs?: number) {
  return new learner.LruCache<string, V>({ capacity, clock, ...(ttlMs === undefined ? {} : { ttlMs }) });
}

/** the keys of `keys` that the cache holds live, without touching recency */
function held(cache: { has(key: string): boolean }, keys: string[]): string[] {
  return keys.filter((key) => cache.has(key));
}

describe("lookups", () => {
  it("returns what was set, and undefined for a key never set", () => {
    const cache = lru(3);
    cache.set("a", "apple");
    cache.set("b", "banana");
    expect(cache.get("a"), 'get(a) after set(a, "apple")').toBe("apple");
    expect(cache.get("b"), 'get(b) after set(b, "banana")').toBe("banana");
    expect(cache.get("c"), "get(c), never set").toBeUndefined();
    expect(cache.has("a"), "has(a)").toBe(true);
    expect(cache.has("c"), "has(c), never set").toBe(false);
  });

  it("setting an existing key replaces its value", () => {
    const cache = lru(3);
    cache.set("a", "apple");
    cache.set("a", "avocado");
    expect(cache.get("a"), 'get(a) after set(a, "apple"), set(a, "avocado")').toBe("avocado");
    expect(cache.size, "size after setting one key twice").toBe(1);
  });

  it("delete removes a key and says whether a live entry was there", () => {
    const cache = lru(3);
    cache.set("a", "apple");
    expect(cache.delete("a"), "delete(a) after set(a)").toBe(true);
    expect(cache.delete("a"), "delete(a) a second time").toBe(false);
    expect(cache.get("a"), "get(a) after delete(a)").toBeUndefined();
    expect(cache.size, "size after delete(a)").toBe(0);
  });
});

describe("eviction", () => {
  it("evicts the least recently used entry when a new key arrives in a full cache", () => {
    const cache = lru(3);
    for (const key of ["a", "b", "c", "d"]) cache.set(key, key);
    expect(held(cache, ["a", "b", "c", "d"]), "held after a, b, c, d in a cache of 3").toEqual(["b", "c", "d"]);
    cache.set("e", "e");
    expect(held(cache, ["a", "b", "c", "d", "e"]), "held after e as well").toEqual(["c", "d", "e"]);
  });

  it("get makes an entry the most recently used", () => {
    const cache = lru(3);
    for (const key of ["a", "b", "c"]) cache.set(key, key);
    cache.get("a");
    cache.set("d", "d");
    expect(held(cache, ["a", "b", "c", "d"]), "held after a, b, c, get a, then d").toEqual(["a", "c", "d"]);
  });

  it("has looks without making an entry the most recently used", () => {
    const cache = lru(3);
    for (const key of ["a", "b", "c"]) cache.set(key, key);
    expect(cache.has("a"), "has(a) after a, b, c").toBe(true);
    cache.set("d", "d");
    expect(cache.has("a"), "a, the least recently used despite has(a), is evicted by d").toBe(false);
  });

  it("setting an existing key makes it the most recently used and evicts nothing", () => {
    const cache = lru(3);
    for (const key of ["a", "b", "c"]) cache.set(key, key);
    cache.set("b", "again");
    expect(held(cache, ["a", "b", "c"]), "held after updating b in a full cache").toEqual(["a", "b", "c"]);
    cache.set("d", "d");
    expect(held(cache, ["a", "b", "c", "d"]), "then d evicts a, the least recently used").toEqual(["b", "c", "d"]);
  });

  it("never holds more than capacity entries, however many keys pass through", () => {
    const cache = lru<number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(`user:${i}`, i);
    expect(cache.size, "entries held after 10,000 distinct keys in a cache of 100").toBe(100);
    expect(cache.get("user:9999"), "the most recent key").toBe(9999);
    expect(cache.get("user:9899"), "the 101st most recent key").toBeUndefined();
  });
});

describe("time to live", () => {
  it("returns an entry until its TTL has passed, and never after", () => {
    const clock = new ManualClock(1000);
    const cache = lru(3, clock, 500);
    cache.set("a", "apple");
    clock.set(1499);
    expect(cache.get("a"), "499 ms after set, TTL 500 ms").toBe("apple");
    clock.set(1500);
    expect(cache.get("a"), "500 ms after set, TTL 500 ms").toBeUndefined();
    expect(cache.has("a"), "has(a) 500 ms after set, TTL 500 ms").toBe(false);
  });

  it("a TTL given to set overrides the default, for that entry only", () => {
    const clock = new ManualClock();
    const cache = lru(3, clock, 1000);
    cache.set("short", "s", 100);
    cache.set("default", "d");
    clock.set(100);
    expect(cache.get("short"), "get(short) at 100 ms, set at 0 with TTL 100").toBeUndefined();
    expect(cache.get("default"), "get(default) at 100 ms, set at 0 with the default TTL 1000").toBe("d");
    clock.set(1000);
    expect(cache.get("default"), "get(default) at 1000 ms, default TTL 1000").toBeUndefined();
  });

  it("without a TTL, entries never expire", () => {
    const clock = new ManualClock();
    const cache = lru(3, clock);
    cache.set("a", "apple");
    clock.set(365 * 24 * 3600 * 1000);
    expect(cache.get("a"), "get(a) a year after set, no TTL").toBe("apple");
  });

  it("takes Infinity as a TTL: the entry never expires", () => {
    const clock = new ManualClock();
    const infinite = Number.POSITIVE_INFINITY;
    const cache = lru(3, clock, infinite);
    cache.set("a", "apple");
    const other = lru(3, clock, 100);
    other.set("b", "banana", infinite);
    clock.set(365 * 24 * 3600 * 1000);
    expect(cache.get("a"), "get(a) a year after set, default ttlMs Infinity").toBe("apple");
    expect(other.get("b"), "get(b) a year after set(b, banana, Infinity), default ttlMs 100").toBe("banana");
  });

  it("get does not extend the TTL; setting the key again restarts it", () => {
    const clock = new ManualClock();
    const cache = lru(3, clock, 100);
    cache.set("a", "apple");
    clock.set(90);
    expect(cache.get("a"), "get(a) 90 ms after set, TTL 100").toBe("apple");
    clock.set(100);
    expect(cache.get("a"), "100 ms after set, read at 90 ms").toBeUndefined();
    cache.set("a", "again");
    clock.set(199);
    expect(cache.get("a"), "99 ms after the second set").toBe("again");
  });

  it("an expired entry is removed when it is read: size no longer counts it", () => {
    const clock = new ManualClock();
    const cache = lru(3, clock, 100);
    cache.set("a", "apple");
    cache.set("b", "banana");
    clock.set(100);
    expect(cache.get("a"), "get(a) 100 ms after set, TTL 100").toBeUndefined();
    expect(cache.size, "entries held after reading expired a (b, also expired, is untouched)").toBe(1);
    expect(cache.delete("b"), "delete of an expired entry: there was nothing live").toBe(false);
    expect(cache.size, "entries held after delete(b) of expired b").toBe(0);
  });

  it("has, like get and delete, removes an expired entry it finds", () => {
    const clock = new ManualClock();
    const cache = lru(3, clock, 100);
    cache.set("a", "apple");
    cache.set("b", "banana");
    clock.set(100);
    expect(cache.size, "entries held at 100 ms, a and b expired and untouched").toBe(2);
    expect(cache.has("a"), "has(a) 100 ms after set, TTL 100").toBe(false);
    expect(cache.size, "entries held after has(a) found a expired").toBe(1);
  });

  it("eviction takes the least recently used entry, even when a more recent one has expired", () => {
    const clock = new ManualClock();
    const cache = lru(2, clock);
    cache.set("a", "apple");
    cache.set("b", "banana", 10);
    clock.set(20);
    // b expired at 10 ms but nothing touched it: it still holds its slot, and a is the least recently used
    cache.set("c", "cherry");
    expect(cache.size, "entries held after c arrives in a full cache of 2 (a, then b expired at 10 ms)").toBe(2);
    expect(cache.get("c"), "get(c)").toBe("cherry");
    expect(cache.get("a"), "get(a), the least recently used when c arrived").toBeUndefined();
  });
});

describe("options", () => {
  it("throws a RangeError for a capacity that is not a positive integer", () => {
    const clock = new ManualClock();
    for (const capacity of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => new learner.LruCache({ capacity, clock }), RangeError, `capacity ${capacity}`);
    }
  });

  it("throws a RangeError for a TTL that is not a positive number of ms", () => {
    const clock = new ManualClock();
    for (const ttlMs of [0, -5, Number.NaN]) {
      expectThrows(() => new learner.LruCache({ capacity: 1, ttlMs, clock }), RangeError, `ttlMs ${ttlMs}`);
      expectThrows(
        () => new learner.LruCache<string, number>({ capacity: 1, clock }).set("a", 1, ttlMs),
        RangeError,
        `set("a", 1, ${ttlMs})`,
      );
    }
  });
});

/** the contract as an array, most recently used first: obviously right, and O(n) */
class ModelLru {
  entries: Array<{ key: string; value: number; expiresAt: number }> = [];

  constructor(
    readonly capacity: number,
    readonly ttlMs: number,
  ) {}

  #live(key: string, now: number): number {
    const index = this.entries.findIndex((e) => e.key === key);
    if (index >= 0 && (this.entries[index] as { expiresAt: number }).expiresAt <= now) {
      this.entries.splice(index, 1);
      return -1;
    }
    return index;
  }

  get(key: string, now: number): number | undefined {
    const index = this.#live(key, now);
    if (index < 0) return undefined;
    const [entry] = this.entries.splice(index, 1);
    this.entries.unshift(entry as { key: string; value: number; expiresAt: number });
    return entry?.value;
  }

  has(key: string, now: number): boolean {
    return this.#live(key, now) >= 0;
  }

  delete(key: string, now: number): boolean {
    const index = this.#live(key, now);
    if (index >= 0) this.entries.splice(index, 1);
    return index >= 0;
  }

  set(key: string, value: number, now: number, ttlMs = this.ttlMs): void {
    const index = this.entries.findIndex((e) => e.key === key);
    if (index >= 0) this.entries.splice(index, 1);
    else if (this.entries.length >= this.capacity) this.entries.pop();
    this.entries.unshift({ key, value, expiresAt: now + ttlMs });
  }
}

type Op =
  | { op: "get" | "has" | "delete"; key: string }
  | { op: "set"; key: string; value: number; ttlMs: number | undefined }
  | { op: "advance"; ms: number };

const key = fc.constantFrom("a", "b", "c", "d", "e", "f");
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constantFrom("get" as const, "has" as const, "delete" as const), key }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("set" as const),
        key,
        value: fc.integer({ min: 0, max: 999 }),
        ttlMs: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: 30 }) }) },
  ),
  { maxLength: 60, size: "max" },
);

describe("properties", () => {
  prop(
    "agrees with a model LRU on every get, has, delete and size, with per-entry TTLs",
    fc.record({
      capacity: fc.integer({ min: 1, max: 5 }),
      ttlMs: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      ops,
    }),
    ({ capacity, ttlMs, ops }) => {
      const clock = new ManualClock();
      const cache = lru<number>(capacity, clock, ttlMs);
      const model = new ModelLru(capacity, ttlMs ?? Number.POSITIVE_INFINITY);
      const trace: string[] = [];
      for (const step of ops) {
        const now = clock.now();
        if (step.op === "advance") {
          clock.advance(step.ms);
          trace.push(`t=${clock.now()}`);
          continue;
        }
        if (step.op === "set") {
          if (step.ttlMs === undefined) cache.set(step.key, step.value);
          else cache.set(step.key, step.value, step.ttlMs);
          model.set(step.key, step.value, now, step.ttlMs);
          trace.push(`set(${step.key}, ${step.value}${step.ttlMs === undefined ? "" : `, ${step.ttlMs}`})`);
        } else {
          const actual = cache[step.op](step.key);
          const expected = model[step.op](step.key, now);
          trace.push(`${step.op}(${step.key}) → ${String(actual)}`);
          expect(actual, `${trace.join(", ")}: expected ${String(expected)}`).toBe(expected);
        }
        expect(cache.size, `size after ${trace.join(", ")}`).toBe(model.entries.length);
      }
    },
  );
});

describe("performance against the reference", () => {
  interface Cache {
    get(key: string): number | undefined;
    set(key: string, value: number): void;
  }
  type Subject = { cache: Cache; clock: ManualClock };
  type Impl = typeof learner | typeof reference;

  loadTest("keeps pace with the reference: 100k cache-aside calls on Zipf keys, 60 s TTL", budgets, () => {
    // a key space ten times the capacity: about one read in four misses and evicts
    const ops = 100_000;
    const names = Array.from({ length: 100_000 }, (_, i) => `key:${i}`);
    const keys = Array.from(zipfKeys(seedFor("lru-cache load"), ops, names.length), (rank) => names[rank] as string);
    const make = (impl: Impl) => (): Subject => {
      const clock = new ManualClock();
      return { clock, cache: new impl.LruCache<string, number>({ capacity: 10_000, ttlMs: 60_000, clock }) };
    };
    return compareLoad<Subject>({
      learner: make(learner),
      reference: make(reference),
      ops,
      run: ({ cache, clock }, from, to) => {
        let hits = 0;
        for (let i = from; i < to; i++) {
          clock.set(i >> 7);
          const key = keys[i] as string;
          if (cache.get(key) === undefined) cache.set(key, i);
          else hits++;
        }
        return hits;
      },
      // an LRU's answers are fixed by its contract (the TTL is never reached here): the same hits
      answers: { what: "cache hits" },
    });
  });

  loadTest("a call costs the same with 1k or 10k entries held", budgets, () => {
    // half the calls read a held key, half set a new key and evict one
    const ops = 100_000;
    const picks = uniformPicks(seedFor("lru-cache growth"), ops);
    const holding = (impl: Impl) => (size: number) => {
      const clock = new ManualClock();
      const cache = new impl.LruCache<number, number>({ capacity: size, clock });
      for (let i = 0; i < size; i++) cache.set(i, i);
      return { cache, size, next: size };
    };
    return compareGrowth({
      learner: holding(learner),
      reference: holding(reference),
      n: 1_000,
      ops,
      run: (s, from, to) => {
        let hits = 0;
        for (let i = from; i < to; i++) {
          if (i & 1) {
            if (s.cache.get(s.next - 1 - Math.floor((picks[i] as number) * s.size)) !== undefined) hits++;
          } else s.cache.set(s.next++, i);
        }
        return hits;
      },
      answers: { what: "cache hits" },
    });
  });
});
