import type { LoadResult } from "../load/harness.ts";

/** one structure of ours against the best-known npm library for the same job, on one workload */
export interface Comparison {
  /** the workload, in a few words */
  name: string;
  /** our structure: the reference solution it comes from */
  ours: string;
  /** the npm package it is measured against: a devDependency used only here */
  library: string;
  /** ours ÷ library in ops/s that counts as on target */
  target: number;
  /**
   * Runs both on the identical seeded workload in this process, interleaved
   * after warm-up (compareLoad, with ours as "learner" and the library as
   * "reference"), and says what each computed, so a fast wrong answer shows.
   */
  measure(): Measured;
}

export interface Measured {
  result: LoadResult;
  /** one line each on what ours and the library computed, e.g. the hit rate */
  ours: string;
  library: string;
}
