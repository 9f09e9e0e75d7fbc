// npm run compare -- <kata>: your code beside the reference, with both measured; a spoiler until your kata passes
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { createTwoFilesPatch } from "diff";
import { loadChapters, ManifestError } from "../manifest/load.ts";
import { renderPerfTable } from "../report/perf.ts";
import { paint } from "../report/text.ts";
import { gradeSpecs } from "../run/grade-passes.ts";
import { counts, kataStatus } from "../run/status.ts";
import { LEARNER } from "../run/targets.ts";
import { DEFAULT_SEED } from "../spec/seed-range.ts";
import { endWithParent, projectRoot, select, UnknownSelector } from "./common.ts";

function colored(patch: string): string {
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return paint.bold(line);
      if (line.startsWith("+")) return paint.green(line);
      if (line.startsWith("-")) return paint.red(line);
      if (line.startsWith("@@")) return paint.cyan(line);
      return line;
    })
    .join("\n");
}

const program = new Command("compare")
  .description("diff your kata against the reference and measure both; asks for --force while your kata does not pass")
  .argument("<kata>", "the kata's id, such as token-bucket")
  .option("--force", "show the reference even though your kata does not pass yet")
  .action(async (id: string, options: { force?: boolean }) => {
    const root = projectRoot();
    try {
      const [kata] = select(await loadChapters(root), [id]).katas;
      if (!kata || kata.id !== id)
        throw new UnknownSelector(`no kata "${id}": compare takes a kata, such as token-bucket`);
      const { outcomes } = await gradeSpecs({
        root,
        jobs: [{ kata, target: LEARNER }],
        seed: DEFAULT_SEED,
        defaultTarget: LEARNER,
      });
      const outcome = outcomes[0];
      const status = outcome ? kataStatus(outcome) : "error";
      if (status !== "passing" && !options.force) {
        const tally = outcome ? counts(outcome) : undefined;
        const where = tally
          ? `${tally.passed} of ${tally.passed + tally.failed + tally.todo} tests pass`
          : "it did not run";
        console.error(
          paint.yellow(`${kata.id} does not pass yet (${where}), and the reference would give the rest away.`),
        );
        console.error(
          `Try a hint first: npm run hint -- ${kata.id}. To see the reference anyway: npm run compare -- ${kata.id} --force`,
        );
        process.exitCode = 1;
        return;
      }
      const mine = readFileSync(path.join(root, kata.paths.stub), "utf8");
      const theirs = readFileSync(path.join(root, kata.paths.reference), "utf8");
      console.log(
        colored(
          createTwoFilesPatch(kata.paths.stub, kata.paths.reference, mine, theirs, "yours", "reference", {
            context: 3,
          }),
        ),
      );
      const perf = outcome ? renderPerfTable(outcome, kata.budgets, "yours") : [];
      if (perf.length > 0) {
        console.log(`${paint.bold("Measured in one process, on the same seeded workload")}`);
        console.log(perf.map((line) => `  ${line}`).join("\n"));
      } else {
        console.log(paint.dim("No measurements: the kata has no load tests, or did not get far enough to run them."));
      }
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

endWithParent();
await program.parseAsync();
