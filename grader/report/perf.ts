import { formatRatio, judgeGrowth, judgeLoad, type Verdict } from "../load/budgets.ts";
import type { Budgets } from "../manifest/schema.ts";
import type { SpecOutcome } from "../run/outcome.ts";
import { paint, table } from "./text.ts";

/** every budget verdict of a spec's load tests, with the test that measured it */
export function perfVerdicts(outcome: SpecOutcome, budgets: Budgets): Array<{ test: string; verdicts: Verdict[] }> {
  return outcome.tests
    .filter((t) => t.perf)
    .map((t) => {
      const perf = t.perf;
      const verdicts = perf ? (perf.kind === "load" ? judgeLoad(perf, budgets) : judgeGrowth(perf, budgets)) : [];
      return { test: t.name, verdicts };
    })
    .filter((entry) => entry.verdicts.length > 0);
}

/** the learner's throughput as a ratio to the reference's, from the first load test that measured it */
export function throughputRatio(outcome: SpecOutcome): number | undefined {
  for (const test of outcome.tests) if (test.perf?.kind === "load") return test.perf.ratios.throughput;
  return undefined;
}

export function renderPerfTable(outcome: SpecOutcome, budgets: Budgets, who: string): string[] {
  const measured = perfVerdicts(outcome, budgets);
  if (measured.length === 0) return [];
  const rows: string[][] = [["", "metric", who, "reference", "ratio", "budget"].map((h) => paint.dim(h))];
  // the name of the test that measured them goes above each group of rows
  const titles = new Map<number, string>();
  for (const { test, verdicts } of measured) {
    titles.set(rows.length, paint.dim(test));
    for (const v of verdicts) {
      rows.push([
        v.ok ? paint.green("✓") : paint.red("✗"),
        v.budget,
        v.learner,
        v.reference,
        v.ok ? formatRatio(v.ratio) : paint.red(formatRatio(v.ratio)),
        v.limit,
      ]);
    }
  }
  return table(rows, [4]).flatMap((line, index) => {
    const title = titles.get(index);
    return title ? [title, line] : [line];
  });
}
