/**
 * Kata: CRDT counters and sets (difficulty 2, about an hour)
 * Read:  chapters/11-replication-and-consistency/README.md#deep-dive-concurrent-writes-last-writer-wins-vector-clocks-crdts
 * Grade: npm run grade -- crdt-counters-and-sets
 * Hint:  npm run hint -- crdt-counters-and-sets (one more hint each time you ask)
 *
 * Three state-based CRDTs. Each replica is one instance with its own replica
 * id; it changes its own state, sends state() to the others, and merges what
 * it receives. States arrive late, out of order and more than once.
 * - [ ] GCounter: increment(amount = 1) adds a positive integer (a RangeError
 *       for 0, a negative or a fraction); value() is the total of every
 *       increment this replica has seen, each counted once, however often a
 *       state carrying it was merged.
 * - [ ] PNCounter: increment and decrement (positive integers, as above);
 *       value() is what it has seen incremented minus what it has seen
 *       decremented. Merging an older state must not undo a decrement.
 * - [ ] ORSet (strings): add(e); remove(e) removes the adds of e this replica
 *       has seen, and only those: an add it has not seen (concurrent, or made
 *       later, even of the same element by the same replica) survives. has(e),
 *       values() (any order).
 * - [ ] state() is what the replica sends: the grader copies it as a network
 *       would, so it must hold everything merge needs (plain data).
 * - [ ] merge is commutative, associative and idempotent: replicas that have
 *       merged the same states, in any order, any number of times, agree.
 */
import { todo } from "#kit";

/** replica id → the total that replica has added */
export type GCounterState = Readonly<Record<string, number>>;

/** the increments and the decrements, each a G-counter */
export interface PNCounterState {
  readonly increments: GCounterState;
  readonly decrements: GCounterState;
}

/** every add as (element, unique tag), and the tags a remove has seen */
export interface ORSetState {
  readonly added: ReadonlyArray<readonly [element: string, tag: string]>;
  readonly removed: readonly string[];
}

/** a counter that only grows: one total per replica, merged by max */
export class GCounter {
  constructor(readonly replica: string) {}

  /** adds a positive integer amount (1 by default); a RangeError otherwise */
  increment(amount = 1): void {
    // TODO: check the amount; add it to this replica's own entry only.
    todo("GCounter.increment", amount);
  }

  value(): number {
    // TODO: the sum of every replica's entry.
    return todo("GCounter.value");
  }

  /** a copy of the state, to send to other replicas */
  state(): GCounterState {
    // TODO: a copy of the entries.
    return todo("GCounter.state");
  }

  merge(other: GCounterState): void {
    // TODO: for each replica, keep the larger of the two entries.
    todo("GCounter.merge", other);
  }
}

/** a counter that goes both ways: increments and decrements kept apart, each a G-counter */
export class PNCounter {
  constructor(readonly replica: string) {}

  increment(amount = 1): void {
    // TODO: as GCounter.increment, on the increments.
    todo("PNCounter.increment", amount);
  }

  decrement(amount = 1): void {
    // TODO: as GCounter.increment, on the decrements.
    todo("PNCounter.decrement", amount);
  }

  value(): number {
    // TODO: the sum of the increments minus the sum of the decrements.
    return todo("PNCounter.value");
  }

  state(): PNCounterState {
    // TODO: copies of both.
    return todo("PNCounter.state");
  }

  merge(other: PNCounterState): void {
    // TODO: merge each half as a G-counter.
    todo("PNCounter.merge", other);
  }
}

/**
 * An observed-remove set of strings: each add gets a unique tag, a remove
 * removes the tags of the element this replica has seen, so an add it has not
 * seen (concurrent, or later) survives: add wins.
 */
export class ORSet {
  constructor(readonly replica: string) {}

  add(element: string): void {
    // TODO: record element with a tag no other add, here or on another replica, has.
    todo("ORSet.add", element);
  }

  remove(element: string): void {
    // TODO: mark removed the tags of element this replica has seen (not the element itself).
    todo("ORSet.remove", element);
  }

  has(element: string): boolean {
    // TODO: true if some tag of element is not removed.
    return todo("ORSet.has", element);
  }

  /** the elements present, in any order */
  values(): string[] {
    // TODO: every element with a tag not removed, once each.
    return todo("ORSet.values");
  }

  state(): ORSetState {
    // TODO: copies of the adds and of the removed tags.
    return todo("ORSet.state");
  }

  merge(other: ORSetState): void {
    // TODO: the union of the adds and the union of the removed tags.
    todo("ORSet.merge", other);
  }
}
