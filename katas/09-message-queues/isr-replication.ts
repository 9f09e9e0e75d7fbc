/**
 * Kata: ISR replication with a high watermark and leader epochs (difficulty 3, two hours or more)
 * Read:  chapters/09-message-queues/README.md#deep-dive-replication
 * Grade: npm run grade -- isr-replication
 * Hint:  npm run hint -- isr-replication (one more hint each time you ask)
 * Replay a failure: npm run grade -- isr-replication --seed N (the seed the report names)
 *
 * One partition on three replicas, Kafka style, on the grader's simulator.
 * The grader runs your Controller and three Replicas with its own producer
 * (acks=all) and consumer, over a network that loses, duplicates and delays
 * messages, and crashes, pauses and cuts off replicas (never the controller).
 * It checks from outside: every acknowledged record is at its offset in the
 * final leader's log; whatever a consumer is served, every in-sync replica
 * already holds; the in-sync replicas' logs agree below the high watermark.
 * - Controller (written for you but the election): it owns the partition
 *   state { leader, leaderEpoch, isr, version }. A replica it has not heard a
 *   Heartbeat from for sessionTimeoutMs is dead. When the leader is dead it
 *   elects a new one: a clean election, from the live ISR members only, in a
 *   new leader epoch. It answers AlterIsr from the leader, if the request names
 *   the current epoch and version, and sends each change to every replica.
 * - Log: a record's offset is its index; it carries the leader epoch it was
 *   appended in. Persist records before you answer or fetch past them: a
 *   Fetch from offset o tells the leader "I hold everything below o".
 * - Leader, produce: NOT_LEADER unless you lead. While the ISR the controller
 *   confirmed is smaller than minInsyncReplicas, refuse with
 *   NOT_ENOUGH_REPLICAS and append nothing. Otherwise append and answer only
 *   when the high watermark has passed the record: error null and its offset.
 *   If the ISR has shrunk below the minimum by then, do not acknowledge:
 *   answer NOT_ENOUGH_REPLICAS_AFTER_APPEND (as Kafka does) or wait for the
 *   ISR to grow back. Never acknowledge earlier: not on your own append
 *   (acks=1), not once minInsyncReplicas replicas hold it. acks=all waits for
 *   every ISR member.
 * - Leader, high watermark: the least log end offset over the ISR (a
 *   follower's log end is the offset of its latest Fetch in this epoch;
 *   unknown counts as 0), never lower than it was. Consume answers only with
 *   records below it.
 * - Leader, ISR: a follower is caught up when its Fetch offset reaches your
 *   log end, or your log end as of its previous Fetch. Ask the controller
 *   (AlterIsr) to drop a member not caught up for replicaLagTimeMaxMs, and to
 *   add back a follower whose Fetch offset has reached the high watermark and
 *   the offset where your epoch began. Count every follower you asked to add
 *   in the high watermark at once, until the controller's next state (a later
 *   AlterIsr does not undo one it may have granted); keep counting one you
 *   asked to drop until the controller agrees (KIP-497's maximal ISR).
 * - Follower: on a new leader (and after a restart), if your log has records,
 *   ask the leader where your last record's epoch ends in its log
 *   (EpochEndRequest, KIP-101). It answers with the largest epoch it holds
 *   that is at most the one asked, and where that epoch ends (KIP-279); cut
 *   your log to the smaller of that offset and where that epoch ends in your
 *   own log, then Fetch from your log end. Never cut to your own high
 *   watermark: it lags the leader's, and a cut there loses records the leader
 *   counted as yours. Fetch every fetchIntervalMs, at once after records.
 * - Everything comes late, twice or never: ignore answers from another epoch,
 *   for another offset, or older than the state you hold.
 * - Time from ctx.now() and ctx.setTimer, chance from ctx.random() only.
 */
import { type NodeContext, type SimNode, todo } from "#kit";

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
    // TODO: if the leader is dead, make a live ISR member other than it the leader, in a new epoch,
    // with the dead leader out of the ISR; no live ISR member: leader null, a new epoch, the ISR kept
    todo("Controller.elect");
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
    // TODO: load the log from ctx.storage (what #append wrote), then start heartbeating
    todo("Replica.start");
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
    // TODO: NOT_LEADER unless you lead; NOT_ENOUGH_REPLICAS (nothing appended) while the ISR is below
    // minInsyncReplicas; else append in your epoch and keep the request until the high watermark passes it
    todo("Replica.onProduce", from, request);
  }

  #onConsume(from: string, request: Consume): void {
    // TODO: NOT_LEADER unless you lead; else the records from request.offset, all below the high watermark
    todo("Replica.onConsume", from, request);
  }

  #onFetch(from: string, request: Fetch): void {
    // TODO: FENCED unless you lead this epoch; DIVERGED past your log end; else note the follower's offset
    // and whether it is caught up, answer with records from its offset, add it back to the ISR once it
    // holds everything below the high watermark of this epoch, and advance the high watermark
    todo("Replica.onFetch", from, request);
  }

  #checkLag(): void {
    // TODO: as leader, ask the controller to drop ISR members not caught up for replicaLagTimeMaxMs
    // (and ask again if an AlterIsr got no answer); then set the "lag" timer again
    todo("Replica.checkLag");
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
    // TODO: HW = the least log end over the ISR and #adding (not yet without one you asked to drop),
    // never lower than before; answer every waiting produce below it
    todo("Replica.advanceHighWatermark");
  }

  #failPending(error: ProduceError): void {
    for (const p of this.#pending) {
      this.#ctx.send(p.client, { type: "ProduceResponse", id: p.id, error, offset: null });
    }
    this.#pending = [];
  }

  #onEpochEndRequest(from: string, request: EpochEndRequest): void {
    // TODO: as leader of request.leaderEpoch: where does request.epoch end in your log? (KIP-101, KIP-279)
    todo("Replica.onEpochEndRequest", from, request);
  }

  // ---- follower -------------------------------------------------------------------------------

  #fetch(): void {
    // TODO: as follower: if your log has records and you have not truncated for this leader, send an
    // EpochEndRequest for your last record's epoch; else a Fetch from your log end. Set the "fetch" timer
    todo("Replica.fetch");
  }

  #onEpochEndResponse(response: EpochEndResponse): void {
    // TODO: cut your log to min(response.endOffset, where response.epoch ends in your log), then fetch
    todo("Replica.onEpochEndResponse", response);
  }

  #onFetchResponse(from: string, response: FetchResponse): void {
    // TODO: take records only from your leader, in your epoch, at your log end; DIVERGED: truncate again;
    // append, follow the leader's high watermark (never past your log end), fetch again at once after records
    todo("Replica.onFetchResponse", from, response);
  }

  // ---- the log on disk ------------------------------------------------------------------------

  /** appends and persists; returns the offset of the first record appended */
  #append(records: readonly LogRecord[]): number {
    // TODO: persist each record and the new length to ctx.storage, then keep them in memory; return the first offset
    return todo("Replica.append", records);
  }

  #truncate(length: number): void {
    // TODO: cut the log (and the length on disk) to `length`; the high watermark never above the log end
    todo("Replica.truncate", length);
  }
}
