import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GCounter, ORSet, PNCounter } from "#kata/11-replication-and-consistency/crdt-counters-and-sets";
import { expectThrows, prop } from "#spec";

/** what a network does to a state: a copy, sharing nothing with the sender */
const wire = <S>(state: S): S => structuredClone(state);

const sorted = (values: readonly string[]) => [...values].sort();

describe("G-counter", () => {
  it("sums what different replicas added, on every replica once they have merged", () => {
    const [a, b] = [new GCounter("a"), new GCounter("b")];
    a.increment(2);
    b.increment(5);
    b.increment();
    a.merge(wire(b.state()));
    b.merge(wire(a.state()));
    expect([a.value(), b.value()], "a and b after a +2, b +5 +1, merged both ways").toEqual([8, 8]);
  });

  it("counts an increment once however many times a state carrying it is merged", () => {
    const [a, b] = [new GCounter("a"), new GCounter("b")];
    a.increment(3);
    const sent = a.state();
    b.merge(wire(sent));
    b.merge(wire(sent));
    a.merge(wire(b.state()));
    a.merge(wire(sent));
    expect([a.value(), b.value()], "a +3, its state merged twice into b, b's merged back into a").toEqual([3, 3]);
  });

  it("never goes back when an older state of the same replica arrives late", () => {
    const [a, b] = [new GCounter("a"), new GCounter("b")];
    a.increment(1);
    const older = a.state();
    a.increment(4);
    b.merge(wire(a.state()));
    b.merge(wire(older));
    a.merge(wire(older));
    expect([a.value(), b.value()], "a +1 (sent), +4 (sent), then the first state again").toEqual([5, 5]);
  });

  it("rejects an amount that is not a positive integer with a RangeError", () => {
    const a = new GCounter("a");
    for (const amount of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => a.increment(amount), RangeError, `GCounter.increment(${amount})`);
    }
    expect(a.value(), "the value after only rejected increments").toBe(0);
  });
});

describe("PN-counter", () => {
  it("counts increments minus decrements across replicas, and may go below zero", () => {
    const [a, b] = [new PNCounter("a"), new PNCounter("b")];
    a.increment(3);
    b.decrement(5);
    a.decrement();
    a.merge(wire(b.state()));
    b.merge(wire(a.state()));
    expect([a.value(), b.value()], "a +3 −1, b −5, merged both ways").toEqual([-3, -3]);
  });

  it("keeps a decrement when an older state of the same replica arrives later", () => {
    const [a, b] = [new PNCounter("a"), new PNCounter("b")];
    a.increment(5);
    const older = a.state();
    a.decrement(3);
    b.merge(wire(a.state()));
    b.merge(wire(older));
    a.merge(wire(older));
    expect([a.value(), b.value()], "a +5 (sent), −3 (sent), then the first state again").toEqual([2, 2]);
  });

  it("counts a decrement once however many times a state carrying it is merged", () => {
    const [a, b] = [new PNCounter("a"), new PNCounter("b")];
    a.decrement(2);
    const sent = a.state();
    b.merge(wire(sent));
    b.merge(wire(sent));
    expect(b.value(), "a −2, its state merged twice into b").toBe(-2);
  });

  it("rejects an amount that is not a positive integer with a RangeError, either way", () => {
    const a = new PNCounter("a");
    for (const amount of [0, -2, 0.5, Number.NaN]) {
      expectThrows(() => a.increment(amount), RangeError, `PNCounter.increment(${amount})`);
      expectThrows(() => a.decrement(amount), RangeError, `PNCounter.decrement(${amount})`);
    }
    expect(a.value(), "the value after only rejected calls").toBe(0);
  });
});

describe("OR-set", () => {
  it("keeps an add that a concurrent remove did not see: add wins", () => {
    const [a, b] = [new ORSet("a"), new ORSet("b")];
    a.add("x");
    b.merge(wire(a.state()));
    b.remove("x"); // b removes the add it has seen
    a.add("x"); // meanwhile a adds x again: b has not seen this add
    a.merge(wire(b.state()));
    b.merge(wire(a.state()));
    expect([a.has("x"), b.has("x")], "has(x) on a and b after a concurrent add and remove, merged").toEqual([
      true,
      true,
    ]);
  });

  it("removes, on every replica, the adds the removing replica had seen", () => {
    const [a, b, c] = [new ORSet("a"), new ORSet("b"), new ORSet("c")];
    a.add("x");
    c.add("x");
    b.merge(wire(a.state()));
    b.merge(wire(c.state()));
    b.remove("x");
    a.merge(wire(b.state()));
    c.merge(wire(b.state()));
    expect([a.has("x"), b.has("x"), c.has("x")], "has(x) on a, b, c after b removed both adds it had seen").toEqual([
      false,
      false,
      false,
    ]);
    expect([a.values(), b.values(), c.values()], "values() on a, b, c").toEqual([[], [], []]);
  });

  it("has an element that was removed and then added again, on the same replica", () => {
    const [a, b] = [new ORSet("a"), new ORSet("b")];
    a.add("x");
    a.remove("x");
    expect(a.has("x"), "has(x) after add, remove").toBe(false);
    a.add("x");
    expect(a.has("x"), "has(x) after add, remove, add").toBe(true);
    b.merge(wire(a.state()));
    expect(b.has("x"), "has(x) on b after merging a's state").toBe(true);
  });

  it("removes nothing with a remove of an element it has not seen added", () => {
    const [a, b] = [new ORSet("a"), new ORSet("b")];
    b.remove("x");
    a.add("x");
    a.merge(wire(b.state()));
    b.merge(wire(a.state()));
    expect([a.has("x"), b.has("x")], "has(x) after b removed x before seeing a's add").toEqual([true, true]);
  });

  it("lists each present element once, in any order", () => {
    const [a, b] = [new ORSet("a"), new ORSet("b")];
    a.add("x");
    a.add("y");
    b.add("y");
    b.add("z");
    b.remove("z");
    a.merge(wire(b.state()));
    a.merge(wire(b.state()));
    expect(sorted(a.values()), "values() of a after its x, y and b's y, z (removed)").toEqual(["x", "y"]);
  });
});

// ---- convergence under any schedule: operations, and deliveries out of order, late and repeated ----

type Op =
  | { kind: "increment"; amount: number }
  | { kind: "decrement"; amount: number }
  | { kind: "add"; element: string }
  | { kind: "remove"; element: string };
type Step = { kind: "op"; at: number; op: Op } | { kind: "deliver"; pick: number; keepForAgain: boolean };

/** what a replica has seen: the operations (by number), and the adds some remove it has seen removed */
interface Knowledge {
  readonly ops: Set<number>;
  readonly removedAdds: Set<number>;
}

/** one replica of the kata under test, driven through the same few calls whatever its type */
interface Subject {
  apply(op: Op): void;
  state(): unknown;
  merge(state: unknown): void;
  observe(): number | string[];
}

const REPLICAS = 3;
const ELEMENTS = ["x", "y", "z"] as const;

function counterSubject(make: () => GCounter | PNCounter): Subject {
  const counter = make();
  return {
    apply: (op) => {
      if (op.kind === "increment") counter.increment(op.amount);
      if (op.kind === "decrement" && counter instanceof PNCounter) counter.decrement(op.amount);
    },
    state: () => counter.state(),
    merge: (state) => counter.merge(state as never),
    observe: () => counter.value(),
  };
}

function setSubject(replica: string): Subject {
  const set = new ORSet(replica);
  return {
    apply: (op) => {
      if (op.kind === "add") set.add(op.element);
      if (op.kind === "remove") set.remove(op.element);
    },
    state: () => set.state(),
    merge: (state) => set.merge(state as never),
    observe: () => {
      const values = sorted(set.values());
      // has() must agree with values()
      for (const element of ELEMENTS) {
        if (set.has(element) !== values.includes(element)) return [`has(${element}) disagrees with values()`];
      }
      return values;
    },
  };
}

/** what a replica with this knowledge must show: the counter's value, or the set's elements */
function expected(kind: "counter" | "set", ops: readonly Op[], seen: Knowledge): number | string[] {
  if (kind === "counter") {
    let total = 0;
    for (const id of seen.ops) {
      const op = ops[id] as Op;
      if (op.kind === "increment") total += op.amount;
      if (op.kind === "decrement") total -= op.amount;
    }
    return total;
  }
  const present = new Set<string>();
  for (const id of seen.ops) {
    const op = ops[id] as Op;
    if (op.kind === "add" && !seen.removedAdds.has(id)) present.add(op.element);
  }
  return [...present].sort();
}

/**
 * Runs a schedule on REPLICAS replicas: after each operation the replica sends its state to every
 * other; a delivery step hands over a pending message (kept for a second delivery when asked);
 * at the end every message still pending is delivered, then all of them once more. After every
 * step, the replica that changed must show exactly what it has seen; at the end, all agree.
 */
function runSchedule(kind: "counter" | "set", make: (replica: string) => Subject, steps: readonly Step[]): void {
  const replicas = Array.from({ length: REPLICAS }, (_, i) => make(`r${i}`));
  const knowledge: Knowledge[] = replicas.map(() => ({ ops: new Set(), removedAdds: new Set() }));
  const ops: Op[] = [];
  const pending: Array<{ to: number; state: unknown; seen: Knowledge; from: number }> = [];
  const log: string[] = [];

  const check = (replica: number) => {
    expect(replicas[replica]?.observe(), `replica r${replica} after: ${log.join("; ")}`).toEqual(
      expected(kind, ops, knowledge[replica] as Knowledge),
    );
  };
  const deliver = (message: (typeof pending)[number]) => {
    log.push(`r${message.to} merges r${message.from}'s state`);
    replicas[message.to]?.merge(wire(message.state));
    const seen = knowledge[message.to] as Knowledge;
    for (const id of message.seen.ops) seen.ops.add(id);
    for (const id of message.seen.removedAdds) seen.removedAdds.add(id);
    check(message.to);
  };

  for (const step of steps) {
    if (step.kind === "op") {
      const at = step.at % REPLICAS;
      const seen = knowledge[at] as Knowledge;
      const id = ops.push(step.op) - 1;
      if (step.op.kind === "remove") {
        const element = step.op.element;
        for (const known of seen.ops) {
          const op = ops[known] as Op;
          if (op.kind === "add" && op.element === element) seen.removedAdds.add(known);
        }
      } else {
        seen.ops.add(id);
      }
      log.push(`r${at} ${step.op.kind} ${"amount" in step.op ? step.op.amount : step.op.element}`);
      replicas[at]?.apply(step.op);
      check(at);
      const snapshot = wire(replicas[at]?.state());
      const seenCopy = { ops: new Set(seen.ops), removedAdds: new Set(seen.removedAdds) };
      for (let to = 0; to < REPLICAS; to++)
        if (to !== at) pending.push({ to, state: snapshot, seen: seenCopy, from: at });
    } else if (pending.length > 0) {
      const index = step.pick % pending.length;
      const message = pending[index] as (typeof pending)[number];
      if (!step.keepForAgain) pending.splice(index, 1);
      deliver(message);
    }
  }
  const rest = [...pending];
  for (const message of rest) deliver(message);
  for (const message of rest) deliver(message);
  const finals = replicas.map((replica) => replica.observe());
  expect(new Set(finals.map((value) => JSON.stringify(value))).size, `final values ${JSON.stringify(finals)}`).toBe(1);
}

const deliverArb = fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(), keepForAgain: fc.boolean() });
const amountArb = fc.integer({ min: 1, max: 5 });
const scheduleOf = (opArb: fc.Arbitrary<Op>) =>
  fc.array(fc.oneof(fc.record({ kind: fc.constant("op" as const), at: fc.nat(), op: opArb }), deliverArb), {
    maxLength: 40,
  });

describe("convergence under any delivery order and duplication", () => {
  prop(
    "G-counters show every increment they have seen once, and agree once every state is delivered",
    scheduleOf(amountArb.map((amount) => ({ kind: "increment" as const, amount }))),
    (steps) => {
      runSchedule("counter", (replica) => counterSubject(() => new GCounter(replica)), steps);
    },
  );

  prop(
    "PN-counters show increments minus decrements they have seen, and agree once every state is delivered",
    scheduleOf(
      fc.oneof(
        amountArb.map((amount) => ({ kind: "increment" as const, amount })),
        amountArb.map((amount) => ({ kind: "decrement" as const, amount })),
      ),
    ),
    (steps) => {
      runSchedule("counter", (replica) => counterSubject(() => new PNCounter(replica)), steps);
    },
  );

  prop(
    "OR-sets show the adds they have seen that no remove they have seen removed, and agree at the end",
    scheduleOf(
      fc.oneof(
        fc.constantFrom(...ELEMENTS).map((element) => ({ kind: "add" as const, element })),
        fc.constantFrom(...ELEMENTS).map((element) => ({ kind: "remove" as const, element })),
      ),
    ),
    (steps) => {
      runSchedule("set", setSubject, steps);
    },
  );
});
