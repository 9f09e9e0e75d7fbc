// the range partitioner's model: boundaries, and every key's bytes and reads in two flat maps.
// Per-range numbers are recomputed from scratch each time, so the model shares no bookkeeping
// with an implementation that keeps them per range.

export interface ModelRange {
  start: string;
  end: string | null;
  keys: number;
  bytes: number;
  reads: number;
}

export interface ModelReport {
  splits: string[];
  merges: string[];
  hotKeys: string[];
}

const inRange = (key: string, start: string, end: string | null) => start <= key && (end === null || key < end);

export class RangeModel {
  /** sorted; always starts with "" */
  starts: string[] = [""];
  readonly sizes = new Map<string, number>();
  readonly reads = new Map<string, number>();

  constructor(
    readonly maxBytes: number,
    readonly maxReads: number,
  ) {}

  route(key: string): { start: string; end: string | null } {
    let index = 0;
    this.starts.forEach((start, i) => {
      if (start <= key) index = i;
    });
    return { start: this.starts[index] as string, end: this.starts[index + 1] ?? null };
  }

  write(key: string, bytes: number): void {
    if (bytes === 0) this.sizes.delete(key);
    else this.sizes.set(key, bytes);
  }

  read(key: string): void {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
  }

  split(at: string): boolean {
    if (this.starts.includes(at)) return false;
    this.starts = [...this.starts, at].sort();
    return true;
  }

  merge(boundary: string): boolean {
    if (boundary === "" || !this.starts.includes(boundary)) return false;
    this.starts = this.starts.filter((s) => s !== boundary);
    return true;
  }

  ranges(): ModelRange[] {
    return this.starts.map((start, i) => this.#stats(start, this.starts[i + 1] ?? null));
  }

  rebalance(): ModelReport {
    const splits: string[] = [];
    const pieces: Array<[string, string | null]> = [];
    for (const { start, end } of this.ranges()) {
      const pending: Array<[string, string | null]> = [[start, end]];
      while (pending.length > 0) {
        const [s, e] = pending.pop() as [string, string | null];
        const stored = this.#weights(this.sizes, s, e);
        const read = this.#weights(this.reads, s, e);
        const at =
          total(stored) > this.maxBytes && stored.length >= 2
            ? splitKey(stored)
            : total(read) > this.maxReads && read.length >= 2
              ? splitKey(read)
              : undefined;
        if (at === undefined) {
          pieces.push([s, e]);
          continue;
        }
        splits.push(at);
        pending.push([at, e], [s, at]);
      }
    }
    const merges: string[] = [];
    const kept: Array<[string, string | null]> = [];
    for (const [s, e] of pieces) {
      const last = kept[kept.length - 1];
      if (last !== undefined) {
        const joined = this.#stats(last[0], e);
        if (joined.bytes <= this.maxBytes / 4 && joined.reads <= this.maxReads / 4) {
          merges.push(s);
          last[1] = e;
          continue;
        }
      }
      kept.push([s, e]);
    }
    const hotKeys = kept.flatMap(([s, e]) => {
      const read = this.#weights(this.reads, s, e);
      return total(read) > this.maxReads ? read.map(([key]) => key) : [];
    });
    this.starts = kept.map(([s]) => s);
    this.reads.clear();
    return { splits: splits.sort(), merges, hotKeys };
  }

  #stats(start: string, end: string | null): ModelRange {
    const stored = this.#weights(this.sizes, start, end);
    return {
      start,
      end,
      keys: stored.length,
      bytes: total(stored),
      reads: total(this.#weights(this.reads, start, end)),
    };
  }

  /** the entries of a per-key map that fall in [start, end), in key order */
  #weights(map: Map<string, number>, start: string, end: string | null): Array<[string, number]> {
    return [...map].filter(([key]) => inRange(key, start, end)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

function total(entries: Array<[string, number]>): number {
  return entries.reduce((sum, [, w]) => sum + w, 0);
}

/** the first key after the first with at least half the total before it; the last key if none */
function splitKey(entries: Array<[string, number]>): string {
  const half = total(entries) / 2;
  let before = 0;
  for (let i = 1; i < entries.length; i++) {
    before += (entries[i - 1] as [string, number])[1];
    if (before >= half) return (entries[i] as [string, number])[0];
  }
  return (entries[entries.length - 1] as [string, number])[0];
}
