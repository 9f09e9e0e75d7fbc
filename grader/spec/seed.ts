import { inject } from "vitest";
import { deriveSeed } from "../sim/random.ts";
import { DEFAULT_SEED, type SeedRange } from "./seed-range.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** the run's base seed: `npm run grade -- --seed N` */
    seed: number;
    /** the seeds a simulation test sweeps: `--seed N` (just N) or `--seeds A..B`; null for each test's default sweep */
    seeds: SeedRange | null;
    /** where a failing simulation writes its trace: .grade/traces */
    traceDir: string;
    /** whether a spec or worksheet of the run uses the units engine: the worker loads it before lockdown */
    unitsEngine: boolean;
    /** the labs' servers this run started (grader/servers): where a lab's spec connects; null when no lab needs one */
    labServers: import("../servers/labs.ts").LabServers | null;
    /** load tests run one short round and judge no budget (the matrix's references: load/smoke.ts) */
    loadSmoke: boolean;
  }
}

export { DEFAULT_SEED, NOMINAL_SWEEP, parseSeedRange, type SeedRange } from "./seed-range.ts";

/** the range a run was given, if any */
export function seedRange(): SeedRange | undefined {
  const range = inject("seeds");
  return range && Number.isSafeInteger(range.from) && Number.isSafeInteger(range.to) ? range : undefined;
}

export function baseSeed(): number {
  const seed = inject("seed");
  return Number.isSafeInteger(seed) ? seed : DEFAULT_SEED;
}

/** a per-test seed: the same base seed and test name always give the same inputs */
export function seedFor(name: string, base = baseSeed()): number {
  return deriveSeed(base, name);
}

/**
 * A test's name without its file: what seeds its inputs. The file differs
 * between targets (the matrix wraps a spec in a file per target and run), the
 * inputs must not.
 */
export function testName(task: { fullName: string; fullTestName?: string }): string {
  return task.fullTestName ?? task.fullName.split(" > ").slice(1).join(" > ");
}
