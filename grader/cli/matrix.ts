// npm run matrix: prove every spec passes its reference, reads its stub as todo and kills each mutant
import { Command } from "commander";
import { computeChecksums } from "../integrity/checksums.ts";
import { loadChapters, ManifestError } from "../manifest/load.ts";
import { staleRecord, writeRecord } from "../matrix/record.ts";
import { runMatrix } from "../matrix/run.ts";
import { renderMatrix } from "../report/matrix.ts";
import { paint } from "../report/text.ts";
import { RECORD_FILE } from "../run/recorded.ts";
import { DEFAULT_SEED } from "../spec/seed-range.ts";
import { endWithParent, parseSeed, projectRoot, selectKatas, UnknownSelector } from "./common.ts";

const program = new Command("matrix")
  .description("run every spec against its reference, its pristine stub and each of its mutants")
  .argument("[selectors...]", "kata ids or chapter slugs (default: all)")
  .option("--seed <n>", "base seed for every random input", parseSeed, DEFAULT_SEED)
  .option("--record", `write what each stub reports to ${RECORD_FILE} (an untouched stub is graded from it)`)
  .action(async (selectors: string[], options: { seed: number; record?: boolean }) => {
    const root = projectRoot();
    const started = performance.now();
    try {
      const chapters = await loadChapters(root);
      const katas = selectKatas(chapters, selectors);
      const checksums = computeChecksums(root);
      const report = await runMatrix(root, katas, options.seed);
      console.log(renderMatrix(report, (performance.now() - started) / 1000));
      const broken = report.rows.some((r) => !r.verdict.ok) || report.unhandled.length > 0;
      let stale: string[] = [];
      if (options.record) {
        await writeRecord(root, chapters, report, checksums);
        console.log(`\nRecorded what the stubs report in ${RECORD_FILE}.`);
      } else if (options.seed === DEFAULT_SEED) {
        stale = await staleRecord(root, chapters, report, checksums);
        if (stale.length > 0)
          console.log(
            paint.red(
              `\n${RECORD_FILE} is not what these stubs report now (${stale.join(", ")}): an untouched stub would show the old report. npm run matrix -- --record writes it again.`,
            ),
          );
      }
      process.exitCode = broken || stale.length > 0 ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

endWithParent();
await program.parseAsync();
