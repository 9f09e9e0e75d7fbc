// The runner as JavaScript, built once per version of the grader: a runner started with
// tsx's loader pays its hooks on every module it loads, Vitest's included (about 0.6 s where plain
// Node takes 0.2 s), and a grade starts a runner each time. The bundle keeps node_modules outside
// (Node loads them natively) and lives in .grade/runner/<hash>/, named by a hash of the grader's sources,
// so an edited grader is built again on the next grade. If it cannot be built, the runner starts
// from its TypeScript under tsx, as before.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourcesHash } from "../launch/builds.mjs";
import { buildBundle } from "../launch/bundle.ts";

const graderDir = fileURLToPath(new URL("..", import.meta.url));
const entry = path.join(graderDir, "run", "runner.ts");
/** the grader's own project: its .grade/ holds the bundle whatever project is being graded */
const home = path.dirname(graderDir.replace(/[\\/]$/, ""));
const bundles = path.join(home, ".grade", "runner");

// the CLI's folder: the runner never loads it (the folders no build loads are skipped by the hash itself)
const UNUSED = new Set(["cli"]);

/** the bundled runner, built now if this version of the grader has none yet; undefined if it cannot be */
export async function runnerBundle(): Promise<string | undefined> {
  try {
    const built = path.join(bundles, sourcesHash(graderDir, UNUSED), "runner.mjs");
    if (existsSync(built)) return built;
    mkdirSync(bundles, { recursive: true });
    return (await buildBundle(entry, built)) ? built : undefined;
  } catch {
    return undefined;
  }
}

/** how to start the runner: the bundle with plain Node, or the TypeScript with tsx's hooks */
export async function runnerCommand(): Promise<{ file: string; execArgv: string[] }> {
  const bundle = await runnerBundle();
  return bundle ? { file: bundle, execArgv: [] } : { file: entry, execArgv: ["--import", "tsx/esm"] };
}

/** where the bundles are kept */
export const RUNNER_BUNDLES = bundles;
