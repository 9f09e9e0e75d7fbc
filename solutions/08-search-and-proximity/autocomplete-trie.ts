/**
 * Typeahead on a trie whose every node caches its best completions, so that a
 * suggestion walks only the prefix (Fredkin, "Trie memory", 1960, for the trie).
 */

/** a query and its weight: the sum of the weights it was inserted with */
export interface Suggestion {
  query: string;
  weight: number;
}

export interface AutocompleteOptions {
  /** how many completions each node caches: the largest k topK answers */
  cacheSize: number;
}

/** heavier first; between equal weights, the query that sorts first as a string */
function ranksBefore(a: Suggestion, b: Suggestion): boolean {
  return a.weight > b.weight || (a.weight === b.weight && a.query < b.query);
}

class TrieNode {
  readonly children = new Map<string, TrieNode>();
  /** the best completions under this node, best first, at most cacheSize */
  readonly top: Suggestion[] = [];
}

export class Autocomplete {
  readonly #cacheSize: number;
  readonly #root = new TrieNode();
  readonly #weights = new Map<string, number>();

  constructor(options: AutocompleteOptions) {
    const { cacheSize } = options;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`cacheSize must be a positive integer, got ${cacheSize}`);
    }
    this.#cacheSize = cacheSize;
  }

  /** Adds `weight` to the query's weight (a new query starts at 0). */
  insert(query: string, weight = 1): void {
    if (query.length === 0) throw new RangeError("a query must not be empty");
    if (!Number.isFinite(weight) || weight <= 0) throw new RangeError(`weight must be positive, got ${weight}`);
    const entry = { query, weight: (this.#weights.get(query) ?? 0) + weight };
    this.#weights.set(query, entry.weight);
    // the query completes each of its prefixes: every node on its path may rank it anew
    let node = this.#root;
    this.#offer(node, entry);
    for (const char of query) {
      let child = node.children.get(char);
      if (child === undefined) {
        child = new TrieNode();
        node.children.set(char, child);
      }
      node = child;
      this.#offer(node, entry);
    }
  }

  /** The weight of a query: 0 if it was never inserted. */
  weight(query: string): number {
    return this.#weights.get(query) ?? 0;
  }

  /** The k best completions of a prefix, best first. k may be 0 to cacheSize. */
  topK(prefix: string, k: number): Suggestion[] {
    if (!Number.isInteger(k) || k < 0 || k > this.#cacheSize) {
      throw new RangeError(`k must be an integer from 0 to ${this.#cacheSize}, got ${k}`);
    }
    let node: TrieNode | undefined = this.#root;
    for (const char of prefix) {
      node = node.children.get(char);
      if (node === undefined) return [];
    }
    return node.top.slice(0, k).map((s) => ({ ...s }));
  }

  /** puts a query with its new weight where it ranks in a node's cache, or leaves it out */
  #offer(node: TrieNode, entry: Suggestion): void {
    const top = node.top;
    // a weight only rises: drop the query's old entry, then insert it where it now ranks
    const old = top.findIndex((s) => s.query === entry.query);
    if (old >= 0) top.splice(old, 1);
    let at = top.length;
    while (at > 0 && ranksBefore(entry, top[at - 1] as Suggestion)) at--;
    if (at < this.#cacheSize) top.splice(at, 0, { ...entry });
    if (top.length > this.#cacheSize) top.pop();
  }
}
