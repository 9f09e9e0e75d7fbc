// npm run grade: the learner's katas and worksheets, the reference measured in the same run
import { Command } from "commander";
import { type Chapter, loadChapters, ManifestError } from "../manifest/load.ts";
import { renderKata } from "../report/kata.ts";
import { renderOverview } from "../report/overview.ts";
import { throughputRatio } from "../report/perf.ts";
import { escapeRegExp, paint } from "../report/text.ts";
import { renderWorksheet, worksheetDone } from "../report/worksheet.ts";
import type { SpecOutcome } from "../run/outcome.ts";
import { runSpecs } from "../run/run-specs.ts";
import { counts, kataStatus } from "../run/status.ts";
import { LEARNER, REFERENCE } from "../run/targets.ts";
import { DEFAULT_SEED } from "../spec/seed.ts";
import { recordProgress } from "../state/progress.ts";
import { ReferenceAnswerError, type WorksheetResult } from "../worksheet/grade.ts";
import { gradeChapterWorksheet } from "../worksheet/run.ts";
import { parseSeed, projectRoot, select, UnknownSelector } from "./common.ts";

interface GradeOptions {
  reference?: boolean;
  strict?: boolean;
  seed: number;
  test?: string;
  verbose?: boolean;
}

function saveProgress(root: string, outcomes: SpecOutcome[], worksheets: Map<string, WorksheetResult>, seed: number) {
  const gradedAt = new Date().toISOString();
  const katas = Object.fromEntries(
    outcomes.map((outcome) => {
      const { passed, failed, todo } = counts(outcome);
      const ratio = throughputRatio(outcome);
      return [
        outcome.kataId,
        {
          status: kataStatus(outcome),
          passed,
          total: passed + failed + todo,
          seed,
          gradedAt,
          ...(ratio === undefined ? {} : { throughputRatio: ratio }),
        },
      ];
    }),
  );
  const sheets = Object.fromEntries(
    [...worksheets].map(([slug, result]) => [
      slug,
      {
        correct: result.correct,
        answered: result.answered,
        total: result.total,
        questions: Object.fromEntries(result.questions.map((q) => [q.id, q.status])),
        gradedAt,
      },
    ]),
  );
  recordProgress(root, { katas, worksheets: sheets });
}

const RULE = `\n\n${paint.dim("─".repeat(60))}\n\n`;

async function gradeWorksheets(root: string, chapters: Chapter[], reference: boolean) {
  const results = new Map<string, WorksheetResult>();
  for (const chapter of chapters) {
    const result = await gradeChapterWorksheet(root, chapter, reference);
    if (result) results.set(chapter.slug, result);
  }
  return results;
}

async function grade(selectors: string[], options: GradeOptions): Promise<number> {
  const root = projectRoot();
  const started = performance.now();
  const chapters = await loadChapters(root);
  const selected = select(chapters, selectors);
  const target = options.reference ? REFERENCE : LEARNER;
  const { outcomes, unhandled } = selected.katas.length
    ? await runSpecs({
        root,
        jobs: selected.katas.map((kata) => ({ kata, target })),
        seed: options.seed,
        defaultTarget: target,
        ...(options.test ? { testNamePattern: escapeRegExp(options.test) } : {}),
        ...(options.verbose ? { verbose: true } : {}),
      })
    : { outcomes: [], unhandled: [] };
  // a test filter is about katas: worksheets are left out
  const worksheets = options.test
    ? new Map()
    : await gradeWorksheets(root, selected.chapters, Boolean(options.reference));
  const byKata = new Map(outcomes.map((o) => [o.kataId, o]));
  const context = { seed: options.seed, reference: Boolean(options.reference) };
  const allPass =
    selected.katas.every((k) => {
      const outcome = byKata.get(k.id);
      return outcome !== undefined && kataStatus(outcome) === "passing";
    }) && [...worksheets.values()].every(worksheetDone);

  // the learner's standing, for the site and the next run; a partial (-t) or reference run is not it
  if (!options.reference && !options.test) saveProgress(root, outcomes, worksheets, options.seed);

  if (selectors.length === 0) {
    console.log(renderOverview(chapters, byKata, worksheets, context));
  } else {
    const blocks: string[] = [];
    for (const chapter of selected.chapters) {
      const result = worksheets.get(chapter.slug);
      const file = options.reference ? chapter.worksheetPaths?.reference : chapter.worksheetPaths?.learner;
      if (result && file) blocks.push(renderWorksheet(chapter, result, file));
    }
    for (const kata of selected.katas) {
      const outcome = byKata.get(kata.id);
      blocks.push(outcome ? renderKata(kata, outcome, context) : `${kata.id}: not run`);
    }
    console.log(blocks.join(RULE));
  }
  for (const error of unhandled)
    console.log(paint.red(`\nunhandled error during the run: ${error.name}: ${error.message}`));
  const graded = [`${selected.katas.length} kata(s)`, worksheets.size ? `${worksheets.size} worksheet(s)` : ""];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(paint.dim(`\ngraded ${graded.filter(Boolean).join(" and ")} in ${seconds} s`));
  if (selectors.length === 0 && !options.strict) return 0;
  return allPass && unhandled.length === 0 ? 0 : 1;
}

const program = new Command("grade")
  .description("grade your katas and worksheets; the reference runs in the same process for comparison")
  .argument("[selectors...]", "kata ids or chapter slugs; none gives an overview of every chapter")
  .option("--reference", "grade the reference solutions instead of your katas (for authors)")
  .option("--strict", "with no selector, exit 1 unless every kata passes and every worksheet is right")
  .option("--seed <n>", "base seed for every random input", parseSeed, DEFAULT_SEED)
  .option("-t, --test <text>", "only tests whose name contains this text")
  .option("--verbose", "also show vitest's own output")
  .action(async (selectors: string[], options: GradeOptions) => {
    try {
      process.exitCode = await grade(selectors, options);
    } catch (error) {
      const known =
        error instanceof ManifestError || error instanceof UnknownSelector || error instanceof ReferenceAnswerError;
      if (!known) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
