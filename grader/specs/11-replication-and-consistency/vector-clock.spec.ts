import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compare,
  increment,
  merge,
  SiblingStore,
  type VectorClock,
} from "#kata/11-replication-and-consistency/vector-clock";
import { prop } from "#spec";

type Order = "before" | "after" | "equal" | "concurrent";

const show = (clock: VectorClock) => JSON.stringify(clock);

/** the definition, written independently of any kata: entry by entry over both clocks' writers, missing = 0 */
function orderOf(a: VectorClock, b: VectorClock): Order {
  const writers = new Set([...Object.keys(a), ...Object.keys(b)]);
  const ahead = (x: VectorClock, y: VectorClock) => [...writers].some((w) => (x[w] ?? 0) > (y[w] ?? 0));
  const [aAhead, bAhead] = [ahead(a, b), ahead(b, a)];
  return aAhead && bAhead ? "concurrent" : aAhead ? "after" : bAhead ? "before" : "equal";
}

/** a clock without its zero entries, so that clocks that mean the same compare equal with toEqual */
function normal(clock: VectorClock): Record<string, number> {
  return Object.fromEntries(
    Object.entries(clock)
      .filter(([, count]) => count !== 0)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  );
}

function expectOrder(a: VectorClock, b: VectorClock, order: Order): void {
  expect(compare(a, b), `compare(${show(a)}, ${show(b)})`).toBe(order);
}

function expectClock(actual: VectorClock, expected: VectorClock, call: string): void {
  expect(normal(actual), `${call} (zero entries left out)`).toEqual(normal(expected));
}

/** a key's siblings as plain data, clocks without zero entries, in value order: any order is right */
function siblingsOf<T>(store: SiblingStore<T>, key: string): Array<{ value: T; clock: Record<string, number> }> {
  return store
    .get(key)
    .map((version) => ({ value: version.value, clock: normal(version.clock) }))
    .sort((x, y) => (String(x.value) < String(y.value) ? -1 : String(x.value) > String(y.value) ? 1 : 0));
}

const WRITERS = ["a", "b", "c", "d"] as const;

/** a clock over a few writers with small counts, some entries missing and some explicitly 0 */
const clockArb: fc.Arbitrary<VectorClock> = fc.dictionary(fc.constantFrom(...WRITERS), fc.nat({ max: 3 }), {
  maxKeys: WRITERS.length,
});

/** a clock that has seen at least as much as `clock`: some counts raised, maybe a writer added */
const growArb = (clock: VectorClock) =>
  fc.dictionary(fc.constantFrom(...WRITERS), fc.nat({ max: 2 }), { maxKeys: WRITERS.length }).map((extra) => {
    const grown: Record<string, number> = { ...clock };
    for (const [writer, more] of Object.entries(extra)) grown[writer] = (grown[writer] ?? 0) + more;
    return grown as VectorClock;
  });

const MIRROR: Record<Order, Order> = { before: "after", after: "before", equal: "equal", concurrent: "concurrent" };

describe("compare", () => {
  it("reports a clock that saw everything another saw, and more, as after it", () => {
    expectOrder({ a: 1 }, { a: 2 }, "before");
    expectOrder({ a: 2 }, { a: 1 }, "after");
    expectOrder({ a: 1, b: 2 }, { a: 1, b: 3 }, "before");
    expectOrder({ a: 2, b: 1 }, { a: 3, b: 2 }, "before");
    expectOrder({ a: 1 }, { a: 1, b: 1 }, "before");
    expectOrder({}, { c: 1 }, "before");
    expectOrder({ a: 3, b: 2, c: 1 }, { a: 3, b: 1 }, "after");
  });

  it("reports two writes that saw different events as concurrent, whatever their totals", () => {
    // same sum, different writers: neither saw the other
    expectOrder({ a: 2 }, { a: 1, b: 1 }, "concurrent");
    expectOrder({ a: 1, b: 1 }, { a: 2 }, "concurrent");
    // a much larger total is still concurrent if it missed one event
    expectOrder({ a: 1 }, { b: 5, c: 5 }, "concurrent");
    expectOrder({ a: 5, b: 1 }, { a: 1, b: 2 }, "concurrent");
    expectOrder({ a: 1, b: 0 }, { b: 1 }, "concurrent");
  });

  it("reports equal clocks as equal, not concurrent", () => {
    expectOrder({}, {}, "equal");
    expectOrder({ a: 1 }, { a: 1 }, "equal");
    expectOrder({ a: 2, b: 7, c: 1 }, { c: 1, b: 7, a: 2 }, "equal");
  });

  it("counts a missing entry as 0: {a: 1} equals {a: 1, b: 0}", () => {
    expectOrder({ a: 1 }, { a: 1, b: 0 }, "equal");
    expectOrder({ a: 1, b: 0 }, { a: 1 }, "equal");
    expectOrder({ b: 0 }, {}, "equal");
    expectOrder({ a: 0, b: 0 }, { c: 0 }, "equal");
    expectOrder({ a: 1, c: 0 }, { a: 2, b: 0 }, "before");
    expectOrder({ a: 1, b: 0 }, { a: 1, c: 1 }, "before");
  });
});

describe("merge and increment", () => {
  it("merge takes the larger count of each writer in either clock", () => {
    expectClock(merge({ a: 1, b: 5 }, { a: 3, b: 2 }), { a: 3, b: 5 }, "merge({a:1,b:5}, {a:3,b:2})");
    expectClock(merge({ a: 2 }, { b: 4 }), { a: 2, b: 4 }, "merge({a:2}, {b:4})");
    expectClock(merge({}, { c: 1 }), { c: 1 }, "merge({}, {c:1})");
    expectClock(merge({ a: 1, b: 0 }, { b: 2 }), { a: 1, b: 2 }, "merge({a:1,b:0}, {b:2})");
  });

  it("increment adds one event of the writer, from 0 for a writer the clock lacks", () => {
    expectClock(increment({}, "a"), { a: 1 }, 'increment({}, "a")');
    expectClock(increment({ a: 1 }, "a"), { a: 2 }, 'increment({a:1}, "a")');
    expectClock(increment({ a: 4, b: 2 }, "b"), { a: 4, b: 3 }, 'increment({a:4,b:2}, "b")');
    expectClock(increment({ a: 4 }, "c"), { a: 4, c: 1 }, 'increment({a:4}, "c")');
  });

  it("never changes the clocks it is given", () => {
    const a = { a: 1, b: 5 };
    const b = { a: 3, c: 1 };
    merge(a, b);
    merge(b, a);
    increment(a, "a");
    increment(b, "d");
    expect({ a, b }, "the arguments of merge and increment, after the calls").toEqual({
      a: { a: 1, b: 5 },
      b: { a: 3, c: 1 },
    });
  });
});

describe("properties of compare", () => {
  prop(
    "compare follows the definition, entry by entry with missing entries as 0",
    fc.tuple(clockArb, clockArb),
    ([a, b]) => {
      expectOrder(a, b, orderOf(a, b));
    },
  );

  prop("is antisymmetric: compare(b, a) mirrors compare(a, b)", fc.tuple(clockArb, clockArb), ([a, b]) => {
    expect(compare(b, a), `compare(${show(b)}, ${show(a)}) against compare(${show(a)}, ${show(b)})`).toBe(
      MIRROR[compare(a, b)],
    );
  });

  prop(
    "is transitive: a before-or-equal b and b before-or-equal c make a before-or-equal c",
    clockArb.chain((a) => growArb(a).chain((b) => growArb(b).map((c) => [a, b, c] as const))),
    ([a, b, c]) => {
      const expected = orderOf(a, c);
      expect(["before", "equal"], `orderOf(a, c) for a = ${show(a)}, c = ${show(c)}`).toContain(expected);
      expectOrder(a, c, expected);
      expectOrder(a, b, orderOf(a, b));
      expectOrder(b, c, orderOf(b, c));
    },
  );

  prop(
    "an increment is after the clock it came from",
    fc.tuple(clockArb, fc.constantFrom(...WRITERS)),
    ([clock, w]) => {
      const next = increment(clock, w);
      expectOrder(clock, next, "before");
      expect(next[w], `increment(${show(clock)}, "${w}")["${w}"]`).toBe((clock[w] ?? 0) + 1);
      expectClock({ ...next, [w]: clock[w] ?? 0 }, clock, `increment(${show(clock)}, "${w}") apart from "${w}"`);
    },
  );
});

describe("properties of merge", () => {
  prop("is commutative: merge(a, b) equals merge(b, a)", fc.tuple(clockArb, clockArb), ([a, b]) => {
    expectOrder(merge(a, b), merge(b, a), "equal");
  });

  prop(
    "is associative: merge(merge(a, b), c) equals merge(a, merge(b, c))",
    fc.tuple(clockArb, clockArb, clockArb),
    ([a, b, c]) => {
      expectOrder(merge(merge(a, b), c), merge(a, merge(b, c)), "equal");
    },
  );

  prop("is idempotent: merge(a, a) equals a", clockArb, (a) => {
    expectOrder(merge(a, a), a, "equal");
  });

  prop(
    "is the least upper bound: after-or-equal both, and before-or-equal any clock after-or-equal both",
    fc.tuple(clockArb, clockArb),
    ([a, b]) => {
      const m = merge(a, b);
      const call = `merge(${show(a)}, ${show(b)}) = ${show(m)}`;
      expect(["after", "equal"], `${call} against ${show(a)}`).toContain(compare(m, a));
      expect(["after", "equal"], `${call} against ${show(b)}`).toContain(compare(m, b));
      const least: Record<string, number> = {};
      for (const w of new Set([...Object.keys(a), ...Object.keys(b)])) least[w] = Math.max(a[w] ?? 0, b[w] ?? 0);
      expectClock(m, least, call);
    },
  );
});

describe("siblings", () => {
  it("keeps both of two concurrent writes as siblings", () => {
    const store = new SiblingStore<string>();
    expect(store.put("cart", "book", { x: 2 }), "put(book, {x:2}) into an empty key").toBe(true);
    expect(store.put("cart", "pen", { x: 1, y: 1 }), "put(pen, {x:1,y:1}) beside {x:2}").toBe(true);
    const values = store.get("cart").map((v) => v.value);
    expect(values.sort(), "the siblings of cart after two concurrent puts").toEqual(["book", "pen"]);
  });

  it("drops a sibling a newer write dominates, and keeps the ones it does not", () => {
    const store = new SiblingStore<string>();
    store.put("k", "v1", { a: 1 });
    store.put("k", "w1", { b: 1 });
    expect(store.put("k", "v2", { a: 2 }), "put(v2, {a:2}) over {a:1} and {b:1}").toBe(true);
    expect(
      store
        .get("k")
        .map((v) => v.value)
        .sort(),
      "siblings after {a:1}, {b:1}, then {a:2}",
    ).toEqual(["v2", "w1"]);
    expect(store.put("k", "merged", { a: 2, b: 1 }), "put(merged, {a:2,b:1}) over both").toBe(true);
    expect(siblingsOf(store, "k"), "siblings after a write that saw both").toEqual([
      { value: "merged", clock: { a: 2, b: 1 } },
    ]);
  });

  it("ignores a write that a kept sibling has already seen, or a repeat of one it holds", () => {
    const store = new SiblingStore<string>();
    store.put("k", "new", { a: 3, b: 1 });
    expect(store.put("k", "old", { a: 2, b: 1 }), "put(old, {a:2,b:1}) under {a:3,b:1}").toBe(false);
    expect(store.put("k", "new", { a: 3, b: 1 }), "the same version delivered again").toBe(false);
    expect(store.put("k", "new", { a: 3, b: 1, c: 0 }), "the same version with a zero entry").toBe(false);
    expect(siblingsOf(store, "k"), "siblings of k").toEqual([{ value: "new", clock: { a: 3, b: 1 } }]);
  });

  it("keeps keys apart, and has no siblings and an empty context for a key never written", () => {
    const store = new SiblingStore<number>();
    store.put("a", 1, { x: 1 });
    store.put("b", 2, { y: 1 });
    expect(siblingsOf(store, "a"), "siblings of a").toEqual([{ value: 1, clock: { x: 1 } }]);
    expect(store.get("none"), "siblings of a key never written").toEqual([]);
    expectClock(store.context("none"), {}, 'context("none")');
  });

  it("gives as context the merge of the siblings' clocks, which a reader's write then supersedes", () => {
    const store = new SiblingStore<string>();
    store.put("k", "x", { a: 2, b: 1 });
    store.put("k", "y", { a: 1, c: 3 });
    const context = store.context("k");
    expectClock(context, { a: 2, b: 1, c: 3 }, "context(k) over {a:2,b:1} and {a:1,c:3}");
    expect(store.put("k", "xy", increment(context, "a")), "a write with the context, incremented").toBe(true);
    expect(
      store.get("k").map((v) => v.value),
      "siblings after the reader's reconciling write",
    ).toEqual(["xy"]);
  });
});

/** the versions no other written version dominates, one per distinct clock: what must be kept */
function maximal(written: readonly VectorClock[]): VectorClock[] {
  const distinct: VectorClock[] = [];
  for (const clock of written) if (!distinct.some((d) => orderOf(d, clock) === "equal")) distinct.push(clock);
  return distinct.filter((clock) => !distinct.some((other) => orderOf(clock, other) === "before"));
}

/** a clock's canonical text: the value written with it, so that equal clocks carry equal values */
const label = (clock: VectorClock) => show(normal(clock));

describe("properties of siblings", () => {
  prop(
    "keeps exactly the writes no other write dominates, whatever order they arrive in, repeats included",
    fc.array(clockArb, { minLength: 1, maxLength: 12 }).chain((clocks) =>
      fc
        .shuffledSubarray([...clocks, ...clocks.slice(0, 3)], {
          minLength: clocks.length + Math.min(3, clocks.length),
        })
        .map((order) => [clocks, order] as const),
    ),
    ([clocks, order]) => {
      const store = new SiblingStore<string>();
      for (const clock of order) store.put("k", label(clock), clock);
      const kept = store
        .get("k")
        .map((v) => v.value)
        .sort();
      const expected = maximal(clocks).map(label).sort();
      expect(kept, `siblings after putting ${order.map(show).join(", ")}`).toEqual(expected);
      for (const version of store.get("k")) {
        expect(label(version.clock), `a sibling's clock against its value`).toBe(version.value);
      }
    },
  );

  prop(
    "answers put with true exactly when the write is neither seen nor superseded by a kept sibling",
    fc.array(clockArb, { minLength: 1, maxLength: 10 }),
    (clocks) => {
      const store = new SiblingStore<string>();
      const sofar: VectorClock[] = [];
      for (const clock of clocks) {
        const fresh = !maximal(sofar).some((kept) => ["after", "equal"].includes(orderOf(kept, clock)));
        expect(store.put("k", label(clock), clock), `put(${show(clock)}) after ${sofar.map(show).join(", ")}`).toBe(
          fresh,
        );
        sofar.push(clock);
      }
    },
  );
});
