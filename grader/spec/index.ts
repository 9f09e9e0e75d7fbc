// helpers for specs under grader/specs, imported as "#spec"
export { ManualClock } from "../kit/clock.ts";
export { type ConcurrentOptions, compareConcurrent } from "../load/concurrent.ts";
export { type AnswersCheck, compareGrowth, compareLoad } from "../load/harness.ts";
export { expectThrows } from "./expect.ts";
export { flush } from "./flush.ts";
export { kataOf } from "./kata.ts";
export { loadTest } from "./load.ts";
export { asyncProp, PropertyFailure, prop } from "./prop.ts";
export { type Random, random, randomFor, zipf } from "./random.ts";
export { baseSeed, seedFor, seedRange, testName } from "./seed.ts";
export { type SimRun, type Sweep, simTest } from "./sim.ts";
