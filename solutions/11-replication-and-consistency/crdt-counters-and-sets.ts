/**
 * State-based CRDTs (Shapiro et al., 2011): a G-counter, a PN-counter and an
 * observed-remove set, the reference. Each replica changes only its own state
 * and sends all of it; merge is commutative, associative and idempotent, so
 * replicas that have received the same states, in any order and any number of
 * times, agree.
 */

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

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 1) throw new RangeError(`expected a positive integer, got ${amount}`);
}

/** pointwise max: what both states have seen of each replica's own total */
function mergeCounts(into: Record<string, number>, other: GCounterState): void {
  for (const [replica, count] of Object.entries(other)) into[replica] = Math.max(into[replica] ?? 0, count);
}

const sum = (counts: GCounterState) => Object.values(counts).reduce((total, count) => total + count, 0);

/** a counter that only grows: one total per replica, merged by max */
export class GCounter {
  readonly #counts: Record<string, number> = {};

  constructor(readonly replica: string) {}

  /** adds a positive integer amount (1 by default); a RangeError otherwise */
  increment(amount = 1): void {
    checkAmount(amount);
    this.#counts[this.replica] = (this.#counts[this.replica] ?? 0) + amount;
  }

  value(): number {
    return sum(this.#counts);
  }

  /** a copy of the state, to send to other replicas */
  state(): GCounterState {
    return { ...this.#counts };
  }

  merge(other: GCounterState): void {
    mergeCounts(this.#counts, other);
  }
}

/** a counter that goes both ways: increments and decrements kept apart, each a G-counter */
export class PNCounter {
  readonly #increments: Record<string, number> = {};
  readonly #decrements: Record<string, number> = {};

  constructor(readonly replica: string) {}

  increment(amount = 1): void {
    checkAmount(amount);
    this.#increments[this.replica] = (this.#increments[this.replica] ?? 0) + amount;
  }

  decrement(amount = 1): void {
    checkAmount(amount);
    this.#decrements[this.replica] = (this.#decrements[this.replica] ?? 0) + amount;
  }

  value(): number {
    return sum(this.#increments) - sum(this.#decrements);
  }

  state(): PNCounterState {
    return { increments: { ...this.#increments }, decrements: { ...this.#decrements } };
  }

  merge(other: PNCounterState): void {
    mergeCounts(this.#increments, other.increments);
    mergeCounts(this.#decrements, other.decrements);
  }
}

/**
 * An observed-remove set of strings: each add gets a unique tag, a remove
 * removes the tags of the element this replica has seen, so an add it has not
 * seen (concurrent, or later) survives: add wins.
 */
export class ORSet {
  readonly #added = new Map<string, string>(); // tag → element
  readonly #removed = new Set<string>();
  #adds = 0;

  constructor(readonly replica: string) {}

  add(element: string): void {
    this.#adds++;
    this.#added.set(`${this.replica}#${this.#adds}`, element);
  }

  remove(element: string): void {
    for (const [tag, added] of this.#added) if (added === element) this.#removed.add(tag);
  }

  has(element: string): boolean {
    for (const [tag, added] of this.#added) if (added === element && !this.#removed.has(tag)) return true;
    return false;
  }

  /** the elements present, in any order */
  values(): string[] {
    const present = new Set<string>();
    for (const [tag, element] of this.#added) if (!this.#removed.has(tag)) present.add(element);
    return [...present].sort();
  }

  state(): ORSetState {
    return { added: [...this.#added].map(([tag, element]) => [element, tag] as const), removed: [...this.#removed] };
  }

  merge(other: ORSetState): void {
    for (const [element, tag] of other.added) this.#added.set(tag, element);
    for (const tag of other.removed) this.#removed.add(tag);
  }
}
