import { describe } from "vitest";
import {
  Controller,
  type IsrConfig,
  type IsrMessage,
  type LogRecord,
  type PartitionState,
  Replica,
  type ReplicaStatus,
} from "#kata/09-message-queues/isr-replication";
import type { NodeContext, SimNode } from "#kit";
import { type HistoryEvent, nemesis, type Simulation, Violation } from "#sim";
import { type SimRun, simTest } from "#spec";
import { expectSameHistory } from "../12-consensus-and-coordination/_raft.ts";

const replicas = ["b1", "b2", "b3"];
const CONTROLLER = "ctl";
const PRODUCER = "p";
const CONSUMER = "c";

/** the grader's settings: every check below is stated in them */
const config: IsrConfig = {
  minInsyncReplicas: 2,
  replicaLagTimeMaxMs: 200,
  fetchIntervalMs: 20,
  maxRecords: 100,
  heartbeatMs: 50,
  sessionTimeoutMs: 300,
};

const ms = (t: number) => `${t.toFixed(1)} ms`;

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
class Producer implements SimNode<IsrMessage> {
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
function cluster(run: SimRun, options: ClusterOptions = {}) {
  /** the first breach of a rule checked while the kata runs, kept (not thrown: the kata's code would get the blame) */
  const broken: { what: string; event: HistoryEvent | undefined }[] = [];
  const instances = new Map<string, Replica>();
  const controllerOf = () => sim.node(CONTROLLER) as Controller;
  const leader = () => controllerOf().state().leader;
  const sim: Simulation<IsrMessage> = run.simulation<IsrMessage>(
    {
      nodes: [
        { id: CONTROLLER, peers: replicas, create: (ctx) => new Controller(ctx, replicas, config) },
        ...replicas.map((id) => ({
          id,
          peers: replicas.filter((r) => r !== id),
          create: (ctx: NodeContext<IsrMessage>) => {
            const watched: NodeContext<IsrMessage> = {
              ...ctx,
              send: (to, message) => {
                ctx.send(to, message);
                if (message.type === "ConsumeResponse") checkRead(id, message.offset, message.records);
              },
            };
            const replica = new Replica(watched, CONTROLLER, config);
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
          ? (node as Controller).state()
          : replicas.includes(id)
            ? (node as Replica).status()
            : undefined,
    },
    { describe: describeMessage },
  );

  /** a replica's log as it is now: its live instance's, or what it had when it went down (its disk) */
  const logOf = (id: string): LogRecord[] | undefined => (sim.isUp(id) ? (sim.node(id) as Replica).log() : undefined);
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

  /** every replica that is up and says it leads: its ISR members that are up agree with it below its high watermark */
  function checkAgreement(): void {
    if (broken.length > 0) return;
    for (const id of replicas) {
      const status = sim.isUp(id) ? (sim.node(id) as Replica).status() : undefined;
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

type Cluster = ReturnType<typeof cluster>;

/** every acknowledged record, at its offset, in the log of the leader at the end */
function expectAcksKept(c: Cluster, leader: string): void {
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
function expectCleanElections(sim: Simulation<IsrMessage>): void {
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
function stormy(run: SimRun) {
  const c = cluster(run, {
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

const followersOf = (leader: string) => replicas.filter((id) => id !== leader);

describe("acks=all and min.insync.replicas", () => {
  simTest("an acknowledged record survives any clean election", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: null });
    const leader = c.settle(1_000);
    const [near, far] = followersOf(leader) as [string, string];
    // far fetches on a slow link: its copy arrives 120 ms after near's, inside replica.lag.time.max.ms
    c.sim.link(leader, far, { delayMs: { min: 120, max: 120 } });
    c.sim.runFor(300);
    const id = c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce());
    const acked = () => c.producer().outcomes.get(id ?? "")?.ack !== undefined;
    if (!c.sim.runFor(1_000, acked)) throw new Error(`${id} was not acknowledged within 1 s: ${c.describeCluster()}`);
    // the moment it is acknowledged: the leader and near go down; far is the only in-sync replica left
    c.sim.cut(leader, far);
    c.sim.crash(leader);
    c.sim.crash(near);
    c.sim.runFor(1_000, () => c.state().leader === far && c.statusOf(far)?.role === "leader");
    c.sim.restart(leader);
    c.sim.restart(near);
    c.sim.heal();
    c.sim.link(leader, far, { delayMs: { min: 1, max: 10 } });
    const last = c.settle(2_000);
    expectAcksKept(c, last);
  });

  simTest("produce is refused below min.insync.replicas, and nothing refused is appended", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: null });
    const leader = c.settle(1_000);
    for (const id of followersOf(leader)) c.sim.crash(id);
    // the leader drops both from the ISR after replica.lag.time.max.ms: an ISR of 1 < min.insync.replicas 2
    c.sim.runFor(config.replicaLagTimeMaxMs + 300);
    const before = c.statusOf(leader)?.logEndOffset ?? 0;
    const id = c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce()) as string;
    c.sim.runFor(200, () => c.producer().outcomes.get(id)?.error !== undefined);
    const outcome = c.producer().outcomes.get(id);
    if (outcome?.ack || outcome?.error !== "NOT_ENOUGH_REPLICAS") {
      throw new Error(
        `${leader} alone, its two followers down for ${config.replicaLagTimeMaxMs + 300} ms (min.insync.replicas ${config.minInsyncReplicas}), ` +
          `answered a produce with ${outcome?.ack ? `an ack at offset ${outcome.ack.offset}` : (outcome?.error ?? "nothing within 200 ms")}, ` +
          `not NOT_ENOUGH_REPLICAS: ${c.describeCluster()}`,
      );
    }
    const after = c.statusOf(leader)?.logEndOffset ?? 0;
    if (after !== before) {
      throw new Error(
        `${leader} refused the produce with NOT_ENOUGH_REPLICAS but its log end went from ${before} to ${after}: a refused record is not appended`,
      );
    }
  });

  simTest("with min.insync.replicas 2 of 3 and one replica down, produces still succeed", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: 20 });
    const leader = c.settle(1_000);
    for (const down of [followersOf(leader)[0] as string, leader]) {
      c.sim.crash(down);
      // a follower leaves the ISR after replica.lag.time.max.ms; a leader is replaced after the session timeout
      const from = c.sim.now + config.replicaLagTimeMaxMs + config.sessionTimeoutMs + 500;
      c.sim.runUntil(from);
      const served = c.sim.runFor(1_000, () => c.producer().acks.some((a) => a.t >= from));
      if (!served) {
        throw new Error(
          `${down} went down at ${ms(from - config.replicaLagTimeMaxMs - config.sessionTimeoutMs - 500)} and no produce was acknowledged ` +
            `from ${ms(from)} to ${ms(from + 1_000)}, with 2 of 3 replicas up and min.insync.replicas 2: ${c.describeCluster()}`,
        );
      }
      c.sim.restart(down);
      c.settle(2_000);
    }
  });
});

describe("the high watermark", () => {
  simTest("a consumer never reads above the high watermark", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: 30, consumer: true, until: 1_500 });
    const leader = c.settle(1_000);
    // the followers' copies arrive late: a leader that serves its log end shows records no other replica has
    for (const id of followersOf(leader)) c.sim.link(leader, id, { delayMs: { min: 60, max: 100 } });
    c.watchAgreement(2_000);
    c.sim.runUntil(2_000, () => c.broken.length > 0);
    c.expectUnbroken();
    if (c.consumer().read.size === 0) throw new Error(`the consumer read nothing in 2 s: ${c.describeCluster()}`);
  });

  simTest("serves every acknowledged record to consumers, in offset order", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: 10, consumer: true, until: 1_000 });
    c.sim.runUntil(1_800);
    const acks = c.producer().acks;
    if (acks.length < 20)
      throw new Error(`only ${acks.length} of ~100 produces acknowledged in 1 s: ${c.describeCluster()}`);
    for (const ack of acks) {
      const read = c.consumer().read.get(ack.offset);
      if (read?.value !== ack.value) {
        throw new Error(
          `${ack.id} was acknowledged at offset ${ack.offset} (${ack.value}) at ${ms(ack.t)}, but 800 ms later the consumer ` +
            `${read ? `read ${read.value} there` : "has not read it"}: the high watermark passes every acknowledged record`,
        );
      }
    }
  });
});

describe("the ISR", () => {
  simTest("a lagging follower leaves the ISR and rejoins when caught up", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: 20 });
    const leader = c.settle(1_000);
    const lagging = followersOf(leader)[1] as string;
    c.sim.cut(lagging, leader);
    c.sim.cut(leader, lagging);
    const out = () => !c.state().isr.includes(lagging) && !(c.statusOf(leader)?.isr ?? []).includes(lagging);
    if (!c.sim.runFor(config.replicaLagTimeMaxMs + 500, out)) {
      throw new Error(
        `${lagging} fetched nothing from ${leader} for ${config.replicaLagTimeMaxMs + 500} ms (replica.lag.time.max.ms ${config.replicaLagTimeMaxMs}) ` +
          `and is still in the ISR: ${c.describeCluster()}`,
      );
    }
    c.sim.heal();
    const back = () => c.state().isr.includes(lagging) && (c.statusOf(leader)?.isr ?? []).includes(lagging);
    if (!c.sim.runFor(1_500, back)) {
      throw new Error(`${lagging} is not back in the ISR 1.5 s after it could fetch again: ${c.describeCluster()}`);
    }
    c.checkAgreement();
    c.expectUnbroken();
  });

  simTest("elects only an in-sync replica: with the ISR down, the partition waits for it", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: 20 });
    const leader = c.settle(1_000);
    const [near, far] = followersOf(leader) as [string, string];
    c.sim.crash(far);
    c.sim.runFor(1_000, () => !c.state().isr.includes(far));
    c.sim.runFor(300); // records acknowledged by leader and near alone
    const acked = c.producer().acks.length;
    c.sim.crash(leader);
    c.sim.crash(near);
    c.sim.restart(far);
    c.sim.runFor(1_500);
    expectCleanElections(c.sim);
    c.sim.restart(leader);
    c.sim.restart(near);
    const last = c.settle(3_000);
    expectCleanElections(c.sim);
    if (acked === 0) throw new Error(`nothing was acknowledged with ${far} down: ${c.describeCluster()}`);
    expectAcksKept(c, last);
  });
});

describe("leader epochs", () => {
  simTest("a returning old leader truncates to the new leader's epoch", { seeds: 5 }, (run) => {
    const c = cluster(run, { produceEveryMs: null });
    const old = c.settle(1_000);
    // the old leader appends records its followers never fetch...
    for (const id of followersOf(old)) c.sim.cut(old, id);
    for (let i = 0; i < 5; i++) c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce());
    c.sim.runFor(50);
    c.sim.crash(old);
    c.sim.heal();
    // ...and the new leader writes other records at those offsets, and more
    const fresh = () => {
      const s = c.state();
      return s.leader !== null && s.leader !== old && c.statusOf(s.leader)?.role === "leader";
    };
    if (!c.sim.runFor(1_500, fresh))
      throw new Error(`no new leader 1.5 s after ${old} crashed: ${c.describeCluster()}`);
    const successor = c.state().leader as string;
    for (let i = 0; i < 10; i++) {
      c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce());
      c.sim.runFor(20);
    }
    c.sim.restart(old);
    const back = () => (c.statusOf(successor)?.isr ?? []).includes(old);
    if (!c.sim.runFor(2_000, back)) {
      throw new Error(`${old} is not back in ${successor}'s ISR 2 s after it restarted: ${c.describeCluster()}`);
    }
    c.sim.runFor(200);
    const [mine, theirs] = [c.logOf(old) ?? [], c.logOf(successor) ?? []];
    const hw = c.statusOf(successor)?.highWatermark ?? 0;
    for (let offset = 0; offset < hw; offset++) {
      if (mine[offset]?.value === theirs[offset]?.value && mine[offset]?.epoch === theirs[offset]?.epoch) continue;
      throw new Error(
        `${old} led before ${successor} and is back in its ISR, but at offset ${offset} (below the high watermark ${hw}) it holds ` +
          `${JSON.stringify(mine[offset])} and ${successor} holds ${JSON.stringify(theirs[offset])}: a returning replica cuts its log ` +
          "where the new leader's log ends for its last epoch (KIP-101) before it fetches",
      );
    }
    expectAcksKept(c, successor);
  });
});

describe("under faults", () => {
  simTest(
    "no acknowledged record is lost and no consumer reads above the high watermark, whatever the network and crashes do",
    { seeds: 20 },
    (run) => {
      const c = stormy(run);
      c.expectUnbroken();
      c.sim.runUntil(6_000);
      expectCleanElections(c.sim);
      const last = c.settle(2_000);
      expectAcksKept(c, last);
      expectReadsKept(c, last);
    },
  );

  simTest("takes produces again within 2 s once the network heals and every replica is back", { seeds: 20 }, (run) => {
    const c = stormy(run);
    c.sim.runUntil(3_500);
    const healed = c.sim.now;
    const served = c.sim.runFor(2_000, () => c.producer().acks.some((a) => a.t > healed + 100));
    if (!served)
      throw new Error(`no produce acknowledged within 2 s of the heal at ${ms(healed)}: ${c.describeCluster()}`);
  });

  simTest("replays the same history from the same seed (use ctx.random(), not Math.random)", { seeds: 2 }, (run) => {
    const once = () => {
      const c = cluster(run, { consumer: true, until: 2_000, network: { dropRate: 0.03, duplicateRate: 0.03 } });
      nemesis(c.sim, {
        from: 200,
        until: 1_500,
        everyMs: { min: 100, max: 400 },
        faults: ["crash", "partition"],
        nodes: replicas,
      });
      c.sim.runUntil(2_000);
      return c.sim.history;
    };
    expectSameHistory(run.seed, once(), once());
  });
});
