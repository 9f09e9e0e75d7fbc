import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/02-caching/lfu-cache";
import * as reference from "#ref/02-caching/lfu-cache";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, prop, seedFor } from "#spec";
import chapter from "../../../chapters/02-caching/chapter.ts";
import { uniformPicks, zipfKeys } from "./_workloads.ts";

const { budgets } = kataOf(chapter, "02-caching", "lfu-cache");

function lfu<V = string>(capacity: number) {
  return new learner.LfuCache<string, V>({ capacity });
}

/** the keys of `keys` that the cache holds, without counting a use */
function held(cache: { frequency(key: string): number }, keys: string[]): string[] {
  return keys.filter((key) => cache.frequency(key) > 0);
}

/** uses the key `times` times with get */
function use(cache: { get(key: string): unknown }, key: string, times: number): void {
  for (let i = 0; i < times; i++) cache.get(key);
}

describe("lookups and counts", () => {
  it("returns what was set, and undefined for a key never set", () => {
    const cache = lfu(3);
    cache.set("a", "apple");
    cache.set("b", "banana");
    expect(cache.get("a"), 'get(a) after set(a, "apple")').toBe("apple");
    expect(cache.get("b"), 'get(b) after set(b, "banana")').toBe("banana");
    expect(cache.get("c"), "get(c), never set").toBeUndefined();
    expect(cache.size, "size after setting a and b").toBe(2);
  });

  it("counts uses: a new key starts at 1 and each get adds 1", () => {
    const cache = lfu(3);
    cache.set("a", "apple");
    expect(cache.frequency("a"), "frequency(a) after set(a)").toBe(1);
    use(cache, "a", 4);
    expect(cache.frequency("a"), "after set and 4 gets").toBe(5);
    expect(cache.frequency("a"), "frequency() itself is not a use").toBe(5);
    expect(cache.frequency("zzz"), "a key never set").toBe(0);
  });

  it("setting an existing key replaces its value and counts as a use, like a get", () => {
    const cache = lfu(3);
    cache.set("a", "apple");
    cache.set("a", "avocado");
    expect(cache.frequency("a"), "after two sets").toBe(2);
    expect(cache.get("a"), 'get(a) after set(a, "apple"), set(a, "avocado")').toBe("avocado");
    expect(cache.size, "size after setting one key twice").toBe(1);
  });

  it("delete removes a key and its count, and says whether it was there", () => {
    const cache = lfu(3);
    cache.set("a", "apple");
    use(cache, "a", 3);
    expect(cache.delete("a"), "delete(a) after set(a) and 3 gets").toBe(true);
    expect(cache.delete("a"), "delete(a) a second time").toBe(false);
    expect(cache.get("a"), "get(a) after delete(a)").toBeUndefined();
    expect(cache.frequency("a"), "frequency(a) after delete(a)").toBe(0);
    expect(cache.size, "size after delete(a)").toBe(0);
  });
});

describe("eviction", () => {
  it("evicts the least frequently used entry when a new key arrives in a full cache", () => {
    const cache = lfu(3);
    for (const key of ["a", "b", "c"]) cache.set(key, key);
    use(cache, "a", 2);
    use(cache, "c", 1);
    // counts: a 3, b 1, c 2
    cache.set("d", "d");
    expect(held(cache, ["a", "b", "c", "d"]), "held after d arrives, with a used 3 times, b 1, c 2").toEqual([
      "a",
      "c",
      "d",
    ]);
  });

  it("among equally frequent keys, evicts the least recently used", () => {
    const cache = lfu(3);
    for (const key of ["a", "b", "c"]) cache.set(key, key);
    use(cache, "b", 1);
    use(cache, "a", 1);
    use(cache, "c", 1);
    // all three at 2; b was used longest ago
    cache.set("d", "d");
    expect(held(cache, ["a", "b", "c", "d"]), "held after d, with a, b, c at 2 and b used first").toEqual([
      "a",
      "c",
      "d",
    ]);
    use(cache, "d", 1);
    // a, c, d at 2, in that order of last use
    cache.set("e", "e");
    expect(held(cache, ["a", "c", "d", "e"]), "held after e, with a, c, d at 2 and a used first").toEqual([
      "c",
      "d",
      "e",
    ]);
  });

  it("a new key starts at frequency 1, so it is the next to go", () => {
    const cache = lfu(2);
    cache.set("a", "a");
    cache.set("b", "b");
    use(cache, "a", 1);
    use(cache, "b", 1);
    // both at 2: c evicts a, the least recently used of them, and starts at 1
    cache.set("c", "c");
    expect(cache.frequency("c"), "a key just stored").toBe(1);
    cache.set("d", "d");
    expect(held(cache, ["a", "b", "c", "d"]), "held after d, with b at 2 and c at 1").toEqual(["b", "d"]);
  });

  it("a key that comes back after eviction or delete starts again from frequency 1", () => {
    const cache = lfu(2);
    cache.set("big", "b");
    use(cache, "big", 19);
    cache.set("hot", "h");
    use(cache, "hot", 9);
    // y evicts hot (10), less used than big (20)
    cache.set("y", "y");
    expect(held(cache, ["big", "hot", "y"]), "held after y arrives, with big at 20 and hot at 10").toEqual([
      "big",
      "y",
    ]);
    cache.set("hot", "again");
    expect(cache.frequency("hot"), "hot, stored again after its eviction").toBe(1);

    const other = lfu(2);
    other.set("hot", "h");
    use(other, "hot", 9);
    other.delete("hot");
    other.set("mid", "m");
    use(other, "mid", 4);
    other.set("hot", "again");
    // hot is back at 1, below mid (5): z evicts hot
    other.set("z", "z");
    expect(held(other, ["hot", "mid", "z"]), "held after z, with hot stored again after a delete").toEqual([
      "mid",
      "z",
    ]);
  });

  it("after a delete empties the lowest count, the next lowest is the victim", () => {
    const cache = lfu(3);
    for (const key of ["a", "b", "c"]) cache.set(key, key);
    use(cache, "b", 1);
    use(cache, "c", 2);
    // a 1, b 2, c 3
    cache.delete("a");
    cache.set("d", "d");
    cache.delete("d");
    cache.set("e", "e");
    cache.set("f", "f");
    expect(held(cache, ["b", "c", "e", "f"]), "held after e (1) and f arrive with b at 2, c at 3").toEqual([
      "b",
      "c",
      "f",
    ]);
  });

  it("never holds more than capacity entries, however many keys pass through", () => {
    const cache = lfu<number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(`user:${i}`, i);
    expect(cache.size, "entries held after 10,000 distinct keys in a cache of 100").toBe(100);
  });

  it("throws a RangeError for a capacity that is not a positive integer", () => {
    for (const capacity of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => new learner.LfuCache({ capacity }), RangeError, `capacity ${capacity}`);
    }
  });
});

/** the contract, by brute force: the victim is the smallest (count, last use) */
class ModelLfu {
  entries = new Map<string, { value: number; count: number; lastUse: number }>();
  #tick = 0;

  constructor(readonly capacity: number) {}

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.count++;
    entry.lastUse = this.#tick++;
    return entry.value;
  }

  set(key: string, value: number): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.count++;
      entry.lastUse = this.#tick++;
      return;
    }
    if (this.entries.size >= this.capacity) {
      let victim: string | undefined;
      let best = { count: Number.POSITIVE_INFINITY, lastUse: Number.POSITIVE_INFINITY };
      for (const [k, e] of this.entries) {
        if (e.count < best.count || (e.count === best.count && e.lastUse < best.lastUse)) {
          victim = k;
          best = e;
        }
      }
      this.entries.delete(victim as string);
    }
    this.entries.set(key, { value, count: 1, lastUse: this.#tick++ });
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  frequency(key: string): number {
    return this.entries.get(key)?.count ?? 0;
  }
}

type Op = { op: "get" | "delete" | "frequency"; key: string } | { op: "set"; key: string; value: number };

const key = fc.constantFrom("a", "b", "c", "d", "e", "f");
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("get" as const), key }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("delete" as const, "frequency" as const), key }) },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant("set" as const), key, value: fc.integer({ min: 0, max: 999 }) }),
    },
  ),
  { maxLength: 80, size: "max" },
);

describe("properties", () => {
  prop(
    "agrees with a model LFU on every get, delete, frequency and size",
    fc.record({ capacity: fc.integer({ min: 1, max: 5 }), ops }),
    ({ capacity, ops }) => {
      const cache = lfu<number>(capacity);
      const model = new ModelLfu(capacity);
      const trace: string[] = [];
      for (const step of ops) {
        if (step.op === "set") {
          cache.set(step.key, step.value);
          model.set(step.key, step.value);
          trace.push(`set(${step.key}, ${step.value})`);
        } else {
          const actual = cache[step.op](step.key);
          const expected = model[step.op](step.key);
          trace.push(`${step.op}(${step.key}) → ${String(actual)}`);
          expect(actual, `${trace.join(", ")}: expected ${String(expected)}`).toBe(expected);
        }
        expect(cache.size, `size after ${trace.join(", ")}`).toBe(model.entries.size);
      }
    },
  );
});

describe("performance against the reference", () => {
  interface Cache {
    get(key: string): number | undefined;
    set(key: string, value: number): void;
  }
  type Impl = typeof learner | typeof reference;

  loadTest("keeps pace with the reference: 100k cache-aside calls on Zipf keys", budgets, () => {
    const ops = 100_000;
    const names = Array.from({ length: 100_000 }, (_, i) => `key:${i}`);
    const keys = Array.from(zipfKeys(seedFor("lfu-cache load"), ops, names.length), (rank) => names[rank] as string);
    const make = (impl: Impl) => (): Cache => new impl.LfuCache<string, number>({ capacity: 10_000 });
    return compareLoad<Cache>({
      learner: make(learner),
      reference: make(reference),
      ops,
      run: (cache, from, to) => {
        let hits = 0;
        for (let i = from; i < to; i++) {
          const key = keys[i] as string;
          if (cache.get(key) === undefined) cache.set(key, i);
          else hits++;
        }
        return hits;
      },
      // counts and ties fix every eviction: any correct LFU has the same hits
      answers: { what: "cache hits" },
    });
  });

  loadTest("a call costs the same with 1k or 10k entries held", budgets, () => {
    // half the calls read a held key, half set a new key and evict one
    const ops = 100_000;
    const picks = uniformPicks(seedFor("lfu-cache growth"), ops);
    const holding = (impl: Impl) => (size: number) => {
      const cache = new impl.LfuCache<number, number>({ capacity: size });
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
            if (s.cache.get(Math.floor((picks[i] as number) * s.size)) !== undefined) hits++;
          } else s.cache.set(s.next++, i);
        }
        return hits;
      },
      answers: { what: "cache hits" },
    });
  });
});
