/**
 * Kata: vector clocks and siblings (difficulty 1, about 30 minutes)
 * Read:  chapters/11-replication-and-consistency/README.md#deep-dive-concurrent-writes-last-writer-wins-vector-clocks-crdts
 * Grade: npm run grade -- vector-clock
 * Hint:  npm run hint -- vector-clock (one more hint each time you ask)
 *
 * Tell which of two writes saw the other, and keep every write nobody has seen.
 * - [ ] A clock maps a writer to its count of events. A writer missing from the
 *       map counts as 0: {a: 1} and {a: 1, b: 0} are equal.
 * - [ ] compare(a, b): "before" if every entry of a is ≤ b's and they are not
 *       equal, "after" the other way round, "equal" if every entry is the same,
 *       "concurrent" if each has an entry larger than the other's. Equal clocks
 *       are equal, not concurrent.
 * - [ ] merge(a, b): the larger count of each writer (the smallest clock after
 *       or equal to both). It is commutative, associative and idempotent.
 * - [ ] increment(clock, writer): one more event of writer (a missing writer
 *       goes to 1), as a new clock; never change a clock you were given.
 * - [ ] SiblingStore.put(key, value, clock): ignore the version (return false)
 *       if a kept version of key has a clock after or equal to it; otherwise
 *       keep it (return true) and drop every kept version whose clock is before
 *       it. Concurrent versions are all kept, whatever order they arrive in.
 * - [ ] SiblingStore.get(key): the kept versions, in any order ([] if none);
 *       context(key): the merge of their clocks ({} if none).
 */
import { todo } from "#kit";

/** writer id → number of events that writer has made; a missing writer counts as 0 */
export type VectorClock = Readonly<Record<string, number>>;

/** how clock a relates to clock b: "before" means every event a has seen, b has seen too, and more */
export type Order = "before" | "after" | "equal" | "concurrent";

/** one version of a value and the clock of the write that made it */
export interface Version<T> {
  readonly value: T;
  readonly clock: VectorClock;
}

/**
 * How a relates to b: "before" if a ≤ b entry by entry and a ≠ b, "after" the
 * other way round, "equal" if every entry is the same (missing entries are 0),
 * "concurrent" if each has an entry larger than the other's.
 */
export function compare(a: VectorClock, b: VectorClock): Order {
  // TODO: look at every writer in either clock; note whether a is ahead somewhere and b is ahead somewhere.
  return todo("compare", a, b);
}

/** the smallest clock that has seen everything a and b have: the larger count of each writer */
export function merge(a: VectorClock, b: VectorClock): VectorClock {
  // TODO: a new clock with, for each writer in either, the larger of its two counts.
  return todo("merge", a, b);
}

/** the clock after one more local event of `writer`: a new clock, the argument left as it was */
export function increment(clock: VectorClock, writer: string): VectorClock {
  // TODO: copy the clock and add 1 to writer's count (0 if it has none).
  return todo("increment", clock, writer);
}

/**
 * The versions of each key that no other version dominates: concurrent writes
 * are all kept as siblings for a reader to reconcile (Dynamo, Riak).
 */
export class SiblingStore<T> {
  /**
   * Records a version of key. It is ignored (false) if a kept version's clock
   * is after or equal to its clock: that write is already seen or superseded.
   * Otherwise it is kept (true), and every kept version whose clock is before
   * its clock is dropped.
   */
  put(key: string, value: T, clock: VectorClock): boolean {
    // TODO: compare the clock with each kept version's; ignore it, or keep it and drop what it dominates.
    return todo("SiblingStore.put", key, value, clock);
  }

  /** the siblings of key, in any order; [] for a key never written */
  get(key: string): Version<T>[] {
    // TODO: the kept versions of key.
    return todo("SiblingStore.get", key);
  }

  /** the merge of every sibling's clock: a write made with it (incremented) supersedes them all */
  context(key: string): VectorClock {
    // TODO: merge the clocks of the kept versions, starting from {}.
    return todo("SiblingStore.context", key);
  }
}
