import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/08-search-and-proximity/autocomplete-trie";
import * as reference from "#ref/08-search-and-proximity/autocomplete-trie";
import { compareGrowth, expectThrows, kataOf, loadTest, prop } from "#spec";
import chapter from "../../../chapters/08-search-and-proximity/chapter.ts";

const { budgets } = kataOf(chapter, "08-search-and-proximity", "autocomplete-trie");

type Suggestion = learner.Suggestion;
const trie = (cacheSize: number) => new learner.Autocomplete({ cacheSize });

/** the best k completions by the contract: heavier first, then the query that sorts first as a string */
function bruteForce(weights: Map<string, number>, prefix: string, k: number): Suggestion[] {
  return [...weights]
    .filter(([query]) => query.startsWith(prefix))
    .map(([query, weight]) => ({ query, weight }))
    .sort((a, b) => b.weight - a.weight || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0))
    .slice(0, k);
}

const show = (list: Suggestion[]) => list.map((s) => `${s.query}:${s.weight}`).join(", ") || "(none)";

/** expects topK(prefix, k) to list exactly these completions, naming what was inserted */
function expectTop(t: learner.Autocomplete, prefix: string, k: number, want: [string, number][], history: string) {
  const got = t.topK(prefix, k);
  const expected = want.map(([query, weight]) => ({ query, weight }));
  expect(got, `topK("${prefix}", ${k}) = [${show(got)}] after ${history}; want [${show(expected)}]`).toEqual(expected);
}

describe("suggestions", () => {
  it("suggests the completions of a prefix, heaviest first, at most k", () => {
    const t = trie(5);
    t.insert("apple", 5);
    t.insert("application", 3);
    t.insert("apricot", 4);
    t.insert("banana", 9);
    const history = "apple:5, application:3, apricot:4, banana:9";
    expectTop(
      t,
      "ap",
      5,
      [
        ["apple", 5],
        ["apricot", 4],
        ["application", 3],
      ],
      history,
    );
    expectTop(
      t,
      "app",
      5,
      [
        ["apple", 5],
        ["application", 3],
      ],
      history,
    );
    expectTop(
      t,
      "a",
      2,
      [
        ["apple", 5],
        ["apricot", 4],
      ],
      history,
    );
    expectTop(t, "", 1, [["banana", 9]], history);
    expectTop(t, "b", 0, [], history);
  });

  it("adds each insert's weight to the query's weight; an insert without a weight adds 1", () => {
    const t = trie(3);
    t.insert("cat", 2);
    t.insert("cat");
    t.insert("cat", 0.5);
    expect(t.weight("cat"), "weight(cat) after inserts of 2, 1 (default) and 0.5").toBe(3.5);
    expect(t.weight("dog"), "weight(dog), never inserted").toBe(0);
    expectTop(t, "c", 3, [["cat", 3.5]], "cat:2, cat, cat:0.5");
  });

  it("counts a query as a completion of itself and of the empty prefix", () => {
    const t = trie(3);
    t.insert("go", 2);
    t.insert("golang", 1);
    expectTop(
      t,
      "go",
      3,
      [
        ["go", 2],
        ["golang", 1],
      ],
      "go:2, golang:1",
    );
    expectTop(t, "golang", 3, [["golang", 1]], "go:2, golang:1");
    expectTop(
      t,
      "",
      3,
      [
        ["go", 2],
        ["golang", 1],
      ],
      "go:2, golang:1",
    );
  });

  it("gives nothing for a prefix that no query starts with", () => {
    const t = trie(3);
    t.insert("tea", 1);
    expectTop(t, "x", 3, [], "tea:1");
    expectTop(t, "teapot", 3, [], "tea:1");
  });

  it("breaks ties by the query's text, the same at every prefix and whatever the order of inserts", () => {
    const t = trie(3);
    // inserted in reverse order, and "sun" reaches 2 last
    t.insert("sunset", 2);
    t.insert("sunny", 2);
    t.insert("sun", 1);
    t.insert("sun", 1);
    const history = "sunset:2, sunny:2, sun:1, sun:1";
    for (const prefix of ["", "s", "su", "sun"]) {
      expectTop(
        t,
        prefix,
        3,
        [
          ["sun", 2],
          ["sunny", 2],
          ["sunset", 2],
        ],
        history,
      );
    }
  });

  it("returns copies: changing a result changes nothing in the trie", () => {
    const t = trie(2);
    t.insert("ok", 1);
    const first = t.topK("o", 2);
    (first[0] as Suggestion).weight = 100;
    first.push({ query: "zzz", weight: 1 });
    expectTop(t, "o", 2, [["ok", 1]], "ok:1, then the result of topK edited");
  });
});

describe("cached top-k kept right", () => {
  it("a query whose weight rises past an entry already cached moves up at every prefix", () => {
    const t = trie(3);
    t.insert("apple", 5);
    t.insert("apricot", 4);
    t.insert("app", 3);
    t.insert("app", 3);
    const history = "apple:5, apricot:4, app:3, app:3";
    for (const prefix of ["", "a", "ap"]) {
      expectTop(
        t,
        prefix,
        3,
        [
          ["app", 6],
          ["apple", 5],
          ["apricot", 4],
        ],
        history,
      );
    }
    expectTop(
      t,
      "app",
      2,
      [
        ["app", 6],
        ["apple", 5],
      ],
      history,
    );
  });

  it("a query left out of a full cache comes in once its weight passes the last entry", () => {
    const t = trie(2);
    t.insert("red", 5);
    t.insert("rose", 4);
    t.insert("ruby", 1);
    t.insert("ruby", 3.5);
    t.insert("ruby", 1);
    const history = "red:5, rose:4, ruby:1, ruby:3.5, ruby:1";
    expectTop(
      t,
      "r",
      2,
      [
        ["ruby", 5.5],
        ["red", 5],
      ],
      history,
    );
    expectTop(
      t,
      "",
      2,
      [
        ["ruby", 5.5],
        ["red", 5],
      ],
      history,
    );
    expectTop(t, "ru", 1, [["ruby", 5.5]], history);
  });

  it("ranks a query at every prefix, not only at its own node", () => {
    const t = trie(2);
    t.insert("note", 1);
    t.insert("north", 2);
    t.insert("now", 7);
    const history = "note:1, north:2, now:7";
    expectTop(
      t,
      "n",
      2,
      [
        ["now", 7],
        ["north", 2],
      ],
      history,
    );
    expectTop(
      t,
      "no",
      2,
      [
        ["now", 7],
        ["north", 2],
      ],
      history,
    );
    expectTop(t, "", 1, [["now", 7]], history);
  });

  const insertions = fc.array(
    fc.tuple(
      fc.string({ unit: fc.constantFrom("a", "b", "c"), minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 5 }),
    ),
    { minLength: 1, maxLength: 60 },
  );

  prop(
    "after any inserts, every prefix's top k equals a brute-force sort of the weights",
    fc.tuple(insertions, fc.integer({ min: 1, max: 4 })),
    ([inserts, cacheSize]) => {
      const t = trie(cacheSize);
      const weights = new Map<string, number>();
      inserts.forEach(([query, weight], i) => {
        t.insert(query, weight);
        weights.set(query, (weights.get(query) ?? 0) + weight);
        // after each insert, the prefixes it touches; at the end, every prefix there is
        const prefixes = i === inserts.length - 1 ? allPrefixes(3) : [...query].map((_, n) => query.slice(0, n + 1));
        for (const prefix of ["", ...prefixes]) {
          for (const k of [cacheSize, 1]) {
            const got = t.topK(prefix, k);
            const want = bruteForce(weights, prefix, k);
            const after = inserts
              .slice(0, i + 1)
              .map(([q, w]) => `${q}:${w}`)
              .join(", ");
            expect(
              got,
              `topK("${prefix}", ${k}) with cacheSize ${cacheSize} after inserting ${after}: got [${show(got)}], want [${show(want)}]`,
            ).toEqual(want);
          }
        }
      });
    },
  );
});

/** every string of a, b and c up to `length` characters, the empty one included */
function allPrefixes(length: number): string[] {
  const out = [""];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as string;
    if (p.length < length) for (const c of "abc") out.push(p + c);
  }
  return out;
}

describe("contract", () => {
  it("rejects an empty query and a weight that is not a positive number with a RangeError", () => {
    const t = trie(3);
    expectThrows(() => t.insert(""), RangeError, 'insert("")');
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => t.insert("x", weight), RangeError, `insert("x", ${weight})`);
    }
    expect(t.weight("x"), "weight(x) after only rejected inserts").toBe(0);
  });

  it("rejects k above the cache size, negative or fractional, and a cache size below 1, with a RangeError", () => {
    const t = trie(3);
    t.insert("x", 1);
    for (const k of [4, -1, 1.5, Number.NaN]) expectThrows(() => t.topK("x", k), RangeError, `topK("x", ${k})`);
    for (const cacheSize of [0, -2, 2.5]) {
      expectThrows(
        () => new learner.Autocomplete({ cacheSize }),
        RangeError,
        `new Autocomplete({ cacheSize: ${cacheSize} })`,
      );
    }
  });
});

describe("performance against the reference", () => {
  type Subject = { trie: learner.Autocomplete };
  type Make = new (options: { cacheSize: number }) => learner.Autocomplete;
  const prefixes = ["", "q", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"];

  loadTest("a suggestion costs the same with 500 or 10,000 queries under its prefix", budgets, () => {
    const holding = (Make: Make) => (size: number) => {
      const trie = new Make({ cacheSize: 10 });
      for (let i = 0; i < size; i++) trie.insert(`q${i}`, 1 + ((i * 7919) % 1000));
      return { trie };
    };
    return compareGrowth<Subject>({
      learner: holding(learner.Autocomplete),
      reference: holding(reference.Autocomplete),
      n: 500,
      factor: 20,
      ops: 60_000,
      run: (s, from, to) => {
        let sum = 0;
        for (let i = from; i < to; i++) {
          for (const suggestion of s.trie.topK(prefixes[i % prefixes.length] as string, 10)) sum += suggestion.weight;
        }
        return sum;
      },
      // the top 10 of each prefix is fixed by the contract: so is the sum of their weights
      answers: { what: "the weights of the suggestions" },
    });
  });

  loadTest("an insert costs the same beside 250 or 10,000 other queries", budgets, () => {
    // the timed inserts raise 16 light queries under "z", the same in both states: only the far
    // heavier "q" queries around them differ, and they keep the one cache the z path shares, the
    // root's, full of q queries whatever the z queries weigh, so both states do the same work
    const holding = (Make: Make) => (size: number) => {
      const trie = new Make({ cacheSize: 10 });
      for (let i = 0; i < size; i++) trie.insert(`q${i}`, 1_000_000 + ((i * 7919) % 1000));
      for (let j = 0; j < 16; j++) trie.insert(`z${j}`, 1);
      return { trie };
    };
    return compareGrowth<Subject>({
      learner: holding(learner.Autocomplete),
      reference: holding(reference.Autocomplete),
      n: 250,
      factor: 40,
      ops: 30_000,
      // weights rise on queries both states hold, so the state keeps its size; each batch sums the new weights
      run: (s, from, to) => {
        let sum = 0;
        for (let i = from; i < to; i++) {
          const query = `z${i % 16}`;
          s.trie.insert(query, 1);
          sum += s.trie.weight(query);
        }
        return sum;
      },
      answers: { what: "the weights after each insert" },
    });
  });
});
