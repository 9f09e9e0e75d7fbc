/**
 * Reference: an inverted index ranked by BM25 (Robertson and Zaragoza, "The Probabilistic
 * Relevance Framework: BM25 and Beyond", 2009). Postings map each term to the documents holding it
 * and how often; a search reads only its terms' postings, scores those documents and keeps the top
 * k. The collection's statistics (documents, total length, each term's document frequency) are kept
 * as documents come and go, so a search never walks the whole collection.
 */

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
  private readonly k1: number;
  private readonly b: number;
  /** term → document id → the term's count in that document */
  private readonly postings = new Map<string, Map<string, number>>();
  /** document id → its terms' counts, and its length in terms */
  private readonly documents = new Map<string, { counts: Map<string, number>; length: number }>();
  private totalLength = 0;

  constructor(options: Bm25Options = {}) {
    const { k1 = 1.2, b = 0.75 } = options;
    if (!(Number.isFinite(k1) && k1 >= 0 && k1 <= 3)) throw new RangeError(`k1 must be from 0 to 3, got ${k1}`);
    if (!(Number.isFinite(b) && b >= 0 && b <= 1)) throw new RangeError(`b must be from 0 to 1, got ${b}`);
    this.k1 = k1;
    this.b = b;
  }

  /** Indexes a document's terms, replacing what the id held before. */
  put(id: string, terms: readonly string[]): void {
    if (typeof id !== "string" || id === "") throw new RangeError("a document needs a non-empty id");
    if (!Array.isArray(terms) || terms.some((t) => typeof t !== "string" || t === ""))
      throw new RangeError(`document ${id}: terms must be non-empty strings`);
    this.remove(id);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      const list = this.postings.get(term) ?? new Map<string, number>();
      list.set(id, count);
      this.postings.set(term, list);
    }
    this.documents.set(id, { counts, length: terms.length });
    this.totalLength += terms.length;
  }

  /** Removes a document: false if there was none with that id. */
  remove(id: string): boolean {
    const document = this.documents.get(id);
    if (!document) return false;
    for (const term of document.counts.keys()) {
      const list = this.postings.get(term);
      list?.delete(id);
      if (list?.size === 0) this.postings.delete(term);
    }
    this.documents.delete(id);
    this.totalLength -= document.length;
    return true;
  }

  /** How many documents are indexed. */
  get size(): number {
    return this.documents.size;
  }

  /** How many documents hold the term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.size ?? 0;
  }

  /** The k best documents for the query's distinct terms, best first; ties by id. */
  search(query: readonly string[], k: number): SearchHit[] {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number from 0, got ${k}`);
    const n = this.documents.size;
    if (k === 0 || n === 0) return [];
    const average = this.totalLength / n;
    const scores = new Map<string, number>();
    for (const term of new Set(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      // +1 inside the logarithm keeps a term held by most documents from scoring below zero
      const idf = Math.log(1 + (n - list.size + 0.5) / (list.size + 0.5));
      for (const [id, count] of list) {
        const length = this.documents.get(id)?.length ?? 0;
        const norm = this.k1 * (1 - this.b + (this.b * length) / average);
        scores.set(id, (scores.get(id) ?? 0) + (idf * count * (this.k1 + 1)) / (count + norm));
      }
    }
    return [...scores]
      .map(([id, score]) => ({ id, score }))
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .slice(0, k);
  }
}
