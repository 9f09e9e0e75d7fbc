/**
 * Kata: a lock service with leases and fencing tokens (difficulty 2, about an hour)
 * Read:  chapters/12-consensus-and-coordination/README.md#lock-service-and-fencing-tokens
 * Grade: npm run grade -- lock-service
 * Hint:  npm run hint -- lock-service (one more hint each time you ask)
 * Replay a failure: npm run grade -- lock-service --seed N (the seed the report names)
 *
 * Write two nodes of the grader's simulator: a lock server and the store the
 * lock protects. The grader supplies the clients: they acquire a lock, write
 * to the store with its token, renew, release, and sometimes crash or freeze
 * (a GC pause) for longer than their lease.
 *
 * LockServer (locks are named by the clients; each is independent):
 * - Acquire of a free lock: grant it at once. A grant is a lease of
 *   config.leaseMs on your clock (ctx.now, a timer), with a fencing token:
 *   1 for the lock's first grant, then 2, 3, ... Reply Granted {lock, token, leaseMs}.
 * - Acquire of a taken lock: put the client at the end of the lock's line and
 *   reply Queued {lock, position} (1 = next).
 * - The network repeats messages: an Acquire from the holder gets Granted again
 *   (same token, leaseMs = the time its lease has left); from a client already
 *   in line, Queued with its current position. Nobody is in line twice.
 * - Renew {lock, token} from the holder of that token: the lease now ends
 *   leaseMs from now; reply Renewed {lock, token, leaseMs}.
 * - Release {lock, token} from the holder of that token: the lease ends now. No reply.
 * - A Renew or Release whose token is not the lock's live lease (it ran out, it
 *   was released, it is someone else's): change nothing, reply Lost {lock, token}.
 * - When a lease ends (released, or it ran out without a renewal) the first
 *   client in line gets the lock with the next token. Tell only that client:
 *   one message per handoff, never a message to every waiter (the herd effect).
 * - Tokens grow across crashes: keep each lock's counter in ctx.storage and
 *   write it before the Granted goes out. Holders and lines may live in memory.
 * - After a restart (start() finds something you wrote on disk) you know no
 *   holders, and one may still be inside a lease you granted just before the
 *   crash: grant nothing for one leaseMs, queue Acquires meanwhile, and serve
 *   the line when that time is up. On the first boot, grant at once.
 *
 * FencedStore:
 * - Write {key, value, token}: if the store has accepted a higher token for
 *   that key, reply WriteRejected {key, token, highest}; otherwise keep the
 *   value and the token and reply WriteOk {key, token}. An equal token is the
 *   same holder writing again: accept it.
 * - value(key) returns the value last accepted for the key.
 *
 * Determinism: time from ctx.now() and ctx.setTimer only. Date.now or
 * setTimeout would make a failure impossible to replay.
 */
import { type NodeContext, type SimNode, todo } from "#kit";

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

export class LockServer implements SimNode<LockMessage> {
  constructor(ctx: NodeContext<LockMessage>, config: LockConfig = DEFAULT_LOCK_CONFIG) {
    // TODO: keep ctx and config. Per lock you will need the holder, its token, and the line of waiters.
    todo("LockServer constructor", ctx, config);
  }

  start(): void {
    // TODO: a first boot grants at once; a restart waits one lease first (a timer). Leave a mark on disk to tell them apart.
    todo("LockServer.start");
  }

  receive(from: string, message: LockMessage): void {
    // TODO: Acquire, Renew and Release; ignore the other message types.
    todo("LockServer.receive", from, message);
  }

  timer(name: string): void {
    // TODO: a lease ran out (hand the lock to the next waiter), or the wait after a restart is over.
    todo("LockServer.timer", name);
  }
}

/**
 * The resource the lock protects. It does not trust the lock service's
 * clients to know whether their lease is still alive: it compares tokens.
 */
export class FencedStore implements SimNode<LockMessage> {
  constructor(ctx: NodeContext<LockMessage>) {
    // TODO: keep ctx; per key, the value and the highest token accepted.
    todo("FencedStore constructor", ctx);
  }

  /** the value last accepted for `key` */
  value(key: string): string | undefined {
    // TODO: the value of the last accepted write, undefined if none.
    return todo("FencedStore.value", key);
  }

  start(): void {}

  timer(): void {}

  receive(from: string, message: LockMessage): void {
    // TODO: a Write with a token below the key's highest is rejected; anything else is kept.
    todo("FencedStore.receive", from, message);
  }
}
