import type { GrowthResult, LoadResult } from "../load/harness.ts";
import type { DesignReview } from "../run/outcome.ts";
import type { WorksheetResult } from "../worksheet/grade.ts";

export type PerfRecord = LoadResult | GrowthResult;

declare module "@vitest/runner" {
  export interface TaskMeta {
    /** the run's base seed, on every test that drew random inputs */
    seed?: number;
    /** measurements of a load test, learner and reference from the same run */
    perf?: PerfRecord;
    /** a worksheet graded in a worker: every answer's verdict */
    worksheet?: WorksheetResult;
    /** a design problem's design, drawn (mermaid), once it holds together */
    diagram?: string;
    /** a design problem's review: the requirement table, the worst problems, each flow's steps */
    review?: DesignReview;
  }
}
