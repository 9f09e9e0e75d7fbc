import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/09-message-queues/consumer-group-assignor";
import * as reference from "#ref/09-message-queues/consumer-group-assignor";
import { compareLoad, kataOf, loadTest, prop } from "#spec";
import chapter from "../../../chapters/09-message-queues/chapter.ts";

const { budgets } = kataOf(chapter, "09-message-queues", "consumer-group-assignor");

type Member = learner.Member;
type Topics = learner.Topics;
type Assignment = learner.Assignment;

const key = (topic: string, partition: number) => `${topic}-${partition}`;

/** every partition of every topic that has a subscriber among the members */
function partitionsToOwn(members: readonly Member[], topics: Topics): string[] {
  const out: string[] = [];
  for (const [topic, count] of Object.entries(topics)) {
    if (!members.some((m) => m.topics.includes(topic))) continue;
    for (let p = 0; p < count; p++) out.push(key(topic, p));
  }
  return out;
}

/** partition → owner; throws when a partition is listed twice or by a non-member */
function ownersOf(assignment: Assignment, members: readonly Member[], what: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [id, partitions] of Object.entries(assignment)) {
    if (!members.some((m) => m.id === id)) throw new Error(`${what}: "${id}" is not a member but has partitions`);
    for (const tp of partitions) {
      const k = key(tp.topic, tp.partition);
      const other = owners.get(k);
      if (other !== undefined) throw new Error(`${what}: ${k} is given to both "${other}" and "${id}"`);
      owners.set(k, id);
    }
  }
  return owners;
}

/** the contract every assignor keeps: each partition of a subscribed topic read by exactly one subscriber */
function expectValid(assignment: Assignment, members: readonly Member[], topics: Topics, what: string): void {
  const context = `${what}\nmembers: ${JSON.stringify(members)}\ntopics: ${JSON.stringify(topics)}\nassignment: ${JSON.stringify(assignment)}`;
  for (const m of members) {
    if (!Array.isArray(assignment[m.id]))
      throw new Error(`${context}\nmember "${m.id}" has no entry (expected at least [])`);
  }
  const owners = ownersOf(assignment, members, context);
  for (const k of partitionsToOwn(members, topics)) {
    if (!owners.has(k)) throw new Error(`${context}\n${k} has no owner`);
  }
  for (const [k, id] of owners) {
    const topic = k.slice(0, k.lastIndexOf("-"));
    const partition = Number(k.slice(k.lastIndexOf("-") + 1));
    if (!Object.hasOwn(topics, topic) || partition >= (topics[topic] ?? 0)) {
      throw new Error(`${context}\n${k} does not exist but is given to "${id}"`);
    }
    const member = members.find((m) => m.id === id);
    if (!member?.topics.includes(topic))
      throw new Error(`${context}\n${k} is given to "${id}", who does not subscribe to ${topic}`);
  }
}

function loads(assignment: Assignment): Map<string, number> {
  return new Map(Object.entries(assignment).map(([id, ps]) => [id, ps.length]));
}

/** no partition's owner has two more partitions than another member that could read it */
function expectLocallyBalanced(assignment: Assignment, members: readonly Member[], what: string): void {
  const load = loads(assignment);
  for (const [id, partitions] of Object.entries(assignment)) {
    for (const tp of partitions) {
      for (const other of members) {
        if (other.id === id || !other.topics.includes(tp.topic)) continue;
        const gap = (load.get(id) ?? 0) - (load.get(other.id) ?? 0);
        if (gap >= 2) {
          throw new Error(
            `${what}: "${id}" reads ${load.get(id)} partitions, including ${key(tp.topic, tp.partition)}, while "${other.id}", ` +
              `also subscribed to ${tp.topic}, reads ${load.get(other.id)}\nmembers: ${JSON.stringify(members)}\nassignment: ${JSON.stringify(assignment)}`,
          );
        }
      }
    }
  }
}

// ---- workloads ------------------------------------------------------------------------------------

const TOPICS = ["orders", "payments", "clicks"];
const topicsArb: fc.Arbitrary<Topics> = fc
  .tuple(...TOPICS.map(() => fc.integer({ min: 0, max: 14 })))
  .map((counts) => Object.fromEntries(TOPICS.map((t, i) => [t, counts[i] as number])));
const idsArb = fc.uniqueArray(fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `c${i}`)), {
  minLength: 1,
  maxLength: 8,
});
/** members with their own subscriptions, perhaps to a topic that does not exist */
const mixedMembers: fc.Arbitrary<Member[]> = idsArb.chain((ids) =>
  fc.tuple(
    ...ids.map((id) =>
      fc.subarray([...TOPICS, "ghost"], { minLength: 0, maxLength: 4 }).map((topics) => ({ id, topics }) as Member),
    ),
  ),
);
const sameTopics = (ids: readonly string[], topics: readonly string[]): Member[] => ids.map((id) => ({ id, topics }));
const uniformMembers: fc.Arbitrary<Member[]> = idsArb.map((ids) => sameTopics(ids, TOPICS));

/** a group that has lived a while: the previous assignment is the learner's own, for another membership */
const rebalance = fc.record({
  before: mixedMembers,
  beforeTopics: topicsArb,
  after: mixedMembers,
  topics: topicsArb,
});

describe("range assignment", () => {
  it("gives each topic's subscribers, sorted by id, contiguous blocks, the first P mod n one more (Kafka's RangeAssignor)", () => {
    const members = sameTopics(["c", "a", "b"], ["orders"]);
    const got = learner.rangeAssign(members, { orders: 8 });
    const expected = { a: [0, 1, 2], b: [3, 4, 5], c: [6, 7] };
    for (const [id, ps] of Object.entries(expected)) {
      const mine = (got[id] ?? []).map((tp) => tp.partition).sort((x, y) => x - y);
      expect(mine, `rangeAssign([c, a, b], { orders: 8 }): partitions of ${id}`).toEqual(ps);
    }
  });

  prop(
    "every partition has exactly one owner, a member subscribed to its topic",
    fc.record({ members: mixedMembers, topics: topicsArb }),
    ({ members, topics }) => {
      expectValid(learner.rangeAssign(members, topics), members, topics, "rangeAssign");
    },
  );

  prop(
    "each topic's partitions are shared among its subscribers within 1",
    fc.record({ members: mixedMembers, topics: topicsArb }),
    ({ members, topics }) => {
      const got = learner.rangeAssign(members, topics);
      for (const topic of Object.keys(topics)) {
        const subs = members.filter((m) => m.topics.includes(topic));
        if (subs.length === 0) continue;
        const counts = subs.map((m) => (got[m.id] ?? []).filter((tp) => tp.topic === topic).length);
        if (Math.max(...counts) - Math.min(...counts) > 1) {
          throw new Error(
            `rangeAssign: ${topic} (${topics[topic]} partitions) split ${JSON.stringify(Object.fromEntries(subs.map((m, i) => [m.id, counts[i]])))} among its subscribers`,
          );
        }
      }
    },
  );

  prop(
    "matches Kafka's rule on every topic: block i starts at ⌊P/n⌋·i + min(i, P mod n)",
    fc.record({ members: mixedMembers, topics: topicsArb }),
    ({ members, topics }) => {
      const got = learner.rangeAssign(members, topics);
      const want = reference.rangeAssign(members, topics);
      for (const m of members) {
        const sorted = (a: Assignment) =>
          (a[m.id] ?? []).map((tp) => key(tp.topic, tp.partition)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        expect(sorted(got), `rangeAssign(${JSON.stringify(members)}, ${JSON.stringify(topics)}): ${m.id}`).toEqual(
          sorted(want),
        );
      }
    },
  );

  it("gives the extras of every topic to the same members: 2 topics of 3 partitions over 2 members are 4 and 2", () => {
    const got = learner.rangeAssign(sameTopics(["a", "b"], ["orders", "payments"]), { orders: 3, payments: 3 });
    expect(got.a?.length, "partitions of a").toBe(4);
    expect(got.b?.length, "partitions of b").toBe(2);
  });
});

describe("sticky assignment", () => {
  prop("every partition has exactly one owner, a member subscribed to its topic", rebalance, (s) => {
    const previous = learner.stickyAssign(s.before, s.beforeTopics);
    expectValid(previous, s.before, s.beforeTopics, "stickyAssign from nothing");
    const next = learner.stickyAssign(s.after, s.topics, previous);
    expectValid(next, s.after, s.topics, `stickyAssign with a previous assignment ${JSON.stringify(previous)}`);
  });

  prop("no member reads two partitions more than another member that could read one of them", rebalance, (s) => {
    const previous = learner.stickyAssign(s.before, s.beforeTopics);
    expectLocallyBalanced(previous, s.before, "stickyAssign from nothing");
    expectLocallyBalanced(learner.stickyAssign(s.after, s.topics, previous), s.after, "stickyAssign after a change");
  });

  prop(
    "members all subscribed to the same topics read within 1 partition of each other",
    fc.record({ before: uniformMembers, after: uniformMembers, topics: topicsArb }),
    (s) => {
      const next = learner.stickyAssign(s.after, s.topics, learner.stickyAssign(s.before, s.topics));
      const counts = [...loads(next).values()];
      if (Math.max(...counts) - Math.min(...counts) > 1) {
        throw new Error(`stickyAssign: loads ${JSON.stringify(Object.fromEntries(loads(next)))} differ by more than 1`);
      }
    },
  );

  prop(
    "a rebalance with the same members and topics moves nothing",
    fc.record({ members: mixedMembers, topics: topicsArb }),
    (s) => {
      const first = learner.stickyAssign(s.members, s.topics);
      const again = ownersOf(learner.stickyAssign(s.members, s.topics, first), s.members, "second stickyAssign");
      for (const [k, id] of ownersOf(first, s.members, "first stickyAssign")) {
        if (again.get(k) !== id) throw new Error(`${k} moved from "${id}" to "${again.get(k)}" though nothing changed`);
      }
    },
  );

  prop(
    "a member leaving moves only its own partitions",
    fc.record({ members: uniformMembers.filter((m) => m.length >= 2), topics: topicsArb, leaver: fc.nat() }),
    (s) => {
      const previous = learner.stickyAssign(s.members, s.topics);
      const gone = s.members[s.leaver % s.members.length] as Member;
      const rest = s.members.filter((m) => m !== gone);
      const next = ownersOf(learner.stickyAssign(rest, s.topics, previous), rest, "stickyAssign");
      for (const [k, id] of ownersOf(previous, s.members, "previous")) {
        if (id !== gone.id && next.get(k) !== id) {
          throw new Error(
            `"${gone.id}" left, and ${k} moved from "${id}" (still here) to "${next.get(k)}"\nprevious: ${JSON.stringify(previous)}`,
          );
        }
      }
    },
  );

  prop(
    "a member joining takes partitions only from others, and no more than balance needs",
    fc.record({ members: uniformMembers, topics: topicsArb }),
    (s) => {
      const previous = learner.stickyAssign(s.members, s.topics);
      const joiner = ["z0", "z1", "z2"].find((id) => !s.members.some((m) => m.id === id)) as string;
      const after = [...s.members, { id: joiner, topics: TOPICS }];
      const next = ownersOf(learner.stickyAssign(after, s.topics, previous), after, "stickyAssign");
      const total = partitionsToOwn(after, s.topics).length;
      const ceil = Math.ceil(total / after.length);
      const excess = [...loads(previous).values()].reduce((sum, c) => sum + Math.max(0, c - ceil), 0);
      const needed = Math.max(Math.floor(total / after.length), excess);
      let moved = 0;
      for (const [k, id] of ownersOf(previous, s.members, "previous")) {
        if (next.get(k) === id) continue;
        moved++;
        if (next.get(k) !== joiner)
          throw new Error(`"${joiner}" joined, and ${k} moved from "${id}" to "${next.get(k)}"`);
      }
      if (moved > needed) {
        throw new Error(
          `"${joiner}" joined a group of ${s.members.length} reading ${total} partitions: ${moved} moved, balance needs ${needed}` +
            `\nprevious: ${JSON.stringify(previous)}`,
        );
      }
    },
  );

  it("the seed's example: 6 partitions over C1, C2, C3; C2 leaves and C1, C3 keep theirs and take one each", () => {
    const tps = (...ps: number[]) => ps.map((partition) => ({ topic: "orders", partition }));
    const previous = { C1: tps(0, 1), C2: tps(2, 3), C3: tps(4, 5) };
    const got = learner.stickyAssign(sameTopics(["C1", "C3"], ["orders"]), { orders: 6 }, previous);
    const parts = (id: string) => (got[id] ?? []).map((tp) => tp.partition).sort();
    expect(parts("C1").length, "C1's share").toBe(3);
    expect(parts("C3").length, "C3's share").toBe(3);
    expect(parts("C1"), "C1 keeps P0, P1").toEqual(expect.arrayContaining([0, 1]));
    expect(parts("C3"), "C3 keeps P4, P5").toEqual(expect.arrayContaining([4, 5]));
  });
});

describe("cooperative rebalance (KIP-429)", () => {
  const transition = fc.record({ before: uniformMembers, after: uniformMembers, topics: topicsArb });
  const run = (s: { before: Member[]; after: Member[]; topics: Topics }) => {
    const previous = reference.stickyAssign(s.before, s.topics);
    const target = reference.stickyAssign(s.after, s.topics, previous);
    return { previous, target, round: learner.cooperativeRound(previous, target) };
  };

  prop(
    "the first round never hands a partition to a new owner while its old owner is still in the group",
    transition,
    (s) => {
      const { previous, target, round } = run(s);
      const stillHere = new Set(s.after.map((m) => m.id));
      const before = new Map<string, string>();
      for (const [id, ps] of Object.entries(previous)) for (const tp of ps) before.set(key(tp.topic, tp.partition), id);
      for (const [id, ps] of Object.entries(round)) {
        for (const tp of ps) {
          const old = before.get(key(tp.topic, tp.partition));
          if (old !== undefined && old !== id && stillHere.has(old)) {
            throw new Error(
              `round 1 gives ${key(tp.topic, tp.partition)} to "${id}" while "${old}" still reads it\ntarget: ${JSON.stringify(target)}`,
            );
          }
        }
        const allowed = new Set((target[id] ?? []).map((tp) => key(tp.topic, tp.partition)));
        for (const tp of ps) {
          if (!allowed.has(key(tp.topic, tp.partition)))
            throw new Error(`round 1 gives "${id}" ${key(tp.topic, tp.partition)}, not in its target`);
        }
      }
    },
  );

  prop(
    "the first round keeps every partition that does not change owner, and frees a departed member's at once",
    transition,
    (s) => {
      const { previous, target, round } = run(s);
      const stillHere = new Set(s.after.map((m) => m.id));
      const before = new Map<string, string>();
      for (const [id, ps] of Object.entries(previous)) for (const tp of ps) before.set(key(tp.topic, tp.partition), id);
      for (const [id, ps] of Object.entries(target)) {
        const got = new Set((round[id] ?? []).map((tp) => key(tp.topic, tp.partition)));
        for (const tp of ps) {
          const k = key(tp.topic, tp.partition);
          const old = before.get(k);
          if ((old === id || old === undefined || !stillHere.has(old)) && !got.has(k)) {
            throw new Error(
              `round 1 leaves out ${k} for "${id}", though ${old === id ? "it keeps it" : "nobody in the group reads it"}\n` +
                `previous: ${JSON.stringify(previous)}\ntarget: ${JSON.stringify(target)}`,
            );
          }
        }
      }
    },
  );
});

describe("under load", () => {
  // 2,000 members and 4,000 partitions: each operation assigns from nothing, then one member leaves
  // and comes back. A rebalance that scans every member for each orphan does 2,000 times the work
  // where a heap does about 11: many members make that gap the whole cost.
  const MEMBERS = 2_000;
  const ids = Array.from({ length: MEMBERS }, (_, i) => `consumer-${String(i).padStart(4, "0")}`);
  const topics = { orders: 1_600, payments: 1_600, clicks: 800 };
  const everyone = sameTopics(ids, Object.keys(topics));
  const without = ids.map((gone) => everyone.filter((m) => m.id !== gone));
  type Kata = typeof learner;

  loadTest(
    "keeps pace with the reference: 4,000 partitions over 2,000 members, one leaving and rejoining",
    budgets,
    () =>
      compareLoad({
        learner: () => learner,
        reference: () => reference as Kata,
        ops: 6,
        run: (kata, from, to) => {
          let sum = 0;
          for (let i = from; i < to; i++) {
            const gone = ids[i % MEMBERS] as string;
            const first = kata.stickyAssign(everyone, topics);
            const left = kata.stickyAssign(without[i % MEMBERS] as Member[], topics, first);
            sum += kata.stickyAssign(everyone, topics, left)[gone]?.length ?? 0;
          }
          return sum;
        },
        // 4,000 partitions over 2,000 members is 2 each, so every balanced assignment gives the same sum
        answers: { what: "partitions of each rejoined member" },
      }),
  );
});
