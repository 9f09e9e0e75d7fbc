/**
 * Kafka-style replication of one partition: a controller that elects leaders
 * from the ISR, and replicas (leader or follower) that keep the ISR, the high
 * watermark, acks=all with min.insync.replicas, and leader-epoch truncation.
 */
import type { NodeContext, SimNode } from "#kit";

/** one record of the log; its offset is its index. `epoch` is the leader epoch it was appended in */
export interface LogRecord {
  epoch: number;
  value: string;
}

/** what the controller decided for the partition; `version` grows with every change */
export interface PartitionState {
  /** null while no in-sync replica is alive: the partition is offline */
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  version: number;
}

// ---- clients ---------------------------------------------------------------------------------

export interface Produce {
  type: "Produce";
  /** the client's id for this request, echoed in the response */
  id: string;
  value: string;
}

export type ProduceError = "NOT_LEADER" | "NOT_ENOUGH_REPLICAS" | "NOT_ENOUGH_REPLICAS_AFTER_APPEND";

export interface ProduceResponse {
  type: "ProduceResponse";
  id: string;
  /** null: acknowledged, at `offset` */
  error: ProduceError | null;
  offset: number | null;
}

export interface Consume {
  type: "Consume";
  offset: number;
  max: number;
}

export interface ConsumeResponse {
  type: "ConsumeResponse";
  offset: number;
  error: "NOT_LEADER" | null;
  /** the records from `offset` on, all below the high watermark */
  records: LogRecord[];
  highWatermark: number;
}

// ---- controller ------------------------------------------------------------------------------

/** a replica's "I am alive", every heartbeatMs */
export interface Heartbeat {
  type: "Heartbeat";
}

/** the controller's decision, sent on every change and in answer to each heartbeat */
export interface LeaderAndIsr {
  type: "LeaderAndIsr";
  state: PartitionState;
}

/** the leader asks the controller to change the ISR; valid only against the state it names */
export interface AlterIsr {
  type: "AlterIsr";
  leaderEpoch: number;
  version: number;
  isr: string[];
}

// ---- replicas --------------------------------------------------------------------------------

/** a follower asks for records from `offset`, its log end offset */
export interface Fetch {
  type: "Fetch";
  leaderEpoch: number;
  offset: number;
}

export interface FetchResponse {
  type: "FetchResponse";
  leaderEpoch: number;
  offset: number;
  /** "DIVERGED": the follower's offset is past the leader's log: ask for the epoch's end again */
  error: "FENCED" | "DIVERGED" | null;
  records: LogRecord[];
  highWatermark: number;
}

/** KIP-101: where does `epoch` end in your log? */
export interface EpochEndRequest {
  type: "EpochEndRequest";
  leaderEpoch: number;
  epoch: number;
}

/** KIP-279: `epoch` is the largest epoch ≤ the one asked that the leader holds; `endOffset` where it ends */
export interface EpochEndResponse {
  type: "EpochEndResponse";
  leaderEpoch: number;
  epoch: number;
  endOffset: number;
}

export type IsrMessage =
  | Produce
  | ProduceResponse
  | Consume
  | ConsumeResponse
  | Heartbeat
  | LeaderAndIsr
  | AlterIsr
  | Fetch
  | FetchResponse
  | EpochEndRequest
  | EpochEndResponse;

export interface IsrConfig {
  /** acks=all writes need an ISR at least this large */
  minInsyncReplicas: number;
  /** a follower not caught up for longer than this leaves the ISR */
  replicaLagTimeMaxMs: number;
  /** how often a follower fetches when it has nothing new (it fetches again at once after records) */
  fetchIntervalMs: number;
  /** the most records one fetch or consume response carries */
  maxRecords: number;
  /** replicas send a Heartbeat to the controller this often */
  heartbeatMs: number;
  /** the controller counts a replica dead after this long without a heartbeat */
  sessionTimeoutMs: number;
}

export const DEFAULT_CONFIG: IsrConfig = {
  minInsyncReplicas: 2,
  replicaLagTimeMaxMs: 200,
  fetchIntervalMs: 20,
  maxRecords: 100,
  heartbeatMs: 50,
  sessionTimeoutMs: 300,
};

export type Role = "leader" | "follower" | "none";

export interface ReplicaStatus {
  role: Role;
  /** the leader epoch this replica is in (0 before it has heard from the controller) */
  leaderEpoch: number;
  logEndOffset: number;
  highWatermark: number;
  /** on the leader, the ISR the controller has confirmed; [] elsewhere */
  isr: string[];
}

// ---------------------------------------------------------------------------------------------

/**
 * The controller: the one node that elects leaders and keeps the ISR. It is
 * trusted (the grader never crashes it), as a KRaft quorum would be.
 */
export class Controller implements SimNode<IsrMessage> {
  readonly #ctx: NodeContext<IsrMessage>;
  readonly #replicas: readonly string[];
  readonly #config: IsrConfig;
  #state: PartitionState;
  #lastSeen = new Map<string, number>();

  constructor(ctx: NodeContext<IsrMessage>, replicas: readonly string[], config: IsrConfig = DEFAULT_CONFIG) {
    this.#ctx = ctx;
    this.#replicas = replicas;
    this.#config = config;
    this.#state = { leader: replicas[0] ?? null, leaderEpoch: 1, isr: [...replicas], version: 1 };
  }

  state(): PartitionState {
    return { ...this.#state, isr: [...this.#state.isr] };
  }

  start(): void {
    this.#state = this.#ctx.storage.get<PartitionState>("state") ?? this.#state;
    // every replica gets one session to say it is alive
    for (const id of this.#replicas) this.#lastSeen.set(id, this.#ctx.now());
    this.#ctx.setTimer("check", this.#config.heartbeatMs);
  }

  receive(from: string, message: IsrMessage): void {
    if (message.type === "Heartbeat") {
      this.#lastSeen.set(from, this.#ctx.now());
      if (this.#state.leader === null) this.#elect();
      this.#ctx.send(from, { type: "LeaderAndIsr", state: this.state() });
    } else if (message.type === "AlterIsr") {
      const s = this.#state;
      const valid =
        from === s.leader &&
        message.leaderEpoch === s.leaderEpoch &&
        message.version === s.version &&
        message.isr.includes(from);
      if (valid) this.#change({ ...s, isr: [...message.isr] });
      else this.#ctx.send(from, { type: "LeaderAndIsr", state: this.state() });
    }
  }

  timer(name: string): void {
    if (name !== "check") return;
    const leader = this.#state.leader;
    if (leader === null || !this.#alive(leader)) this.#elect();
    this.#ctx.setTimer("check", this.#config.heartbeatMs);
  }

  #alive(id: string): boolean {
    return this.#ctx.now() - (this.#lastSeen.get(id) ?? Number.NEGATIVE_INFINITY) <= this.#config.sessionTimeoutMs;
  }

  /** a clean election: only an ISR member may lead, so it holds every acknowledged record */
  #elect(): void {
    const s = this.#state;
    const next = s.isr.find((id) => id !== s.leader && this.#alive(id));
    if (next !== undefined) {
      const isr = s.isr.filter((id) => id !== s.leader);
      this.#change({ ...s, leader: next, leaderEpoch: s.leaderEpoch + 1, isr });
    } else if (s.leader !== null && !this.#alive(s.leader)) {
      // no live ISR member: offline, with the ISR kept, until one of them returns
      this.#change({ ...s, leader: null, leaderEpoch: s.leaderEpoch + 1 });
    }
  }

  #change(state: Omit<PartitionState, "version">): void {
    this.#state = { ...state, version: this.#state.version + 1 };
    this.#ctx.storage.set("state", this.#state);
    for (const id of this.#replicas) this.#ctx.send(id, { type: "LeaderAndIsr", state: this.state() });
  }
}

// ---------------------------------------------------------------------------------------------

interface PendingProduce {
  client: string;
  id: string;
  offset: number;
}

interface FollowerProgress {
  /** the follower's log end offset, from its last fetch in this epoch; -1 until it fetches */
  logEndOffset: number;
  lastCaughtUpAt: number;
  /** the leader's log end offset when this follower last fetched */
  leaderEndAtLastFetch: number;
}

/** a replica of the partition: the leader or a follower, as the controller decides */
export class Replica implements SimNode<IsrMessage> {
  readonly #ctx: NodeContext<IsrMessage>;
  readonly #controller: string;
  readonly #config: IsrConfig;
  #log: LogRecord[] = [];
  #hw = 0;
  #state: PartitionState | null = null;
  #role: Role = "none";
  // leader
  #pending: PendingProduce[] = [];
  #progress = new Map<string, FollowerProgress>();
  #alterSent: { isr: string[]; at: number } | null = null;
  /** followers we asked to add since the last state: the controller may have added them already */
  #adding = new Set<string>();
  #epochStart = 0;
  // follower
  #truncated = false;

  constructor(ctx: NodeContext<IsrMessage>, controller: string, config: IsrConfig = DEFAULT_CONFIG) {
    this.#ctx = ctx;
    this.#controller = controller;
    this.#config = config;
  }

  status(): ReplicaStatus {
    return {
      role: this.#role,
      leaderEpoch: this.#state?.leaderEpoch ?? 0,
      logEndOffset: this.#log.length,
      highWatermark: this.#hw,
      isr: this.#role === "leader" && this.#state ? [...this.#state.isr] : [],
    };
  }

  log(): LogRecord[] {
    return this.#log.map((r) => ({ ...r }));
  }

  start(): void {
    const length = this.#ctx.storage.get<number>("length") ?? 0;
    for (let offset = 0; offset < length; offset++) {
      this.#log.push(this.#ctx.storage.get<LogRecord>(`record:${offset}`) as LogRecord);
    }
    this.#heartbeat();
  }

  receive(from: string, message: IsrMessage): void {
    if (message.type === "LeaderAndIsr") this.#onState(message.state);
    else if (message.type === "Produce") this.#onProduce(from, message);
    else if (message.type === "Consume") this.#onConsume(from, message);
    else if (message.type === "Fetch") this.#onFetch(from, message);
    else if (message.type === "FetchResponse") this.#onFetchResponse(from, message);
    else if (message.type === "EpochEndRequest") this.#onEpochEndRequest(from, message);
    else if (message.type === "EpochEndResponse") this.#onEpochEndResponse(message);
  }

  timer(name: string): void {
    if (name === "heartbeat") this.#heartbeat();
    else if (name === "fetch") this.#fetch();
    else if (name === "lag") this.#checkLag();
  }

  #heartbeat(): void {
    this.#ctx.send(this.#controller, { type: "Heartbeat" });
    this.#ctx.setTimer("heartbeat", this.#config.heartbeatMs);
  }

  // ---- the controller's decisions ------------------------------------------------------------

  #onState(state: PartitionState): void {
    if (this.#state && state.version <= this.#state.version) return;
    const before = this.#state;
    this.#state = state;
    const me = this.#ctx.id;
    if (before && before.leaderEpoch === state.leaderEpoch && this.#role !== "none") {
      // the same leadership, a new ISR
      if (this.#role === "leader") {
        this.#alterSent = null;
        this.#adding.clear();
        this.#advanceHighWatermark();
      }
      return;
    }
    this.#failPending("NOT_LEADER");
    if (state.leader === me) this.#becomeLeader();
    else if (state.leader !== null) this.#becomeFollower();
    else this.#role = "none";
  }

  #becomeLeader(): void {
    this.#role = "leader";
    this.#epochStart = this.#log.length;
    this.#alterSent = null;
    this.#adding.clear();
    this.#progress.clear();
    const now = this.#ctx.now();
    for (const peer of this.#ctx.peers) {
      this.#progress.set(peer, { logEndOffset: -1, lastCaughtUpAt: now, leaderEndAtLastFetch: this.#log.length });
    }
    this.#ctx.cancelTimer("fetch");
    this.#ctx.setTimer("lag", this.#config.replicaLagTimeMaxMs / 4);
  }

  #becomeFollower(): void {
    this.#role = "follower";
    this.#ctx.cancelTimer("lag");
    this.#truncated = false;
    this.#fetch();
  }

  // ---- leader ---------------------------------------------------------------------------------

  #onProduce(from: string, request: Produce): void {
    const reply = (error: ProduceError | null, offset: number | null) =>
      this.#ctx.send(from, { type: "ProduceResponse", id: request.id, error, offset });
    if (this.#role !== "leader" || !this.#state) {
      reply("NOT_LEADER", null);
      return;
    }
    if (this.#state.isr.length < this.#config.minInsyncReplicas) {
      reply("NOT_ENOUGH_REPLICAS", null);
      return;
    }
    const offset = this.#append([{ epoch: this.#state.leaderEpoch, value: request.value }]);
    this.#pending.push({ client: from, id: request.id, offset });
    this.#advanceHighWatermark();
  }

  #onConsume(from: string, request: Consume): void {
    if (this.#role !== "leader") {
      this.#ctx.send(from, {
        type: "ConsumeResponse",
        offset: request.offset,
        error: "NOT_LEADER",
        records: [],
        highWatermark: this.#hw,
      });
      return;
    }
    const end = Math.min(this.#hw, request.offset + request.max, request.offset + this.#config.maxRecords);
    this.#ctx.send(from, {
      type: "ConsumeResponse",
      offset: request.offset,
      error: null,
      records: this.#log.slice(request.offset, Math.max(request.offset, end)),
      highWatermark: this.#hw,
    });
  }

  #onFetch(from: string, request: Fetch): void {
    const state = this.#state;
    const progress = this.#progress.get(from);
    const answer = (error: FetchResponse["error"], records: LogRecord[] = []) =>
      this.#ctx.send(from, {
        type: "FetchResponse",
        leaderEpoch: request.leaderEpoch,
        offset: request.offset,
        error,
        records,
        highWatermark: this.#hw,
      });
    if (this.#role !== "leader" || !state || request.leaderEpoch !== state.leaderEpoch || !progress) {
      answer("FENCED");
      return;
    }
    if (request.offset > this.#log.length) {
      answer("DIVERGED");
      return;
    }
    // caught up: it had all we had, now or when it last fetched (a steady stream never lets it be level)
    const now = this.#ctx.now();
    if (request.offset >= this.#log.length || request.offset >= progress.leaderEndAtLastFetch) {
      progress.lastCaughtUpAt = now;
    }
    progress.leaderEndAtLastFetch = this.#log.length;
    progress.logEndOffset = Math.max(progress.logEndOffset, request.offset);
    answer(null, this.#log.slice(request.offset, request.offset + this.#config.maxRecords));
    // back in the ISR once it holds everything below the high watermark, in this epoch's log
    if (!state.isr.includes(from) && request.offset >= this.#hw && request.offset >= this.#epochStart) {
      this.#alterIsr([...state.isr, from]);
    }
    this.#advanceHighWatermark();
  }

  #checkLag(): void {
    if (this.#role !== "leader" || !this.#state) return;
    const now = this.#ctx.now();
    const lagging = this.#state.isr.filter((id) => {
      const progress = this.#progress.get(id);
      return progress !== undefined && now - progress.lastCaughtUpAt > this.#config.replicaLagTimeMaxMs;
    });
    if (lagging.length > 0) this.#alterIsr(this.#state.isr.filter((id) => !lagging.includes(id)));
    else if (this.#alterSent && now - this.#alterSent.at > this.#config.replicaLagTimeMaxMs) {
      this.#alterIsr(this.#alterSent.isr); // lost on the way: ask again
    }
    this.#ctx.setTimer("lag", this.#config.replicaLagTimeMaxMs / 4);
  }

  #alterIsr(isr: string[]): void {
    const state = this.#state;
    if (!state) return;
    if (this.#alterSent && this.#ctx.now() - this.#alterSent.at <= this.#config.replicaLagTimeMaxMs) return;
    this.#alterSent = { isr, at: this.#ctx.now() };
    for (const id of isr) if (!state.isr.includes(id)) this.#adding.add(id);
    this.#ctx.send(this.#controller, { type: "AlterIsr", leaderEpoch: state.leaderEpoch, version: state.version, isr });
  }

  /**
   * HW = the least log end offset over the ISR, counting a follower we asked
   * to add (KIP-497's maximal ISR) but a removal only once the controller agrees.
   */
  #advanceHighWatermark(): void {
    const state = this.#state;
    if (this.#role !== "leader" || !state) return;
    const members = new Set([...state.isr, ...this.#adding]);
    let hw = this.#log.length;
    for (const id of members) {
      if (id === this.#ctx.id) continue;
      hw = Math.min(hw, this.#progress.get(id)?.logEndOffset ?? 0);
    }
    this.#hw = Math.max(this.#hw, hw);
    const enough = state.isr.length >= this.#config.minInsyncReplicas;
    const still: PendingProduce[] = [];
    for (const p of this.#pending) {
      if (p.offset >= this.#hw) still.push(p);
      else
        this.#ctx.send(p.client, {
          type: "ProduceResponse",
          id: p.id,
          error: enough ? null : "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
          offset: enough ? p.offset : null,
        });
    }
    this.#pending = still;
  }

  #failPending(error: ProduceError): void {
    for (const p of this.#pending) {
      this.#ctx.send(p.client, { type: "ProduceResponse", id: p.id, error, offset: null });
    }
    this.#pending = [];
  }

  #onEpochEndRequest(from: string, request: EpochEndRequest): void {
    if (this.#role !== "leader" || !this.#state || request.leaderEpoch !== this.#state.leaderEpoch) return;
    // where the asked epoch ends: the first record of a later epoch, or our end
    let endOffset = this.#log.findIndex((r) => r.epoch > request.epoch);
    if (endOffset < 0) endOffset = this.#log.length;
    const epoch = endOffset === 0 ? 0 : (this.#log[endOffset - 1] as LogRecord).epoch;
    this.#ctx.send(from, { type: "EpochEndResponse", leaderEpoch: request.leaderEpoch, epoch, endOffset });
  }

  // ---- follower -------------------------------------------------------------------------------

  #fetch(): void {
    const state = this.#state;
    if (this.#role !== "follower" || !state || state.leader === null) return;
    const last = this.#log[this.#log.length - 1];
    if (!this.#truncated && last) {
      this.#ctx.send(state.leader, { type: "EpochEndRequest", leaderEpoch: state.leaderEpoch, epoch: last.epoch });
    } else {
      this.#truncated = true;
      this.#ctx.send(state.leader, { type: "Fetch", leaderEpoch: state.leaderEpoch, offset: this.#log.length });
    }
    this.#ctx.setTimer("fetch", this.#config.fetchIntervalMs);
  }

  #onEpochEndResponse(response: EpochEndResponse): void {
    if (this.#role !== "follower" || this.#truncated || response.leaderEpoch !== this.#state?.leaderEpoch) return;
    // KIP-279: the leader may not know our last epoch; cut where its answer's epoch ends in our log too
    let ownEnd = this.#log.findIndex((r) => r.epoch > response.epoch);
    if (ownEnd < 0) ownEnd = this.#log.length;
    this.#truncate(Math.min(response.endOffset, ownEnd));
    this.#truncated = true;
    this.#fetch();
  }

  #onFetchResponse(from: string, response: FetchResponse): void {
    const state = this.#state;
    if (this.#role !== "follower" || !state || from !== state.leader) return;
    if (response.leaderEpoch !== state.leaderEpoch || response.offset !== this.#log.length || !this.#truncated) return;
    if (response.error === "DIVERGED") {
      this.#truncated = false;
      return;
    }
    if (response.error !== null) return;
    this.#append(response.records);
    this.#hw = Math.max(this.#hw, Math.min(response.highWatermark, this.#log.length));
    if (response.records.length > 0) this.#fetch();
  }

  // ---- the log on disk ------------------------------------------------------------------------

  /** appends and persists; returns the offset of the first record appended */
  #append(records: readonly LogRecord[]): number {
    const first = this.#log.length;
    records.forEach((record, i) => {
      this.#ctx.storage.set(`record:${first + i}`, record);
      this.#log.push({ epoch: record.epoch, value: record.value });
    });
    this.#ctx.storage.set("length", this.#log.length);
    return first;
  }

  #truncate(length: number): void {
    if (length >= this.#log.length) return;
    this.#log.length = length;
    this.#ctx.storage.set("length", length);
    this.#hw = Math.min(this.#hw, length);
  }
}
