// Vitest workers forked before the run that uses them. Forking a worker and loading Vitest's worker
// runtime in it takes about 0.15 s, which a grade used to wait for once everything else was ready;
// a runner now forks its next run's workers while it has nothing else to do (while the CLI loads
// the manifests, between saves under --watch). A warm worker is taken only if it was started with
// exactly the flags and environment Vitest asks for; otherwise it is stopped and Vitest's own fork
// is made as before. A worker still serves one run: none is handed on after a kata ran in it.
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import type { PoolOptions, PoolRunnerInitializer, PoolWorker } from "vitest/node";
import { sandboxFor, workerExecArgv, wrappersDir } from "./sandbox.ts";

type Env = Record<string, string | undefined>;

/** how Vitest starts a worker: what it adds to our flags and environment (its version's own) */
interface Launch {
  entry: string;
  /** Vitest's flags, which come before the project's */
  flags: string[];
  /** what Vitest's environment for a worker sets beyond the runner's own */
  env: Env;
}

interface Warm {
  child: ChildProcess;
  execArgv: string[];
  env: Env;
}

const graderHome = fileURLToPath(new URL("../..", import.meta.url));
// the runner's environment as it started, before Vitest set anything in it
const startingEnv: Env = { ...process.env };
const warm: Warm[] = [];
// the workers of the run under way: taken warm, or forked when Vitest asked
let taken = 0;
let forked = 0;

/** Vitest's version: a launch learned from one version says nothing about another's */
function vitestVersion(): string {
  const pkg = path.join(path.dirname(fileURLToPath(import.meta.resolve("vitest"))), "..", "package.json");
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}

const launchFile = () =>
  path.join(graderHome, ".grade", "runner", `worker-launch-${vitestVersion()}-${process.version}.json`);

function readLaunch(): Launch | undefined {
  try {
    const file = launchFile();
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Launch) : undefined;
  } catch {
    return undefined;
  }
}

/** remembers how Vitest started a worker, for the next runner to fork ahead (learned, not guessed) */
function learnLaunch(options: PoolOptions, entry: string): void {
  const own = options.project.config.execArgv ?? [];
  const flags = options.execArgv.slice(0, options.execArgv.length - own.length);
  if (!isDeepStrictEqual(options.execArgv.slice(flags.length), own)) return;
  const env: Env = {};
  for (const [key, value] of Object.entries(options.env)) if (startingEnv[key] !== value) env[key] = value;
  const launch: Launch = { entry, flags, env };
  if (isDeepStrictEqual(readLaunch(), launch)) return;
  try {
    const file = launchFile();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(launch));
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // a read-only .grade: every worker is forked when asked for
  }
}

/**
 * Forks, before the run that will ask for them, `count` workers of a grade of
 * `root` whose katas have `memoryMb` of heap: with the flags that run's workers
 * get (sandbox.ts) after Vitest's own, as Vitest would start them. Nothing
 * happens until a runner has seen Vitest start a worker once (the launch is
 * kept in .grade/runner/).
 */
export function forkWorkersAhead(root: string, count: number, memoryMb: number): void {
  try {
    const sandbox = sandboxFor(root, wrappersDir(root));
    forkAhead(count, workerExecArgv(memoryMb, sandbox));
    sandbox.close();
  } catch {
    // a project whose .grade/ is not a folder yet (the grade sets aside what is in the way): the
    // run forks its workers when it asks, as it always could
  }
}

function forkAhead(count: number, execArgv: string[]): void {
  const launch = readLaunch();
  if (!launch) return;
  const env = { ...process.env, ...launch.env };
  const flags = [...launch.flags, ...execArgv];
  for (let i = warm.filter((w) => isDeepStrictEqual(w.execArgv, flags)).length; i < count; i++) {
    const child = fork(launch.entry, [], { env, execArgv: flags, stdio: "pipe", serialization: "advanced" });
    // a warm worker that dies while it waits is dropped, never handed to a run
    child.once("exit", () => {
      const at = warm.findIndex((w) => w.child === child);
      if (at >= 0) warm.splice(at, 1);
    });
    warm.push({ child, execArgv: flags, env });
  }
}

/** a warm worker started exactly as these options ask, if there is one */
function takeWarm(options: PoolOptions): ChildProcess | undefined {
  const at = warm.findIndex(
    (w) =>
      w.child.exitCode === null &&
      w.child.signalCode === null &&
      isDeepStrictEqual(w.execArgv, options.execArgv) &&
      isDeepStrictEqual(w.env, { ...options.env }),
  );
  if (at < 0) return undefined;
  taken++;
  return warm.splice(at, 1)[0]?.child;
}

/** stops the warm workers no run took */
export function stopWarm(): void {
  for (const { child } of warm.splice(0)) child.kill("SIGKILL");
}

/** how many workers the latest run took warm, and how many Vitest forked when it asked */
export function workersOfRun(): { ahead: number; onDemand: number } {
  return { ahead: taken, onDemand: forked };
}

/**
 * Vitest's forks pool, whose workers come from forkAhead when one fits. The
 * worker is Vitest's own (ForksPoolWorker): only who forks it, and when, changes.
 */
export async function warmForksPool(): Promise<PoolRunnerInitializer> {
  const { ForksPoolWorker } = await import("vitest/node");
  taken = 0;
  forked = 0;
  class WarmForksWorker extends ForksPoolWorker implements PoolWorker {
    override name = "warm-forks";
    constructor(options: PoolOptions) {
      super(options);
      const entry = (this as unknown as { entrypoint: string }).entrypoint;
      learnLaunch(options, entry);
      const child = takeWarm(options);
      if (child) (this as unknown as { _fork: ChildProcess })._fork = child;
      else forked++;
    }
  }
  return { name: "warm-forks", createPoolWorker: (options) => new WarmForksWorker(options) };
}
