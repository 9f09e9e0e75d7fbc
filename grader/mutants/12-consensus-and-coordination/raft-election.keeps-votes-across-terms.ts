/**
 * Mutant of solutions/12-consensus-and-coordination/raft-election.ts: keeps-votes-across-terms.
 *
 * The bug: a new candidacy adds its own vote to the set of voters instead of
 * starting a fresh one. Votes won in an earlier term, whose voters are free to
 * vote for another candidate in this one, still count: two leaders in one term.
 * @caughtBy counts only votes granted in its current term: a late grant from an earlier candidacy is no vote
 */
import type { NodeContext, SimNode } from "#kit";

export type Role = "follower" | "candidate" | "leader";

/** a candidate asks for a vote in its term */
export interface RequestVote {
  type: "RequestVote";
  term: number;
  candidate: string;
}

export interface VoteReply {
  type: "VoteReply";
  /** the voter's term, so a stale candidate learns it is stale */
  term: number;
  granted: boolean;
}

/** the leader's heartbeat (AppendEntries with no entries, in full Raft) */
export interface AppendEntries {
  type: "AppendEntries";
  term: number;
  leader: string;
}

export interface AppendReply {
  type: "AppendReply";
  term: number;
  success: boolean;
}

export type RaftMessage = RequestVote | VoteReply | AppendEntries | AppendReply;

export interface ElectionConfig {
  /** a follower that hears no leader for a random time in [min, max) ms stands for election */
  electionTimeoutMs: { min: number; max: number };
  /** how often a leader sends heartbeats: well under the election timeout */
  heartbeatMs: number;
}

export const DEFAULT_CONFIG: ElectionConfig = { electionTimeoutMs: { min: 150, max: 300 }, heartbeatMs: 50 };

export interface Status {
  role: Role;
  term: number;
  votedFor: string | null;
}

export class RaftNode implements SimNode<RaftMessage> {
  readonly #ctx: NodeContext<RaftMessage>;
  readonly #config: ElectionConfig;
  // persistent: written to storage before any message that depends on them is sent
  #term = 0;
  #votedFor: string | null = null;
  // volatile: lost in a crash, rebuilt from the messages that follow
  #role: Role = "follower";
  #votes = new Set<string>();

  constructor(ctx: NodeContext<RaftMessage>, config: ElectionConfig = DEFAULT_CONFIG) {
    this.#ctx = ctx;
    this.#config = config;
  }

  status(): Status {
    return { role: this.#role, term: this.#term, votedFor: this.#votedFor };
  }

  start(): void {
    this.#term = this.#ctx.storage.get<number>("term") ?? 0;
    this.#votedFor = this.#ctx.storage.get<string | null>("votedFor") ?? null;
    this.#resetElectionTimer();
  }

  receive(from: string, message: RaftMessage): void {
    // any newer term, in a request or a reply, makes this node a follower of that term
    if (message.term > this.#term) this.#stepDown(message.term);
    if (message.type === "RequestVote") this.#onRequestVote(from, message);
    else if (message.type === "VoteReply") this.#onVoteReply(from, message);
    else if (message.type === "AppendEntries") this.#onAppendEntries(from, message);
    // an AppendReply carries nothing but its term here, handled above
  }

  timer(name: string): void {
    if (name === "election") this.#startElection();
    else if (name === "heartbeat") this.#sendHeartbeats();
  }

  #onRequestVote(from: string, request: RequestVote): void {
    const granted = request.term === this.#term && (this.#votedFor === null || this.#votedFor === request.candidate);
    if (granted) {
      this.#votedFor = request.candidate;
      this.#persist();
      // a vote given is a reason to wait for that candidate instead of standing ourselves
      this.#resetElectionTimer();
    }
    this.#ctx.send(from, { type: "VoteReply", term: this.#term, granted });
  }

  #onVoteReply(from: string, reply: VoteReply): void {
    if (this.#role !== "candidate" || reply.term !== this.#term || !reply.granted) return;
    // a set, not a count: the network may deliver the same vote twice
    this.#votes.add(from);
    if (this.#votes.size > this.#clusterSize() / 2) this.#becomeLeader();
  }

  #onAppendEntries(from: string, heartbeat: AppendEntries): void {
    if (heartbeat.term < this.#term) {
      // a leader from an older term: tell it the newer term so it steps down
      this.#ctx.send(from, { type: "AppendReply", term: this.#term, success: false });
      return;
    }
    // the same term: that node won this term's election, so a candidate gives up
    this.#role = "follower";
    this.#ctx.cancelTimer("heartbeat");
    this.#resetElectionTimer();
    this.#ctx.send(from, { type: "AppendReply", term: this.#term, success: true });
  }

  #startElection(): void {
    this.#term += 1;
    this.#votedFor = this.#ctx.id;
    this.#persist();
    this.#role = "candidate";
    this.#votes.add(this.#ctx.id);
    this.#resetElectionTimer(); // a split vote times out into the next term
    if (this.#votes.size > this.#clusterSize() / 2) {
      this.#becomeLeader(); // a cluster of one
      return;
    }
    for (const peer of this.#ctx.peers) {
      this.#ctx.send(peer, { type: "RequestVote", term: this.#term, candidate: this.#ctx.id });
    }
  }

  #becomeLeader(): void {
    this.#role = "leader";
    this.#ctx.cancelTimer("election");
    this.#sendHeartbeats();
  }

  #sendHeartbeats(): void {
    if (this.#role !== "leader") return;
    for (const peer of this.#ctx.peers) {
      this.#ctx.send(peer, { type: "AppendEntries", term: this.#term, leader: this.#ctx.id });
    }
    this.#ctx.setTimer("heartbeat", this.#config.heartbeatMs);
  }

  #stepDown(term: number): void {
    this.#term = term;
    this.#votedFor = null;
    this.#persist();
    if (this.#role !== "follower") {
      this.#role = "follower";
      this.#ctx.cancelTimer("heartbeat");
      this.#resetElectionTimer();
    }
  }

  #resetElectionTimer(): void {
    const { min, max } = this.#config.electionTimeoutMs;
    this.#ctx.setTimer("election", min + this.#ctx.random() * (max - min));
  }

  #persist(): void {
    this.#ctx.storage.set("term", this.#term);
    this.#ctx.storage.set("votedFor", this.#votedFor);
  }

  #clusterSize(): number {
    return this.#ctx.peers.length + 1;
  }
}
