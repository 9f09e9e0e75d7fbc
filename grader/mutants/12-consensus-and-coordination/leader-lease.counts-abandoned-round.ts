/**
 * Mutant of solutions/12-consensus-and-coordination/leader-lease.ts: counts-abandoned-round.
 *
 * The bug: a grant counts whenever it answers the last round asked, even once
 * that round is over. The node gave up the round and its promise to itself, so
 * it may have promised a rival since; the late grants then make it leader
 * beside that rival.
 * @caughtBy ignores grants that come after its round is over: it may have promised a rival since
 */
import type { NodeContext, SimNode } from "#kit";

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
  return (config.leaseMs * (1 + config.maxDrift)) / (1 - config.maxDrift);
}

/** a grantor's promise, on disk: `until` is on the grantor's own clock */
interface Pledge {
  to: string;
  until: number;
}

export class LeaseNode implements SimNode<LeaseMessage> {
  readonly #ctx: NodeContext<LeaseMessage>;
  readonly #config: LeaseConfig;
  // on disk: the promise this node gave (perhaps to itself) and its last round
  #promise: Pledge | null = null;
  #round = 0;
  // in memory: the round being counted (if any), and the lease it won
  #counting = false;
  #askedAt = 0;
  #grants = new Set<string>();
  #leaseEnd = Number.NEGATIVE_INFINITY;

  constructor(ctx: NodeContext<LeaseMessage>, config: LeaseConfig = DEFAULT_LEASE_CONFIG) {
    this.#ctx = ctx;
    this.#config = config;
  }

  start(): void {
    this.#promise = this.#ctx.storage.get<Pledge>("promise") ?? null;
    this.#round = this.#ctx.storage.get<number>("round") ?? 0;
    // a promise from before the crash still binds: stand only once it has run out
    this.#standAfter(this.#promiseLeft());
  }

  /** true while this node may act as the leader */
  isLeader(): boolean {
    return this.#ctx.now() < this.#leaseEnd;
  }

  receive(from: string, message: LeaseMessage): void {
    switch (message.type) {
      case "Ask":
        this.#onAsk(from, message);
        break;
      case "Grant":
        this.#onGrant(from, message);
        break;
      case "Refuse":
        break; // the round fails by itself when the timer comes round
    }
  }

  timer(name: string): void {
    if (name === "stand") this.#stand();
  }

  #onAsk(from: string, ask: Ask): void {
    const promise = this.#promise;
    if (promise && promise.to !== from && this.#promiseLeft() > 0) {
      this.#ctx.send(from, { type: "Refuse", round: ask.round, holder: promise.to });
      return;
    }
    this.#promiseTo(from);
    this.#ctx.send(from, { type: "Grant", round: ask.round });
    // the leader renews well before this: stand only if it has stopped
    if (from !== this.#ctx.id) this.#standAfter(promiseMs(this.#config));
  }

  #onGrant(from: string, grant: Grant): void {
    // a grant answers one ask: an older round's grant was given before this round's ask
    if (grant.round !== this.#round) return;
    this.#grants.add(from);
    this.#countGrants();
  }

  #countGrants(): void {
    const cluster = this.#ctx.peers.length + 1;
    if (this.#grants.size * 2 > cluster) {
      this.#leaseEnd = Math.max(this.#leaseEnd, this.#askedAt + this.#config.leaseMs);
    }
  }

  #stand(): void {
    const promise = this.#promise;
    const left = this.#promiseLeft();
    if (!this.isLeader() && promise !== null && promise.to !== this.#ctx.id && left > 0) {
      this.#standAfter(left);
      return;
    }
    if (!this.isLeader() && this.#counting) {
      // the round did not win in time: give it up, and with it the promise to ourselves, so that
      // a rival that asks us next can win (two candidates that each keep one grantor would
      // otherwise take turns failing forever). Not leading, we have no lease left to back.
      this.#counting = false;
      this.#promise = null;
      this.#ctx.storage.set("promise", null);
      this.#standAfter(0);
      return;
    }
    this.#counting = true;
    this.#round += 1;
    this.#ctx.storage.set("round", this.#round);
    this.#askedAt = this.#ctx.now();
    this.#grants = new Set([this.#ctx.id]);
    this.#promiseTo(this.#ctx.id);
    for (const peer of this.#ctx.peers) this.#ctx.send(peer, { type: "Ask", round: this.#round });
    this.#countGrants();
    this.#ctx.setTimer("stand", this.#config.renewEveryMs);
  }

  #promiseTo(to: string): void {
    this.#promise = { to, until: this.#ctx.now() + promiseMs(this.#config) };
    this.#ctx.storage.set("promise", this.#promise);
  }

  #promiseLeft(): number {
    return this.#promise ? Math.max(0, this.#promise.until - this.#ctx.now()) : 0;
  }

  #standAfter(waitMs: number): void {
    const { min, max } = this.#config.electionTimeoutMs;
    this.#ctx.setTimer("stand", waitMs + min + this.#ctx.random() * (max - min));
  }
}
