// npm run grade: the learner's katas against their specs, the reference measured in the same run
import { Command } from "commander";
import { type Chapter, loadChapters, ManifestError } from "../manifest/load.ts";
import { renderKata } from "../report/kata.ts";
import { renderOverview } from "../report/overview.ts";
import { escapeRegExp, paint } from "../report/text.ts";
import { runSpecs } from "../run/run-specs.ts";
import { kataStatus } from "../run/status.ts";
import { LEARNER, REFERENCE } from "../run/targets.ts";
import { DEFAULT_SEED } from "../spec/seed.ts";
import { parseSeed, projectRoot, selectKatas, UnknownSelector } from "./common.ts";

interface GradeOptions {
  reference?: boolean;
  strict?: boolean;
  seed: number;
  test?: string;
  verbose?: boolean;
}

async function grade(selectors: string[], options: GradeOptions): Promise<number> {
  const root = projectRoot();
  const started = performance.now();
  const chapters: Chapter[] = await loadChapters(root);
  const katas = selectKatas(chapters, selectors);
  const target = options.reference ? REFERENCE : LEARNER;
  const { outcomes, unhandled } = await runSpecs({
    root,
    jobs: katas.map((kata) => ({ kata, target })),
    seed: options.seed,
    defaultTarget: target,
    ...(options.test ? { testNamePattern: escapeRegExp(options.test) } : {}),
    ...(options.verbose ? { verbose: true } : {}),
  });
  const byKata = new Map(outcomes.map((o) => [o.kataId, o]));
  const context = { seed: options.seed, reference: Boolean(options.reference) };
  const allPass = katas.every((k) => {
    const outcome = byKata.get(k.id);
    return outcome !== undefined && kataStatus(outcome) === "passing";
  });

  if (selectors.length === 0) {
    console.log(renderOverview(chapters, byKata, context));
  } else {
    const blocks = katas.map((kata) => {
      const outcome = byKata.get(kata.id);
      return outcome ? renderKata(kata, outcome, context) : `${kata.id}: not run`;
    });
    console.log(blocks.join(`\n\n${paint.dim("─".repeat(60))}\n\n`));
  }
  for (const error of unhandled)
    console.log(paint.red(`\nunhandled error during the run: ${error.name}: ${error.message}`));
  console.log(paint.dim(`\ngraded ${katas.length} kata(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`));
  if (selectors.length === 0 && !options.strict) return 0;
  return allPass && unhandled.length === 0 ? 0 : 1;
}

const program = new Command("grade")
  .description("grade your katas against their specs; the reference runs in the same process for comparison")
  .argument("[selectors...]", "kata ids or chapter slugs; none gives an overview of every chapter")
  .option("--reference", "grade the reference solutions instead of your katas (for authors)")
  .option("--strict", "with no selector, exit 1 unless every kata passes")
  .option("--seed <n>", "base seed for every random input", parseSeed, DEFAULT_SEED)
  .option("-t, --test <text>", "only tests whose name contains this text")
  .option("--verbose", "also show vitest's own output")
  .action(async (selectors: string[], options: GradeOptions) => {
    try {
      process.exitCode = await grade(selectors, options);
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
