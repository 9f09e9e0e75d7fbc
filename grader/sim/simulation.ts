import type { DurableStorage, NodeContext, SimNode } from "../kit/sim.ts";
import { isNotImplemented } from "../kit/todo.ts";
import type { DropReason, HistoryEvent } from "./history.ts";
import { EventQueue } from "./queue.ts";
import { deriveSeed, type Random, random } from "./random.ts";

export interface LinkOptions {
  /** each message takes a delay drawn uniformly from [min, max] ms */
  delayMs: { min: number; max: number };
  /** the share of messages lost */
  dropRate: number;
  /** the share of messages delivered twice (the copy with a delay of its own) */
  duplicateRate: number;
  /** false: a link delivers in the order it was sent (FIFO), whatever the delays */
  reorder: boolean;
}

export interface NodeSpec<M> {
  id: string;
  create: (context: NodeContext<M>) => SimNode<M>;
  /** whom it talks to; every other node when left out */
  peers?: readonly string[];
}

export interface SimulationOptions<M> {
  seed: number;
  nodes: ReadonlyArray<NodeSpec<M>>;
  network?: Partial<LinkOptions>;
  /** each node's clock runs at a rate drawn from [1 − drift, 1 + drift] */
  clockDrift?: number;
  /** what of a node the history records after each step (when it changed), e.g. its role and term */
  observe?: (node: SimNode<M>, id: string) => unknown;
  /** a run that handles more events than this stops with an error: a timer or message loop */
  maxEvents?: number;
}

export const DEFAULT_LINK: LinkOptions = {
  delayMs: { min: 1, max: 5 },
  dropRate: 0,
  duplicateRate: 0,
  reorder: true,
};

/** the simulation itself went wrong (a node threw, a loop of events): not an invariant of the kata */
export class SimulationError extends Error {
  override readonly name = "SimulationError";
}

interface Slot<M> {
  spec: NodeSpec<M>;
  peers: readonly string[];
  instance: SimNode<M> | undefined;
  incarnation: number;
  up: boolean;
  paused: boolean;
  deferred: Pending[];
  timers: Map<string, number>;
  rate: number;
  disk: Map<string, string>;
  random: Random;
  observed: string | undefined;
}

type Pending =
  | { type: "deliver"; id: number; from: string; to: string; wire: string }
  | { type: "timer"; node: string; name: string; incarnation: number; generation: number }
  | { type: "action"; run: () => void };

const linkKey = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * A deterministic world for distributed katas: a virtual clock with an event
 * queue, a seeded network, partitions, crashes with durable storage, pauses and
 * drifting clocks. The same seed gives the same history, event for event.
 */
export class Simulation<M> {
  readonly seed: number;
  readonly history: HistoryEvent[] = [];
  readonly nodeIds: readonly string[];
  #now = 0;
  #queue = new EventQueue<Pending>();
  #slots = new Map<string, Slot<M>>();
  #network: LinkOptions;
  #links = new Map<string, LinkOptions>();
  #cut = new Set<string>();
  #lastDelivery = new Map<string, number>();
  #random: Random;
  #messages = 0;
  #timerGenerations = 0;
  #events = 0;
  #maxEvents: number;
  #observe: SimulationOptions<M>["observe"];

  constructor(options: SimulationOptions<M>) {
    this.seed = options.seed;
    this.#random = random(deriveSeed(options.seed, "network"));
    this.#network = { ...DEFAULT_LINK, ...options.network };
    this.#maxEvents = options.maxEvents ?? 2_000_000;
    this.#observe = options.observe;
    const ids = options.nodes.map((n) => n.id);
    if (new Set(ids).size !== ids.length) throw new SimulationError(`node ids must be unique: ${ids.join(", ")}`);
    this.nodeIds = ids;
    const drift = options.clockDrift ?? 0;
    const clocks = random(deriveSeed(options.seed, "clocks"));
    for (const spec of options.nodes) {
      this.#slots.set(spec.id, {
        spec,
        peers: spec.peers ?? ids.filter((id) => id !== spec.id),
        instance: undefined,
        incarnation: 0,
        up: false,
        paused: false,
        deferred: [],
        timers: new Map(),
        rate: 1 + (2 * clocks.float() - 1) * drift,
        disk: new Map(),
        random: random(deriveSeed(options.seed, `node:${spec.id}`)),
        observed: undefined,
      });
    }
    for (const id of ids) this.#boot(this.#slot(id));
  }

  /** the simulator's real time in ms */
  get now(): number {
    return this.#now;
  }

  /** the node's live instance, or undefined while it is crashed */
  node(id: string): SimNode<M> | undefined {
    return this.#slot(id).instance;
  }

  isUp(id: string): boolean {
    return this.#slot(id).up;
  }

  /** how fast the node's clock runs against real time: its own clock reads rate × now */
  clockRate(id: string): number {
    return this.#slot(id).rate;
  }

  /** what `observe` last recorded for the node (undefined while it is down) */
  observed(id: string): unknown {
    const text = this.#slot(id).observed;
    return text === undefined ? undefined : JSON.parse(text);
  }

  // ---- running --------------------------------------------------------------------------

  /** runs every event up to `time`; stops early, returning true, when `stop` holds after an event */
  runUntil(time: number, stop?: () => boolean): boolean {
    while (this.#queue.peekTime() <= time) {
      const next = this.#queue.pop();
      if (!next) break;
      this.#now = next.time;
      this.#process(next.item);
      if (stop?.()) return true;
    }
    this.#now = Math.max(this.#now, time);
    return false;
  }

  runFor(ms: number, stop?: () => boolean): boolean {
    return this.runUntil(this.#now + ms, stop);
  }

  /** runs `action` at real time `time` (a fault, a client request) */
  at(time: number, action: () => void): void {
    this.#queue.push(Math.max(time, this.#now), { type: "action", run: action });
  }

  /** calls into a live node now, as if an outside client did, and records what it sends */
  call<R>(id: string, what: string, action: (node: SimNode<M>) => R): R | undefined {
    const slot = this.#slot(id);
    const instance = slot.instance;
    if (!slot.up || slot.paused || !instance) return undefined;
    return this.#invoke(slot, what, () => action(instance));
  }

  /** a line of the spec's own in the history, e.g. a client's request and its answer */
  note(node: string, text: string): void {
    this.history.push({ t: this.#now, kind: "note", node, text });
  }

  // ---- faults ---------------------------------------------------------------------------

  /** no message crosses between groups, either way; a node in no group (a client, say) keeps every link */
  partition(groups: ReadonlyArray<readonly string[]>): void {
    const groupOf = new Map<string, number>();
    groups.forEach((group, index) => {
      for (const id of group) {
        this.#slot(id); // an unknown id is a mistake in the spec: say so
        groupOf.set(id, index);
      }
    });
    for (const [from, a] of groupOf) {
      for (const [to, b] of groupOf) if (a !== b) this.#cut.add(linkKey(from, to));
    }
    this.#fault(`partition ${groups.map((g) => `[${g.join(" ")}]`).join(" ")}`, groups.flat());
  }

  /** messages from `from` to `to` are lost; the other way still works */
  cut(from: string, to: string): void {
    this.#slot(from);
    this.#slot(to);
    this.#cut.add(linkKey(from, to));
    this.#fault(`cut ${from} -> ${to}`, [from, to]);
  }

  /** every link works again */
  heal(): void {
    this.#cut.clear();
    this.#fault("heal", []);
  }

  /** overrides the network's behaviour on one direction of one link */
  link(from: string, to: string, options: Partial<LinkOptions>): void {
    this.#links.set(linkKey(from, to), { ...this.#linkOptions(from, to), ...options });
  }

  /** sets the behaviour of every link without an override of its own */
  network(options: Partial<LinkOptions>): void {
    this.#network = { ...this.#network, ...options };
    this.#fault(`network ${JSON.stringify(options)}`, []);
  }

  /** the node stops: its memory, timers and undelivered messages are gone; its storage is kept */
  crash(id: string): void {
    const slot = this.#slot(id);
    if (!slot.up) return;
    slot.up = false;
    slot.paused = false;
    slot.deferred = [];
    slot.instance = undefined;
    slot.timers.clear();
    this.#fault(`crash ${id}`, [id]);
    if (this.#observe) {
      slot.observed = undefined;
      this.history.push({ t: this.#now, kind: "state", node: id, state: "null" });
    }
  }

  /** a crashed node boots again from its storage */
  restart(id: string): void {
    const slot = this.#slot(id);
    if (slot.up) return;
    this.#fault(`restart ${id}`, [id]);
    this.#boot(slot);
  }

  /** the node freezes (a GC pause, a stopped VM): its timers and messages wait; its clock does not */
  pause(id: string): void {
    const slot = this.#slot(id);
    if (!slot.up || slot.paused) return;
    slot.paused = true;
    this.#fault(`pause ${id}`, [id]);
  }

  resume(id: string): void {
    const slot = this.#slot(id);
    if (!slot.up || !slot.paused) return;
    slot.paused = false;
    this.#fault(`resume ${id}`, [id]);
    const waiting = slot.deferred;
    slot.deferred = [];
    for (const pending of waiting) this.#process(pending);
  }

  // ---- internals ------------------------------------------------------------------------

  #slot(id: string): Slot<M> {
    const slot = this.#slots.get(id);
    if (!slot) throw new SimulationError(`no node "${id}" in this simulation (nodes: ${this.nodeIds.join(", ")})`);
    return slot;
  }

  #fault(what: string, nodes: string[]): void {
    this.history.push({ t: this.#now, kind: "fault", what, nodes });
  }

  #linkOptions(from: string, to: string): LinkOptions {
    return this.#links.get(linkKey(from, to)) ?? this.#network;
  }

  #boot(slot: Slot<M>): void {
    slot.incarnation += 1;
    slot.up = true;
    slot.paused = false;
    slot.timers.clear();
    if (slot.incarnation > 1) slot.random = random(deriveSeed(this.seed, `node:${slot.spec.id}:${slot.incarnation}`));
    const context = this.#context(slot, slot.incarnation);
    this.history.push({ t: this.#now, kind: "start", node: slot.spec.id, incarnation: slot.incarnation });
    const instance = this.#invoke(slot, "its constructor", () => slot.spec.create(context), false);
    slot.instance = instance;
    this.#invoke(slot, "start()", () => instance.start());
  }

  #context(slot: Slot<M>, incarnation: number): NodeContext<M> {
    const live = () => slot.up && slot.incarnation === incarnation;
    const storage: DurableStorage = {
      get: <T>(key: string) => {
        const text = slot.disk.get(key);
        return text === undefined ? undefined : (JSON.parse(text) as T);
      },
      set: (key, value) => {
        if (!live()) return;
        if (value === undefined) slot.disk.delete(key);
        else slot.disk.set(key, JSON.stringify(value));
      },
    };
    return {
      id: slot.spec.id,
      peers: slot.peers,
      now: () => this.#now * slot.rate,
      send: (to, message) => {
        if (live()) this.#send(slot.spec.id, to, message);
      },
      setTimer: (name, delayMs) => {
        if (!live()) return;
        if (!(delayMs >= 0)) throw new SimulationError(`${slot.spec.id} set timer "${name}" with delay ${delayMs}`);
        const generation = ++this.#timerGenerations;
        slot.timers.set(name, generation);
        this.#queue.push(this.#now + delayMs / slot.rate, {
          type: "timer",
          node: slot.spec.id,
          name,
          incarnation,
          generation,
        });
      },
      cancelTimer: (name) => {
        if (live()) slot.timers.delete(name);
      },
      random: () => slot.random.float(),
      storage,
    };
  }

  #send(from: string, to: string, message: M): void {
    if (!this.#slots.has(to)) throw new SimulationError(`${from} sent a message to "${to}", which is not a node`);
    const wire = JSON.stringify(message);
    if (wire === undefined) throw new SimulationError(`${from} sent ${String(message)}, which is not JSON`);
    const id = ++this.#messages;
    this.history.push({ t: this.#now, kind: "send", id, from, to, message: wire });
    const link = this.#linkOptions(from, to);
    if (this.#cut.has(linkKey(from, to))) {
      this.#drop(id, from, to, wire, "partition");
      return;
    }
    if (this.#random.float() < link.dropRate) {
      this.#drop(id, from, to, wire, "loss");
      return;
    }
    this.#schedule(id, from, to, wire, link);
    if (this.#random.float() < link.duplicateRate) {
      const copy = ++this.#messages;
      this.history.push({ t: this.#now, kind: "duplicate", id, copy, from, to });
      this.#schedule(copy, from, to, wire, link);
    }
  }

  #schedule(id: number, from: string, to: string, wire: string, link: LinkOptions): void {
    const { min, max } = link.delayMs;
    let at = this.#now + min + this.#random.float() * (max - min);
    if (!link.reorder) {
      const key = linkKey(from, to);
      at = Math.max(at, this.#lastDelivery.get(key) ?? 0);
      this.#lastDelivery.set(key, at);
    }
    this.#queue.push(at, { type: "deliver", id, from, to, wire });
  }

  #drop(id: number, from: string, to: string, message: string, reason: DropReason): void {
    this.history.push({ t: this.#now, kind: "drop", id, from, to, message, reason });
  }

  #process(pending: Pending): void {
    if (++this.#events > this.#maxEvents) {
      throw new SimulationError(
        `more than ${this.#maxEvents.toLocaleString("en-US")} events by ${this.#now.toFixed(1)} ms: is a timer or a message loop firing without pause?`,
      );
    }
    if (pending.type === "action") {
      pending.run();
      return;
    }
    if (pending.type === "deliver") {
      const slot = this.#slot(pending.to);
      if (this.#cut.has(linkKey(pending.from, pending.to))) {
        this.#drop(pending.id, pending.from, pending.to, pending.wire, "partition");
        return;
      }
      if (!slot.up || !slot.instance) {
        this.#drop(pending.id, pending.from, pending.to, pending.wire, "down");
        return;
      }
      if (slot.paused) {
        slot.deferred.push(pending);
        return;
      }
      this.history.push({
        t: this.#now,
        kind: "deliver",
        id: pending.id,
        from: pending.from,
        to: pending.to,
        message: pending.wire,
      });
      const instance = slot.instance;
      const message = JSON.parse(pending.wire) as M;
      this.#invoke(slot, `receive() of #${pending.id} from ${pending.from}`, () =>
        instance.receive(pending.from, message),
      );
      return;
    }
    const slot = this.#slot(pending.node);
    if (!slot.up || slot.incarnation !== pending.incarnation || slot.timers.get(pending.name) !== pending.generation) {
      return;
    }
    if (slot.paused) {
      slot.deferred.push(pending);
      return;
    }
    slot.timers.delete(pending.name);
    this.history.push({ t: this.#now, kind: "timer", node: pending.node, name: pending.name });
    const instance = slot.instance;
    if (instance) this.#invoke(slot, `timer("${pending.name}")`, () => instance.timer(pending.name));
  }

  #invoke<R>(slot: Slot<M>, what: string, action: () => R, observe = true): R {
    let result: R;
    try {
      result = action();
    } catch (error) {
      if (isNotImplemented(error) || error instanceof SimulationError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new SimulationError(
        `${slot.spec.id} threw in ${what} at ${this.#now.toFixed(3)} ms (seed ${this.seed}): ${message}`,
        { cause: error },
      );
    }
    if (observe) this.#record(slot);
    return result;
  }

  #record(slot: Slot<M>): void {
    if (!this.#observe || !slot.instance) return;
    const state = JSON.stringify(this.#observe(slot.instance, slot.spec.id));
    if (state === slot.observed) return;
    slot.observed = state;
    this.history.push({ t: this.#now, kind: "state", node: slot.spec.id, state });
  }
}
