// npm run bench: our reference structures against the best-known npm library for the same job
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { projectRoot } from "../cli/common.ts";
import { formatRate, formatRatio } from "../load/budgets.ts";
import { paint, table } from "../report/text.ts";
import type { Comparison } from "./comparison.ts";
import { comparisons } from "./comparisons.ts";

function version(name: string): string {
  try {
    const file = path.join(projectRoot(), "node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return "?";
  }
}

function run(chosen: Comparison[]): boolean {
  const rows: string[][] = [["", "workload", "ours", "library", "ours ÷ library", "target"].map((h) => paint.dim(h))];
  const notes: string[] = [];
  let onTarget = true;
  for (const comparison of chosen) {
    const measured = comparison.measure();
    const { result } = measured;
    const ratio = result.ratios.throughput;
    const ok = ratio >= comparison.target;
    onTarget &&= ok;
    rows.push([
      ok ? paint.green("✓") : paint.yellow("✗"),
      comparison.name,
      formatRate(result.learner.opsPerSec),
      formatRate(result.reference.opsPerSec),
      ok ? formatRatio(ratio) : paint.yellow(formatRatio(ratio)),
      `≥ ${formatRatio(comparison.target)}`,
    ]);
    const library = `${comparison.library} ${version(comparison.library)}`;
    notes.push(
      `${comparison.name}\n    ours:    ${comparison.ours}, ${measured.ours}\n    library: ${library}, ${measured.library}`,
    );
  }
  console.log(table(rows, [2, 3, 4]).join("\n"));
  console.log(`\n${paint.dim(notes.join("\n"))}`);
  console.log(
    paint.dim(
      "\nops/s are medians of 5 measured rounds, interleaved with the library's after 2 warm-up rounds, in one process.",
    ),
  );
  return onTarget;
}

const program = new Command("bench")
  .description("our reference structures against the best-known npm library for the same job, side by side")
  .argument("[filter]", "only the comparisons whose workload or library contains this text")
  .option("--strict", "exit 1 when a comparison misses its target")
  .action((filter: string | undefined, options: { strict?: boolean }) => {
    const chosen = comparisons.filter(
      (c) => !filter || c.name.toLowerCase().includes(filter.toLowerCase()) || c.library.includes(filter),
    );
    if (chosen.length === 0) {
      console.error(paint.red(`no comparison matches "${filter}"`));
      process.exitCode = 2;
      return;
    }
    const onTarget = run(chosen);
    if (options.strict && !onTarget) process.exitCode = 1;
  });

await program.parseAsync();
