/**
 * Kata: autocomplete trie (difficulty 2, about 1 hour)
 * Read:  chapters/08-search-and-proximity/README.md#deep-dive-a-trie-with-cached-top-k
 * Grade: npm run grade -- autocomplete-trie
 * Hint:  npm run hint -- autocomplete-trie (one more hint each time you ask)
 *
 * Typeahead: the best completions of a prefix, without walking what lies under it.
 * - [ ] insert(query, weight = 1) adds weight to the query's weight (a new
 *       query starts at 0). weight(query) reads it; 0 if never inserted.
 * - [ ] topK(prefix, k) gives the k heaviest queries that start with prefix
 *       (a query completes itself; "" is every query's prefix), as new
 *       { query, weight } objects. Heavier first; between equal weights, the
 *       query that sorts first as a string (a < b) comes first.
 * - [ ] Each node caches its best cacheSize completions, kept right on every
 *       insert, so topK costs the prefix's length plus k, however many queries
 *       the trie holds: the spec times it at 500 and 10,000 queries.
 * - [ ] RangeError for: an empty query; a weight that is not a positive finite
 *       number; k that is not an integer from 0 to cacheSize; a cacheSize that
 *       is not a positive integer.
 */
import { todo } from "#kit";

/** a query and its weight: the sum of the weights it was inserted with */
export interface Suggestion {
  query: string;
  weight: number;
}

export interface AutocompleteOptions {
  /** how many completions each node caches: the largest k topK answers */
  cacheSize: number;
}

export class Autocomplete {
  constructor(options: AutocompleteOptions) {
    // TODO: check cacheSize, keep it, make the root node and a map of the weights.
    todo("Autocomplete.constructor", options);
  }

  /** Adds `weight` to the query's weight (a new query starts at 0). */
  insert(query: string, weight = 1): void {
    // TODO: the new weight; then offer the query to the cache of every node on its path, the root included.
    todo("Autocomplete.insert", query, weight);
  }

  /** The weight of a query: 0 if it was never inserted. */
  weight(query: string): number {
    // TODO: read the map of weights.
    return todo("Autocomplete.weight", query);
  }

  /** The k best completions of a prefix, best first. k may be 0 to cacheSize. */
  topK(prefix: string, k: number): Suggestion[] {
    // TODO: walk the prefix; copy the first k entries of that node's cache.
    return todo("Autocomplete.topK", prefix, k);
  }
}
