// npm run grade (after grade.ts): the learner's katas and worksheets, the reference measured in the same run
import { Command } from "commander";
import { checkChecksums, computeChecksums, driftLines } from "../integrity/checksums.ts";
import { type Chapter, checkWorksheetQuestions, type Kata, loadChapters, ManifestError } from "../manifest/load.ts";
import { renderKata, renderLoadFollowUp } from "../report/kata.ts";
import { renderOverview } from "../report/overview.ts";
import { throughputRatio } from "../report/perf.ts";
import { ProgressLine } from "../report/progress.ts";
import { escapeRegExp, paint } from "../report/text.ts";
import { renderWorksheet, worksheetDone } from "../report/worksheet.ts";
import { buildResults } from "../results/build.ts";
import { checkResultsDestination, ResultsDestinationError } from "../results/destination.ts";
import { toJUnit } from "../results/junit.ts";
import { gradeSpecs } from "../run/grade-passes.ts";
import type { SpecOutcome } from "../run/outcome.ts";
import { takePrestarted } from "../run/prestart.ts";
import { readRecord, recordedKata, recordedWorksheet } from "../run/recorded.ts";
import { counts, kataStatus } from "../run/status.ts";
import { RunnerPool } from "../run/supervise.ts";
import { LEARNER, REFERENCE } from "../run/targets.ts";
import { redisAvailable } from "../servers/redis.ts";
import { DEFAULT_SEED, NOMINAL_SWEEP, type SeedRange } from "../spec/seed-range.ts";
import { stateFolder, takeStateNotes, writeStateFile, writeWhole } from "../state/folder.ts";
import { readProgress, recordProgress } from "../state/progress.ts";
import { ReferenceAnswerError } from "../worksheet/errors.ts";
import type { WorksheetResult } from "../worksheet/grade.ts";
import { worksheetId, worksheetJob, worksheetResult } from "../worksheet/run.ts";
import { endWithParent, parseSeed, parseSeeds, projectRoot, select, UnknownSelector } from "./common.ts";

interface GradeOptions {
  reference?: boolean;
  strict?: boolean;
  seed: number;
  seeds?: SeedRange;
  test?: string;
  verbose?: boolean;
  trace?: boolean;
  json?: string;
  junit?: string;
  watch?: boolean;
  ui?: boolean;
  fresh?: boolean;
  load?: boolean;
}

/**
 * Time limits are set for the default sweeps (up to NOMINAL_SWEEP seeds a
 * test); a longer --seeds sweep gets its share more time.
 */
function withSweepTime(kata: Kata, seeds: SeedRange | undefined): Kata {
  const count = seeds ? seeds.to - seeds.from + 1 : 0;
  if (count <= NOMINAL_SWEEP) return kata;
  return { ...kata, limits: { ...kata.limits, timeMs: Math.ceil((kata.limits.timeMs * count) / NOMINAL_SWEEP) } };
}

/** a design problem's design as last graded, drawn, for the site to show beside the reference's */
function saveDiagrams(root: string, outcomes: SpecOutcome[]): void {
  for (const outcome of outcomes) {
    const diagram = outcome.tests.find((test) => test.diagram !== undefined)?.diagram;
    if (diagram) writeStateFile(root, ["designs", `${outcome.kataId}.mmd`], diagram);
  }
}

function saveProgress(root: string, outcomes: SpecOutcome[], worksheets: Map<string, WorksheetResult>, seed: number) {
  saveDiagrams(root, outcomes);
  const gradedAt = new Date().toISOString();
  const katas = Object.fromEntries(
    outcomes.map((outcome) => {
      const { passed, failed, todo } = counts(outcome);
      const ratio = throughputRatio(outcome);
      return [
        outcome.kataId,
        {
          status: kataStatus(outcome),
          ...(outcome.cause ? { cause: outcome.cause.message } : {}),
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
  try {
    const { rebuilt } = recordProgress(root, { katas, worksheets: sheets });
    if (rebuilt) console.error(paint.yellow(`note: .grade/progress.json: ${rebuilt}; it holds this run's results now`));
  } catch (error) {
    // progress is a convenience: a grade is reported and its results written without it
    console.error(paint.yellow(`note: progress not saved in .grade/progress.json: ${(error as Error).message}`));
  }
  for (const note of takeStateNotes()) console.error(paint.yellow(note));
}

const RULE = `\n\n${paint.dim("─".repeat(60))}\n\n`;

/** the worksheets' verdicts, from the outcomes of their jobs or from the record of a blank one */
async function worksheetResults(
  root: string,
  chapters: Chapter[],
  outcomes: SpecOutcome[],
  recorded: Map<string, WorksheetResult>,
) {
  const results = new Map<string, WorksheetResult>();
  for (const chapter of chapters) {
    const known = recorded.get(chapter.slug);
    if (known) {
      results.set(chapter.slug, known);
      continue;
    }
    const result = await worksheetResult(
      root,
      chapter,
      outcomes.find((o) => o.kataId === worksheetId(chapter.slug)),
    );
    if (result) results.set(chapter.slug, result);
  }
  return results;
}

/** after the first grade: re-grade each kata or worksheet as it is saved, until Ctrl-C */
async function keepWatching(
  root: string,
  chapters: Chapter[],
  options: GradeOptions,
  pool: RunnerPool,
): Promise<never> {
  // hints seen are read at each grade: npm run hint may run in another terminal meanwhile
  const context = () => ({ seed: options.seed, reference: false, hintsSeen: readProgress(root).progress.hints });
  const { watchKatas } = await import("./watch.ts");
  // a runner started ahead, loaded by the time the next save comes: a grade skips its startup
  void pool.warm({ root, workers: 1 });
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
  await watchKatas(root, chapters, async (changed, savedAt) => {
    console.log(paint.dim(`\n${"─".repeat(60)}\n`));
    if (changed.kind === "kata") {
      const kata = changed.kata;
      // the behaviour tests' verdict is shown as soon as it is known; the load tests follow
      let measuring: SpecOutcome | undefined;
      const { outcomes } = await gradeSpecs(
        {
          root,
          jobs: [{ kata, target: LEARNER }],
          seed: options.seed,
          ...(options.seeds ? { seeds: options.seeds } : {}),
          defaultTarget: LEARNER,
          specs: computeChecksums(root),
        },
        {
          pool,
          loadWhenFailing: Boolean(options.load),
          onFirstPass: (_, pending) => {
            measuring = pending[0];
            if (!measuring) return;
            console.log(renderKata(kata, measuring, context()));
            console.log(
              paint.dim(`\n  ${seconds(savedAt)} s after the save; measuring load against the reference ...\n`),
            );
          },
        },
      );
      const outcome = outcomes[0];
      if (outcome) {
        saveProgress(root, outcomes, new Map(), options.seed);
        const skippedBefore = new Set(measuring?.tests.filter((t) => t.state === "skipped").map((t) => t.fullName));
        const loadTests = outcome.tests.filter((t) => t.state !== "skipped" && skippedBefore.has(t.fullName));
        console.log(
          measuring
            ? renderLoadFollowUp(
                kata,
                outcome,
                loadTests.map((t) => t.fullName),
                context(),
              )
            : renderKata(kata, outcome, context()),
        );
      }
    } else {
      const job = worksheetJob(changed.chapter, LEARNER);
      if (job) await checkWorksheetQuestions(changed.chapter);
      const { outcomes } = job
        ? await gradeSpecs({ root, jobs: [job], seed: options.seed, defaultTarget: LEARNER }, { pool })
        : { outcomes: [] };
      const result = await worksheetResult(root, changed.chapter, outcomes[0]);
      if (result && changed.chapter.worksheetPaths) {
        saveProgress(root, [], new Map([[changed.chapter.slug, result]]), options.seed);
        console.log(renderWorksheet(changed.chapter, result, changed.chapter.worksheetPaths.learner));
      }
    }
    const name = changed.kind === "kata" ? changed.kata.id : `the ${changed.chapter.title} worksheet`;
    console.log(paint.dim(`\n↻ graded ${name} ${seconds(savedAt)} s after the save`));
    void pool.warm({ root, workers: 1 });
  });
  console.log(
    paint.dim(`\nwatching katas/ for changes: save a kata or a worksheet to grade it again (Ctrl-C to stop)`),
  );
  return new Promise<never>(() => {});
}

async function grade(selectors: string[], options: GradeOptions): Promise<number> {
  const root = projectRoot();
  const started = performance.now();
  // where the results go is checked before anything runs: a kata or a spec is never overwritten
  const json = options.json ? checkResultsDestination(root, "--json", options.json) : undefined;
  const junit = options.junit ? checkResultsDestination(root, "--junit", options.junit) : undefined;
  // the specs as they are before any learner code runs: what the grade checks them against, and uses
  const specs = computeChecksums(root);
  const drift = checkChecksums(root, specs);
  // the folders a run writes in, made sound before the runner starts
  stateFolder(root, "targets");
  stateFolder(root, "traces");
  for (const note of takeStateNotes()) console.error(paint.yellow(note));
  const chapters = await loadChapters(root, { questionsLater: true });
  const selected = select(chapters, selectors);
  const target = options.reference ? REFERENCE : LEARNER;
  if (options.ui) {
    // Vitest's Node API takes over half a second to load: only --ui needs it in this process
    const { openUi } = await import("../run/ui.ts");
    // no selection: the chapter of what is next up, not every kata of every chapter
    const chapter = selectors.length ? undefined : uiChapter(root, chapters);
    const katas = chapter ? chapter.katas : selected.katas;
    const { url } = await openUi({
      root,
      jobs: katas.map((kata) => ({ kata, target })),
      seed: options.seed,
      defaultTarget: target,
      port: 51204,
    });
    const what = chapter
      ? `chapter ${chapter.slug}`
      : katas.length === 1
        ? (katas[0]?.id ?? "")
        : `${katas.length} katas`;
    console.log(
      `Vitest UI on ${options.reference ? "the reference solutions" : "your katas"} (${what}): ${url}\n` +
        "Step through the spec's tests one by one: each test's source, its failure and your output; it reruns as you save. A kata still at its stub shows its tests as skipped (todo). Ctrl-C to stop.",
    );
    return new Promise<never>(() => {});
  }
  // a test filter is about katas: worksheets are left out
  const sheets = options.test ? [] : selected.chapters;
  // an untouched stub or blank worksheet reports what the matrix recorded for it: no run needed
  const record = options.reference || options.test || options.seeds || options.fresh ? undefined : readRecord(root);
  const recordedKatas = new Map<string, SpecOutcome>();
  // a lab whose server this machine lacks says so even untouched, so the learner knows before starting
  const lacksRedis = selected.katas.some((kata) => kata.needs?.includes("redis")) && !redisAvailable();
  for (const kata of selected.katas) {
    if (lacksRedis && kata.needs?.includes("redis")) continue;
    // a lab named on the command line runs even untouched: its servers start, so a machine that
    // cannot run them says so before the learner writes a line (the overview keeps the record)
    if (selectors.length > 0 && (kata.needs?.length ?? 0) > 0) continue;
    const outcome = recordedKata(root, record, kata, { seed: options.seed, checksums: specs });
    if (outcome) recordedKatas.set(kata.id, outcome);
  }
  const recordedSheets = new Map<string, WorksheetResult>();
  for (const chapter of sheets) {
    const result = recordedWorksheet(root, record, chapter);
    if (result) recordedSheets.set(chapter.slug, result);
  }
  const sheetsToRun = sheets.filter((chapter) => !recordedSheets.has(chapter.slug));
  for (const chapter of sheetsToRun) await checkWorksheetQuestions(chapter);
  const jobs = [
    ...selected.katas
      .filter((kata) => !recordedKatas.has(kata.id))
      .map((kata) => ({ kata: withSweepTime(kata, options.seeds), target })),
    ...sheetsToRun.flatMap((chapter) => worksheetJob(chapter, target) ?? []),
  ];
  const progress = new ProgressLine(jobs.length);
  // a runner grade.ts started while this process loaded, if it guessed a run would come
  const pool = takePrestarted() ?? new RunnerPool();
  const grading = jobs.length
    ? gradeSpecs(
        {
          root,
          jobs,
          seed: options.seed,
          ...(options.seeds ? { seeds: options.seeds } : {}),
          defaultTarget: target,
          ...(options.test ? { testNamePattern: escapeRegExp(options.test) } : {}),
          ...(options.verbose ? { verbose: true } : {}),
          specs,
          onEvent: progress.onEvent,
        },
        { pool, loadWhenFailing: Boolean(options.load) },
      )
    : Promise.resolve({ outcomes: [], unhandled: [] });
  // --watch keeps the runner for the next save; otherwise it goes now, used or not
  const { outcomes, unhandled } = await grading.finally(() => {
    if (!options.watch) pool.close();
  });
  progress.clear();
  outcomes.push(...recordedKatas.values());
  const worksheets = await worksheetResults(root, sheets, outcomes, recordedSheets);
  const katas = new Set(selected.katas.map((kata) => kata.id));
  const byKata = new Map(outcomes.filter((o) => katas.has(o.kataId)).map((o) => [o.kataId, o]));
  const context = {
    seed: options.seed,
    reference: Boolean(options.reference),
    hintsSeen: readProgress(root).progress.hints,
    ...(options.test ? { testFilter: options.test } : {}),
    ...(options.trace ? { trace: true } : {}),
  };
  const allPass =
    selected.katas.every((k) => {
      const outcome = byKata.get(k.id);
      // a lab skipped for a server the machine lacks does not fail the run (results.json agrees)
      return outcome !== undefined && ["passing", "skipped"].includes(kataStatus(outcome));
    }) && [...worksheets.values()].every(worksheetDone);

  // the learner's standing, for the site and the next run; a partial (-t) or reference run is not it
  if (!options.reference && !options.test) saveProgress(root, [...byKata.values()], worksheets, options.seed);

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
  const tampered = drift ? driftLines(drift) : [];
  if (tampered.length > 0) {
    const how = options.strict ? paint.red("error") : paint.yellow("warning");
    console.log(`\n${how}: the specs are not the committed ones, so this grade is not comparable with anyone else's:`);
    for (const line of tampered) console.log(`  ${line}`);
  }
  const graded = [`${selected.katas.length} kata(s)`, worksheets.size ? `${worksheets.size} worksheet(s)` : ""];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(paint.dim(`\ngraded ${graded.filter(Boolean).join(" and ")} in ${seconds} s`));
  if (options.json || options.junit) {
    const results = buildResults({
      katas: selected.katas,
      outcomes: byKata,
      worksheets,
      seed: options.seed,
      reference: Boolean(options.reference),
      tampered,
      unhandled,
    });
    if (json) writeWhole(json, `${JSON.stringify(results, null, 2)}\n`);
    if (junit) writeWhole(junit, toJUnit(results));
  }
  if (options.watch) return keepWatching(root, chapters, options, pool);
  if (options.strict && tampered.length > 0) return 1;
  if (selectors.length === 0 && !options.strict) return 0;
  return allPass && unhandled.length === 0 ? 0 : 1;
}

const program = new Command("grade")
  .description("grade your katas and worksheets; the reference runs in the same process for comparison")
  .argument("[selectors...]", "kata ids or chapter slugs; none gives an overview of every chapter")
  .option("--reference", "grade the reference solutions instead of your katas (for authors)")
  .option("--strict", "exit 1 unless every kata passes, every worksheet is right and the specs are the committed ones")
  .option(
    "--seed <n>",
    "base seed for every random input; a simulation test runs just this seed",
    parseSeed,
    DEFAULT_SEED,
  )
  .option("--seeds <a..b>", "simulation tests sweep these seeds instead of their default sweep", parseSeeds)
  .option("-t, --test <text>", "only tests whose name contains this text")
  .option("--verbose", "also show vitest's own output")
  .option("--trace", "design problems: follow one request of each flow hop by hop, with each hop's share of its time")
  .option("--watch", "after grading, grade each kata or worksheet again whenever you save it")
  .option("--ui", "open @vitest/ui on your katas' specs instead of grading")
  .option("--json <path>", "also write the results as JSON (the format is in docs/results.md)")
  .option("--junit <path>", "also write the results as JUnit XML")
  .option("--fresh", "run every kata, even an untouched stub the grader knows the report of")
  .option("--load", "measure a kata against the reference even while some of its tests fail")
  .action(async (selectors: string[], options: GradeOptions, command: Command) => {
    // an explicit --seed N replays one seed of a simulation sweep: the one a failure named
    if (!options.seeds && command.getOptionValueSource("seed") === "cli")
      options.seeds = { from: options.seed, to: options.seed };
    try {
      process.exitCode = await grade(selectors, options);
    } catch (error) {
      const known =
        error instanceof ManifestError ||
        error instanceof UnknownSelector ||
        error instanceof ReferenceAnswerError ||
        error instanceof ResultsDestinationError;
      if (!known) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    } finally {
      // a runner started ahead and not used (a refused --json, an unknown kata) is not waited for
      takePrestarted()?.close();
    }
  });

// Ctrl-C, a stop signal or its parent's end ends the grade, and with it any runner it started
endWithParent();

await program.parseAsync();

/**
 * The chapter `--ui` opens with no selection: the first, in chapter order, with a kata the last
 * grade did not see passing (.grade/progress.json); the first chapter with katas on a fresh clone
 */
function uiChapter(root: string, chapters: Chapter[]): Chapter | undefined {
  const { katas } = readProgress(root).progress;
  const withKatas = chapters.filter((chapter) => chapter.katas.length > 0);
  return (
    withKatas.find((chapter) => chapter.katas.some((kata) => katas[kata.id]?.status !== "passing")) ?? withKatas[0]
  );
}
