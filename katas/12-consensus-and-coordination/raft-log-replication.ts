/**
 * Kata: Raft log replication (difficulty 3, two hours or more; do raft-election first)
 * Read:  chapters/12-consensus-and-coordination/README.md#log-replication
 * Grade: npm run grade -- raft-log-replication
 * Hint:  npm run hint -- raft-log-replication (one more hint each time you ask)
 * Replay a failure: npm run grade -- raft-log-replication --seed N (the seed the report names)
 *
 * The election is written for you below: it is raft-election's answer, with
 * votes that now also compare logs. Add the log (Raft §5.3–5.4, Figure 2).
 * The grader runs a key-value store on five of your nodes, with clients, over
 * a network that loses, duplicates and reorders messages, splits, pauses and
 * crashes nodes, and checks every client's answers for linearizability.
 * - start(): load term, vote and log from ctx.storage. Persist log entries
 *   before you acknowledge them (a reply says "I hold these"). Write only what
 *   changed: O(entries written), not the whole log each time.
 * - propose(command): only a leader takes it. Append { term, command }, send
 *   it on, return its index (the first entry is index 1). Others return null.
 * - AppendEntries from an older term: reply success: false with your term,
 *   and change nothing (its sender was deposed).
 * - AppendEntries carries the entry before the new ones (prevLogIndex,
 *   prevLogTerm). A follower that does not hold that entry with that term
 *   replies success: false. Otherwise it appends the entries, deleting its own
 *   from the first entry whose term differs, and only then: a late, shorter
 *   message must not cut off entries it already acknowledged. It replies
 *   success: true with matchIndex = prevLogIndex + entries.length.
 * - A follower commits up to min(leaderCommit, matchIndex of this message):
 *   entries past what the message proved may not be the leader's.
 * - The leader keeps nextIndex and matchIndex per follower, and counts only
 *   replies of its current term (a late reply from an earlier term answers a
 *   log it may no longer hold). On success, move them forward to the reply's
 *   matchIndex, not to your log's end (never back: replies come late, twice,
 *   out of order); on failure, back nextIndex up and send again.
 * - The leader commits index N when a majority holds it and N's entry is of
 *   the current term. Never count replicas of an older term's entry (Figure 8):
 *   it is committed by the current-term entry after it.
 * - Every node calls apply(index, command) once per committed entry, in order.
 * - A vote goes only to a candidate whose log is at least as up to date: a
 *   newer last term, or the same last term and at least as long (§5.4.1).
 */
import { type NodeContext, type SimNode, todo } from "#kit";

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
    // TODO: append it if you lead, send it to every follower, return its index; else null
    return todo("RaftNode.propose", command);
  }

  start(): void {
    // TODO: load term, vote and log from ctx.storage, then start an election timeout
    todo("RaftNode.start");
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
    // TODO: is a log ending (lastLogTerm, lastLogIndex) at least as up to date as yours?
    return todo("RaftNode.isUpToDate", lastLogTerm, lastLogIndex);
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
    // TODO: send the peer its entries from nextIndex on, with the entry before them and your commit index
    todo("RaftNode.sendAppendEntries", peer);
  }

  #onAppendEntries(from: string, request: AppendEntries): void {
    // TODO: refuse an older term; follow the leader; check prevLogIndex/prevLogTerm; append; commit; reply
    todo("RaftNode.onAppendEntries", from, request);
  }

  #onAppendReply(from: string, reply: AppendReply): void {
    // TODO: as leader of this term: move matchIndex/nextIndex forward and commit, or back nextIndex up and retry
    todo("RaftNode.onAppendReply", from, reply);
  }

  /** Figure 8: count replicas only for entries of the current term; older ones commit with them */
  #advanceCommitIndex(): void {
    // TODO: commit the highest index of the current term that a majority holds
    todo("RaftNode.advanceCommitIndex");
  }

  #applyCommitted(): void {
    // TODO: apply every committed entry not applied yet, in order
    todo("RaftNode.applyCommitted");
  }

  // ---- storage and small helpers -----------------------------------------------------------

  #persistVote(): void {
    this.#ctx.storage.set("term", this.#term);
    this.#ctx.storage.set("votedFor", this.#votedFor);
  }

  /** entries from `from` on, and the length: O(entries written), not O(log) */
  #persistLog(from: number): void {
    // TODO: write entries from `from` on, and the log's length, to ctx.storage
    todo("RaftNode.persistLog", from);
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
