// npm run docs: the chapters as a site in docs/dist; --serve serves it and rebuilds on change
import { existsSync } from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { endWithParent, projectRoot } from "../../grader/cli/common.ts";
import { paint } from "../../grader/report/text.ts";
import { type BuildResult, buildSite } from "./build.ts";
import { CHROMIUM, PDF_NAME, printBook } from "./pdf.ts";
import { serveSite, watchAndRebuild } from "./serve.ts";

function report(result: BuildResult, out: string, root: string): boolean {
  for (const problem of result.problems)
    console.error(paint.red(`${problem.file}:${problem.line}: ${problem.message}`));
  const where = path.relative(root, path.join(out, "index.html"));
  const summary = `built ${result.pages.length} pages in ${(result.ms / 1000).toFixed(1)} s: ${where}`;
  if (result.problems.length === 0) console.log(paint.green(summary));
  else console.error(paint.red(`${summary}, with ${result.problems.length} problem(s)`));
  return result.problems.length === 0;
}

const program = new Command("docs")
  .description("build the chapters as a site in docs/dist")
  .option("--serve", "serve the site on localhost and rebuild it when a file changes")
  .option("--pdf", `also print every chapter to docs/dist/${PDF_NAME} (Debian's chromium)`)
  .option(
    "--port <n>",
    "port for --serve",
    (value) => {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("expected a port number");
      return port;
    },
    4173,
  )
  .action(async (options: { serve?: boolean; port: number; pdf?: boolean }) => {
    const root = projectRoot();
    const out = path.join(root, "docs", "dist");
    const build = () => buildSite({ root, out, liveReload: Boolean(options.serve) });
    const ok = report(await build(), out, root);
    if (options.pdf && ok) {
      if (!existsSync(CHROMIUM)) {
        console.error(
          paint.red(`--pdf needs chromium at ${CHROMIUM}: sudo apt-get install chromium, or set CHROMIUM_PATH`),
        );
        process.exitCode = 1;
        return;
      }
      const started = performance.now();
      const book = await printBook(out, path.join(out, PDF_NAME));
      console.log(
        paint.green(
          `printed ${book.pages} pages, ${book.chapters.length} chapters, in ${((performance.now() - started) / 1000).toFixed(1)} s: ${path.relative(root, book.file)}`,
        ),
      );
    }
    if (!options.serve) {
      process.exitCode = ok ? 0 : 1;
      return;
    }
    const site = serveSite(out, options.port);
    const port = await site.listening;
    console.log(`serving http://127.0.0.1:${port}/ (Ctrl-C to stop); rebuilding on every change`);
    watchAndRebuild(root, build, (result) => {
      if (report(result, out, root)) site.notify();
    });
  });

endWithParent();
await program.parseAsync();
