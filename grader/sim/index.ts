// the simulator for distributed katas, imported by specs as "#sim"
export type { DropReason, HistoryEvent } from "./history.ts";
export {
  formatEvent,
  formatHistory,
  partingEvents,
  Violation,
  violationEvents,
  whereHistoriesPart,
} from "./history.ts";
export {
  checkKv,
  checkLinearizable,
  DEFAULT_MAX_STEPS,
  describeOperation,
  type KvInput,
  type KvOutput,
  type Model,
  type Operation,
  type Verdict,
} from "./linearizability.ts";
export { type FaultKind, type NemesisOptions, nemesis } from "./nemesis.ts";
export { deriveSeed, type Random, random, zipf } from "./random.ts";
export {
  DEFAULT_LINK,
  type LinkOptions,
  type NodeSpec,
  Simulation,
  SimulationError,
  type SimulationOptions,
} from "./simulation.ts";
export { type TraceMark, type TraceOptions, toMermaid, writeTrace } from "./trace.ts";
