import { describe, expect } from "vitest";
import {
  type AppendEntries,
  type RaftMessage,
  RaftNode,
  type RequestVote,
  type Status,
} from "#kata/12-consensus-and-coordination/raft-log-replication";
import type { DurableStorage, NodeContext, SimNode } from "#kit";
import { checkKv, type KvInput, type KvOutput, nemesis, type Operation, type Simulation } from "#sim";
import { type SimRun, simTest } from "#spec";
import { AppliedLog, answered, describeServers, KvClient, KvServer, type KvWire } from "./_kv.ts";
import { describeRaftMessage, expectOneLeaderPerTerm, expectSameHistory, Puppet, stableLeader } from "./_raft.ts";

const servers = ["n1", "n2", "n3", "n4", "n5"];
type Wire = KvWire<RaftMessage>;
type History = Array<Operation<KvInput, KvOutput>>;

function describeWire(message: unknown): string {
  const m = message as { type: string; opId?: string; op?: KvInput; value?: unknown };
  if (m.type === "Request") return `${m.opId} ${m.op?.kind} ${m.op?.key}`;
  if (m.type === "Reply") return `${m.opId} answered ${JSON.stringify(m.value)}`;
  if (m.type === "NotLeader") return `${m.opId} not leader`;
  return describeRaftMessage(message);
}

interface KvOptions {
  clients?: number;
  /** clients start no operation after this time */
  until?: number;
  network?: { dropRate?: number; duplicateRate?: number; delayMs?: { min: number; max: number } };
}

/** five servers running a key-value store on the kata's Raft, and clients using it */
function kvCluster(run: SimRun, options: KvOptions = {}) {
  const history: History = [];
  const applied = new AppliedLog();
  const clients = Array.from({ length: options.clients ?? 0 }, (_, i) => `c${i + 1}`);
  let boots = 0;
  const plan = { servers, until: options.until ?? Number.POSITIVE_INFINITY, timeoutMs: 500, history };
  const sim: Simulation<Wire> = run.simulation<Wire>(
    {
      nodes: [
        ...servers.map((id) => ({
          id,
          peers: servers.filter((p) => p !== id),
          create: (ctx: NodeContext<Wire>) => {
            const boot = ++boots;
            return new KvServer<RaftMessage>(
              ctx,
              (raftContext, apply) => new RaftNode(raftContext, apply),
              (index, opId) => {
                sim.note(id, `applies ${index}: ${opId}`);
                applied.record(id, boot, index, opId, sim.now, sim.history[sim.history.length - 1]);
              },
            );
          },
        })),
        ...clients.map((id) => ({
          id,
          peers: servers,
          create: (ctx: NodeContext<Wire>) => new KvClient<RaftMessage>(ctx, plan),
        })),
      ],
      network: { delayMs: { min: 1, max: 10 }, ...options.network },
      observe: (node, id) => (servers.includes(id) ? (node as KvServer<RaftMessage>).raft.status() : undefined),
    },
    { describe: describeWire },
  );
  return { sim, history, applied };
}

const statusOf = (sim: Simulation<Wire>, id: string) => sim.observed(id) as Status | undefined;
const raftOf = (sim: Simulation<Wire>, id: string) => (sim.node(id) as KvServer<RaftMessage>).raft as RaftNode;

function electOrThrow(sim: Simulation<Wire>, within: number): string {
  sim.runUntil(sim.now + within, () => stableLeader(sim as Simulation<unknown>, servers) !== undefined);
  const leader = stableLeader(sim as Simulation<unknown>, servers);
  if (!leader) throw new Error(`no leader every node follows after ${within} ms: ${describeServers(sim, servers)}`);
  return leader;
}

function expectLinearizable(history: History): void {
  const verdict = checkKv(history);
  if (verdict.result === "linearizable") return;
  const what = verdict.result === "unknown" ? "could not be checked" : "is not linearizable";
  throw new Error(`the clients' history of ${history.length} operations ${what}: ${verdict.explanation}`);
}

/** five servers and three clients on a bad network, with a partition, pause or crash at a time from 300 ms to 5 s */
function stormy(run: SimRun) {
  const cluster = kvCluster(run, {
    clients: 3,
    until: 6_000,
    network: { dropRate: 0.05, duplicateRate: 0.05, delayMs: { min: 1, max: 20 } },
  });
  nemesis(cluster.sim, {
    from: 300,
    until: 5_000,
    everyMs: { min: 100, max: 700 },
    faults: ["partition", "one-way", "isolate", "crash", "pause"],
    nodes: servers,
  });
  cluster.sim.runUntil(5_000);
  return cluster;
}

// ---- one node of the kata, driven message by message ------------------------------------------

/** the node's context, with a storage that adds the size of every value written (as JSON) to `bytes.written` */
function countingWrites<M>(ctx: NodeContext<M>, bytes: { written: number }): NodeContext<M> {
  const storage: DurableStorage = {
    get: <T>(key: string) => ctx.storage.get<T>(key),
    set: (key, value) => {
      bytes.written += (JSON.stringify(value) ?? "").length;
      ctx.storage.set(key, value);
    },
  };
  return { ...ctx, storage };
}

/**
 * n1 alone (its peers are down), with puppets that talk to it; `applied` is what
 * n1 applied, `bytes.written` how much it wrote to its storage
 */
function loneNode(run: SimRun, puppets: string[]) {
  const applied: Array<{ index: number; command: unknown }> = [];
  const bytes = { written: 0 };
  const sim = run.simulation<RaftMessage>(
    {
      nodes: [
        ...servers.map((id) => ({
          id,
          peers: servers.filter((p) => p !== id),
          create: (ctx: NodeContext<RaftMessage>) =>
            new RaftNode(id === "n1" ? countingWrites(ctx, bytes) : ctx, (index, command) => {
              if (id === "n1") applied.push({ index, command });
            }),
        })),
        ...puppets.map((id) => ({ id, peers: ["n1"], create: (ctx: NodeContext<RaftMessage>) => new Puppet(ctx) })),
      ],
      network: { delayMs: { min: 1, max: 2 } },
      observe: (node, id) => (servers.includes(id) ? (node as RaftNode).status() : undefined),
    },
    { describe: describeRaftMessage },
  );
  for (const id of servers.slice(1)) sim.crash(id);
  /** sends from a puppet to n1 and returns n1's answer */
  const ask = (from: string, message: RaftMessage) => {
    const inbox = (sim.node(from) as Puppet<RaftMessage>).inbox;
    const before = inbox.length;
    sim.call(from, `send ${message.type}`, (node) => (node as Puppet<RaftMessage>).ctx.send("n1", message));
    sim.runFor(10);
    return inbox.slice(before).map((m) => m.message);
  };
  const status = () => sim.observed("n1") as Status;
  return { sim, applied, ask, status, bytes };
}

const append = (
  term: number,
  prevLogIndex: number,
  prevLogTerm: number,
  entries: Array<[term: number, command: string]>,
  leaderCommit = 0,
): AppendEntries => ({
  type: "AppendEntries",
  term,
  leader: "L",
  prevLogIndex,
  prevLogTerm,
  entries: entries.map(([t, command]) => ({ term: t, command })),
  leaderCommit,
});
const ok = (term: number, matchIndex: number) => ({ type: "AppendReply", term, success: true, matchIndex });
const refused = (term: number) => expect.objectContaining({ type: "AppendReply", term, success: false });

describe("replicating commands", () => {
  simTest(
    "replicates every command to every node and applies it everywhere, in the same order",
    { seeds: 20 },
    (run) => {
      const { sim, history, applied } = kvCluster(run, { clients: 2, until: 2_000 });
      sim.runUntil(3_000);
      applied.check();
      expect(answered(history), "operations the clients got an answer for in 2 s").toBeGreaterThan(20);
      const commits = servers.map((id) => statusOf(sim, id)?.commitIndex);
      expect(commits, "every node's commit index, 1 s after the last command").toEqual(
        servers.map(() => applied.highest),
      );
      expectLinearizable(history);
    },
  );

  simTest("takes commands only on the leader: propose() elsewhere returns null", { seeds: 5 }, (run) => {
    const { sim } = kvCluster(run);
    const leader = electOrThrow(sim, 1_000);
    for (const id of servers.filter((s) => s !== leader)) {
      expect(
        sim.call(id, "propose", () => raftOf(sim, id).propose("x")),
        `${id} (a follower) proposes`,
      ).toBeNull();
    }
    const last = (statusOf(sim, leader) as Status).lastLogIndex;
    expect(
      sim.call(leader, "propose", () => raftOf(sim, leader).propose("x")),
      "the leader proposes",
    ).toBe(last + 1);
  });

  simTest(
    "brings a follower that missed entries up to date, backing nextIndex up until the logs match",
    { seeds: 20 },
    (run) => {
      const { sim, applied } = kvCluster(run);
      const leader = electOrThrow(sim, 1_000);
      const behind = servers.find((id) => id !== leader) as string;
      sim.crash(behind);
      for (let i = 1; i <= 30; i++) {
        sim.call(leader, "propose", () =>
          raftOf(sim, leader).propose({ opId: `w${i}`, op: { kind: "put", key: "x", value: `${i}` } }),
        );
      }
      sim.runFor(300);
      // a new leader starts every follower's nextIndex past its own last entry: for `behind`, 30 entries too far
      sim.crash(leader);
      const rest = servers.filter((id) => id !== leader && id !== behind);
      sim.runFor(1_500, () => rest.some((id) => statusOf(sim, id)?.role === "leader"));
      const successor = rest.find((id) => statusOf(sim, id)?.role === "leader");
      if (!successor)
        throw new Error(`no new leader within 1.5 s of ${leader}'s crash: ${describeServers(sim, servers)}`);
      sim.restart(behind);
      sim.runFor(2_000, () => statusOf(sim, behind)?.commitIndex === 30);
      applied.check();
      expect(
        statusOf(sim, behind),
        `${behind}, 2 s after it came back 30 entries behind ${successor}, a leader elected while it was down`,
      ).toMatchObject({ lastLogIndex: 30, commitIndex: 30 });
    },
  );
});

describe("a follower's checks", () => {
  simTest("rejects AppendEntries whose previous entry it does not hold, with success: false", { seeds: 3 }, (run) => {
    const { ask, status } = loneNode(run, ["L"]);
    expect(
      ask(
        "L",
        append(1, 0, 0, [
          [1, "a"],
          [1, "b"],
        ]),
      ),
      "n1 takes the first 2 entries from L, leader of term 1",
    ).toEqual([ok(1, 2)]);
    expect(ask("L", append(1, 5, 1, [[1, "f"]])), "prevLogIndex 5 is past n1's last entry").toEqual([refused(1)]);
    expect(ask("L", append(1, 2, 7, [[1, "c"]])), "n1's entry 2 has term 1, not 7").toEqual([refused(1)]);
    expect(status().lastLogIndex, "n1's log after two refused messages").toBe(2);
  });

  simTest("refuses AppendEntries from an older term with its own term, and keeps its log", { seeds: 3 }, (run) => {
    const { ask, status } = loneNode(run, ["L", "old"]);
    expect(
      ask(
        "L",
        append(2, 0, 0, [
          [1, "a"],
          [2, "b"],
        ]),
      ),
      "n1's answer to the leader of term 2",
    ).toEqual([ok(2, 2)]);
    expect(
      ask("old", append(1, 1, 1, [[1, "c"]])),
      "n1's answer to a deposed leader of term 1 that would put c where n1 holds b (term 2)",
    ).toEqual([refused(2)]);
    expect(status(), "n1 after the deposed leader's message: still in term 2, b still at index 2").toMatchObject({
      term: 2,
      lastLogIndex: 2,
    });
    expect(ask("L", append(2, 2, 2, [], 2)), "the leader of term 2 checks that n1 still holds b").toEqual([ok(2, 2)]);
  });

  simTest("replaces a conflicting suffix with the leader's entries", { seeds: 3 }, (run) => {
    const { ask, status, applied } = loneNode(run, ["L"]);
    expect(
      ask(
        "L",
        append(1, 0, 0, [
          [1, "a"],
          [1, "b"],
          [1, "c"],
        ]),
      ),
      "n1 takes the first 3 entries from L, leader of term 1",
    ).toEqual([ok(1, 3)]);
    expect(ask("L", append(2, 1, 1, [[2, "d"]])), "a term-2 leader whose entry 2 differs").toEqual([ok(2, 2)]);
    expect(status().lastLogIndex, "n1's log: a, then d; b and c are gone").toBe(2);
    expect(ask("L", append(2, 2, 2, [], 2)), "a heartbeat that commits 2, after d").toEqual([ok(2, 2)]);
    expect(applied, "what n1 applied: a, then d (b and c were cut)").toEqual([
      { index: 1, command: "a" },
      { index: 2, command: "d" },
    ]);
  });

  simTest(
    "keeps entries that a late, shorter AppendEntries also matches (messages arrive out of order)",
    { seeds: 3 },
    (run) => {
      const { ask, status, applied } = loneNode(run, ["L"]);
      expect(
        ask(
          "L",
          append(1, 0, 0, [
            [1, "a"],
            [1, "b"],
            [1, "c"],
          ]),
        ),
        "n1 takes the first 3 entries from L, leader of term 1",
      ).toEqual([ok(1, 3)]);
      expect(ask("L", append(1, 0, 0, [[1, "a"]])), "an older message with only the first entry").toEqual([ok(1, 1)]);
      expect(status().lastLogIndex, "n1 acknowledged 3 entries: they must still be there").toBe(3);
      expect(ask("L", append(1, 3, 1, [], 3)), "a heartbeat that commits 3, after c").toEqual([ok(1, 3)]);
      expect(
        applied.map((a) => a.command),
        "what n1 applied",
      ).toEqual(["a", "b", "c"]);
    },
  );

  simTest("commits no further than the entries the leader's message proved it shares", { seeds: 3 }, (run) => {
    const { ask, status, applied } = loneNode(run, ["L"]);
    expect(
      ask(
        "L",
        append(1, 0, 0, [
          [1, "a"],
          [1, "b"],
          [1, "c"],
        ]),
      ),
      "n1 takes the first 3 entries from L, leader of term 1",
    ).toEqual([ok(1, 3)]);
    // a new leader has committed 3 entries, but this heartbeat only proves entry 1 matches
    expect(
      ask("L", append(2, 1, 1, [], 3)),
      "a heartbeat of term 2 after entry 1, with the leader's commit index 3",
    ).toEqual([ok(2, 1)]);
    expect(status().commitIndex, "n1's commit index: its entries 2 and 3 may not be the leader's").toBe(1);
    expect(
      applied.map((a) => a.command),
      "what n1 applied",
    ).toEqual(["a"]);
  });

  simTest(
    "writes only what changed to storage: one more entry on a log of 400 costs about what it costs on a log of 40",
    { seeds: 3 },
    (run) => {
      const { ask, bytes } = loneNode(run, ["L"]);
      const commands = (from: number, count: number): Array<[number, string]> =>
        Array.from({ length: count }, (_, i) => [1, `command ${from + i}`]);
      /** the bytes n1 writes to append one entry after `length` entries */
      const appendOne = (length: number): number => {
        const before = bytes.written;
        expect(ask("L", append(1, length, 1, [[1, "one more"]])), `n1 appends one entry after ${length}`).toEqual([
          ok(1, length + 1),
        ]);
        return bytes.written - before;
      };
      expect(ask("L", append(1, 0, 0, commands(1, 40))), "n1 takes 40 entries").toEqual([ok(1, 40)]);
      const short = appendOne(40);
      expect(ask("L", append(1, 41, 1, commands(42, 359))), "n1 takes 359 more").toEqual([ok(1, 400)]);
      const long = appendOne(400);
      expect(short, "bytes n1 wrote to its storage for one entry after 40").toBeGreaterThan(0);
      if (long > 3 * short + 64) {
        throw new Error(
          `n1 wrote ${long} bytes to its storage to append one entry to a log of 400, and ${short} bytes for one entry ` +
            "after 40: it rewrites the log. Write the new entries (and the length) only: O(entries written), not O(log)",
        );
      }
    },
  );

  simTest("keeps its log, term and vote across a crash: on disk before it answers", { seeds: 3 }, (run) => {
    const { sim, ask, status, applied } = loneNode(run, ["L"]);
    expect(
      ask(
        "L",
        append(3, 0, 0, [
          [2, "a"],
          [3, "b"],
        ]),
      ),
      "n1 takes the first 2 entries from L, leader of term 3",
    ).toEqual([ok(3, 2)]);
    sim.crash("n1");
    sim.restart("n1");
    expect(status(), "n1 right after it restarts").toMatchObject({ term: 3, lastLogIndex: 2, commitIndex: 0 });
    expect(ask("L", append(3, 2, 3, [], 2)), "after the restart, a heartbeat that commits 2").toEqual([ok(3, 2)]);
    expect(
      applied.map((a) => a.command),
      "what n1 applied after its restart",
    ).toEqual(["a", "b"]);
  });
});

describe("the leader", () => {
  simTest(
    "refuses its vote to a candidate whose log is behind its own (the election restriction)",
    { seeds: 3 },
    (run) => {
      const { ask } = loneNode(run, ["L", "C"]);
      expect(
        ask(
          "L",
          append(2, 0, 0, [
            [1, "a"],
            [2, "b"],
          ]),
        ),
        "n1 takes the first 2 entries from L, leader of term 2",
      ).toEqual([ok(2, 2)]);
      const vote = (term: number, lastLogIndex: number, lastLogTerm: number): RequestVote => ({
        type: "RequestVote",
        term,
        candidate: "C",
        lastLogIndex,
        lastLogTerm,
      });
      expect(ask("C", vote(5, 9, 1)), "a longer log, but its last term 1 is older than n1's 2").toEqual([
        { type: "VoteReply", term: 5, granted: false },
      ]);
      expect(ask("C", vote(6, 1, 2)), "the same last term 2, but a shorter log").toEqual([
        { type: "VoteReply", term: 6, granted: false },
      ]);
      expect(ask("C", vote(7, 2, 2)), "a log as up to date as n1's").toEqual([
        { type: "VoteReply", term: 7, granted: true },
      ]);
    },
  );

  simTest("never commits an entry from an older term by counting replicas (Raft's Figure 8)", { seeds: 10 }, (run) => {
    const { sim, applied, peer, n1, fail } = scriptedPeers(run);
    // term 1: n1 wins with p2's and p4's votes, and its entry A reaches p2 only: 2 of 5
    peer("p2").grants = [1, 3];
    peer("p4").grants = [1];
    peer("p3").grants = [3];
    peer("p2").acceptsEntries = true;
    if (!sim.runUntil(1_000, () => n1()?.role === "leader")) fail("n1 did not win term 1 with p2's and p4's votes");
    sim.call("n1", "propose A", (node) => (node as RaftNode).propose("A"));
    sim.runFor(100);
    if (n1().commitIndex !== 0) fail("n1 committed A with 2 of 5 copies");
    // term 2 exists elsewhere; n1 hears of it, times out, and wins term 3 with p2's and p3's votes
    sim.call("x", "heartbeat of term 2", (node) =>
      (node as Puppet<RaftMessage>).ctx.send("n1", { ...append(2, 0, 0, []), leader: "x" }),
    );
    // p3 takes entries only once n1 has left term 1: a copy of A acknowledged in term 1 would commit it rightly
    if (!sim.runFor(100, () => n1()?.term >= 2)) fail("n1 did not take term 2 from x's heartbeat");
    peer("p3").acceptsEntries = true;
    if (!sim.runFor(1_000, () => n1()?.role === "leader" && n1().term === 3)) fail("n1 did not win term 3");
    // as leader of term 3, n1 copies A (term 1) to p3: now 3 of 5 hold A, but A is not of term 3
    sim.runFor(300);
    if (peer("p3").log.length !== 1) fail(`p3 holds ${peer("p3").log.length} entries, not A: n1 should have sent it`);
    if (n1().commitIndex !== 0 || applied.length > 0) {
      fail(
        "n1 committed A, an entry of term 1, in term 3 because 3 of 5 nodes hold it. A leader elected with p3's, p4's and p5's " +
          "votes could still overwrite it (Figure 8): count replicas only for an entry of the current term",
      );
    }
    // an entry of term 3 on a majority commits it, and A with it
    sim.call("n1", "propose C", (node) => (node as RaftNode).propose("C"));
    sim.runFor(200);
    expect(applied, "n1 applies A and C once C, of term 3, is on 3 of 5 nodes").toEqual(["A", "C"]);
  });
});

describe("the leader's bookkeeping", () => {
  simTest("counts a follower for what its reply acknowledged, not for the leader's whole log", { seeds: 5 }, (run) => {
    const { sim, applied, peer, n1, fail } = scriptedPeers(run);
    for (const id of ["p2", "p3"]) {
      peer(id).grants = [1];
      peer(id).acceptsEntries = true;
      peer(id).holding = true;
    }
    if (!sim.runUntil(1_000, () => n1()?.role === "leader")) fail("n1 did not win term 1 with p2's and p3's votes");
    sim.call("n1", "propose A", (node) => (node as RaftNode).propose("A"));
    if (!sim.runFor(200, () => peer("p2").log.length === 1 && peer("p3").log.length === 1)) {
      fail("n1 did not send A to p2 and p3 within 200 ms");
    }
    // p2 and p3 take nothing more; their acknowledgements of A arrive once n1 also holds B
    for (const id of ["p2", "p3"]) peer(id).acceptsEntries = false;
    sim.call("n1", "propose B", (node) => (node as RaftNode).propose("B"));
    sim.runFor(20);
    for (const id of ["p2", "p3"]) peer(id).release();
    sim.runFor(50);
    expect(
      n1().commitIndex,
      "n1's commit index once p2's and p3's acknowledgements of A (matchIndex 1) arrive: A is on 3 of 5 nodes, B on n1 alone",
    ).toBe(1);
    expect(applied, "what n1 applied").toEqual(["A"]);
  });

  simTest(
    "ignores acknowledgements from an earlier term: they are for a log it may no longer hold",
    { seeds: 5 },
    (run) => {
      const { sim, applied, peer, n1, fail } = scriptedPeers(run);
      for (const id of ["p2", "p3"]) {
        peer(id).grants = [1, 3];
        peer(id).acceptsEntries = true;
        peer(id).holding = true;
      }
      if (!sim.runUntil(1_000, () => n1()?.role === "leader")) fail("n1 did not win term 1 with p2's and p3's votes");
      sim.call("n1", "propose A", (node) => (node as RaftNode).propose("A"));
      sim.call("n1", "propose B", (node) => (node as RaftNode).propose("B"));
      if (!sim.runFor(200, () => peer("p2").log.length === 2 && peer("p3").log.length === 2)) {
        fail("n1 did not send A and B to p2 and p3 within 200 ms");
      }
      // x, leader of term 2, holds X at index 1: n1 steps down, and A and B are cut from its log
      sim.call("x", "AppendEntries of term 2", (node) =>
        (node as Puppet<RaftMessage>).ctx.send("n1", { ...append(2, 0, 0, [[2, "X"]]), leader: "x" }),
      );
      if (!sim.runFor(100, () => n1()?.term === 2 && n1().lastLogIndex === 1)) {
        fail("n1 did not take X from x, the leader of term 2, in place of A and B");
      }
      for (const id of ["p2", "p3"]) peer(id).acceptsEntries = false;
      if (!sim.runFor(1_000, () => n1()?.role === "leader" && n1().term === 3)) fail("n1 did not win term 3");
      sim.call("n1", "propose C", (node) => (node as RaftNode).propose("C"));
      sim.runFor(20);
      // p2's and p3's acknowledgements of A and B (term 1, matchIndex 2) arrive now, late
      for (const id of ["p2", "p3"]) peer(id).release();
      sim.runFor(50);
      if (n1().commitIndex > 0 || applied.length > 0) {
        fail(
          `n1, leader of term 3 with X and C at indexes 1 and 2, committed ${n1().commitIndex} entries on p2's and p3's late ` +
            "replies of term 1, which acknowledged A and B, entries n1 no longer holds: count a reply only if its term is yours",
        );
      }
    },
  );
});

describe("under faults", () => {
  simTest(
    "applies the same command at each index on every node, whatever the network and crashes do",
    { seeds: 100 },
    (run) => {
      const { sim, applied } = stormy(run);
      sim.runUntil(7_000);
      applied.check();
      expectOneLeaderPerTerm(sim.history);
    },
  );

  simTest("keeps the store linearizable: no client sees a lost or stale write", { seeds: 100 }, (run) => {
    const { sim, history } = stormy(run);
    sim.runUntil(7_000);
    expectLinearizable(history);
  });

  simTest("serves clients again within 2 s once the network heals and every node is back", { seeds: 100 }, (run) => {
    const { sim, history } = stormy(run);
    const healed = sim.now;
    const served = sim.runUntil(healed + 2_000, () => history.some((op) => op.call >= healed && op.ret !== undefined));
    if (!served)
      throw new Error(
        `no client operation started after the heal completed within 2 s: ${describeServers(sim, servers)}`,
      );
  });

  simTest("replays the same history from the same seed (use ctx.random(), not Math.random)", { seeds: 3 }, (run) => {
    expectSameHistory(run.seed, stormy(run).sim.history, stormy(run).sim.history);
  });
});

/** n1, the kata's node, with four scripted peers p2..p5 and a puppet x that can play another leader */
function scriptedPeers(run: SimRun) {
  const peers = ["p2", "p3", "p4", "p5"];
  const applied: unknown[] = [];
  const scripted = new Map<string, ScriptedPeer>();
  const sim = run.simulation<RaftMessage>(
    {
      nodes: [
        { id: "n1", peers, create: (ctx) => new RaftNode(ctx, (_index, command) => applied.push(command)) },
        ...peers.map((id) => ({
          id,
          peers: ["n1"],
          create: (ctx: NodeContext<RaftMessage>) => {
            const peer = new ScriptedPeer(ctx);
            scripted.set(id, peer);
            return peer;
          },
        })),
        { id: "x", peers: ["n1"], create: (ctx: NodeContext<RaftMessage>) => new Puppet(ctx) },
      ],
      network: { delayMs: { min: 1, max: 5 } },
      observe: (node, id) => (id === "n1" ? (node as RaftNode).status() : undefined),
    },
    { describe: describeRaftMessage },
  );
  const peer = (id: string) => scripted.get(id) as ScriptedPeer;
  const n1 = () => sim.observed("n1") as Status;
  const fail = (what: string): never => {
    throw new Error(`${what}; n1 is ${JSON.stringify(n1())}`);
  };
  return { sim, applied, peer, n1, fail };
}

/**
 * A peer the spec scripts: it grants votes in chosen terms and keeps a log of
 * terms by Raft's follower rules. While `holding`, its AppendReplies wait in
 * `held` until release(): replies the network delivers late.
 */
class ScriptedPeer implements SimNode<RaftMessage> {
  grants: number[] = [];
  acceptsEntries = false;
  holding = false;
  readonly held: RaftMessage[] = [];
  readonly log: number[] = [];

  constructor(private readonly ctx: NodeContext<RaftMessage>) {}

  /** sends the replies it held back, in order */
  release(): void {
    for (const reply of this.held.splice(0)) this.ctx.send("n1", reply);
  }

  #reply(to: string, message: RaftMessage): void {
    if (this.holding) this.held.push(message);
    else this.ctx.send(to, message);
  }

  start(): void {}

  timer(): void {}

  receive(from: string, m: RaftMessage): void {
    if (m.type === "RequestVote") {
      this.ctx.send(from, { type: "VoteReply", term: m.term, granted: this.grants.includes(m.term) });
      return;
    }
    if (m.type !== "AppendEntries" || !this.acceptsEntries) return;
    const matches =
      m.prevLogIndex <= this.log.length && (m.prevLogIndex === 0 || this.log[m.prevLogIndex - 1] === m.prevLogTerm);
    if (!matches) {
      this.#reply(from, { type: "AppendReply", term: m.term, success: false, matchIndex: 0 });
      return;
    }
    m.entries.forEach((entry, offset) => {
      const index = m.prevLogIndex + 1 + offset;
      if (this.log[index - 1] === entry.term) return;
      this.log.length = index - 1;
      this.log.push(entry.term);
    });
    this.#reply(from, {
      type: "AppendReply",
      term: m.term,
      success: true,
      matchIndex: m.prevLogIndex + m.entries.length,
    });
  }
}
