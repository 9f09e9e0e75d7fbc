/**
 * Mutant of solutions/12-consensus-and-coordination/lock-service.ts: release-checks-token-only.
 *
 * The bug: a Renew or Release counts when its token is the lock's current one,
 * whoever sends it. A client in line that sends the holder's token (a bug of
 * its own, or a guess: tokens count up from 1) ends the holder's lease, and
 * takes the lock beside it.
 * @caughtBy ignores a Release or Renew with a stale token, or from a client that does not hold it, and answers Lost
 */
import type { NodeContext, SimNode } from "#kit";

/** a client asks for a lock; the answer is Granted or Queued */
export interface Acquire {
  type: "Acquire";
  lock: string;
}

/** the holder extends its lease by another leaseMs */
export interface Renew {
  type: "Renew";
  lock: string;
  token: number;
}

/** the holder gives the lock up before its lease ends */
export interface Release {
  type: "Release";
  lock: string;
  token: number;
}

/** you hold the lock for leaseMs of the server's clock from when it sent this, fenced by `token` */
export interface Granted {
  type: "Granted";
  lock: string;
  token: number;
  leaseMs: number;
}

/** the lock is taken: you are in line, `position` 1 is next */
export interface Queued {
  type: "Queued";
  lock: string;
  position: number;
}

export interface Renewed {
  type: "Renewed";
  lock: string;
  token: number;
  leaseMs: number;
}

/** a Renew or Release for a lease that is over, or is not yours: stop using the token */
export interface Lost {
  type: "Lost";
  lock: string;
  token: number;
}

/** a client writes to the fenced store with the token of the lock that guards `key` */
export interface Write {
  type: "Write";
  key: string;
  value: string;
  token: number;
}

export interface WriteOk {
  type: "WriteOk";
  key: string;
  token: number;
}

/** the store has accepted a higher token for this key: the writer's lease is over */
export interface WriteRejected {
  type: "WriteRejected";
  key: string;
  token: number;
  highest: number;
}

export type LockMessage =
  | Acquire
  | Renew
  | Release
  | Granted
  | Queued
  | Renewed
  | Lost
  | Write
  | WriteOk
  | WriteRejected;

export interface LockConfig {
  /** how long a grant or a renewal lasts, on the server's clock */
  leaseMs: number;
}

export const DEFAULT_LOCK_CONFIG: LockConfig = { leaseMs: 1_000 };

interface LockState {
  /** who holds the lease now, or null when the lock is free */
  holder: string | null;
  /** the token of the current (or last) lease */
  token: number;
  /** when the current lease runs out, on the server's clock */
  expiresAt: number;
  /** the clients in line, first in first out */
  waiters: string[];
}

export class LockServer implements SimNode<LockMessage> {
  readonly #ctx: NodeContext<LockMessage>;
  readonly #config: LockConfig;
  readonly #locks = new Map<string, LockState>();
  // after a restart a lease granted before the crash may still run: grant nothing until it is surely over
  #recovering = false;

  constructor(ctx: NodeContext<LockMessage>, config: LockConfig = DEFAULT_LOCK_CONFIG) {
    this.#ctx = ctx;
    this.#config = config;
  }

  start(): void {
    // holders and waiters were in memory and are gone; the token counters are on disk
    if (this.#ctx.storage.get<boolean>("booted") === true) {
      this.#recovering = true;
      this.#ctx.setTimer("recovered", this.#config.leaseMs);
    }
    this.#ctx.storage.set("booted", true);
  }

  receive(from: string, message: LockMessage): void {
    switch (message.type) {
      case "Acquire":
        this.#onAcquire(from, message.lock);
        break;
      case "Renew":
        this.#onRenew(from, message);
        break;
      case "Release":
        this.#onRelease(from, message);
        break;
      default:
        break; // replies and store traffic are not for the lock server
    }
  }

  timer(name: string): void {
    if (name === "recovered") {
      this.#recovering = false;
      for (const [lock, state] of this.#locks) if (state.holder === null) this.#grantNext(lock);
      return;
    }
    if (name.startsWith("lease:")) {
      const lock = name.slice("lease:".length);
      this.#lock(lock).holder = null; // the lease ran out: the holder crashed, stalled or forgot to renew
      this.#grantNext(lock);
    }
  }

  #onAcquire(from: string, lock: string): void {
    const state = this.#lock(lock);
    const now = this.#ctx.now();
    if (state.holder === from) {
      // a repeat (the network duplicates, clients retry): the same lease, not a new one
      this.#ctx.send(from, { type: "Granted", lock, token: state.token, leaseMs: state.expiresAt - now });
      return;
    }
    const place = state.waiters.indexOf(from);
    if (place >= 0) {
      this.#ctx.send(from, { type: "Queued", lock, position: place + 1 });
      return;
    }
    if (state.holder === null && !this.#recovering) {
      this.#grant(lock, from);
      return;
    }
    state.waiters.push(from);
    this.#ctx.send(from, { type: "Queued", lock, position: state.waiters.length });
  }

  #onRenew(from: string, renew: Renew): void {
    const state = this.#lock(renew.lock);
    if (!this.#holds(state, from, renew.token)) {
      this.#ctx.send(from, { type: "Lost", lock: renew.lock, token: renew.token });
      return;
    }
    state.expiresAt = this.#ctx.now() + this.#config.leaseMs;
    this.#ctx.setTimer(`lease:${renew.lock}`, this.#config.leaseMs);
    this.#ctx.send(from, { type: "Renewed", lock: renew.lock, token: renew.token, leaseMs: this.#config.leaseMs });
  }

  #onRelease(from: string, release: Release): void {
    const state = this.#lock(release.lock);
    if (!this.#holds(state, from, release.token)) {
      // a late or duplicated release must not end the lease of whoever holds the lock now
      this.#ctx.send(from, { type: "Lost", lock: release.lock, token: release.token });
      return;
    }
    state.holder = null;
    this.#ctx.cancelTimer(`lease:${release.lock}`);
    this.#grantNext(release.lock);
  }

  #holds(state: LockState, _client: string, token: number): boolean {
    return state.holder !== null && state.token === token;
  }

  /** hands a free lock to the first waiter, and tells only that one: no herd of wake-ups */
  #grantNext(lock: string): void {
    const next = this.#lock(lock).waiters.shift();
    if (next !== undefined) this.#grant(lock, next);
  }

  #grant(lock: string, client: string): void {
    const state = this.#lock(lock);
    // the counter is on disk before the grant leaves: a restart can never hand out the same token again
    const key = `token:${lock}`;
    const token = (this.#ctx.storage.get<number>(key) ?? 0) + 1;
    this.#ctx.storage.set(key, token);
    state.holder = client;
    state.token = token;
    state.expiresAt = this.#ctx.now() + this.#config.leaseMs;
    this.#ctx.setTimer(`lease:${lock}`, this.#config.leaseMs);
    this.#ctx.send(client, { type: "Granted", lock, token, leaseMs: this.#config.leaseMs });
  }

  #lock(lock: string): LockState {
    let state = this.#locks.get(lock);
    if (!state) {
      state = { holder: null, token: 0, expiresAt: 0, waiters: [] };
      this.#locks.set(lock, state);
    }
    return state;
  }
}

/**
 * The resource the lock protects. It does not trust the lock service's
 * clients to know whether their lease is still alive: it compares tokens.
 */
export class FencedStore implements SimNode<LockMessage> {
  readonly #ctx: NodeContext<LockMessage>;
  // a real store keeps these on disk with the data; the grader never crashes the store
  readonly #data = new Map<string, { value: string; token: number }>();

  constructor(ctx: NodeContext<LockMessage>) {
    this.#ctx = ctx;
  }

  /** the value last accepted for `key` */
  value(key: string): string | undefined {
    return this.#data.get(key)?.value;
  }

  start(): void {}

  timer(): void {}

  receive(from: string, message: LockMessage): void {
    if (message.type !== "Write") return;
    const { key, value, token } = message;
    const current = this.#data.get(key);
    if (current && token < current.token) {
      this.#ctx.send(from, { type: "WriteRejected", key, token, highest: current.token });
      return;
    }
    // an equal token is the same holder writing again
    this.#data.set(key, { value, token });
    this.#ctx.send(from, { type: "WriteOk", key, token });
  }
}
