// A cluster of the kata's quorum replicas and the clients that use it: the history they see is what
// the spec checks (linearizable with R + W > N, a stale read with R + W ≤ N), and peek() what each
// replica holds (read repair, hinted handoff, convergence).
import type { NodeContext, SimNode } from "#kit";
import type { KvInput, KvOutput, Operation, Simulation } from "#sim";
import type { SimRun } from "#spec";

export const REPLICAS = ["n1", "n2", "n3"] as const;

export interface Config {
  replicas: readonly string[];
  r: number;
  w: number;
  timeoutMs: number;
}

type Request = { type: "Request"; opId: string; op: KvInput };
type Reply = { type: "Reply"; opId: string; value: KvOutput } | { type: "Failed"; opId: string };

/** what the spec needs of the kata's node, whichever target it is */
export interface Replica extends SimNode<unknown> {
  peek(key: string): { value: string; version: unknown } | undefined;
}
export type MakeReplica = (ctx: NodeContext<unknown>, config: Config) => Replica;

export type History = Array<Operation<KvInput, KvOutput>>;

/**
 * A client: sends each operation to one replica (the coordinator) and waits; a Failed reply or
 * silence past its timeout leaves the operation unanswered (it may or may not have happened).
 * Driven by a plan (random puts and gets on x and y, one at a time) or by the spec (request()).
 */
export class Client implements SimNode<unknown> {
  #count = 0;
  #current: { opId: string; record: Operation<KvInput, KvOutput> } | undefined;

  constructor(
    private readonly ctx: NodeContext<unknown>,
    private readonly history: History,
    private readonly plan?: { coordinators: readonly string[]; until: number; timeoutMs: number },
  ) {}

  start(): void {
    if (this.plan) this.ctx.setTimer("next", 50 + this.ctx.random() * 50);
  }

  /** the spec's own request: `op` to `coordinator`, now */
  request(coordinator: string, op: KvInput, timeoutMs = 1_000): void {
    this.#count += 1;
    const opId = `${this.ctx.id}.${this.#count}`;
    const record: Operation<KvInput, KvOutput> = { client: this.ctx.id, input: op, call: this.ctx.now() };
    this.history.push(record);
    this.#current = { opId, record };
    this.ctx.send(coordinator, { type: "Request", opId, op } satisfies Request);
    this.ctx.setTimer("timeout", timeoutMs);
  }

  timer(name: string): void {
    if (name === "timeout") this.#done();
    else if (name === "next" && this.plan && this.ctx.now() < this.plan.until) {
      const { coordinators, timeoutMs } = this.plan;
      const coordinator = coordinators[Math.floor(this.ctx.random() * coordinators.length)] as string;
      const key = this.ctx.random() < 0.5 ? "x" : "y";
      const op: KvInput =
        this.ctx.random() < 0.5
          ? { kind: "put", key, value: `${this.ctx.id}.${this.#count + 1}` }
          : { kind: "get", key };
      this.request(coordinator, op, timeoutMs);
    }
  }

  receive(_from: string, message: unknown): void {
    const reply = message as Reply;
    if (!this.#current || reply.opId !== this.#current.opId) return;
    if (reply.type === "Reply") {
      this.#current.record.output = reply.value;
      this.#current.record.ret = this.ctx.now();
    }
    this.ctx.cancelTimer("timeout");
    this.#done();
  }

  #done(): void {
    this.#current = undefined;
    if (this.plan) this.ctx.setTimer("next", 5 + this.ctx.random() * 20);
  }
}

export interface Cluster {
  sim: Simulation<unknown>;
  history: History;
  config: Config;
  peek(replica: string, key: string): { value: string; version: unknown } | undefined;
  client(id: string): Client;
}

export function cluster(
  run: SimRun,
  make: MakeReplica,
  options: {
    r: number;
    w: number;
    clients?: number;
    coordinators?: readonly string[];
    until?: number;
    network?: { dropRate?: number; duplicateRate?: number };
  },
): Cluster {
  const config: Config = { replicas: REPLICAS, r: options.r, w: options.w, timeoutMs: 300 };
  const history: History = [];
  const clients = Array.from({ length: options.clients ?? 1 }, (_, i) => `c${i + 1}`);
  const sim = run.simulation<unknown>({
    nodes: [
      ...REPLICAS.map((id) => ({ id, create: (ctx: NodeContext<unknown>) => make(ctx, config) })),
      ...clients.map((id) => ({
        id,
        peers: REPLICAS,
        create: (ctx: NodeContext<unknown>) =>
          new Client(
            ctx,
            history,
            options.until === undefined
              ? undefined
              : { coordinators: options.coordinators ?? REPLICAS, until: options.until, timeoutMs: 400 },
          ),
      })),
    ],
    network: { delayMs: { min: 1, max: 8 }, ...options.network },
    observe: (node) => {
      const replica = node as Partial<Replica>;
      return typeof replica.peek === "function"
        ? { x: replica.peek("x")?.value, y: replica.peek("y")?.value }
        : undefined;
    },
  });
  return {
    sim,
    history,
    config,
    peek: (replica, key) => sim.call(replica, "peek", (node) => (node as Replica).peek(key)),
    client: (id) => sim.node(id) as Client,
  };
}

/** the operations that got an answer */
export const answered = (history: History) => history.filter((op) => op.ret !== undefined).length;
