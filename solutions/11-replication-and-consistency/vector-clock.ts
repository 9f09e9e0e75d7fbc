/**
 * Vector clocks (version vectors) and a Dynamo-style store of siblings: the
 * reference. A clock maps each writer to how many events it has made; a writer
 * missing from the map has made none, so {a: 1} and {a: 1, b: 0} are the same
 * clock.
 */

/** writer id → number of events that writer has made; a missing writer counts as 0 */
export type VectorClock = Readonly<Record<string, number>>;

/** how clock a relates to clock b: "before" means every event a has seen, b has seen too, and more */
export type Order = "before" | "after" | "equal" | "concurrent";

/** one version of a value and the clock of the write that made it */
export interface Version<T> {
  readonly value: T;
  readonly clock: VectorClock;
}

const countOf = (clock: VectorClock, writer: string): number => clock[writer] ?? 0;

/**
 * How a relates to b: "before" if a ≤ b entry by entry and a ≠ b, "after" the
 * other way round, "equal" if every entry is the same (missing entries are 0),
 * "concurrent" if each has an entry larger than the other's.
 */
export function compare(a: VectorClock, b: VectorClock): Order {
  let aAhead = false;
  let bAhead = false;
  for (const writer of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [countOf(a, writer), countOf(b, writer)];
    if (x > y) aAhead = true;
    if (y > x) bAhead = true;
  }
  if (aAhead && bAhead) return "concurrent";
  if (aAhead) return "after";
  if (bAhead) return "before";
  return "equal";
}

/** the smallest clock that has seen everything a and b have: the larger count of each writer */
export function merge(a: VectorClock, b: VectorClock): VectorClock {
  const merged: Record<string, number> = { ...a };
  for (const [writer, count] of Object.entries(b)) merged[writer] = Math.max(countOf(a, writer), count);
  return merged;
}

/** the clock after one more local event of `writer`: a new clock, the argument left as it was */
export function increment(clock: VectorClock, writer: string): VectorClock {
  return { ...clock, [writer]: countOf(clock, writer) + 1 };
}

/**
 * The versions of each key that no other version dominates: concurrent writes
 * are all kept as siblings for a reader to reconcile (Dynamo, Riak).
 */
export class SiblingStore<T> {
  readonly #siblings = new Map<string, Version<T>[]>();

  /**
   * Records a version of key. It is ignored (false) if a kept version's clock
   * is after or equal to its clock: that write is already seen or superseded.
   * Otherwise it is kept (true), and every kept version whose clock is before
   * its clock is dropped.
   */
  put(key: string, value: T, clock: VectorClock): boolean {
    const kept = this.#siblings.get(key) ?? [];
    const seen = kept.some((version) => {
      const order = compare(version.clock, clock);
      return order === "after" || order === "equal";
    });
    if (seen) return false;
    const survivors = kept.filter((version) => compare(version.clock, clock) !== "before");
    survivors.push({ value, clock: { ...clock } });
    this.#siblings.set(key, survivors);
    return true;
  }

  /** the siblings of key, in any order; [] for a key never written */
  get(key: string): Version<T>[] {
    return [...(this.#siblings.get(key) ?? [])];
  }

  /** the merge of every sibling's clock: a write made with it (incremented) supersedes them all */
  context(key: string): VectorClock {
    return this.get(key).reduce<VectorClock>((clock, version) => merge(clock, version.clock), {});
  }
}
