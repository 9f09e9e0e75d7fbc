/**
 * Kata: an inverted index ranked by BM25 (difficulty 2, about 1 hour)
 * Read:  chapters/08-search-and-proximity/README.md#deep-dive-an-inverted-index-with-bm25
 * Grade: npm run grade -- inverted-index
 * Hint:  npm run hint -- inverted-index (one more hint each time you ask)
 *
 * Full-text search: postings from each term to the documents holding it, ranked
 * by BM25 (Robertson and Zaragoza, 2009). Terms come tokenised: compare them as
 * given. N is the number of documents, n(t) how many hold term t, f(t, D) its
 * count in document D, |D| the document's count of terms, avgdl the mean |D|:
 *   IDF(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))
 *   score(D) = Σ over the query's distinct terms t held by D of
 *              IDF(t) · f(t, D) · (k1 + 1) / (f(t, D) + k1 · (1 − b + b · |D| / avgdl))
 * - [ ] put(id, terms) indexes a document, replacing what the id held before;
 *       remove(id) removes it (false if there was none); size and
 *       documentFrequency(term) read the collection.
 * - [ ] search(query, k) gives the k best documents holding a query term, as
 *       { id, score } with score as above (to within rounding), best first;
 *       equal scores by id (a < b). A term twice in the query counts once.
 * - [ ] A search reads the postings of its terms only: the spec times it with
 *       the same rare terms among 2,000 and 40,000 documents.
 * - [ ] RangeError for: k that is not a whole number from 0; an empty id or
 *       term; k1 outside 0–3, b outside 0–1.
 */
import { todo } from "#kit";

/** a document a search found, and its BM25 score for the query */
export interface SearchHit {
  id: string;
  score: number;
}

export interface Bm25Options {
  /** term-frequency saturation: how much a term's repetitions add; 0 to 3, 1.2 by default */
  k1?: number;
  /** length normalisation: 0 (none) to 1 (full); 0.75 by default */
  b?: number;
}

export class InvertedIndex {
  constructor(options: Bm25Options = {}) {
    // TODO: check and keep k1 and b; a map term → (document id → count), and each document's terms and length.
    todo("InvertedIndex.constructor", options);
  }

  /** Indexes a document's terms, replacing what the id held before. */
  put(id: string, terms: readonly string[]): void {
    // TODO: remove the old version first; count the terms; add a posting per distinct term; keep the total length.
    todo("InvertedIndex.put", id, terms);
  }

  /** Removes a document: false if there was none with that id. */
  remove(id: string): boolean {
    // TODO: take its postings out, and its length out of the total.
    return todo("InvertedIndex.remove", id);
  }

  /** How many documents are indexed. */
  get size(): number {
    return todo("InvertedIndex.size");
  }

  /** How many documents hold the term. */
  documentFrequency(term: string): number {
    return todo("InvertedIndex.documentFrequency", term);
  }

  /** The k best documents for the query's distinct terms, best first; ties by id. */
  search(query: readonly string[], k: number): SearchHit[] {
    // TODO: for each distinct term, its IDF and each posting's share of the score; sort; the first k.
    return todo("InvertedIndex.search", query, k);
  }
}
