// a key-value store on top of a Raft node, and clients that use it: the history they see is checked for linearizability
import type { NodeContext, SimNode } from "#kit";
import { type HistoryEvent, type KvInput, type KvOutput, type Operation, type Simulation, Violation } from "#sim";

/** what the harness needs of a Raft node: the kata's RaftNode, whichever target it is */
export interface ReplicatedLog<M> extends SimNode<M> {
  propose(command: unknown): number | null;
  status(): unknown;
}

export type MakeRaft<M> = (ctx: NodeContext<M>, apply: (index: number, command: unknown) => void) => ReplicatedLog<M>;

interface KvCommand {
  opId: string;
  client: string;
  op: KvInput;
}

type ClientRequest = { type: "Request"; opId: string; op: KvInput };
type ClientReply = { type: "Reply"; opId: string; value: KvOutput } | { type: "NotLeader"; opId: string };
export type KvWire<M> = M | ClientRequest | ClientReply;

/**
 * Every node's applied commands: all nodes must apply the same command at each
 * index, each index once and in order. The first breach is kept (not thrown:
 * it happens inside the kata's code, which should not get the blame in the trace).
 */
export class AppliedLog {
  violation: string | undefined;
  /** the event of the breach (the note of the apply), for the trace */
  violationAt: HistoryEvent | undefined;
  readonly #first = new Map<number, { node: string; opId: string; t: number }>();
  readonly #next = new Map<string, number>();

  /**
   * `instance` tells a node's boots apart: a restarted node applies its log again from index 1;
   * `event` is the history's record of this apply
   */
  record(node: string, instance: number, index: number, opId: string, t: number, event?: HistoryEvent): void {
    if (this.violation) return;
    const key = `${node}:${instance}`;
    const expected = this.#next.get(key) ?? 1;
    if (index !== expected) {
      this.violation = `${node} applied index ${index} at ${t.toFixed(1)} ms, but the next index to apply was ${expected}: apply in order, each once`;
      this.violationAt = event;
      return;
    }
    this.#next.set(key, index + 1);
    const first = this.#first.get(index);
    if (!first) {
      this.#first.set(index, { node, opId, t });
      return;
    }
    if (first.opId !== opId) {
      this.violation =
        `two commands applied at index ${index}: ${first.opId} by ${first.node} at ${first.t.toFixed(1)} ms, ` +
        `${opId} by ${node} at ${t.toFixed(1)} ms (a committed entry was lost or overwritten)`;
      this.violationAt = event;
    }
  }

  /** throws the first breach, from the spec (a Violation at its event when it has one) */
  check(): void {
    if (this.violation === undefined) return;
    if (this.violationAt) throw new Violation(this.violation, this.violationAt);
    throw new Error(this.violation);
  }

  /** the highest index any node applied */
  get highest(): number {
    return this.#first.size;
  }
}

/** a server: a Raft node, plus the store it drives and the client requests it waits on */
export class KvServer<M> implements SimNode<KvWire<M>> {
  readonly raft: ReplicatedLog<M>;
  readonly #ctx: NodeContext<KvWire<M>>;
  readonly #store = new Map<string, string>();
  readonly #done = new Set<string>();
  readonly #waiting = new Map<number, { client: string; opId: string }>();

  constructor(ctx: NodeContext<KvWire<M>>, make: MakeRaft<M>, onApply: (index: number, opId: string) => void) {
    this.#ctx = ctx;
    this.raft = make(ctx as unknown as NodeContext<M>, (index, command) => {
      const { opId, op } = command as KvCommand;
      onApply(index, opId);
      const value = this.#execute(opId, op);
      const waiter = this.#waiting.get(index);
      if (!waiter) return;
      this.#waiting.delete(index);
      // a different command at our index means ours was overwritten: the client times out and moves on
      if (waiter.opId === opId) this.#ctx.send(waiter.client, { type: "Reply", opId, value });
    });
  }

  start(): void {
    this.raft.start();
  }

  timer(name: string): void {
    this.raft.timer(name);
  }

  receive(from: string, message: KvWire<M>): void {
    const m = message as { type: string };
    if (m.type !== "Request") {
      this.raft.receive(from, message as M);
      return;
    }
    const request = message as ClientRequest;
    const index = this.raft.propose({ opId: request.opId, client: from, op: request.op } satisfies KvCommand);
    if (index === null) this.#ctx.send(from, { type: "NotLeader", opId: request.opId });
    else this.#waiting.set(index, { client: from, opId: request.opId });
  }

  #execute(opId: string, op: KvInput): KvOutput {
    // a request the network delivered twice is in the log twice: it takes effect once
    const repeat = this.#done.has(opId);
    this.#done.add(opId);
    if (op.kind === "get") return this.#store.get(op.key) ?? null;
    if (!repeat) this.#store.set(op.key, op.value);
    return "ok";
  }
}

export interface ClientPlan {
  servers: readonly string[];
  /** no new operation starts after this time */
  until: number;
  /** a client that hears nothing this long gives the operation up as unknown and starts another */
  timeoutMs: number;
  history: Array<Operation<KvInput, KvOutput>>;
}

/** a client: one operation at a time, random puts and gets on two keys, retrying elsewhere on NotLeader */
export class KvClient<M> implements SimNode<KvWire<M>> {
  readonly #ctx: NodeContext<KvWire<M>>;
  readonly #plan: ClientPlan;
  #count = 0;
  #server = 0;
  #current: { opId: string; op: KvInput; record: Operation<KvInput, KvOutput> } | undefined;

  constructor(ctx: NodeContext<KvWire<M>>, plan: ClientPlan) {
    this.#ctx = ctx;
    this.#plan = plan;
  }

  start(): void {
    this.#server = Math.floor(this.#ctx.random() * this.#plan.servers.length);
    this.#ctx.setTimer("next", 200 + this.#ctx.random() * 100);
  }

  timer(name: string): void {
    if (name === "next") this.#begin();
    else if (name === "timeout" && this.#current) {
      this.#current = undefined; // the history keeps it without an answer: it may or may not have happened
      this.#server = (this.#server + 1) % this.#plan.servers.length;
      this.#ctx.setTimer("next", 5);
    }
  }

  receive(_from: string, message: KvWire<M>): void {
    const reply = message as ClientReply;
    const current = this.#current;
    if (!current || reply.opId !== current.opId) return;
    if (reply.type === "NotLeader") {
      this.#server = (this.#server + 1) % this.#plan.servers.length;
      this.#send(current.opId, current.op);
      return;
    }
    current.record.output = reply.value;
    current.record.ret = this.#ctx.now();
    this.#current = undefined;
    this.#ctx.cancelTimer("timeout");
    this.#ctx.setTimer("next", 5 + this.#ctx.random() * 30);
  }

  #begin(): void {
    if (this.#ctx.now() >= this.#plan.until) return;
    this.#count += 1;
    const opId = `${this.#ctx.id}.${this.#count}`;
    const key = this.#ctx.random() < 0.5 ? "x" : "y";
    const op: KvInput = this.#ctx.random() < 0.5 ? { kind: "put", key, value: opId } : { kind: "get", key };
    const record: Operation<KvInput, KvOutput> = { client: this.#ctx.id, input: op, call: this.#ctx.now() };
    this.#plan.history.push(record);
    this.#current = { opId, op, record };
    this.#send(opId, op);
    this.#ctx.setTimer("timeout", this.#plan.timeoutMs);
  }

  #send(opId: string, op: KvInput): void {
    this.#ctx.send(this.#plan.servers[this.#server] as string, { type: "Request", opId, op });
  }
}

/** the operations that got an answer, in the order they were sent */
export function answered(history: ReadonlyArray<Operation<KvInput, KvOutput>>): number {
  return history.filter((op) => op.ret !== undefined).length;
}

/** the servers' statuses, for a failure message */
export function describeServers<M>(sim: Simulation<KvWire<M>>, servers: readonly string[]): string {
  return servers.map((id) => `${id}: ${JSON.stringify(sim.observed(id) ?? "down")}`).join(", ");
}
