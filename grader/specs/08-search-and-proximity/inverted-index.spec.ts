import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/08-search-and-proximity/inverted-index";
import * as reference from "#ref/08-search-and-proximity/inverted-index";
import { compareGrowth, expectThrows, kataOf, loadTest, prop } from "#spec";
import chapter from "../../../chapters/08-search-and-proximity/chapter.ts";

const { budgets } = kataOf(chapter, "08-search-and-proximity", "inverted-index");

type Hit = learner.SearchHit;
type Corpus = Map<string, string[]>;

/** BM25 as the contract states it, scored over every document: what the index must agree with */
function bm25(corpus: Corpus, query: string[], k1 = 1.2, b = 0.75): Map<string, number> {
  const n = corpus.size;
  const scores = new Map<string, number>();
  if (n === 0) return scores;
  let total = 0;
  for (const terms of corpus.values()) total += terms.length;
  const average = total / n;
  for (const term of new Set(query)) {
    const holders = [...corpus.values()].filter((terms) => terms.includes(term)).length;
    if (holders === 0) continue;
    const idf = Math.log(1 + (n - holders + 0.5) / (holders + 0.5));
    for (const [id, terms] of corpus) {
      const f = terms.filter((t) => t === term).length;
      if (f === 0) continue;
      const score = (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * terms.length) / average));
      scores.set(id, (scores.get(id) ?? 0) + score);
    }
  }
  return scores;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const show = (hits: Hit[]) => hits.map((h) => `${h.id}:${h.score.toPrecision(6)}`).join(", ") || "(none)";
const describeCorpus = (corpus: Corpus) =>
  [...corpus].map(([id, terms]) => `${id}=[${terms.join(" ")}]`).join(" ") || "(empty)";

/**
 * A search's answer is right when each hit's score is BM25's (to 1e-9), hits run from best to worst,
 * equal scores by id, and no document left out scores above the last hit: documents whose scores
 * differ only by rounding may stand either side of the cut
 */
function expectRanked(
  got: Hit[],
  corpus: Corpus,
  query: string[],
  k: number,
  context: string,
  k1?: number,
  b?: number,
) {
  const scores = bm25(corpus, query, k1, b);
  const want = [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1))
    .slice(0, k);
  const where = `search([${query.join(", ")}], ${k}) over ${describeCorpus(corpus)} (${context}): got [${show(got)}], want [${show(want)}]`;
  expect(got.length, `${where}: how many hits`).toBe(want.length);
  const seen = new Set<string>();
  got.forEach((hit, i) => {
    const truth = scores.get(hit.id);
    expect(truth, `${where}: ${hit.id} holds no term of the query, or is not indexed`).toBeDefined();
    expect(close(hit.score, truth ?? Number.NaN), `${where}: ${hit.id}'s score ${hit.score}, BM25 gives ${truth}`).toBe(
      true,
    );
    expect(seen.has(hit.id), `${where}: ${hit.id} twice`).toBe(false);
    seen.add(hit.id);
    const next = got[i + 1];
    if (next) {
      expect(hit.score >= next.score || close(hit.score, next.score), `${where}: not best first at ${i}`).toBe(true);
      if (hit.score === next.score)
        expect(hit.id < next.id, `${where}: equal scores not in id order at ${i}`).toBe(true);
    }
  });
  const last = want.at(-1)?.score;
  if (last !== undefined)
    for (const [id, score] of scores)
      if (!seen.has(id) && score > last && !close(score, last))
        expect.fail(`${where}: ${id} scores ${score}, above the last hit, and was left out`);
}

describe("ranking", () => {
  it("scores each document by BM25 over the query's terms, best first", () => {
    const corpus: Corpus = new Map([
      ["d1", ["the", "quick", "brown", "fox"]],
      ["d2", ["the", "lazy", "dog"]],
      ["d3", ["the", "quick", "dog", "and", "the", "quick", "cat"]],
      ["d4", ["brown", "bread"]],
    ]);
    const index = new learner.InvertedIndex();
    for (const [id, terms] of corpus) index.put(id, terms);
    expectRanked(index.search(["quick", "dog"], 10), corpus, ["quick", "dog"], 10, "k1 1.2, b 0.75");
    expectRanked(index.search(["brown"], 1), corpus, ["brown"], 1, "k1 1.2, b 0.75");
    expect(index.search(["unicorn"], 5), "a term no document holds finds nothing").toEqual([]);
    expect(index.search(["quick"], 0), "k = 0").toEqual([]);
  });

  it("still adds to the score for a term most documents hold (the +1 inside the logarithm)", () => {
    // "the" is in 4 of 5 documents: without the +1, ln((5 - 4 + 0.5) / 4.5) is below zero
    const index = new learner.InvertedIndex();
    const corpus: Corpus = new Map([
      ["a", ["the", "cat"]],
      ["b", ["the", "dog"]],
      ["c", ["the", "owl"]],
      ["d", ["the", "emu"]],
      ["e", ["yak", "gnu"]],
    ]);
    for (const [id, terms] of corpus) index.put(id, terms);
    const hits = index.search(["the"], 5);
    expect(hits.length, "documents holding 'the'").toBe(4);
    for (const hit of hits)
      expect(hit.score, `${hit.id}'s score for 'the', held by 4 of 5 documents`).toBeGreaterThan(0);
    expectRanked(index.search(["the", "yak"], 5), corpus, ["the", "yak"], 5, "a common and a rare term");
  });

  it("saturates term frequency: the tenth mention adds less than the first", () => {
    const index = new learner.InvertedIndex();
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`);
    index.put("once", ["fox", ...filler(9)]);
    index.put("twice", ["fox", "fox", ...filler(8)]);
    index.put("ten", Array(10).fill("fox"));
    index.put("other", filler(10));
    const score = (id: string) => index.search(["fox"], 3).find((h) => h.id === id)?.score ?? 0;
    const first = score("once");
    const second = score("twice") - first;
    expect(second, "what a second mention adds, against the first, in documents of equal length").toBeLessThan(first);
    expect(score("ten"), "ten mentions against one, in documents of equal length: under (k1 + 1) times").toBeLessThan(
      first * 2.2,
    );
  });

  it("discounts long documents: the same count in a longer document scores less", () => {
    const index = new learner.InvertedIndex();
    index.put("short", ["fox", "den"]);
    index.put("long", ["fox", ...Array.from({ length: 40 }, (_, i) => `w${i}`)]);
    index.put("none", ["owl"]);
    const [best, next] = index.search(["fox"], 2);
    expect(best?.id, `search([fox]): the short document first, got [${show(index.search(["fox"], 2))}]`).toBe("short");
    expect(next && best && next.score < best.score, "the long document scores less").toBe(true);
  });

  it("counts a term repeated in the query once", () => {
    const corpus: Corpus = new Map([
      ["x", ["red", "apple"]],
      ["y", ["green", "apple", "pie"]],
    ]);
    const index = new learner.InvertedIndex();
    for (const [id, terms] of corpus) index.put(id, terms);
    expectRanked(index.search(["apple", "apple", "pie"], 2), corpus, ["apple", "pie"], 2, "query with apple twice");
  });

  it("takes k1 and b: b = 0 ignores length, k1 = 0 ignores how often", () => {
    const corpus: Corpus = new Map([
      ["s", ["fox", "den"]],
      ["l", ["fox", "fox", "a", "b", "c", "d", "e", "f"]],
      ["o", ["owl"]],
    ]);
    for (const [k1, b] of [
      [1.2, 0],
      [0, 0.75],
      [2, 1],
    ] as const) {
      const index = new learner.InvertedIndex({ k1, b });
      for (const [id, terms] of corpus) index.put(id, terms);
      expectRanked(index.search(["fox"], 3), corpus, ["fox"], 3, `k1 ${k1}, b ${b}`, k1, b);
    }
  });

  it("breaks equal scores by id", () => {
    const index = new learner.InvertedIndex();
    for (const id of ["m", "c", "x", "a"]) index.put(id, ["same", "words"]);
    index.put("z", ["other"]);
    expect(
      index.search(["same"], 4).map((h) => h.id),
      "four documents with the same terms",
    ).toEqual(["a", "c", "m", "x"]);
  });
});

describe("a changing collection", () => {
  it("replaces a document put again under its id, and forgets a removed one", () => {
    const index = new learner.InvertedIndex();
    const corpus: Corpus = new Map([
      ["d1", ["alpha", "beta"]],
      ["d2", ["beta", "gamma"]],
      ["d3", ["gamma", "delta", "delta"]],
    ]);
    for (const [id, terms] of corpus) index.put(id, terms);
    index.put("d1", ["gamma"]);
    corpus.set("d1", ["gamma"]);
    expect(index.size, "three documents, one put twice").toBe(3);
    expect(index.documentFrequency("alpha"), "alpha, only in d1's first version").toBe(0);
    expect(index.search(["alpha"], 3), "search([alpha]) after d1 was replaced").toEqual([]);
    expectRanked(index.search(["gamma", "beta"], 3), corpus, ["gamma", "beta"], 3, "after d1 was replaced");
    expect(index.remove("d3"), "remove(d3)").toBe(true);
    expect(index.remove("d3"), "remove(d3) again").toBe(false);
    corpus.delete("d3");
    expect(index.documentFrequency("delta"), "delta, only in the removed d3").toBe(0);
    expectRanked(index.search(["gamma", "delta"], 3), corpus, ["gamma", "delta"], 3, "after d3 was removed");
    expect(index.size, "after the removal").toBe(2);
  });

  const words = fc.constantFrom("ant", "bee", "cat", "dog", "eel", "fox", "gnu");
  const ops = fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.tuple(
          fc.constant("put" as const),
          fc.integer({ min: 0, max: 7 }),
          fc.array(words, { maxLength: 9 }),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constant("remove" as const),
          fc.integer({ min: 0, max: 7 }),
          fc.constant([] as string[]),
        ),
      },
    ),
    { maxLength: 30 },
  );
  prop(
    "after any puts and removals, every search equals BM25 scored over the whole collection",
    fc.tuple(
      ops,
      fc.array(fc.array(words, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 9 }),
    ),
    ([steps, queries, k]) => {
      const index = new learner.InvertedIndex();
      const corpus: Corpus = new Map();
      const done: string[] = [];
      for (const [op, n, terms] of steps) {
        const id = `doc${n}`;
        if (op === "put") {
          index.put(id, terms);
          corpus.set(id, [...terms]);
          done.push(`put(${id}, [${terms.join(" ")}])`);
        } else {
          expect(index.remove(id), `remove(${id}) after ${done.join(", ") || "nothing"}`).toBe(corpus.delete(id));
          done.push(`remove(${id})`);
        }
      }
      expect(index.size, `size after ${done.join(", ")}`).toBe(corpus.size);
      for (const query of queries)
        expectRanked(index.search(query, k), corpus, query, k, `after ${done.join(", ") || "nothing"}`);
    },
  );
});

describe("bad input", () => {
  it("throws RangeError for a k that is not a whole number from 0, an empty id or term, and k1 or b out of range", () => {
    const index = new learner.InvertedIndex();
    index.put("d", ["term"]);
    for (const k of [-1, 1.5, Number.NaN])
      expectThrows(() => index.search(["term"], k), RangeError, `search with k = ${k}`);
    expectThrows(() => index.put("", ["x"]), RangeError, "put with an empty id");
    expectThrows(() => index.put("e", ["x", ""]), RangeError, "put with an empty term");
    expectThrows(() => new learner.InvertedIndex({ k1: -1 }), RangeError, "k1 = -1");
    expectThrows(() => new learner.InvertedIndex({ b: 1.5 }), RangeError, "b = 1.5");
    expect(index.search(["term"], 1).length, "the index still answers after refusing bad input").toBe(1);
  });
});

type Make = typeof learner.InvertedIndex;
type Subject = { index: learner.InvertedIndex };

describe("performance", () => {
  loadTest(
    "a search costs the postings of its terms, not the size of the collection: 2,000 or 40,000 documents",
    budgets,
    () => {
      // every state holds the same 40 documents with the query's rare terms; the rest share a
      // vocabulary of common words the queries never ask for
      const holding = (Make: Make) => (size: number) => {
        const index = new Make();
        for (let i = 0; i < size; i++)
          index.put(`d${i}`, [`w${i % 97}`, `w${(i * 7) % 89}`, `w${(i * 13) % 83}`, `w${i % 5}`]);
        for (let j = 0; j < 40; j++) index.put(`r${j}`, ["rare", j % 2 ? "seldom" : "scarce", `w${j}`]);
        return { index };
      };
      const queries = [["rare"], ["seldom", "scarce"], ["rare", "scarce"], ["seldom"]];
      return compareGrowth<Subject>({
        learner: holding(learner.InvertedIndex),
        reference: holding(reference.InvertedIndex),
        n: 2_000,
        factor: 20,
        ops: 4_000,
        run: (s, from, to) => {
          let hits = 0;
          for (let i = from; i < to; i++) hits += s.index.search(queries[i % queries.length] as string[], 10).length;
          return hits;
        },
        answers: { what: "how many hits each search returned" },
      });
    },
  );
});
