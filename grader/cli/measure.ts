// npm run measure: chapter 01's latency table, measured on this machine. Prints each operation's
// median beside the chapter's figure and keeps the results in .grade/measure.json for the site.
import { existsSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { type Measured, measure } from "../measure/run.ts";
import { duration, measureTable } from "../measure/table.ts";
import { paint } from "../report/text.ts";
import { clusterFolder } from "../servers/postgres.ts";
import { takeStateNotes, writeStateFile } from "../state/folder.ts";
import { projectRoot } from "./common.ts";

const program = new Command("measure")
  .description("measure chapter 01's latency table on this machine: medians beside the chapter's figures")
  .option("--quick", "small working sets and short runs (a few seconds; the figures are rougher)")
  .option("--only <ids>", "only these probes, comma-separated (map-lookup, memory-random-read, ...)")
  .option("--no-postgres", "skip the labs' PostgreSQL even when it is initialised")
  .action(async (options: { quick?: boolean; only?: string; postgres: boolean }) => {
    const root = projectRoot();
    let postgres: { adminUrl: string; stop(): Promise<void> } | undefined;
    if (options.postgres && existsSync(path.join(clusterFolder(root), "data", "PG_VERSION"))) {
      const { startPostgres } = await import("../servers/postgres.ts");
      try {
        postgres = await startPostgres(root);
      } catch (error) {
        console.error(
          paint.yellow(
            `note: the labs' PostgreSQL did not start, so SELECT 1 is not measured: ${(error as Error).message}`,
          ),
        );
      }
    }
    try {
      console.log(paint.dim("Measuring (medians of many timed calls; a minute or so) ..."));
      const measurement = await measure(root, {
        quick: options.quick ?? false,
        ...(options.only ? { only: options.only.split(",").map((id) => id.trim()) } : {}),
        ...(postgres ? { postgresUrl: postgres.adminUrl } : {}),
        onProbe: (r: Measured) => console.log(paint.dim(`  ${r.label}: ${duration(r.medianNs)}`)),
      });
      console.log(`\n${measureTable(measurement)}`);
      const file = writeStateFile(root, ["measure.json"], `${JSON.stringify(measurement, null, 2)}\n`);
      for (const note of takeStateNotes()) console.error(paint.yellow(note));
      console.log(
        paint.dim(
          `\nKept in ${path.relative(root, file)}; npm run docs shows it in chapter 01 beside the chapter's figures.`,
        ),
      );
    } finally {
      await postgres?.stop();
    }
  });

await program.parseAsync();
