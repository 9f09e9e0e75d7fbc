import { inject, it } from "vitest";
import { BudgetExceeded, judgeGrowth, judgeLoad } from "../load/budgets.ts";
import { type AnswersResult, type GrowthResult, type LoadResult, setThroughputBudget } from "../load/harness.ts";
import { setLoadSmoke } from "../load/smoke.ts";
import type { Budgets } from "../manifest/schema.ts";
import "./meta.ts";

/**
 * A load-style test, tagged "load": the body measures learner and reference
 * in this process (compareLoad or compareGrowth); the budgets from the kata's
 * manifest judge the ratios, and the measurements go to the grade report.
 */
export function loadTest(
  name: string,
  budgets: Budgets,
  body: () => LoadResult | GrowthResult | Promise<LoadResult | GrowthResult>,
): void {
  it(name, { tags: ["load"] }, async ({ task }) => {
    // the matrix's references: one short round, answers checked, no budget judged (load/smoke.ts)
    const smoke = inject("loadSmoke") === true;
    setLoadSmoke(smoke);
    setThroughputBudget(budgets.throughput?.min);
    const result = await Promise.resolve()
      .then(body)
      .finally(() => {
        setLoadSmoke(false);
        setThroughputBudget(undefined);
      });
    task.meta.perf = result;
    if (smoke) {
      if (result.answers && !result.answers.ok) throw new AnswersDiffer(result.answers);
      return;
    }
    const verdicts = result.kind === "load" ? judgeLoad(result, budgets) : judgeGrowth(result, budgets);
    if (result.answers && !result.answers.ok) throw new AnswersDiffer(result.answers);
    const failed = verdicts.filter((v) => !v.ok);
    if (failed.length > 0) throw new BudgetExceeded(failed);
  });
}

/** the learner's answers under load are not the reference's for the same calls */
export class AnswersDiffer extends Error {
  override readonly name = "AnswersDiffer";
  constructor(readonly answers: AnswersResult) {
    const percent = Number((answers.tolerance * 100).toPrecision(2));
    const bound =
      answers.tolerance > 0 ? `within ${percent.toLocaleString("en-US", { maximumSignificantDigits: 2 })}%` : "exactly";
    super(
      `under load your code answered differently from the reference on the same calls: ${answers.what} ` +
        `came to ${answers.learner.toLocaleString("en-US")} in a round of ${answers.round}, the reference's to ` +
        `${answers.reference.toLocaleString("en-US")} (they must agree ${bound}). The behaviour tests check the ` +
        "same rules on fewer calls: look for a shortcut taken when calls come many or fast.",
    );
  }
}
