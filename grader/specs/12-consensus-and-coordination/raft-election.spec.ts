import { describe, expect } from "vitest";
import {
  DEFAULT_CONFIG,
  type RaftMessage,
  RaftNode,
  type Status,
} from "#kata/12-consensus-and-coordination/raft-election";
import type { NodeContext } from "#kit";
import { nemesis, type Simulation, Violation } from "#sim";
import { type SimRun, simTest } from "#spec";
import {
  describeRaftMessage,
  expectOneLeaderPerTerm,
  expectOneVotePerTerm,
  expectSameHistory,
  expectTermsNeverDecrease,
  Puppet,
  stableLeader,
} from "./_raft.ts";

const servers = ["n1", "n2", "n3", "n4", "n5"];
const { min, max } = DEFAULT_CONFIG.electionTimeoutMs;
const { heartbeatMs } = DEFAULT_CONFIG;

interface Options {
  puppets?: string[];
  /** servers down from the start */
  down?: string[];
  network?: { dropRate?: number; duplicateRate?: number; delayMs?: { min: number; max: number } };
}

function cluster(run: SimRun, options: Options = {}): Simulation<RaftMessage> {
  const puppets = options.puppets ?? [];
  const sim = run.simulation<RaftMessage>(
    {
      nodes: [
        ...servers.map((id) => ({
          id,
          peers: servers.filter((p) => p !== id),
          create: (ctx: NodeContext<RaftMessage>) => new RaftNode(ctx),
        })),
        ...puppets.map((id) => ({ id, peers: servers, create: (ctx: NodeContext<RaftMessage>) => new Puppet(ctx) })),
      ],
      network: { delayMs: { min: 1, max: 10 }, ...options.network },
      observe: (node, id) => (puppets.includes(id) ? undefined : (node as RaftNode).status()),
    },
    { describe: describeRaftMessage },
  );
  for (const id of options.down ?? []) sim.crash(id);
  return sim;
}

const status = (sim: Simulation<RaftMessage>, id: string) => sim.observed(id) as Status | undefined;
const statuses = (sim: Simulation<RaftMessage>) =>
  servers.map((id) => `${id}: ${JSON.stringify(status(sim, id) ?? "down")}`).join(", ");
const puppet = (sim: Simulation<RaftMessage>, id: string) => sim.node(id) as Puppet<RaftMessage>;
const tell = (sim: Simulation<RaftMessage>, from: string, to: string, message: RaftMessage) =>
  sim.call(from, `send ${message.type}`, (node) => (node as Puppet<RaftMessage>).ctx.send(to, message));

/** n1, the kata's node, among `size - 1` puppet peers (p2, p3, ...) whose votes the spec casts by hand */
function amongPuppets(run: SimRun, size = 5): Simulation<RaftMessage> {
  const peers = Array.from({ length: size - 1 }, (_, i) => `p${i + 2}`);
  return run.simulation<RaftMessage>(
    {
      nodes: [
        { id: "n1", peers, create: (ctx: NodeContext<RaftMessage>) => new RaftNode(ctx) },
        ...peers.map((id) => ({
          id,
          peers: ["n1"],
          create: (ctx: NodeContext<RaftMessage>) => new Puppet<RaftMessage>(ctx),
        })),
      ],
      network: { delayMs: { min: 1, max: 5 } },
      observe: (node, id) => (id === "n1" ? (node as RaftNode).status() : undefined),
    },
    { describe: describeRaftMessage },
  );
}

/** runs until n1 is a candidate of `term`: its election timeout, at most `max` ms away */
function standsIn(sim: Simulation<RaftMessage>, term: number): void {
  if (!sim.runFor(max + 1, () => status(sim, "n1")?.role === "candidate" && status(sim, "n1")?.term === term)) {
    throw new Error(
      `n1 did not stand for election in term ${term} within ${max} ms of hearing from no leader: it is ${JSON.stringify(status(sim, "n1"))}`,
    );
  }
}

/** the puppet `from` answers n1's request for a vote in `term`; the spec lets it arrive */
function castVote(sim: Simulation<RaftMessage>, from: string, term: number, granted = true): void {
  tell(sim, from, "n1", { type: "VoteReply", term, granted });
}

/** the puppet `from` sends n1 `message` and the spec runs until n1's answer is back (at most 50 ms) */
function exchange(sim: Simulation<RaftMessage>, from: string, message: RaftMessage): void {
  const inbox = puppet(sim, from).inbox;
  const before = inbox.length;
  tell(sim, from, "n1", message);
  sim.runFor(50, () => inbox.length > before);
}

function electOrThrow(sim: Simulation<RaftMessage>, within: number): string {
  sim.runUntil(sim.now + within, () => stableLeader(sim, servers) !== undefined);
  const leader = stableLeader(sim, servers);
  if (!leader) throw new Error(`no leader that every node follows after ${within} ms: ${statuses(sim)}`);
  return leader;
}

/** five servers on a bad network, with a partition, pause or crash at a time from 300 ms to 6 s */
function stormy(run: SimRun): Simulation<RaftMessage> {
  const sim = cluster(run, { network: { dropRate: 0.05, duplicateRate: 0.1, delayMs: { min: 1, max: 30 } } });
  nemesis(sim, {
    from: 300,
    until: 6_000,
    everyMs: { min: 100, max: 700 },
    faults: ["partition", "one-way", "isolate", "crash", "pause"],
  });
  sim.runUntil(6_000);
  return sim;
}

describe("electing a leader", () => {
  simTest("elects one leader that every node follows within 1 s on a quiet network", { seeds: 50 }, (run) => {
    electOrThrow(cluster(run), 1_000);
  });

  simTest(
    "keeps the same leader and term for 10 s while nothing fails, by sending heartbeats",
    { seeds: 20 },
    (run) => {
      const sim = cluster(run);
      const leader = electOrThrow(sim, 1_000);
      const term = (status(sim, leader) as Status).term;
      const since = sim.now;
      sim.runFor(10_000);
      const change = sim.history.find((e) => {
        if (e.kind !== "state" || e.t <= since) return false;
        const s = JSON.parse(e.state) as Status;
        return s.term !== term || (e.node === leader) !== (s.role === "leader");
      });
      if (change && change.kind === "state") {
        throw new Violation(
          `${change.node} became ${change.state} at ${change.t.toFixed(1)} ms while ${leader} led term ${term}: ` +
            `heartbeats every ${heartbeatMs} ms should keep every follower from timing out`,
          change,
        );
      }
    },
  );

  simTest(
    "a follower that hears from no leader stands for election: the next term, its own vote, a request to every peer",
    { seeds: 10 },
    (run) => {
      const sim = cluster(run, { down: ["n2", "n3", "n4", "n5"] });
      sim.runUntil(max + 1, () => status(sim, "n1")?.role === "candidate");
      expect(status(sim, "n1"), "n1 after its election timeout").toEqual({
        role: "candidate",
        term: 1,
        votedFor: "n1",
      });
      const requests = sim.history.flatMap((e) => (e.kind === "send" && e.from === "n1" ? [e] : []));
      expect(requests.map((e) => e.to).sort(), "n1 asks every peer for a vote").toEqual(["n2", "n3", "n4", "n5"]);
      for (const e of requests) {
        expect(JSON.parse(e.message), `n1's request to ${e.to}`).toEqual({
          type: "RequestVote",
          term: 1,
          candidate: "n1",
        });
      }
    },
  );

  simTest(
    `a new leader sends heartbeats to every peer at once, then at least every heartbeatMs (${heartbeatMs} ms)`,
    { seeds: 5 },
    (run) => {
      const sim = amongPuppets(run);
      standsIn(sim, 1);
      castVote(sim, "p2", 1);
      castVote(sim, "p3", 1);
      if (!sim.runFor(20, () => status(sim, "n1")?.role === "leader")) {
        throw new Error(
          `n1 has its own, p2's and p3's votes in term 1, 3 of 5, yet is ${JSON.stringify(status(sim, "n1"))}`,
        );
      }
      const won = sim.now;
      sim.runFor(500);
      for (const peer of ["p2", "p3", "p4", "p5"]) {
        const beats = sim.history.flatMap((e) =>
          e.kind === "send" && e.from === "n1" && e.to === peer && JSON.parse(e.message).type === "AppendEntries"
            ? [{ t: e.t, message: JSON.parse(e.message) }]
            : [],
        );
        const times = beats.map((b) => `${b.t.toFixed(1)}`).join(", ");
        expect(beats[0]?.message, `n1's first heartbeat to ${peer}`).toEqual({
          type: "AppendEntries",
          term: 1,
          leader: "n1",
        });
        expect(
          beats[0]?.t,
          `when n1 first sent ${peer} a heartbeat (it won term 1 at ${won.toFixed(1)} ms; heartbeats at ${times} ms)`,
        ).toBeCloseTo(won, 6);
        const ends = [...beats.map((b) => b.t), sim.now];
        const gap = Math.max(...ends.slice(1).map((t, i) => t - (ends[i] as number)));
        expect(
          gap,
          `the longest gap between n1's heartbeats to ${peer} over the 500 ms after it won (heartbeats at ${times} ms)`,
        ).toBeLessThanOrEqual(heartbeatMs + 1e-6);
      }
    },
  );

  simTest(`picks a fresh random election timeout each time, within [${min}, ${max}) ms`, { seeds: 10 }, (run) => {
    // alone, n1 times out again and again: each new term is one timeout after the last
    const sim = cluster(run, { down: ["n2", "n3", "n4", "n5"] });
    sim.runUntil(6_000);
    const elections = [0];
    for (const e of sim.history) {
      if (e.kind === "state" && e.node === "n1" && JSON.parse(e.state).term > elections.length - 1) elections.push(e.t);
    }
    const gaps = elections.slice(1).map((t, i) => t - (elections[i] as number));
    expect(gaps.length, "elections n1 started in 6 s alone").toBeGreaterThanOrEqual(6_000 / max - 1);
    for (const gap of gaps) {
      expect(
        gap,
        `the gaps between n1's elections: ${gaps.map((g) => g.toFixed(1)).join(", ")} ms`,
      ).toBeGreaterThanOrEqual(min);
      expect(gap, `the gaps between n1's elections: ${gaps.map((g) => g.toFixed(1)).join(", ")} ms`).toBeLessThan(
        max + 1e-9,
      );
    }
    const distinct = new Set(gaps.map((g) => g.toFixed(3))).size;
    if (distinct < gaps.length / 2) {
      throw new Error(
        `n1 waited ${gaps.map((g) => g.toFixed(1)).join(", ")} ms between elections: the same timeout each time lets ` +
          "candidates that started together split the vote again and again",
      );
    }
  });
});

describe("votes", () => {
  simTest("remembers its term and vote across a crash: they are on disk before it answers", { seeds: 5 }, (run) => {
    const sim = cluster(run, { puppets: ["c1", "c2"], down: ["n2", "n3", "n4", "n5"] });
    sim.at(10, () => tell(sim, "c1", "n1", { type: "RequestVote", term: 5, candidate: "c1" }));
    sim.runUntil(40);
    expect(
      puppet(sim, "c1").inbox.map((m) => m.message),
      "n1 answers c1, the first candidate of term 5",
    ).toEqual([{ type: "VoteReply", term: 5, granted: true }]);
    sim.crash("n1");
    sim.restart("n1");
    expect(status(sim, "n1"), "n1 right after it restarts").toMatchObject({ term: 5, votedFor: "c1" });
    sim.at(60, () => tell(sim, "c2", "n1", { type: "RequestVote", term: 5, candidate: "c2" }));
    sim.at(70, () => tell(sim, "c2", "n1", { type: "RequestVote", term: 4, candidate: "c2" }));
    sim.runUntil(100);
    expect(
      puppet(sim, "c2").inbox.map((m) => m.message),
      "n1 refuses c2 in term 5 (it voted for c1) and in term 4 (older), both times with its term",
    ).toEqual([
      { type: "VoteReply", term: 5, granted: false },
      { type: "VoteReply", term: 5, granted: false },
    ]);
  });

  simTest(
    "grants one vote per term, first come first served: again to the same candidate, to no other, and afresh in a newer term",
    { seeds: 5 },
    (run) => {
      const sim = cluster(run, { puppets: ["c1", "c2"], down: ["n2", "n3", "n4", "n5"] });
      const asks: Array<[from: string, term: number]> = [
        ["c1", 1],
        ["c1", 1],
        ["c2", 1],
        ["c2", 2],
        ["c1", 2],
      ];
      for (const [from, term] of asks) exchange(sim, from, { type: "RequestVote", term, candidate: from });
      expect(
        puppet(sim, "c1").inbox.map((m) => m.message),
        "n1's answers to c1, which asks in term 1 twice (a retry), then in term 2 after c2 did",
      ).toEqual([
        { type: "VoteReply", term: 1, granted: true },
        { type: "VoteReply", term: 1, granted: true },
        { type: "VoteReply", term: 2, granted: false },
      ]);
      expect(
        puppet(sim, "c2").inbox.map((m) => m.message),
        "n1's answers to c2, which asks in term 1 after c1 did, then in term 2 (a newer term forgets the old vote)",
      ).toEqual([
        { type: "VoteReply", term: 1, granted: false },
        { type: "VoteReply", term: 2, granted: true },
      ]);
      expect(status(sim, "n1"), "n1 after the five requests").toEqual({ role: "follower", term: 2, votedFor: "c2" });
    },
  );

  simTest(
    "keeps its own candidacy and a newer term it heard across a crash, so it votes for nobody else in them",
    { seeds: 5 },
    (run) => {
      const sim = cluster(run, { puppets: ["c1"], down: ["n2", "n3", "n4", "n5"] });
      standsIn(sim, 1);
      sim.crash("n1");
      sim.restart("n1");
      expect(status(sim, "n1"), "n1 right after it restarts: it had stood in term 1, voting for itself").toMatchObject({
        term: 1,
        votedFor: "n1",
      });
      exchange(sim, "c1", { type: "RequestVote", term: 1, candidate: "c1" });
      expect(
        puppet(sim, "c1").inbox.map((m) => m.message),
        "n1 answers c1, a candidate of term 1, the term n1 voted for itself in before its crash",
      ).toEqual([{ type: "VoteReply", term: 1, granted: false }]);
      exchange(sim, "c1", { type: "AppendEntries", term: 7, leader: "c1" });
      sim.crash("n1");
      sim.restart("n1");
      expect(
        status(sim, "n1"),
        "n1 right after it restarts: before the crash it heard of term 7 from c1",
      ).toMatchObject({ term: 7 });
    },
  );

  simTest(
    "a granted vote resets the election timeout: a follower that grants a vote every 100 ms never stands",
    { seeds: 5 },
    (run) => {
      const sim = cluster(run, { puppets: ["c1"], down: ["n2", "n3", "n4", "n5"] });
      for (let term = 1; term <= 20; term++) {
        sim.at(10 + 100 * (term - 1), () => tell(sim, "c1", "n1", { type: "RequestVote", term, candidate: "c1" }));
      }
      sim.runUntil(2_000);
      const granted = puppet(sim, "c1").inbox.filter((m) => m.message.type === "VoteReply" && m.message.granted);
      expect(granted.length, "votes n1 granted c1, a candidate of a new term every 100 ms").toBe(20);
      const stood = sim.history.find(
        (e) => e.kind === "state" && e.node === "n1" && (JSON.parse(e.state) as Status).role === "candidate",
      );
      if (stood) {
        throw new Violation(
          `n1 stood for election at ${stood.t.toFixed(1)} ms though it had granted c1 a vote less than 110 ms before: ` +
            `a granted vote resets the election timeout (at least ${min} ms), so a follower waits for the candidate it voted for`,
          stood,
        );
      }
    },
  );

  simTest("counts each voter once, however many copies of its vote arrive", { seeds: 5 }, (run) => {
    const sim = amongPuppets(run);
    standsIn(sim, 1);
    for (let copy = 0; copy < 3; copy++) castVote(sim, "p2", 1);
    sim.runFor(10);
    expect(
      status(sim, "n1"),
      "n1, candidate of term 1, after three copies of p2's vote: two voters of five, itself and p2",
    ).toMatchObject({ role: "candidate", term: 1 });
    castVote(sim, "p3", 1);
    sim.runFor(10);
    expect(status(sim, "n1"), "n1 after p3's vote too: three voters of five").toMatchObject({
      role: "leader",
      term: 1,
    });
  });

  simTest(
    "counts only votes granted in its current term: a late grant from an earlier candidacy is no vote",
    { seeds: 5 },
    (run) => {
      const sim = amongPuppets(run);
      standsIn(sim, 1);
      castVote(sim, "p2", 1);
      sim.runFor(10);
      expect(status(sim, "n1"), "n1, candidate of term 1, with its own vote and p2's: 2 of 5").toMatchObject({
        role: "candidate",
        term: 1,
      });
      // the vote splits: n1 times out into term 2, where p2 has not voted for it
      standsIn(sim, 2);
      castVote(sim, "p3", 1); // late, or a copy the network made: granted in term 1
      castVote(sim, "p4", 1);
      castVote(sim, "p5", 2);
      sim.runFor(10);
      expect(
        status(sim, "n1"),
        "n1, candidate of term 2, with its own vote and p5's for term 2 (p2, p3 and p4 granted term 1 only): 2 of 5",
      ).toMatchObject({ role: "candidate", term: 2 });
      castVote(sim, "p3", 2);
      sim.runFor(10);
      expect(status(sim, "n1"), "n1 after p3 grants term 2 too: 3 votes of term 2, of 5").toMatchObject({
        role: "leader",
        term: 2,
      });
    },
  );

  simTest("needs a strict majority: in a cluster of four, two votes are not enough, three are", { seeds: 5 }, (run) => {
    const sim = amongPuppets(run, 4);
    standsIn(sim, 1);
    castVote(sim, "p2", 1);
    sim.runFor(10);
    expect(status(sim, "n1"), "n1 with its own vote and p2's, 2 of 4: half is not a majority").toMatchObject({
      role: "candidate",
      term: 1,
    });
    castVote(sim, "p3", 1);
    sim.runFor(10);
    expect(status(sim, "n1"), "n1 with p3's vote too, 3 of 4").toMatchObject({ role: "leader", term: 1 });
  });

  simTest("grants at most one vote per term, even across a crash", { seeds: 100 }, (run) => {
    expectOneVotePerTerm(stormy(run).history);
  });
});

describe("terms", () => {
  simTest("rejects AppendEntries from an older term and answers with its own term", { seeds: 5 }, (run) => {
    const sim = cluster(run, { puppets: ["old"] });
    const leader = electOrThrow(sim, 1_000);
    const term = (status(sim, leader) as Status).term;
    // roles and terms only: a vote request of this term may still be on its way to a node
    const rolesAndTerms = () => servers.map((id) => `${id}: ${status(sim, id)?.role} in term ${status(sim, id)?.term}`);
    const before = rolesAndTerms();
    for (const id of servers) tell(sim, "old", id, { type: "AppendEntries", term: term - 1, leader: "old" });
    sim.runFor(30);
    const replies = puppet(sim, "old").inbox.map((m) => ({ from: m.from, ...m.message }));
    expect(
      replies.sort((a, b) => (a.from < b.from ? -1 : 1)),
      `the answers to a heartbeat of term ${term - 1} sent to every node while ${leader} leads term ${term}`,
    ).toEqual(servers.map((from) => ({ from, type: "AppendReply", term, success: false })));
    expect(rolesAndTerms(), "nobody changes role or term for a stale leader").toEqual(before);
  });

  simTest("a candidate gives up when a leader of its own term appears", { seeds: 5 }, (run) => {
    const sim = cluster(run, { puppets: ["ldr"], down: ["n2", "n3", "n4", "n5"] });
    sim.runUntil(max + 1, () => status(sim, "n1")?.role === "candidate");
    const term = (status(sim, "n1") as Status).term;
    tell(sim, "ldr", "n1", { type: "AppendEntries", term, leader: "ldr" });
    sim.runFor(20);
    expect(status(sim, "n1"), `n1 after a heartbeat from the leader of term ${term}`).toMatchObject({
      role: "follower",
      term,
    });
    expect(
      puppet(sim, "ldr").inbox.map((m) => m.message),
      `n1's answer to the heartbeat of ldr, leader of its term ${term}`,
    ).toEqual([{ type: "AppendReply", term, success: true }]);
  });

  simTest("a stale leader steps down when it hears of a newer term", { seeds: 30 }, (run) => {
    const sim = cluster(run);
    const leader = electOrThrow(sim, 1_000);
    const term = (status(sim, leader) as Status).term;
    const rest = servers.filter((id) => id !== leader);
    sim.partition([[leader], rest]);
    sim.runFor(1_500);
    const successor = rest.find((id) => status(sim, id)?.role === "leader");
    if (!successor) throw new Error(`the four nodes cut off from ${leader} elected nobody in 1.5 s: ${statuses(sim)}`);
    // the old leader hears the newer term from its followers' replies, not from the new leader's heartbeats
    sim.heal();
    sim.cut(successor, leader);
    const healed = sim.now;
    sim.runFor(1_000);
    const learned = sim.history.find(
      (e) => e.kind === "state" && e.node === leader && e.t >= healed && JSON.parse(e.state).term > term,
    );
    if (learned?.kind !== "state") {
      throw new Error(`${leader}, leader of term ${term}, never learned of the newer term in the 1 s after healing`);
    }
    const now = JSON.parse(learned.state) as Status;
    if (now.role === "leader") {
      throw new Violation(
        `${leader} took term ${now.term} at ${learned.t.toFixed(1)} ms and kept leading: a newer term makes a leader a follower`,
        learned,
      );
    }
  });

  simTest("never lets a node's term go down, even across a crash", { seeds: 100 }, (run) => {
    expectTermsNeverDecrease(stormy(run).history);
  });
});

describe("under faults", () => {
  simTest("never elects two leaders in one term, whatever the network and crashes do", { seeds: 100 }, (run) => {
    expectOneLeaderPerTerm(stormy(run).history);
  });

  simTest("elects a leader within 2 s once the network heals and every node is back", { seeds: 100 }, (run) => {
    electOrThrow(stormy(run), 2_000);
  });

  simTest("replays the same history from the same seed (use ctx.random(), not Math.random)", { seeds: 3 }, (run) => {
    expectSameHistory(run.seed, stormy(run).history, stormy(run).history);
  });
});
