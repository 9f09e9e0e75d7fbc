/**
 * Mutant of solutions/12-consensus-and-coordination/raft-log-replication.ts: never-backs-up.
 *
 * The bug: on a refusal the leader sends the same entries again, from the same
 * nextIndex. A follower that is missing entries before them refuses again,
 * forever: it never catches up, and a new leader whose nextIndex starts at its
 * own log's end replicates nothing to anyone who is behind.
 * @caughtBy brings a follower that missed entries up to date, backing nextIndex up until the logs match
 */
import type { NodeContext, SimNode } from "#kit";

export type Role = "follower" | "candidate" | "leader";

/** a command as the state machine sees it: any JSON value */
export type Command = unknown;

export interface Entry {
  term: number;
  command: Command;
}

export interface RequestVote {
  type: "RequestVote";
  term: number;
  candidate: string;
  /** the candidate's last entry: a voter refuses a candidate whose log is behind its own */
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface VoteReply {
  type: "VoteReply";
  term: number;
  granted: boolean;
}

export interface AppendEntries {
  type: "AppendEntries";
  term: number;
  leader: string;
  /** the entry just before `entries`: the follower must hold it, with this term */
  prevLogIndex: number;
  prevLogTerm: number;
  entries: Entry[];
  /** the leader's commit index */
  leaderCommit: number;
}

export interface AppendReply {
  type: "AppendReply";
  term: number;
  success: boolean;
  /** on success, the index of the last entry this message made sure of: prevLogIndex + entries.length */
  matchIndex: number;
}

export type RaftMessage = RequestVote | VoteReply | AppendEntries | AppendReply;

export interface RaftConfig {
  electionTimeoutMs: { min: number; max: number };
  heartbeatMs: number;
  /** the most entries one AppendEntries carries */
  maxEntriesPerMessage: number;
}

export const DEFAULT_CONFIG: RaftConfig = {
  electionTimeoutMs: { min: 150, max: 300 },
  heartbeatMs: 50,
  maxEntriesPerMessage: 64,
};

/** called once per committed entry, in index order, on every node */
export type Apply = (index: number, command: Command) => void;

export interface Status {
  role: Role;
  term: number;
  votedFor: string | null;
  /** how many entries the log holds: the index of the last one */
  lastLogIndex: number;
  commitIndex: number;
}

export class RaftNode implements SimNode<RaftMessage> {
  readonly #ctx: NodeContext<RaftMessage>;
  readonly #apply: Apply;
  readonly #config: RaftConfig;
  // persistent
  #term = 0;
  #votedFor: string | null = null;
  #log: Entry[] = []; // entry i is #log[i - 1]: Raft counts from 1
  // volatile
  #role: Role = "follower";
  #votes = new Set<string>();
  #commitIndex = 0;
  #lastApplied = 0;
  // the leader's view of each follower
  #nextIndex = new Map<string, number>();
  #matchIndex = new Map<string, number>();

  constructor(ctx: NodeContext<RaftMessage>, apply: Apply, config: RaftConfig = DEFAULT_CONFIG) {
    this.#ctx = ctx;
    this.#apply = apply;
    this.#config = config;
  }

  status(): Status {
    return {
      role: this.#role,
      term: this.#term,
      votedFor: this.#votedFor,
      lastLogIndex: this.#log.length,
      commitIndex: this.#commitIndex,
    };
  }

  /** the leader appends the command and returns its index; anyone else returns null */
  propose(command: Command): number | null {
    if (this.#role !== "leader") return null;
    this.#log.push({ term: this.#term, command });
    this.#persistLog(this.#log.length);
    this.#advanceCommitIndex(); // a cluster of one commits at once
    for (const peer of this.#ctx.peers) this.#sendAppendEntries(peer);
    return this.#log.length;
  }

  start(): void {
    const storage = this.#ctx.storage;
    this.#term = storage.get<number>("term") ?? 0;
    this.#votedFor = storage.get<string | null>("votedFor") ?? null;
    const length = storage.get<number>("logLength") ?? 0;
    this.#log = [];
    for (let index = 1; index <= length; index++) this.#log.push(storage.get<Entry>(`log:${index}`) as Entry);
    this.#resetElectionTimer();
  }

  receive(from: string, message: RaftMessage): void {
    if (message.term > this.#term) this.#stepDown(message.term);
    if (message.type === "RequestVote") this.#onRequestVote(from, message);
    else if (message.type === "VoteReply") this.#onVoteReply(from, message);
    else if (message.type === "AppendEntries") this.#onAppendEntries(from, message);
    else this.#onAppendReply(from, message);
  }

  timer(name: string): void {
    if (name === "election") this.#startElection();
    else if (name === "heartbeat") this.#heartbeat();
  }

  // ---- election (as in raft-election, plus the up-to-date check) ----------------------------

  #onRequestVote(from: string, request: RequestVote): void {
    const free = this.#votedFor === null || this.#votedFor === request.candidate;
    const granted = request.term === this.#term && free && this.#isUpToDate(request.lastLogTerm, request.lastLogIndex);
    if (granted) {
      this.#votedFor = request.candidate;
      this.#persistVote();
      this.#resetElectionTimer();
    }
    this.#ctx.send(from, { type: "VoteReply", term: this.#term, granted });
  }

  /** §5.4.1: a newer last term wins; with the same last term, the longer log */
  #isUpToDate(lastLogTerm: number, lastLogIndex: number): boolean {
    const ownTerm = this.#termAt(this.#log.length);
    return lastLogTerm > ownTerm || (lastLogTerm === ownTerm && lastLogIndex >= this.#log.length);
  }

  #onVoteReply(from: string, reply: VoteReply): void {
    if (this.#role !== "candidate" || reply.term !== this.#term || !reply.granted) return;
    this.#votes.add(from);
    if (this.#votes.size > this.#clusterSize() / 2) this.#becomeLeader();
  }

  #startElection(): void {
    this.#term += 1;
    this.#votedFor = this.#ctx.id;
    this.#persistVote();
    this.#role = "candidate";
    this.#votes = new Set([this.#ctx.id]);
    this.#resetElectionTimer();
    if (this.#votes.size > this.#clusterSize() / 2) {
      this.#becomeLeader();
      return;
    }
    const lastLogIndex = this.#log.length;
    const request: RequestVote = {
      type: "RequestVote",
      term: this.#term,
      candidate: this.#ctx.id,
      lastLogIndex,
      lastLogTerm: this.#termAt(lastLogIndex),
    };
    for (const peer of this.#ctx.peers) this.#ctx.send(peer, request);
  }

  #becomeLeader(): void {
    this.#role = "leader";
    this.#ctx.cancelTimer("election");
    for (const peer of this.#ctx.peers) {
      this.#nextIndex.set(peer, this.#log.length + 1);
      this.#matchIndex.set(peer, 0);
    }
    this.#heartbeat();
  }

  #stepDown(term: number): void {
    this.#term = term;
    this.#votedFor = null;
    this.#persistVote();
    if (this.#role !== "follower") {
      this.#role = "follower";
      this.#ctx.cancelTimer("heartbeat");
      this.#resetElectionTimer();
    }
  }

  // ---- replication ---------------------------------------------------------------------------

  #heartbeat(): void {
    if (this.#role !== "leader") return;
    for (const peer of this.#ctx.peers) this.#sendAppendEntries(peer);
    this.#ctx.setTimer("heartbeat", this.#config.heartbeatMs);
  }

  #sendAppendEntries(peer: string): void {
    const next = this.#nextIndex.get(peer) ?? this.#log.length + 1;
    const prevLogIndex = next - 1;
    this.#ctx.send(peer, {
      type: "AppendEntries",
      term: this.#term,
      leader: this.#ctx.id,
      prevLogIndex,
      prevLogTerm: this.#termAt(prevLogIndex),
      entries: this.#log.slice(prevLogIndex, prevLogIndex + this.#config.maxEntriesPerMessage),
      leaderCommit: this.#commitIndex,
    });
  }

  #onAppendEntries(from: string, request: AppendEntries): void {
    if (request.term < this.#term) {
      this.#refuse(from);
      return;
    }
    this.#role = "follower";
    this.#ctx.cancelTimer("heartbeat");
    this.#resetElectionTimer();
    // the consistency check: our log must hold the entry just before the new ones, with its term
    const { prevLogIndex, prevLogTerm, entries } = request;
    if (prevLogIndex > this.#log.length || this.#termAt(prevLogIndex) !== prevLogTerm) {
      this.#refuse(from);
      return;
    }
    // drop our entries only from the first conflict on: a late, shorter message must not cut entries we acked
    let changedFrom = 0;
    entries.forEach((entry, offset) => {
      const index = prevLogIndex + 1 + offset;
      if (index <= this.#log.length && this.#termAt(index) === entry.term) return;
      if (changedFrom === 0) changedFrom = index;
      this.#log.length = Math.min(this.#log.length, index - 1);
      this.#log.push(entry);
    });
    if (changedFrom > 0) this.#persistLog(changedFrom);
    const lastNew = prevLogIndex + entries.length;
    // commit only what this message proved we share with the leader
    if (request.leaderCommit > this.#commitIndex) {
      this.#commitIndex = Math.max(this.#commitIndex, Math.min(request.leaderCommit, lastNew));
      this.#applyCommitted();
    }
    this.#ctx.send(from, { type: "AppendReply", term: this.#term, success: true, matchIndex: lastNew });
  }

  #refuse(leader: string): void {
    this.#ctx.send(leader, { type: "AppendReply", term: this.#term, success: false, matchIndex: 0 });
  }

  #onAppendReply(from: string, reply: AppendReply): void {
    if (this.#role !== "leader" || reply.term !== this.#term) return;
    const match = this.#matchIndex.get(from) ?? 0;
    if (reply.success) {
      // replies arrive late, twice or out of order: only ever move forward
      this.#matchIndex.set(from, Math.max(match, reply.matchIndex));
      this.#nextIndex.set(from, Math.max(this.#nextIndex.get(from) ?? 1, reply.matchIndex + 1));
      this.#advanceCommitIndex();
      if ((this.#nextIndex.get(from) ?? 1) <= this.#log.length) this.#sendAppendEntries(from);
    } else {
      // back up one entry and try again, never below what the follower is known to hold
      this.#nextIndex.set(from, Math.max(match + 1, this.#nextIndex.get(from) ?? 1));
      this.#sendAppendEntries(from);
    }
  }

  /** Figure 8: count replicas only for entries of the current term; older ones commit with them */
  #advanceCommitIndex(): void {
    for (let index = this.#log.length; index > this.#commitIndex; index--) {
      if (this.#termAt(index) !== this.#term) break;
      let holders = 1;
      for (const peer of this.#ctx.peers) if ((this.#matchIndex.get(peer) ?? 0) >= index) holders += 1;
      if (holders > this.#clusterSize() / 2) {
        this.#commitIndex = index;
        this.#applyCommitted();
        return;
      }
    }
  }

  #applyCommitted(): void {
    while (this.#lastApplied < this.#commitIndex) {
      this.#lastApplied += 1;
      this.#apply(this.#lastApplied, (this.#log[this.#lastApplied - 1] as Entry).command);
    }
  }

  // ---- storage and small helpers -----------------------------------------------------------

  #persistVote(): void {
    this.#ctx.storage.set("term", this.#term);
    this.#ctx.storage.set("votedFor", this.#votedFor);
  }

  /** writes entries from `from` on, and the length: O(entries written), not O(log) */
  #persistLog(from: number): void {
    for (let index = from; index <= this.#log.length; index++) {
      this.#ctx.storage.set(`log:${index}`, this.#log[index - 1]);
    }
    this.#ctx.storage.set("logLength", this.#log.length);
  }

  #termAt(index: number): number {
    return index === 0 ? 0 : (this.#log[index - 1]?.term ?? -1);
  }

  #resetElectionTimer(): void {
    const { min, max } = this.#config.electionTimeoutMs;
    this.#ctx.setTimer("election", min + this.#ctx.random() * (max - min));
  }

  #clusterSize(): number {
    return this.#ctx.peers.length + 1;
  }
}
