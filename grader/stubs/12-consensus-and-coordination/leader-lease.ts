/**
 * Kata: leader leases on drifting clocks (difficulty 2, about an hour)
 * Read:  chapters/12-consensus-and-coordination/README.md#leader-leases
 * Grade: npm run grade -- leader-lease
 * Hint:  npm run hint -- leader-lease (one more hint each time you ask)
 * Replay a failure: npm run grade -- leader-lease --seed N (the seed the report names)
 *
 * Write one node of a small cluster in the grader's simulator. Every node is
 * both a candidate for leader and a grantor of promises; the grader asks each
 * node isLeader() every couple of milliseconds, while it partitions, crashes
 * and pauses nodes, and while each node's clock runs up to maxDrift fast or slow.
 * At no moment may two nodes answer true.
 *
 * As a grantor:
 * - An Ask {round} from a candidate: if you have promised someone else and
 *   that promise still holds, reply Refuse {round, holder}. Otherwise promise
 *   the asker until ctx.now() + promiseMs(config), write the promise to
 *   ctx.storage, then reply Grant {round}. An Ask from the node you promised
 *   renews the promise from now (that is how a leader keeps its lease).
 * - promiseMs(config) is leaseMs·(1 + maxDrift)/(1 − maxDrift): on any two
 *   clocks within the bound, your promise outlasts the lease it backs.
 * - The promise survives a crash: start() reads it back, and you stand only
 *   once it has run out.
 *
 * As a candidate (on the "stand" timer, or any timer name you choose):
 * - If a promise of yours to someone else still holds, wait until it runs out.
 * - Otherwise start a round: the next round number (on disk, so a restart
 *   never reuses one), note askedAt = ctx.now(), promise yourself, and send
 *   Ask {round} to every peer.
 * - Grant {round} for the round you are counting, from a majority of the
 *   cluster (peers + 1, you included; each grantor once): you lead until
 *   askedAt + leaseMs on your clock. Grants come late, twice, and for old rounds.
 * - While you lead, start a new round every renewEveryMs.
 * - A round that has not made you leader within renewEveryMs is over: ignore its late
 *   grants, drop your promise to yourself (you lead no lease it must back),
 *   and stand again after a random election timeout. Meanwhile you may grant a
 *   rival; two candidates that each keep one grantor would otherwise refuse
 *   each other forever.
 * - Every wait before standing adds a random time in electionTimeoutMs
 *   (ctx.random()), so that two nodes rarely stand at once.
 *
 * Determinism: time from ctx.now() and ctx.setTimer only, chance from
 * ctx.random(). Date.now, setTimeout or Math.random would make a failure
 * impossible to replay.
 */
import { type NodeContext, type SimNode, todo } from "#kit";

/** "promise me, and nobody else, for a while"; `round` numbers the candidate's attempts */
export interface Ask {
  type: "Ask";
  round: number;
}

/** the grantor promised the candidate this round's lease */
export interface Grant {
  type: "Grant";
  round: number;
}

/** the grantor has promised `holder` and will not promise anyone else yet */
export interface Refuse {
  type: "Refuse";
  round: number;
  holder: string;
}

export type LeaseMessage = Ask | Grant | Refuse;

export interface LeaseConfig {
  /** how long a leader may act, on its own clock, from the moment it asked */
  leaseMs: number;
  /** every clock runs at a rate within [1 − maxDrift, 1 + maxDrift] of real time */
  maxDrift: number;
  /** a leader asks again this often, well inside its lease */
  renewEveryMs: number;
  /** a node that may stand waits a random time in [min, max) ms first, so that two rarely stand at once */
  electionTimeoutMs: { min: number; max: number };
}

export const DEFAULT_LEASE_CONFIG: LeaseConfig = {
  leaseMs: 1_000,
  maxDrift: 0.05,
  renewEveryMs: 250,
  electionTimeoutMs: { min: 150, max: 300 },
};

/** how long a grantor keeps its promise, on its own clock, so that it outlasts the lease it backs */
export function promiseMs(config: LeaseConfig): number {
  // TODO: the lease, stretched by the fastest your clock may run against the slowest the leader's may.
  return todo("promiseMs", config);
}

export class LeaseNode implements SimNode<LeaseMessage> {
  constructor(ctx: NodeContext<LeaseMessage>, config: LeaseConfig = DEFAULT_LEASE_CONFIG) {
    // TODO: keep ctx and config. On disk: your promise ({ to, until }) and your round. In memory: askedAt, the grants, the lease's end.
    todo("LeaseNode constructor", ctx, config);
  }

  start(): void {
    // TODO: read the promise and the round from ctx.storage; set the timer to stand once the promise has run out.
    todo("LeaseNode.start");
  }

  /** true while this node may act as the leader */
  isLeader(): boolean {
    // TODO: compare ctx.now() with the end of the lease you won, if any.
    return todo("LeaseNode.isLeader");
  }

  receive(from: string, message: LeaseMessage): void {
    // TODO: an Ask (grant or refuse) and a Grant (count it if it answers your current round).
    todo("LeaseNode.receive", from, message);
  }

  timer(name: string): void {
    // TODO: stand, renew, or wait out a promise that still holds.
    todo("LeaseNode.timer", name);
  }
}
