// what the isr-replication spec and the false-failure bench share: a cluster of the kata's controller and
// replicas with the grader's own producer and consumer, the checks made while it runs, and the fault sweep
import type {
  IsrConfig,
  IsrMessage,
  LogRecord,
  PartitionState,
  ReplicaStatus,
} from "#kata/09-message-queues/isr-replication";
import type { NodeContext, SimNode } from "#kit";
import { type HistoryEvent, nemesis, type Simulation, Violation } from "#sim";
import type { SimRun } from "#spec";

/** what the grader needs of the kata's controller: its state, as a client's metadata request would see it */
export interface ControllerNode extends SimNode<IsrMessage> {
  state(): PartitionState;
}

/** what the grader needs of a replica: its status, and its log to compare with the others' */
export interface ReplicaNode extends SimNode<IsrMessage> {
  status(): ReplicaStatus;
  log(): LogRecord[];
}

/** the kata's classes, whichever target (the learner's, the reference, a mutant) */
export interface IsrKata {
  Controller: new (ctx: NodeContext<IsrMessage>, replicas: readonly string[], config: IsrConfig) => ControllerNode;
  Replica: new (ctx: NodeContext<IsrMessage>, controller: string, config: IsrConfig) => ReplicaNode;
}

export const replicas = ["b1", "b2", "b3"];
export const CONTROLLER = "ctl";
export const PRODUCER = "p";
const CONSUMER = "c";

/** the grader's settings: every check below is stated in them */
export const config: IsrConfig = {
  minInsyncReplicas: 2,
  replicaLagTimeMaxMs: 200,
  fetchIntervalMs: 20,
  maxRecords: 100,
  heartbeatMs: 50,
  sessionTimeoutMs: 300,
};

export const ms = (t: number) => `${t.toFixed(1)} ms`;

function describeMessage(message: unknown): string {
  const m = message as Record<string, unknown> & { type: string };
  switch (m.type) {
    case "Produce":
      return `Produce ${m.id}`;
    case "ProduceResponse":
      return `ProduceResponse ${m.id} ${m.error ?? `ack @${m.offset}`}`;
    case "Consume":
      return `Consume from ${m.offset}`;
    case "ConsumeResponse":
      return `ConsumeResponse ${m.error ?? `${(m.records as unknown[]).length} from ${m.offset}, hw ${m.highWatermark}`}`;
    case "LeaderAndIsr": {
      const s = m.state as PartitionState;
      return `LeaderAndIsr e${s.leaderEpoch} ${s.leader} [${s.isr.join(" ")}] v${s.version}`;
    }
    case "AlterIsr":
      return `AlterIsr e${m.leaderEpoch} [${(m.isr as string[]).join(" ")}]`;
    case "Fetch":
      return `Fetch e${m.leaderEpoch} from ${m.offset}`;
    case "FetchResponse":
      return `FetchResponse e${m.leaderEpoch} ${m.error ?? `${(m.records as unknown[]).length} from ${m.offset}, hw ${m.highWatermark}`}`;
    default:
      return JSON.stringify(m).slice(0, 60);
  }
}

interface Ack {
  id: string;
  value: string;
  offset: number;
  t: number;
  event: HistoryEvent | undefined;
}

interface Outcome {
  id: string;
  value: string;
  sentAt: number;
  error?: string;
  ack?: Ack;
}

/** the grader's producer: it asks the controller who leads, as a client's metadata request would */
export class Producer implements SimNode<IsrMessage> {
  readonly outcomes = new Map<string, Outcome>();
  readonly acks: Ack[] = [];
  #next = 0;

  constructor(
    readonly ctx: NodeContext<IsrMessage>,
    private readonly leader: () => string | null,
    private readonly history: () => readonly HistoryEvent[],
    private readonly everyMs: number | null,
    private readonly until: number,
  ) {}

  /** sends one record to the leader; its id, or undefined with no leader */
  produce(): string | undefined {
    const to = this.leader();
    if (to === null) return undefined;
    const n = ++this.#next;
    const id = `p${n}`;
    const value = `v${n}`;
    this.outcomes.set(id, { id, value, sentAt: this.ctx.now() });
    this.ctx.send(to, { type: "Produce", id, value });
    return id;
  }

  start(): void {
    if (this.everyMs !== null) this.ctx.setTimer("produce", this.everyMs);
  }

  timer(): void {
    if (this.ctx.now() >= this.until || this.everyMs === null) return;
    this.produce();
    this.ctx.setTimer("produce", this.everyMs);
  }

  receive(_from: string, m: IsrMessage): void {
    if (m.type !== "ProduceResponse") return;
    const outcome = this.outcomes.get(m.id);
    if (!outcome) return;
    if (m.error !== null || m.offset === null) {
      outcome.error ??= m.error ?? "no offset";
      return;
    }
    const events = this.history();
    const ack = {
      id: m.id,
      value: outcome.value,
      offset: m.offset,
      t: this.ctx.now(),
      event: events[events.length - 1],
    };
    outcome.ack ??= ack;
    this.acks.push(ack);
  }
}

/** the grader's consumer: reads from the leader, from where it stands, and keeps what it read */
class Consumer implements SimNode<IsrMessage> {
  readonly read = new Map<number, { value: string; t: number; from: string }>();
  #next = 0;

  constructor(
    readonly ctx: NodeContext<IsrMessage>,
    private readonly leader: () => string | null,
  ) {}

  start(): void {
    this.ctx.setTimer("poll", 10);
  }

  timer(): void {
    const to = this.leader();
    if (to !== null) this.ctx.send(to, { type: "Consume", offset: this.#next, max: 20 });
    this.ctx.setTimer("poll", 10);
  }

  receive(from: string, m: IsrMessage): void {
    if (m.type !== "ConsumeResponse" || m.error !== null || m.offset !== this.#next) return;
    m.records.forEach((record, i) => {
      this.read.set(m.offset + i, { value: record.value, t: this.ctx.now(), from });
    });
    this.#next += m.records.length;
  }
}

interface ClusterOptions {
  /** the producer sends a record this often until `until`; null: only when the test calls produce() */
  produceEveryMs?: number | null;
  until?: number;
  consumer?: boolean;
  network?: { dropRate?: number; duplicateRate?: number; delayMs?: { min: number; max: number } };
}

/** three replicas and a controller of the kata's, with the grader's producer and consumer */
export function cluster(run: SimRun, kata: IsrKata, options: ClusterOptions = {}) {
  /** the first breach of a rule checked while the kata runs, kept (not thrown: the kata's code would get the blame) */
  const broken: { what: string; event: HistoryEvent | undefined }[] = [];
  const instances = new Map<string, ReplicaNode>();
  const controllerOf = () => sim.node(CONTROLLER) as ControllerNode;
  const leader = () => controllerOf().state().leader;
  const sim: Simulation<IsrMessage> = run.simulation<IsrMessage>(
    {
      nodes: [
        { id: CONTROLLER, peers: replicas, create: (ctx) => new kata.Controller(ctx, replicas, config) },
        ...replicas.map((id) => ({
          id,
          peers: replicas.filter((r) => r !== id),
          create: (ctx: NodeContext<IsrMessage>) => {
            const watched: NodeContext<IsrMessage> = {
              ...ctx,
              send: (to, message) => {
                ctx.send(to, message);
                if (message.type === "ConsumeResponse") checkRead(id, message.offset, message.records);
                if (message.type === "ProduceResponse" && message.error === null && message.offset !== null) {
                  checkAck(id, message.offset);
                }
              },
            };
            const replica = new kata.Replica(watched, CONTROLLER, config);
            instances.set(id, replica);
            return replica;
          },
        })),
        {
          id: PRODUCER,
          peers: replicas,
          create: (ctx: NodeContext<IsrMessage>) =>
            new Producer(
              ctx,
              leader,
              () => sim.history,
              options.produceEveryMs === undefined ? 20 : options.produceEveryMs,
              options.until ?? Number.POSITIVE_INFINITY,
            ),
        },
        ...(options.consumer
          ? [{ id: CONSUMER, peers: replicas, create: (ctx: NodeContext<IsrMessage>) => new Consumer(ctx, leader) }]
          : []),
      ],
      network: { delayMs: { min: 1, max: 10 }, ...options.network },
      observe: (node, id) =>
        id === CONTROLLER
          ? (node as ControllerNode).state()
          : replicas.includes(id)
            ? (node as ReplicaNode).status()
            : undefined,
    },
    { describe: describeMessage },
  );

  /** a replica's log as it is now: its live instance's, or what it had when it went down (its disk) */
  const logOf = (id: string): LogRecord[] | undefined =>
    sim.isUp(id) ? (sim.node(id) as ReplicaNode).log() : undefined;
  const statusOf = (id: string) => sim.observed(id) as ReplicaStatus | undefined;
  const lastSend = () => {
    for (let i = sim.history.length - 1; i >= 0; i--) if (sim.history[i]?.kind === "send") return sim.history[i];
    return undefined;
  };

  /** at the moment a replica serves records to a consumer, every in-sync replica that is up holds them */
  function checkRead(server: string, offset: number, records: readonly LogRecord[]): void {
    if (records.length === 0 || broken.length > 0) return;
    const replica = instances.get(server);
    if (!replica) return;
    const status = replica.status();
    for (const member of status.isr) {
      if (member === server) continue;
      const log = logOf(member);
      if (!log) continue;
      records.forEach((record, i) => {
        const held = log[offset + i];
        if (broken.length === 0 && (held?.value !== record.value || held.epoch !== record.epoch)) {
          broken.push({
            what:
              `${server} served offset ${offset + i} (${record.value}, epoch ${record.epoch}) to the consumer at ${ms(sim.now)}, ` +
              `but ${member}, in its ISR [${status.isr.join(" ")}], holds ${held ? `${held.value}, epoch ${held.epoch}` : "nothing"} there: ` +
              "a consumer may read only below the high watermark, the end every ISR member has",
            event: lastSend(),
          });
        }
      });
    }
  }

  /**
   * at the moment a leader acknowledges offset `offset`, its ISR is at least min.insync.replicas
   * and every member that is up holds the record: acks=all waits for the whole ISR
   */
  function checkAck(server: string, offset: number): void {
    const replica = instances.get(server);
    if (!replica || broken.length > 0) return;
    const status = replica.status();
    const record = replica.log()[offset];
    if (status.isr.length < config.minInsyncReplicas) {
      broken.push({
        what:
          `${server} acknowledged offset ${offset} at ${ms(sim.now)} with an ISR of ${status.isr.length} ([${status.isr.join(" ")}]), ` +
          `below min.insync.replicas ${config.minInsyncReplicas}: answer NOT_ENOUGH_REPLICAS(_AFTER_APPEND) instead`,
        event: lastSend(),
      });
      return;
    }
    for (const member of status.isr) {
      if (member === server) continue;
      const held = logOf(member)?.[offset];
      if (!sim.isUp(member) || (held?.value === record?.value && held?.epoch === record?.epoch)) continue;
      broken.push({
        what:
          `${server} acknowledged offset ${offset} (${record?.value}) at ${ms(sim.now)}, but ${member}, in its ISR ` +
          `[${status.isr.join(" ")}], holds ${held ? `${held.value}, epoch ${held.epoch}` : "nothing"} there: acks=all ` +
          "acknowledges a record once every ISR member has it, not once min.insync.replicas of them do",
        event: lastSend(),
      });
      return;
    }
  }

  /** every replica that is up and says it leads: its ISR members that are up agree with it below its high watermark */
  function checkAgreement(): void {
    if (broken.length > 0) return;
    for (const id of replicas) {
      const status = sim.isUp(id) ? (sim.node(id) as ReplicaNode).status() : undefined;
      if (status?.role !== "leader") continue;
      const log = logOf(id) as LogRecord[];
      for (const member of status.isr) {
        const other = member === id ? undefined : logOf(member);
        if (!other) continue;
        for (let offset = 0; offset < status.highWatermark; offset++) {
          const [a, b] = [log[offset], other[offset]];
          if (a?.value === b?.value && a?.epoch === b?.epoch) continue;
          broken.push({
            what:
              `at ${ms(sim.now)}, ${id} leads epoch ${status.leaderEpoch} with high watermark ${status.highWatermark} and ISR ` +
              `[${status.isr.join(" ")}], but at offset ${offset} it holds ${JSON.stringify(a)} and ${member} holds ${JSON.stringify(b)}: ` +
              "the logs of in-sync replicas agree below the high watermark",
            event: sim.history[sim.history.length - 1],
          });
          return;
        }
      }
    }
  }

  /** checks agreement every `everyMs` until `until` */
  const watchAgreement = (until: number, everyMs = 25) => {
    for (let t = everyMs; t <= until; t += everyMs) sim.at(t, checkAgreement);
  };

  const expectUnbroken = () => {
    const first = broken[0];
    if (first) throw first.event ? new Violation(first.what, first.event) : new Error(first.what);
  };

  const producer = () => sim.node(PRODUCER) as Producer;
  const consumer = () => sim.node(CONSUMER) as Consumer;
  const state = () => controllerOf().state();
  const describeCluster = () =>
    `controller ${JSON.stringify(state())}; ${replicas
      .map((id) => (sim.isUp(id) ? `${id} ${JSON.stringify(statusOf(id))}` : `${id} down`))
      .join("; ")}`;

  /** runs until the controller names a leader that is up and leads, with every replica back in its ISR */
  const settle = (within: number, isr = replicas.length): string => {
    const ready = () => {
      const s = state();
      return s.leader !== null && statusOf(s.leader)?.role === "leader" && (statusOf(s.leader)?.isr.length ?? 0) >= isr;
    };
    sim.runFor(within, ready);
    if (!ready())
      throw new Error(`after ${within} ms, still no leader with ${isr} replicas in its ISR: ${describeCluster()}`);
    return state().leader as string;
  };

  return {
    sim,
    broken,
    producer,
    consumer,
    state,
    statusOf,
    logOf,
    settle,
    watchAgreement,
    checkAgreement,
    expectUnbroken,
    describeCluster,
  };
}

export type Cluster = ReturnType<typeof cluster>;

/** every acknowledged record, at its offset, in the log of the leader at the end */
export function expectAcksKept(c: Cluster, leader: string): void {
  const log = c.logOf(leader) ?? [];
  for (const ack of c.producer().acks) {
    const held = log[ack.offset];
    if (held?.value === ack.value) continue;
    const what =
      `${ack.id} (${ack.value}) was acknowledged at offset ${ack.offset} at ${ms(ack.t)}, but ${leader}, the leader at the end ` +
      `(epoch ${c.state().leaderEpoch}), holds ${held ? held.value : "nothing"} there: an acknowledged record was lost. ` +
      `acks=all waits for every ISR member, so any replica a clean election can pick holds it. ${c.describeCluster()}`;
    throw ack.event ? new Violation(what, ack.event) : new Error(what);
  }
}

/** every record the consumer read, at its offset, in the leader's log at the end: nothing read was ever undone */
function expectReadsKept(c: Cluster, leader: string): void {
  const log = c.logOf(leader) ?? [];
  for (const [offset, read] of c.consumer().read) {
    const held = log[offset];
    if (held?.value === read.value) continue;
    throw new Error(
      `the consumer read ${read.value} at offset ${offset} from ${read.from} at ${ms(read.t)}, but the leader at the end, ${leader}, ` +
        `holds ${held ? held.value : "nothing"} there: it read a record that was later cut, one above the high watermark`,
    );
  }
}

/** the leader the controller names, after every leadership change in the history, was in the ISR before it */
export function expectCleanElections(sim: Simulation<IsrMessage>): void {
  let before: PartitionState | undefined;
  for (const event of sim.history) {
    if (event.kind !== "state" || event.node !== CONTROLLER) continue;
    const state = JSON.parse(event.state) as PartitionState;
    if (before && state.leader !== null && state.leader !== before.leader && !before.isr.includes(state.leader)) {
      throw new Violation(
        `the controller made ${state.leader} leader of epoch ${state.leaderEpoch}, but the ISR was [${before.isr.join(" ")}]: ` +
          "an unclean election; a replica outside the ISR may lack acknowledged records",
        event,
      );
    }
    if (before && state.leaderEpoch < before.leaderEpoch) {
      throw new Violation(`the leader epoch went back from ${before.leaderEpoch} to ${state.leaderEpoch}`, event);
    }
    if (before && state.leader !== before.leader && state.leaderEpoch === before.leaderEpoch) {
      throw new Violation(
        `the leader changed from ${before.leader} to ${state.leader} in epoch ${state.leaderEpoch}: a new leader needs a new epoch`,
        event,
      );
    }
    before = state;
  }
}

/** a stormy run: seeded loss, duplication and delay, and a fault at a time among the replicas until 3.5 s */
function stormy(run: SimRun, kata: IsrKata) {
  const c = cluster(run, kata, {
    consumer: true,
    until: 4_500,
    network: { dropRate: 0.03, duplicateRate: 0.03, delayMs: { min: 1, max: 15 } },
  });
  nemesis(c.sim, {
    from: 200,
    until: 3_500,
    everyMs: { min: 100, max: 600 },
    faults: ["partition", "one-way", "isolate", "crash", "pause"],
    nodes: replicas,
  });
  c.watchAgreement(3_500);
  c.sim.runUntil(3_500, () => c.broken.length > 0);
  return c;
}

export const followersOf = (leader: string) => replicas.filter((id) => id !== leader);
/** the sweep's safety check: a stormy run, then every acknowledged record and every record read is in the last leader's log */
export function keepsAcksAndReadsUnderFaults(run: SimRun, kata: IsrKata): void {
  const c = stormy(run, kata);
  c.expectUnbroken();
  c.sim.runUntil(6_000);
  expectCleanElections(c.sim);
  const last = c.settle(2_000);
  expectAcksKept(c, last);
  expectReadsKept(c, last);
}

/** the sweep's liveness check: a produce acknowledged within 2 s of the heal */
export function servesAfterHeal(run: SimRun, kata: IsrKata): void {
  const c = stormy(run, kata);
  c.sim.runUntil(3_500);
  const healed = c.sim.now;
  const served = c.sim.runFor(2_000, () => c.producer().acks.some((a) => a.t > healed + 100));
  if (!served)
    throw new Error(`no produce acknowledged within 2 s of the heal at ${ms(healed)}: ${c.describeCluster()}`);
}
