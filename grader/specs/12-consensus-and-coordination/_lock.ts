// what the lock-service spec shares: a client that uses the lock and the store, and invariants over the history
import type { LockMessage } from "#kata/12-consensus-and-coordination/lock-service";
import type { NodeContext, SimNode } from "#kit";
import { type HistoryEvent, Violation } from "#sim";

const ms = (t: number) => `${t.toFixed(1)} ms`;
const EPSILON = 1e-6;

export interface ClientPlan {
  server: string;
  store: string;
  lock: string;
  /** how many times the client takes the lock, then it stops */
  sessions: number;
  /** the client's first Acquire goes out at a random time in [min, max) */
  start: { min: number; max: number };
  /** how long it keeps the lock before it writes a last time and releases it */
  holdMs: { min: number; max: number };
  /** while waiting, it sends Acquire again this often: a lost message or a restarted server forgets it */
  retryMs: number;
  /** while holding, it renews this often */
  renewMs: number;
  /** told of every fresh grant: the spec pauses some holders here */
  onGranted?: (client: string, token: number) => void;
}

/**
 * A client of the lock service: acquire, write to the store with the token,
 * renew while holding, write again and release; then the next session. What
 * it has done is on its disk, so a crash does not make it start over.
 */
export class LockClient implements SimNode<LockMessage> {
  readonly #ctx: NodeContext<LockMessage>;
  readonly #plan: ClientPlan;
  #state: "idle" | "waiting" | "holding" = "idle";
  #token = 0;

  constructor(ctx: NodeContext<LockMessage>, plan: ClientPlan) {
    this.#ctx = ctx;
    this.#plan = plan;
  }

  /** sessions finished: released, or lost to an expiry */
  get done(): number {
    return this.#ctx.storage.get<number>("done") ?? 0;
  }

  start(): void {
    const { min, max } = this.#plan.start;
    this.#ctx.setTimer("next", min + this.#ctx.random() * (max - min));
  }

  timer(name: string): void {
    const { lock } = this.#plan;
    switch (name) {
      case "next":
        if (this.done >= this.#plan.sessions) return;
        this.#state = "waiting";
        this.#acquire();
        break;
      case "retry":
        if (this.#state === "waiting") this.#acquire();
        break;
      case "write":
        if (this.#state === "holding") this.#write();
        break;
      case "renew":
        if (this.#state !== "holding") return;
        this.#ctx.send(this.#plan.server, { type: "Renew", lock, token: this.#token });
        this.#ctx.setTimer("renew", this.#plan.renewMs);
        break;
      case "release":
        if (this.#state !== "holding") return;
        this.#write();
        this.#ctx.send(this.#plan.server, { type: "Release", lock, token: this.#token });
        this.#finish();
        break;
    }
  }

  receive(_from: string, message: LockMessage): void {
    if (message.type === "Granted" && message.lock === this.#plan.lock) {
      if (this.#state === "holding" && message.token === this.#token) return; // a repeat of our grant
      if (this.#state !== "waiting") {
        // a late grant we no longer want (say, for a duplicated Acquire): give it back at once
        this.#ctx.send(this.#plan.server, { type: "Release", lock: message.lock, token: message.token });
        return;
      }
      this.#state = "holding";
      this.#token = message.token;
      this.#ctx.cancelTimer("retry");
      this.#plan.onGranted?.(this.#ctx.id, message.token);
      const { min, max } = this.#plan.holdMs;
      this.#ctx.setTimer("write", 1 + this.#ctx.random() * 4);
      this.#ctx.setTimer("renew", this.#plan.renewMs);
      this.#ctx.setTimer("release", min + this.#ctx.random() * (max - min));
    } else if (message.type === "Lost" && this.#state === "holding" && message.token === this.#token) {
      this.#finish();
    }
  }

  #acquire(): void {
    this.#ctx.send(this.#plan.server, { type: "Acquire", lock: this.#plan.lock });
    this.#ctx.setTimer("retry", this.#plan.retryMs);
  }

  #write(): void {
    const value = `${this.#ctx.id} with token ${this.#token}`;
    this.#ctx.send(this.#plan.store, { type: "Write", key: this.#plan.lock, value, token: this.#token });
  }

  #finish(): void {
    this.#ctx.storage.set("done", this.done + 1);
    this.#state = "idle";
    for (const name of ["write", "renew", "release"]) this.#ctx.cancelTimer(name);
    this.#ctx.setTimer("next", 5 + this.#ctx.random() * 45);
  }
}

export interface Lease {
  lock: string;
  token: number;
  client: string;
  /** when the server sent the grant */
  start: number;
  /** the last grant or renewal plus its leaseMs, or when the server took the holder's Release if sooner */
  end: number;
  /** the Granted's send in the history: a Violation names it */
  event: HistoryEvent;
}

const parse = (wire: string) => JSON.parse(wire) as LockMessage;

/**
 * Every lease the server handed out, read off what it sent: a Granted starts
 * one, a Renewed extends it, the holder's Release delivered to the server ends
 * it. Throws if one token went to two clients.
 */
export function leasesOf(history: readonly HistoryEvent[], server: string): Lease[] {
  const leases = new Map<string, Lease>();
  for (const event of history) {
    if (event.kind === "send" && event.from === server) {
      const m = parse(event.message);
      if (m.type !== "Granted" && m.type !== "Renewed") continue;
      const key = `${m.lock} ${m.token}`;
      const lease = leases.get(key);
      if (!lease) {
        if (m.type === "Renewed") {
          throw new Violation(`${server} renewed token ${m.token} of ${m.lock}, which it never granted`, event);
        }
        leases.set(key, {
          lock: m.lock,
          token: m.token,
          client: event.to,
          start: event.t,
          end: event.t + m.leaseMs,
          event,
        });
        continue;
      }
      if (lease.client !== event.to) {
        throw new Violation(
          `${server} gave token ${m.token} of ${m.lock} to ${lease.client} (at ${ms(lease.start)}) and to ${event.to} (at ${ms(event.t)}): a token names one lease`,
          event,
        );
      }
      lease.end = Math.max(lease.end, event.t + m.leaseMs);
    } else if (event.kind === "deliver" && event.to === server) {
      const m = parse(event.message);
      if (m.type !== "Release") continue;
      const lease = leases.get(`${m.lock} ${m.token}`);
      if (lease && lease.client === event.from) lease.end = Math.min(lease.end, event.t);
    }
  }
  return [...leases.values()];
}

/** mutual exclusion: no two leases of one lock overlap in time */
export function expectNoOverlap(leases: readonly Lease[]): void {
  const byStart = [...leases].sort((a, b) => a.start - b.start);
  const latest = new Map<string, Lease>();
  for (const lease of byStart) {
    const before = latest.get(lease.lock);
    if (before && lease.start < before.end - EPSILON) {
      throw new Violation(
        `${lease.lock} was held twice at once: token ${before.token} by ${before.client} from ${ms(before.start)} until ${ms(before.end)}, ` +
          `token ${lease.token} by ${lease.client} from ${ms(lease.start)}`,
        lease.event,
      );
    }
    if (!before || lease.end > before.end) latest.set(lease.lock, lease);
  }
}

/** each new grant of a lock carries a higher token than every grant before it */
export function expectTokensGrow(leases: readonly Lease[]): void {
  const byStart = [...leases].sort((a, b) => a.start - b.start);
  const highest = new Map<string, Lease>();
  for (const lease of byStart) {
    const before = highest.get(lease.lock);
    if (before && lease.token <= before.token) {
      throw new Violation(
        `${lease.lock} was granted with token ${lease.token} to ${lease.client} at ${ms(lease.start)}, after token ${before.token} ` +
          `(to ${before.client} at ${ms(before.start)}): fencing tokens must only grow, or the store cannot tell old holders from new`,
        lease.event,
      );
    }
    highest.set(lease.lock, lease);
  }
}

/** the store accepted writes to a key in token order: an older holder never overwrote a newer one */
export function expectFencedWrites(history: readonly HistoryEvent[], store: string): void {
  const last = new Map<string, { token: number; t: number; to: string }>();
  for (const event of history) {
    if (event.kind !== "send" || event.from !== store) continue;
    const m = parse(event.message);
    if (m.type !== "WriteOk") continue;
    const before = last.get(m.key);
    if (before && m.token < before.token) {
      throw new Violation(
        `${store} accepted ${event.to}'s write to ${m.key} with token ${m.token} at ${ms(event.t)}, after accepting token ${before.token} ` +
          `from ${before.to} at ${ms(before.t)}: a stale holder overwrote newer data`,
        event,
      );
    }
    last.set(m.key, { token: m.token, t: event.t, to: event.to });
  }
}

/**
 * No herd: when a lease ends (a Release reaches the server, or one of its
 * timers fires), the server tells at most one client per lock.
 */
export function expectNoHerd(history: readonly HistoryEvent[], server: string): void {
  let step: { what: string; t: number; ends: boolean } | undefined;
  let told = new Map<string, string[]>();
  for (const event of history) {
    if (event.kind === "deliver" && event.to === server) {
      const release = parse(event.message).type === "Release";
      step = { what: `the Release from ${event.from}`, t: event.t, ends: release };
      told = new Map();
    } else if ((event.kind === "timer" || event.kind === "start") && event.node === server) {
      step = { what: event.kind === "timer" ? `its timer ${event.name}` : "its start", t: event.t, ends: true };
      told = new Map();
    } else if (event.kind === "send" && event.from === server && step?.ends) {
      const lock = (parse(event.message) as { lock: string }).lock;
      const clients = [...(told.get(lock) ?? []), event.to];
      told.set(lock, clients);
      if (clients.length > 1) {
        throw new Violation(
          `on ${step.what} at ${ms(step.t)}, ${server} sent messages about ${lock} to ${clients.join(", ")}: ` +
            "a lease that ends should wake the next waiter only, not every waiter (the herd effect)",
          event,
        );
      }
    }
  }
}

export function describeLockMessage(message: unknown): string {
  const m = message as LockMessage;
  switch (m.type) {
    case "Acquire":
      return `Acquire ${m.lock}`;
    case "Renew":
    case "Release":
    case "Lost":
      return `${m.type} ${m.lock} token ${m.token}`;
    case "Granted":
      return `Granted ${m.lock} token ${m.token} for ${m.leaseMs.toFixed(0)} ms`;
    case "Renewed":
      return `Renewed ${m.lock} token ${m.token}`;
    case "Queued":
      return `Queued ${m.lock} at ${m.position}`;
    case "Write":
      return `Write ${m.key} token ${m.token}`;
    case "WriteOk":
      return `WriteOk ${m.key} token ${m.token}`;
    case "WriteRejected":
      return `WriteRejected ${m.key} token ${m.token}, seen ${m.highest}`;
    default:
      return JSON.stringify(message);
  }
}
