/**
 * Kata: Raft leader election (difficulty 3, two hours or more)
 * Read:  chapters/12-consensus-and-coordination/README.md#leader-election
 * Grade: npm run grade -- raft-election
 * Hint:  npm run hint -- raft-election (one more hint each time you ask)
 * Replay a failure: npm run grade -- raft-election --seed N (the seed the report names)
 *
 * Build the election half of Raft (the paper's §5.2 and Figure 2, without the
 * log) as a node of the grader's simulator: it reacts to messages and timers,
 * and nothing else. Five of them run on a network that loses, duplicates and
 * reorders messages, splits, pauses and crashes nodes.
 * - Every node starts as a follower. A follower that hears no leader for its
 *   election timeout, a random time in [min, max) drawn afresh each time with
 *   ctx.random(), becomes a candidate: term + 1, votes for itself, sends
 *   RequestVote to every peer, and starts a new election timeout (a split vote
 *   times out into the next term).
 * - Any message with a newer term than yours: take that term, forget your vote,
 *   become a follower (a leader stops sending heartbeats). Then handle it.
 * - RequestVote: grant it if its term is your term and you have not voted for
 *   another candidate in it (the candidate you voted for, asking again, gets
 *   its vote again). Reply with your term either way. Granting resets your
 *   election timeout.
 * - A candidate that collects votes from a majority of the cluster (more than
 *   half of peers + 1, itself included: 3 of 5, 3 of 4) becomes leader and
 *   sends AppendEntries heartbeats at once and every heartbeatMs. Count voters,
 *   not replies (the network duplicates), and only votes granted in your
 *   current term: each candidacy starts with your own vote alone, and a grant
 *   from an earlier candidacy, arriving late, is no vote in this one.
 * - AppendEntries from an older term: reply success: false with your term, and
 *   change nothing. From your term: that node is the leader; become (or stay) a
 *   follower, reset your election timeout, reply success: true.
 * - Your term and your vote survive a crash only if they are in ctx.storage:
 *   write them before you send anything that depends on them. start() runs on
 *   the first boot and after every crash.
 * - status() tells the grader your role, term and vote after every step.
 * - Determinism: time from ctx.now(), timers from ctx.setTimer, randomness from
 *   ctx.random(). Math.random or Date.now would make a failure impossible to replay.
 */
import { type NodeContext, type SimNode, todo } from "#kit";

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
  constructor(ctx: NodeContext<RaftMessage>, config: ElectionConfig = DEFAULT_CONFIG) {
    // TODO: keep ctx and config; a node begins as a follower. Read nothing from storage yet: start() does.
    todo("RaftNode constructor", ctx, config);
  }

  status(): Status {
    // TODO: your role, current term and the candidate you voted for in it (null if none).
    return todo("RaftNode.status");
  }

  start(): void {
    // TODO: load term and vote from ctx.storage (a restart finds them there), then start an election timeout.
    todo("RaftNode.start");
  }

  receive(from: string, message: RaftMessage): void {
    // TODO: step down on a newer term, then handle each message type.
    todo("RaftNode.receive", from, message);
  }

  timer(name: string): void {
    // TODO: "election" starts an election; "heartbeat" sends the leader's heartbeats.
    todo("RaftNode.timer", name);
  }
}
