import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareTimestamps,
  HybridClock,
  LwwReplica,
  type Timestamp,
  type Versioned,
} from "#kata/11-replication-and-consistency/lww-register-replication";
import { expectThrows, prop } from "#spec";

/** the contract's total order, the spec's own: wall, logical, node id */
const order = (a: Timestamp, b: Timestamp) =>
  a.wall - b.wall || a.logical - b.logical || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
const show = (t: Timestamp | undefined) => (t ? `(${t.wall}, ${t.logical}, ${t.node})` : "none");
/** what a network does to a record: a copy, sharing nothing with the sender */
const wire = (record: Versioned): Versioned => structuredClone(record);

/** a wall clock the test sets */
function wallClock(start: number) {
  const clock = { ms: start, read: () => clock.ms };
  return clock;
}

describe("hybrid logical clock", () => {
  it("reads its wall clock when that is ahead, and counts on in the logical part when it is not, even when it jumps back", () => {
    const wall = wallClock(1_000);
    const clock = new HybridClock("a", wall.read);
    const readings: Timestamp[] = [clock.now(), clock.now()];
    wall.ms = 400; // an NTP step back
    readings.push(clock.now());
    wall.ms = 2_000;
    readings.push(clock.now());
    const got = readings.map((r) => [r.wall, r.logical, r.node]);
    expect(got, "now() at wall 1000, 1000, 400 (stepped back), 2000").toEqual([
      [1_000, 0, "a"],
      [1_000, 1, "a"],
      [1_000, 2, "a"],
      [2_000, 0, "a"],
    ]);
  });

  it("reads a receipt after the message and after its own last reading (Kulkarni et al.'s four cases)", () => {
    const wall = wallClock(1_000);
    const clock = new HybridClock("b", wall.read);
    const steps: [string, Timestamp][] = [];
    steps.push(["receive (5000, 3) from a clock ahead", clock.receive({ wall: 5_000, logical: 3, node: "a" })]);
    steps.push(["receive (5000, 7): same wall as ours", clock.receive({ wall: 5_000, logical: 7, node: "c" })]);
    steps.push(["receive (4000, 9): behind ours", clock.receive({ wall: 4_000, logical: 9, node: "a" })]);
    wall.ms = 9_000;
    steps.push([
      "receive (6000, 2) with our wall clock at 9000",
      clock.receive({ wall: 6_000, logical: 2, node: "a" }),
    ]);
    const got = steps.map(([what, r]) => `${what}: ${show(r)}`);
    expect(got).toEqual([
      "receive (5000, 3) from a clock ahead: (5000, 4, b)",
      "receive (5000, 7): same wall as ours: (5000, 8, b)",
      "receive (4000, 9): behind ours: (5000, 9, b)",
      "receive (6000, 2) with our wall clock at 9000: (9000, 0, b)",
    ]);
  });

  it("orders timestamps by wall, then logical, then node id", () => {
    const cases: [Timestamp, Timestamp][] = [
      [
        { wall: 1, logical: 9, node: "z" },
        { wall: 2, logical: 0, node: "a" },
      ],
      [
        { wall: 2, logical: 1, node: "z" },
        { wall: 2, logical: 2, node: "a" },
      ],
      [
        { wall: 2, logical: 2, node: "a" },
        { wall: 2, logical: 2, node: "b" },
      ],
    ];
    for (const [a, b] of cases) {
      expect(Math.sign(compareTimestamps(a, b)), `compare ${show(a)} with ${show(b)}`).toBe(-1);
      expect(Math.sign(compareTimestamps(b, a)), `compare ${show(b)} with ${show(a)}`).toBe(1);
      expect(compareTimestamps(a, { ...a }), `compare ${show(a)} with itself`).toBe(0);
    }
  });

  it("rejects a clock without a node id with a RangeError", () => {
    expectThrows(() => new HybridClock("", () => 0), RangeError, 'new HybridClock("")');
    expectThrows(() => new LwwReplica("", () => 0), RangeError, 'new LwwReplica("")');
  });
});

describe("last-writer-wins replication", () => {
  it("lets a write made after receiving another win, even from a node whose clock is 10 s behind", () => {
    const [east, west] = [wallClock(100_000), wallClock(90_000)];
    const a = new LwwReplica("a", east.read);
    const b = new LwwReplica("b", west.read);
    const first = a.write("cart", "book");
    b.receive("cart", wire(first));
    const second = b.write("cart", "book+pen");
    a.receive("cart", wire(second));
    expect(
      [a.read("cart"), b.read("cart")],
      `a wrote "book" at ${show(first.ts)}; b, 10 s behind, received it and wrote "book+pen" at ${show(second.ts)}`,
    ).toEqual(["book+pen", "book+pen"]);
  });

  it("keeps the same one of two writes made at the same instant on every replica, the node id deciding", () => {
    // both clocks read 1000 and neither has heard from the other: (1000, 0) twice
    const a = new LwwReplica("a", () => 1_000);
    const b = new LwwReplica("b", () => 1_000);
    const fromA = a.write("name", "alice");
    const fromB = b.write("name", "bob");
    a.receive("name", wire(fromB));
    b.receive("name", wire(fromA));
    expect(
      [a.read("name"), b.read("name")],
      `a wrote "alice" at ${show(fromA.ts)}, b "bob" at ${show(fromB.ts)}, then they exchanged`,
    ).toEqual(["bob", "bob"]);
  });

  it("keeps the later write when an older one arrives late or twice", () => {
    const wall = wallClock(5_000);
    const a = new LwwReplica("a", wall.read);
    const c = new LwwReplica("c", wall.read);
    const old = a.write("k", "v1");
    wall.ms = 6_000;
    const recent = a.write("k", "v2");
    c.receive("k", wire(recent));
    c.receive("k", wire(old));
    c.receive("k", wire(old));
    a.receive("k", wire(old));
    expect([c.read("k"), a.read("k")], "c got v2, then v1 twice; a got its own v1 back").toEqual(["v2", "v2"]);
    expect(c.entry("k")?.ts && show(c.entry("k")?.ts), "the timestamp c holds").toBe(show(recent.ts));
    expect(c.read("other"), "a key never written").toBeUndefined();
  });

  const NODES = ["a", "b", "c"] as const;
  type Event =
    | { kind: "tick"; ms: number }
    | { kind: "step-back"; node: number; ms: number }
    | { kind: "write"; node: number; key: string }
    | { kind: "deliver"; pick: number; keep: boolean };
  const event: fc.Arbitrary<Event> = fc.oneof(
    fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 400 }) }),
    fc.record({
      kind: fc.constant("step-back" as const),
      node: fc.integer({ min: 0, max: 2 }),
      ms: fc.integer({ min: 1, max: 3_000 }),
    }),
    fc.record({
      kind: fc.constant("write" as const),
      node: fc.integer({ min: 0, max: 2 }),
      key: fc.constantFrom("x", "y"),
    }),
    fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat(), keep: fc.boolean() }),
  );

  prop(
    "converges whatever the delivery order, the duplicates and the clocks' skew: every replica holds each key's write with the largest timestamp, and no write loses to one its node had seen",
    fc.tuple(
      fc.array(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 3, maxLength: 3 }),
      fc.array(event, { maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 200 }),
    ),
    ([offsets, events, finalOrder]) => {
      let time = 1_000_000;
      const skew = [...offsets];
      const physical = (n: number) => time + (skew[n] ?? 0);
      const replicas = NODES.map((name, n) => new LwwReplica(name, () => physical(n)));
      const inFlight: { to: number; key: string; record: Versioned; id: number }[] = [];
      const writes: { key: string; record: Versioned; id: number }[] = [];
      const seen = NODES.map(() => new Set<number>());
      const log: string[] = [`skew ${skew.join(", ")} ms`];
      const fail = (what: string) => expect.fail(`${what}\n  after: ${log.slice(-25).join("; ")}`);
      const deliver = (index: number, keep: boolean) => {
        const message = inFlight[index];
        if (!message) return;
        if (!keep) inFlight.splice(index, 1);
        replicas[message.to]?.receive(message.key, wire(message.record));
        seen[message.to]?.add(message.id);
        log.push(`${NODES[message.to]} receives #${message.id}${keep ? " (a copy stays in flight)" : ""}`);
      };
      // the largest any node's wall clock has read: a timestamp never runs past it
      let highest = Number.NEGATIVE_INFINITY;
      for (const e of events) {
        highest = Math.max(highest, ...NODES.map((_, n) => physical(n)));
        if (e.kind === "tick") time += e.ms;
        else if (e.kind === "step-back") skew[e.node] = (skew[e.node] ?? 0) - e.ms;
        else if (e.kind === "deliver") deliver(e.pick % Math.max(1, inFlight.length), e.keep);
        else {
          const id = writes.length;
          const pt = physical(e.node);
          const record = replicas[e.node]?.write(e.key, `w${id}`) as Versioned;
          log.push(`${NODES[e.node]} writes ${e.key}=w${id} at ${show(record.ts)} (its wall clock ${pt})`);
          if (record.ts.wall < pt)
            fail(`write #${id}'s timestamp ${show(record.ts)} is behind its node's wall clock, ${pt}`);
          if (record.ts.wall > highest)
            fail(`write #${id}'s timestamp ${show(record.ts)} is past every wall clock there has been (${highest})`);
          for (const before of seen[e.node] ?? []) {
            const earlier = writes[before];
            if (earlier && order(earlier.record.ts, record.ts) >= 0)
              fail(
                `write #${id} at ${show(record.ts)} does not come after #${before} at ${show(earlier.record.ts)}, which its node had seen`,
              );
          }
          seen[e.node]?.add(id);
          writes.push({ key: e.key, record, id });
          for (let to = 0; to < NODES.length; to++) if (to !== e.node) inFlight.push({ to, key: e.key, record, id });
        }
      }
      for (const pick of finalOrder) deliver(pick % Math.max(1, inFlight.length), false);
      while (inFlight.length) deliver(0, false);
      for (const key of ["x", "y"]) {
        const last = writes
          .filter((w) => w.key === key)
          .sort((p, q) => order(p.record.ts, q.record.ts))
          .at(-1);
        replicas.forEach((replica, n) => {
          if (replica.read(key) !== last?.record.value)
            fail(
              `replica ${NODES[n]} holds ${key}=${replica.read(key)} at ${show(replica.entry(key)?.ts)}; the write with the largest timestamp is ${last ? `${last.record.value} at ${show(last.record.ts)}` : "none"}`,
            );
        });
      }
    },
  );
});
