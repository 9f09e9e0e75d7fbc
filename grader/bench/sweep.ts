// npm run bench:sweep: how long a seed sweep of a simulated kata's reference takes, as a learner would run it
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Command } from "commander";
import { parseSeeds } from "../cli/common.ts";
import type { SeedRange } from "../spec/seed-range.ts";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));

interface Options {
  seeds: SeedRange;
  runs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function sweep(kata: string, options: Options): Promise<void> {
  const range = `${options.seeds.from}..${options.seeds.to}`;
  const args = ["--import", "tsx/esm", "grader/cli/grade.ts", "--reference", kata, "--seeds", range];
  console.log(`npm run grade -- --reference ${kata} --seeds ${range}, ${options.runs} times\n`);
  console.log("run   wall     graded (without startup)");
  const walls: number[] = [];
  const graded: number[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const started = performance.now();
    const { stdout } = await run(process.execPath, args, { cwd: repo, env: { ...process.env, NO_COLOR: "1" } });
    const wall = (performance.now() - started) / 1000;
    const inside = Number(/graded .* in ([\d.]+) s/.exec(stdout)?.[1] ?? Number.NaN);
    if (!/passing/.test(stdout)) throw new Error(`the reference did not pass the sweep:\n${stdout}`);
    walls.push(wall);
    graded.push(inside);
    console.log(`${String(i).padStart(3)}   ${wall.toFixed(2).padStart(5)} s  ${inside.toFixed(1).padStart(5)} s`);
  }
  console.log(`\nmedian ${median(walls).toFixed(2)} s wall, ${median(graded).toFixed(1)} s graded`);
}

const program = new Command("bench:sweep")
  .description("time a seed sweep of a simulated kata's reference through the grader (not a test: it only reports)")
  .argument("[kata]", "the kata to sweep", "raft-election")
  .option("--seeds <a..b>", "the seeds to sweep", parseSeeds, { from: 1, to: 200 })
  .option("--runs <n>", "how many times to run it", (value) => Math.max(1, Number.parseInt(value, 10)), 5)
  .action(async (kata: string, options: Options) => sweep(kata, options));

await program.parseAsync();
