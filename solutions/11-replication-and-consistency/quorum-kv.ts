/**
 * Reference: a leaderless key-value store with N/R/W quorums, on the simulator. Every node is a
 * replica of every key and coordinates the client requests it receives. Operations run in two
 * rounds, as Attiya, Bar-Noy and Dolev's register does (ABD, 1995): a put reads the highest version
 * from R replicas and writes the next one to W; a get reads from R and writes the highest version it
 * found back to W before answering (its read repair). With R + W > N every read round meets every
 * write round, and the store is linearizable. Replicas that have not acknowledged a write are sent it
 * again until they do (hinted handoff; the coordinator keeps its hints on disk, as Cassandra does).
 */
import type { NodeContext, SimNode } from "#kit";

export interface QuorumConfig {
  /** every replica's id, this node's among them: N is their number */
  replicas: readonly string[];
  /** replies a read round waits for */
  r: number;
  /** acknowledgements a write round waits for */
  w: number;
  /** a request not done by then is answered Failed */
  timeoutMs: number;
}

/** a write's place in the order: a higher counter is later; equal counters, the larger node id */
export interface Version {
  counter: number;
  node: string;
}

export interface Stored {
  value: string;
  version: Version;
}

export type KvOp = { kind: "put"; key: string; value: string } | { kind: "get"; key: string };

/** from a client, and back to it */
export type Request = { type: "Request"; opId: string; op: KvOp };
export type Reply = { type: "Reply"; opId: string; value: string | null | "ok" } | { type: "Failed"; opId: string };

/** between replicas: yours to design; these are the reference's */
type Internal =
  | { type: "Query"; opId: string; key: string }
  | { type: "Value"; opId: string; stored: Stored | null }
  | { type: "Store"; opId: string; key: string; stored: Stored }
  | { type: "Stored"; opId: string };

export type Message = Request | Reply | Internal;

/** the order of versions: negative if a is earlier */
export function compareVersions(a: Version, b: Version): number {
  if (a.counter !== b.counter) return a.counter - b.counter;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

interface Operation {
  client: string;
  op: KvOp;
  replies: Map<string, Stored | null>;
  /** the record its write round sends; set when the read round is done */
  record?: Stored;
  /** the replicas that acknowledged it, each once however often the network delivered it */
  acks: Set<string>;
  answered: boolean;
}

const HINT_EVERY_MS = 100;

/** a write round some replica has not acknowledged yet: kept on disk, so a crash does not lose it */
interface Hint {
  key: string;
  record: Stored;
  pending: string[];
}

export class QuorumNode implements SimNode<Message> {
  private readonly ops = new Map<string, Operation>();

  constructor(
    private readonly ctx: NodeContext<Message>,
    private readonly config: QuorumConfig,
  ) {
    const n = config.replicas.length;
    if (!config.replicas.includes(ctx.id)) throw new RangeError(`${ctx.id} is not one of the replicas`);
    for (const [name, q] of [
      ["r", config.r],
      ["w", config.w],
    ] as const)
      if (!Number.isInteger(q) || q < 1 || q > n) throw new RangeError(`${name} must be a whole number from 1 to ${n}`);
  }

  start(): void {
    // the operations in flight died with the process; the hints and the data are on disk
    this.ctx.setTimer("hints", HINT_EVERY_MS);
  }

  private hints(): Record<string, Hint> {
    return this.ctx.storage.get<Record<string, Hint>>("hints") ?? {};
  }

  /** what this replica holds for a key */
  peek(key: string): Stored | undefined {
    return this.ctx.storage.get<Stored>(`kv:${key}`);
  }

  receive(from: string, message: Message): void {
    switch (message.type) {
      case "Request":
        this.begin(from, message.opId, message.op);
        return;
      case "Query":
        this.ctx.send(from, { type: "Value", opId: message.opId, stored: this.peek(message.key) ?? null });
        return;
      case "Store":
        this.store(message.key, message.stored);
        this.ctx.send(from, { type: "Stored", opId: message.opId });
        return;
      case "Value":
        this.onValue(from, message.opId, message.stored);
        return;
      case "Stored":
        this.onStored(from, message.opId);
        return;
    }
  }

  timer(name: string): void {
    if (name === "hints") {
      // every write round still short of some replica is sent to it again, until it acknowledges
      for (const [opId, hint] of Object.entries(this.hints()))
        for (const replica of hint.pending)
          this.ctx.send(replica, { type: "Store", opId, key: hint.key, stored: hint.record });
      this.ctx.setTimer("hints", HINT_EVERY_MS);
      return;
    }
    const opId = name.slice("timeout:".length);
    const op = this.ops.get(opId);
    if (!op || op.answered) return;
    op.answered = true;
    this.ctx.send(op.client, { type: "Failed", opId });
    this.ops.delete(opId);
  }

  private begin(client: string, opId: string, op: KvOp): void {
    if (this.ops.has(opId)) return; // the network delivered the request twice
    this.ops.set(opId, { client, op, replies: new Map(), acks: new Set(), answered: false });
    this.ctx.setTimer(`timeout:${opId}`, this.config.timeoutMs);
    for (const replica of this.config.replicas) this.ctx.send(replica, { type: "Query", opId, key: op.key });
  }

  private onValue(from: string, opId: string, stored: Stored | null): void {
    const op = this.ops.get(opId);
    if (!op || op.record || op.answered) return;
    op.replies.set(from, stored);
    if (op.replies.size < this.config.r) return;
    let latest: Stored | undefined;
    for (const s of op.replies.values())
      if (s && (!latest || compareVersions(s.version, latest.version) > 0)) latest = s;
    if (op.op.kind === "get" && !latest) {
      this.answer(opId, op, null);
      this.ops.delete(opId);
      return;
    }
    if (op.op.kind === "put") {
      // later than anything read, and than anything this node issued: two puts it coordinates at
      // once must not share a version
      const counter = Math.max(latest?.version.counter ?? 0, this.ctx.storage.get<number>("issued") ?? 0) + 1;
      this.ctx.storage.set("issued", counter);
      op.record = { value: op.op.value, version: { counter, node: this.ctx.id } };
    } else op.record = latest as Stored;
    this.ctx.storage.set("hints", {
      ...this.hints(),
      [opId]: { key: op.op.key, record: op.record, pending: [...this.config.replicas] },
    });
    for (const replica of this.config.replicas)
      this.ctx.send(replica, { type: "Store", opId, key: op.op.key, stored: op.record });
  }

  private onStored(from: string, opId: string): void {
    const hints = this.hints();
    const hint = hints[opId];
    if (hint?.pending.includes(from)) {
      hint.pending = hint.pending.filter((replica) => replica !== from);
      if (hint.pending.length === 0) delete hints[opId];
      this.ctx.storage.set("hints", hints);
    }
    const op = this.ops.get(opId);
    if (!op?.record) return;
    op.acks.add(from);
    if (op.acks.size >= this.config.w && !op.answered)
      this.answer(opId, op, op.op.kind === "put" ? "ok" : op.record.value);
    if (op.answered) this.ops.delete(opId);
  }

  private answer(opId: string, op: Operation, value: string | null | "ok"): void {
    op.answered = true;
    this.ctx.cancelTimer(`timeout:${opId}`);
    this.ctx.send(op.client, { type: "Reply", opId, value });
  }

  private store(key: string, stored: Stored): void {
    const held = this.peek(key);
    if (!held || compareVersions(stored.version, held.version) > 0) this.ctx.storage.set(`kv:${key}`, stored);
  }
}
