import { it } from "vitest";
import { BudgetExceeded, judgeGrowth, judgeLoad } from "../load/budgets.ts";
import type { GrowthResult, LoadResult } from "../load/harness.ts";
import type { Budgets } from "../manifest/schema.ts";
import "./meta.ts";

/**
 * A load-style test, tagged "load": the body measures learner and reference
 * in this process (compareLoad or compareGrowth); the budgets from the kata's
 * manifest judge the ratios, and the measurements go to the grade report.
 */
export function loadTest(name: string, budgets: Budgets, body: () => LoadResult | GrowthResult): void {
  it(name, { tags: ["load"] }, ({ task }) => {
    const result = body();
    task.meta.perf = result;
    const verdicts = result.kind === "load" ? judgeLoad(result, budgets) : judgeGrowth(result, budgets);
    const failed = verdicts.filter((v) => !v.ok);
    if (failed.length > 0) throw new BudgetExceeded(failed);
  });
}
