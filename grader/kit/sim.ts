/**
 * What a node in the simulator sees of the world. Distributed katas are
 * written as message and timer handlers against this interface; the grader's
 * simulator (grader/sim) runs them on a virtual clock over a seeded network
 * that drops, delays, duplicates and reorders, so any run replays from its seed.
 */
export interface NodeContext<M> {
  /** this node's id, e.g. "n1" */
  readonly id: string;
  /** the other nodes this node talks to */
  readonly peers: readonly string[];
  /** this node's own clock in ms: it may drift from the others' */
  now(): number;
  /** send a message; it travels as JSON and may be delayed, dropped, duplicated or reordered */
  send(to: string, message: M): void;
  /** call `timer(name)` after `delayMs` of this node's clock; setting a name again replaces it */
  setTimer(name: string, delayMs: number): void;
  cancelTimer(name: string): void;
  /** a float in [0, 1) from this node's seeded generator: use it instead of Math.random */
  random(): number;
  /** survives a crash: everything else a node holds is lost when it crashes */
  readonly storage: DurableStorage;
}

/** a node's disk: values are stored as JSON, so what you get back is a copy */
export interface DurableStorage {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** a node: the simulator calls these, one at a time, never two at once */
export interface SimNode<M> {
  /** the node has booted (first start or after a crash): read storage, set timers */
  start(): void;
  receive(from: string, message: M): void;
  timer(name: string): void;
}
