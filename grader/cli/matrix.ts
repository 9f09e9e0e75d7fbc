// npm run matrix: prove every spec passes its reference, reads its stub as todo and kills each mutant
import { Command } from "commander";
import { loadChapters, ManifestError } from "../manifest/load.ts";
import { runMatrix } from "../matrix/run.ts";
import { renderMatrix } from "../report/matrix.ts";
import { paint } from "../report/text.ts";
import { DEFAULT_SEED } from "../spec/seed.ts";
import { endWithParent, parseSeed, projectRoot, selectKatas, UnknownSelector } from "./common.ts";

const program = new Command("matrix")
  .description("run every spec against its reference, its pristine stub and each of its mutants")
  .argument("[selectors...]", "kata ids or chapter slugs (default: all)")
  .option("--seed <n>", "base seed for every random input", parseSeed, DEFAULT_SEED)
  .action(async (selectors: string[], options: { seed: number }) => {
    const root = projectRoot();
    const started = performance.now();
    try {
      const katas = selectKatas(await loadChapters(root), selectors);
      const report = await runMatrix(root, katas, options.seed);
      console.log(renderMatrix(report, (performance.now() - started) / 1000));
      const broken = report.rows.some((r) => !r.verdict.ok) || report.unhandled.length > 0;
      process.exitCode = broken ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

endWithParent();
await program.parseAsync();
