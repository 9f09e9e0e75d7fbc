import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The Node.js flags every Vitest worker starts with: the worker runs learner
 * code, so it may read only what Vitest needs to run a spec (node_modules, the
 * modules Vitest transformed for it, the specs' folders) and write only where
 * the grader keeps traces; it may not start processes or threads, load addons,
 * or compile code from strings (eval, new Function). Node's permission model
 * (docs: nodejs.org/docs/latest-v20.x/api/permissions.html) enforces the first
 * part; a kata's imports and globals are limited before it loads (policy.ts).
 */
export interface Sandbox {
  /** flags for the worker processes */
  execArgv: string[];
  /** where Vitest writes the modules it transformed, which workers read: this run's own */
  tmp: string;
  /** where Vitest keeps the grader's own modules, transformed, between runs (if it can) */
  transformCache?: string | undefined;
  close(): void;
}

/** the node_modules folder Vitest was installed in, as the file system names it */
export function modulesDir(): string {
  const vitest = realpathSync(fileURLToPath(import.meta.resolve("vitest")));
  const at = vitest.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at < 0) throw new Error(`vitest is not under a node_modules folder: ${vitest}`);
  return vitest.slice(0, at + "/node_modules".length);
}

export interface SandboxPaths {
  root: string;
  /** folders holding the test files of this run (specs, wrappers): Vitest looks for snapshots beside them */
  testDirs: string[];
  /** folders the worker may write in: the supervisor's trace folder, the simulator's traces */
  writable: string[];
  /** where Vitest keeps the grader's own transformed modules between runs: the workers read them */
  transformCache?: string | undefined;
  /** a temporary folder given by the runner's supervisor, kept and removed by it; else one is made */
  tmp?: string;
}

export function sandboxFlags(paths: SandboxPaths, tmp: string): string[] {
  const real = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    return realpathSync(dir);
  };
  // node_modules as the project names it too: a project whose node_modules is a link (a scratch
  // copy, a monorepo) has its packages read through the link before Node resolves it
  const local = path.join(paths.root, "node_modules");
  const readable = [
    modulesDir(),
    ...(existsSync(local) ? [local] : []),
    real(tmp),
    ...paths.testDirs.map(real),
    ...(paths.transformCache ? [real(paths.transformCache)] : []),
  ];
  return [
    "--experimental-permission",
    ...[...new Set(readable)].map((dir) => `--allow-fs-read=${dir}`),
    ...[...new Set(paths.writable.map(real))].map((dir) => `--allow-fs-write=${dir}`),
    "--disallow-code-generation-from-strings",
    "--disable-warning=ExperimentalWarning",
  ];
}

/**
 * A temporary folder for this run, which Vitest (through TMPDIR) uses for the
 * modules it transforms; the worker flags that confine learner code to it.
 * Call close() when the run is over: it restores TMPDIR and removes the folder.
 * A runner's folder (`paths.tmp`, already its TMPDIR) is its supervisor's to remove.
 */
export function openSandbox(paths: SandboxPaths): Sandbox {
  if (paths.tmp) {
    return {
      tmp: paths.tmp,
      transformCache: paths.transformCache,
      execArgv: sandboxFlags(paths, paths.tmp),
      close() {},
    };
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "sdk-run-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  return {
    tmp,
    transformCache: paths.transformCache,
    execArgv: sandboxFlags(paths, tmp),
    close() {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// packages every spec loads, loaded as a worker starts, before Vitest asks it to run anything: a
// worker forked ahead (warm-workers.ts) has them ready, 0.05–0.08 s less a grade. SES only defines
// lockdown() here; harden.ts calls it before any spec or kata loads, as before.
const PRELOADED = ["ses", "fast-check"];

/** the flags a worker starts with: a collectable heap of the kata's size, the preloads, the sandbox */
export function workerExecArgv(memoryMb: number, sandbox: Pick<Sandbox, "execArgv">): string[] {
  return [
    "--expose-gc",
    `--max-old-space-size=${memoryMb}`,
    ...PRELOADED.map((name) => `--import=${import.meta.resolve(name)}`),
    ...sandbox.execArgv,
  ];
}

/** where Vitest keeps the grader's own modules, transformed, between runs; none if it cannot be made */
function transformCache(root: string): string | undefined {
  const dir = path.join(root, ".grade", "vitest-cache");
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return undefined;
  }
}

/** where simulation tests write the trace of a failing seed */
export const simulationTraces = (root: string) => path.join(root, ".grade", "traces");

/**
 * The sandbox of a run whose test files are the specs and the wrappers in `wrappers`. A runner's
 * runs share the temporary folder its supervisor made for it (SDK_RUNNER_TMP), so the flags of
 * one run's workers are known before it starts, and workers can be forked ahead (warm-workers.ts).
 */
export function sandboxFor(root: string, wrappers: string): Sandbox {
  return openSandbox({
    root,
    testDirs: [path.join(root, "grader", "specs"), wrappers],
    writable: [simulationTraces(root), ...(process.env.SDK_TRACE_DIR ? [process.env.SDK_TRACE_DIR] : [])],
    transformCache: transformCache(root),
    ...(process.env.SDK_RUNNER_TMP ? { tmp: process.env.SDK_RUNNER_TMP } : {}),
  });
}

/** where a runner keeps the one-line test files of the targets it runs: its own, by pid */
export const wrappersDir = (root: string) => path.join(root, ".grade", "targets", String(process.pid));
