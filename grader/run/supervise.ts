import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_LIMITS } from "../manifest/limits.ts";
import { labServersFor, missingFor } from "../servers/labs.ts";
import { seconds, timedOut } from "./cause.ts";
import { jobKey, type RunEvent } from "./events.ts";
import type { Cause, ErrorInfo, SpecOutcome, TestOutcome } from "./outcome.ts";
import type { RunOptions, RunResult, SpecJob } from "./run-specs.ts";
import type { RunnerMessage, RunnerStart } from "./runner.ts";
import { runnerCommand } from "./runner-bundle.ts";
import { targetId } from "./targets.ts";
import { RUNTIME_ALLOWANCE_MB, SAMPLE_EVERY_MS, sampleWorkers, waitedForCpuNs } from "./workers.ts";

// how often the watchdog looks, and how far past its limit a kata may run before it is stopped
const TICK_MS = 100;
const GRACE_MS = 250;
// a runner that reports nothing for this long while no kata is running has stopped working
const STALL_MS = 30_000;

interface Running {
  job: SpecJob;
  file: string;
  startedAt: number;
  tests: TestOutcome[];
  /** the most memory its worker held while it ran, in bytes */
  peakBytes: number;
  /** its worker's wait for a CPU when it was first seen on this kata, and the latest, in ns */
  waitedFromNs?: number;
  waitedNs: number;
}

/** however busy the machine, a kata is stopped once this many times its limit has gone by */
const MOST_FORGIVEN = 3;

/**
 * How long a kata has had: the time since its worker started on it, less the
 * time its worker spent waiting for a CPU that other processes held. A kata
 * that spins or waits on itself is charged all of it; a busy machine is not
 * charged to the kata, up to MOST_FORGIVEN times its limit.
 */
const elapsedMs = (entry: Running, now: number) => {
  const wall = now - entry.startedAt;
  const own = wall - (entry.waitedNs - (entry.waitedFromNs ?? entry.waitedNs)) / 1e6;
  return Math.max(own, wall / MOST_FORGIVEN);
};

/** where each worker is, from the files they write as a spec loads and before every test */
function whereWorkers(dir: string): Map<number, { file: string; test?: string }> {
  const workers = new Map<number, { file: string; test?: string }>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // the runner is gone and its folder with it: no worker says where it is
    return workers;
  }
  for (const name of names) {
    try {
      workers.set(
        Number(name),
        JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { file: string; test?: string },
      );
    } catch {
      // a trace caught half written: the test is unknown
    }
  }
  return workers;
}

interface Attempt {
  /** the runner, alive and idle, when it finished its batch: the next batch may use it */
  idle?: ChildProcess;
  completed: SpecOutcome[];
  /** modules stopped or lost, with why */
  stopped: Array<{ job: SpecJob; tests: TestOutcome[]; cause: Cause }>;
  /** modules in flight when the runner itself died: which of them did it is found by running each alone */
  suspects: SpecJob[];
  unhandled: ErrorInfo[];
  /** the runner failed before it could run anything */
  fatal?: string;
}

const keyOf = (job: SpecJob) => jobKey(job.kata.id, targetId(job.target));

function stoppedOutcome(job: SpecJob, tests: TestOutcome[], cause: Cause): SpecOutcome {
  return {
    kataId: job.kata.id,
    chapter: job.kata.chapter,
    target: targetId(job.target),
    tests,
    loadErrors: [],
    durationMs: 0,
    cause,
  };
}

const where = (test: string | undefined) => (test ? ` in test "${test}"` : " while loading");
const megabytes = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.round(bytes / 2 ** 20)} MB`;

/** a worker that died: out of heap, by V8's own words, or otherwise */
function crashCause(stderr: string, memoryMb: number, test: string | undefined): Cause {
  if (/heap limit|heap out of memory|Allocation failed/i.test(stderr)) {
    return { kind: "memory", message: `exceeded ${memoryMb} MB${where(test)}` };
  }
  const last = stderr.trim().split("\n").filter(Boolean).pop() ?? "no message";
  return { kind: "crash", message: `its worker died${where(test)}: ${last.slice(0, 200)}` };
}

/** a kata past its time limit; near its memory cap, the garbage collector's struggle is the likely reason */
function timeoutCause(entry: Running, test: string | undefined): Cause {
  const { timeMs, memoryMb } = entry.job.kata.limits;
  const cause = timedOut(timeMs, test);
  // a worker this full spends its time collecting garbage: the memory, not a loop, is the likely story
  if (entry.peakBytes > (memoryMb + RUNTIME_ALLOWANCE_MB / 2) * 2 ** 20)
    cause.message += `, with its worker holding ${megabytes(entry.peakBytes)}: something keeps growing`;
  return cause;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    // the runner leads a process group: its Vitest workers go with it
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/** how this process starts runners, found once: the bundled runner, built if need be (runner-bundle.ts) */
let runnerStart: Promise<{ file: string; execArgv: string[] }> | undefined;
const howToStart = () => {
  runnerStart ??= runnerCommand();
  return runnerStart;
};

/** each runner's own folder: TMPDIR for Vitest's transformed modules, and where its workers say where they are */
const runnerDirs = new WeakMap<ChildProcess, { tmp: string; traces: string }>();

/**
 * A runner process in its own group; it loads Vitest, then waits for a batch.
 * Its folder (its TMPDIR and its workers' traces) is made here and removed when
 * it exits, however it ends: the same for all its batches, so it can fork the
 * next batch's workers before the batch comes (`start.workers`).
 */
async function startRunner(start: RunnerStart = {}): Promise<ChildProcess> {
  const { file, execArgv } = await howToStart();
  const dir = mkdtempSync(path.join(os.tmpdir(), "sdk-runner-"));
  const dirs = { tmp: path.join(dir, "tmp"), traces: path.join(dir, "traces") };
  mkdirSync(dirs.tmp);
  mkdirSync(dirs.traces);
  const env = { ...process.env, TMPDIR: dirs.tmp, SDK_RUNNER_TMP: dirs.tmp, SDK_TRACE_DIR: dirs.traces };
  const child = fork(file, [JSON.stringify(start)], {
    execArgv,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  runnerDirs.set(child, dirs);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // at the grader's own exit the group is killed (its exit handlers) and the folder goes with it
  process.once("exit", remove);
  child.once("exit", () => {
    process.off("exit", remove);
    // not at once: the supervisor reads which test each worker was in when a runner dies
    setImmediate(remove);
  });
  return child;
}

/** the folder a runner's workers write where they are to, emptied of an earlier batch's */
function tracesOf(child: ChildProcess): string {
  const dirs = runnerDirs.get(child);
  if (!dirs) throw new Error("a runner this supervisor did not start");
  for (const name of readdirSync(dirs.traces)) rmSync(path.join(dirs.traces, name), { force: true });
  return dirs.traces;
}

/**
 * Runners kept between batches: a grade's load pass runs in the runner its
 * first pass used, which saves about a second of startup. Close it when done.
 */
export class RunnerPool {
  #idle: ChildProcess | undefined;
  // at the grader's own exit there is no time for a goodbye: stop the group at once
  readonly #cleanup = () => {
    if (this.#idle) killGroup(this.#idle);
  };

  take(): ChildProcess | undefined {
    const child = this.#idle;
    this.#idle = undefined;
    if (child) process.off("exit", this.#cleanup);
    // a runner that died while it waited is no runner
    if (child && (child.exitCode !== null || child.signalCode !== null || !child.connected)) {
      killGroup(child);
      return undefined;
    }
    return child;
  }

  /**
   * A runner started now, to be idle and loaded by the time a batch comes, with
   * `workers` Vitest workers forked for it (--watch, and a grade's early start).
   * An idle runner already here is asked to fork its workers for the next batch.
   */
  async warm(ahead: { root: string; workers: number } | undefined = undefined): Promise<void> {
    // SDK_WORKERS_AHEAD=0 leaves every worker to Vitest (a check that forking ahead changes nothing)
    const start =
      ahead && process.env.SDK_WORKERS_AHEAD !== "0" ? { ...ahead, memoryMb: DEFAULT_LIMITS.memoryMb } : undefined;
    if (this.#idle) {
      if (start && this.#idle.connected) this.#idle.send({ type: "warm", ...start } satisfies RunnerMessage);
      return;
    }
    const child = await startRunner(start);
    if (this.#idle) dismiss(child);
    else this.give(child);
  }

  give(child: ChildProcess): void {
    this.close();
    this.#idle = child;
    process.once("exit", this.#cleanup);
  }

  close(): void {
    const child = this.take();
    if (child) dismiss(child);
  }
}

/** a runner that finished its batch: tell it to go, and make sure it does */
function dismiss(child: ChildProcess): void {
  if (child.connected) child.send({ type: "exit" } satisfies RunnerMessage);
  child.stdout?.resume();
  child.stderr?.resume();
  const timer = setTimeout(() => killGroup(child), 2_000);
  timer.unref();
  child.once("exit", () => clearTimeout(timer));
}

/**
 * One runner process over the jobs. A kata past its time limit, or whose
 * worker holds more memory than its limit allows, stops the attempt: it is
 * charged, the group is killed, and the jobs not finished are run again.
 */
async function attempt(
  jobs: SpecJob[],
  options: Omit<RunOptions, "jobs" | "onEvent">,
  memoryMb: number,
  reused?: ChildProcess,
  onEvent?: (event: RunEvent) => void,
): Promise<Attempt> {
  const child = reused ?? (await startRunner());
  const byKey = new Map(jobs.map((job) => [keyOf(job), job]));
  const running = new Map<string, Running>();
  const completed: SpecOutcome[] = [];
  const traces = tracesOf(child);
  const workerCap = (memoryMb + RUNTIME_ALLOWANCE_MB) * 2 ** 20;
  // the test a stopped or dead module was in, if it had started one
  const testOf = (entry: Running) => [...whereWorkers(traces).values()].find((w) => w.file === entry.file)?.test;
  let stderr = "";
  let lastEvent = performance.now();
  let lastSample = 0;
  return new Promise<Attempt>((resolve) => {
    const onStdout = (chunk: Buffer) => {
      if (options.verbose) process.stdout.write(chunk);
    };
    const onStderr = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-64_000);
      if (options.verbose) process.stderr.write(chunk);
    };
    child.stdout?.on("data", onStdout);
    child.stderr?.on("data", onStderr);
    // the group is detached: if the grader itself is stopped (Ctrl-C), the group goes too
    const cleanup = () => killGroup(child);
    process.once("exit", cleanup);
    let settled = false;
    const finish = (result: Omit<Attempt, "suspects"> & { suspects?: SpecJob[] }) => {
      if (settled) return;
      settled = true;
      // a runner that is not kept goes with its whole group: a worker spinning in a loop cannot
      // hear its runner go, and would run on, orphaned, if the runner died first
      if (!result.idle) killGroup(child);
      clearInterval(watchdog);
      process.off("exit", cleanup);
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.stdout?.off("data", onStdout);
      child.stderr?.off("data", onStderr);
      resolve({ suspects: [], ...result });
    };
    const lost = () =>
      [...running.values()].map((r) => ({
        job: r.job,
        tests: r.tests,
        cause: crashCause(stderr, memoryMb, testOf(r)),
      }));
    /** stop the group: charge these, run the rest again */
    const stopWith = (charged: Array<{ entry: Running; cause: Cause }>) => {
      killGroup(child);
      for (const { entry } of charged) running.delete(keyOf(entry.job));
      finish({
        completed,
        stopped: charged.map(({ entry, cause }) => ({ job: entry.job, tests: entry.tests, cause })),
        unhandled: [],
      });
    };

    const onMessage = (event: RunEvent) => {
      lastEvent = performance.now();
      onEvent?.(event);
      switch (event.type) {
        case "module-start": {
          const job = byKey.get(jobKey(event.kataId, event.target));
          if (job && !running.has(keyOf(job)))
            running.set(keyOf(job), {
              job,
              file: event.file,
              startedAt: lastEvent,
              tests: [],
              peakBytes: 0,
              waitedNs: 0,
            });
          break;
        }
        case "test-start":
          break;
        case "test-end":
          running.get(jobKey(event.kataId, event.target))?.tests.push(event.outcome);
          break;
        case "module-end":
          running.delete(jobKey(event.outcome.kataId, event.outcome.target));
          completed.push(event.outcome);
          break;
        case "done": {
          // a module that started and never ended lost its worker (Vitest carries on without it)
          const unhandled = event.unhandled.filter(
            (e) => !/Worker .* emitted error|Worker exited unexpectedly/i.test(e.message),
          );
          // a module in flight at the end lost its worker: the runner is fine, but start afresh
          const stopped = lost();
          if (stopped.length > 0) dismiss(child);
          if (options.verbose && event.workers)
            process.stderr.write(
              `runner: ${event.workers.ahead} worker(s) forked ahead, ${event.workers.onDemand} forked on demand\n`,
            );
          finish({ completed, stopped, unhandled, ...(stopped.length === 0 ? { idle: child } : {}) });
          break;
        }
        case "failed":
          dismiss(child);
          finish({ completed, stopped: lost(), unhandled: [], fatal: event.message });
          break;
      }
    };
    child.on("message", onMessage);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      const how = signal ? `was killed (${signal})` : `exited (code ${code})`;
      const inFlight = [...running.values()];
      if (inFlight.length > 1) {
        // one of them did it: each runs again alone, and the one that does it again is charged
        finish({ completed, stopped: [], suspects: inFlight.map((r) => r.job), unhandled: [] });
        return;
      }
      finish({
        completed,
        stopped: inFlight.map((r) => ({
          job: r.job,
          tests: r.tests,
          cause: { kind: "crash", message: `the grader's runner ${how}${where(testOf(r))}` },
        })),
        unhandled: [],
        ...(completed.length === 0 && inFlight.length === 0
          ? { fatal: stderr.trim() || `the grader's runner ${how} before it ran anything` }
          : {}),
      });
    };
    child.on("exit", onExit);

    const watchdog = setInterval(() => {
      const now = performance.now();
      if (now - lastSample >= SAMPLE_EVERY_MS && child.pid !== undefined && running.size > 0) {
        lastSample = now;
        const workers = whereWorkers(traces);
        const charged: Array<{ entry: Running; cause: Cause }> = [];
        // a worker also waits on the runner, which transforms the modules it asks for: the runner's
        // own wait for a CPU is the machine's as much as the worker's is
        const runnerWaitedNs = waitedForCpuNs(child.pid);
        for (const [pid, { bytes, waitedNs }] of sampleWorkers(child.pid)) {
          const at = workers.get(pid);
          const entries = [...running.values()].filter((entry) => entry.file === at?.file);
          for (const entry of entries) {
            entry.peakBytes = Math.max(entry.peakBytes, bytes);
            entry.waitedFromNs ??= waitedNs + runnerWaitedNs;
            entry.waitedNs = waitedNs + runnerWaitedNs;
          }
          if (bytes <= workerCap) continue;
          // a worker over its cap between files is charged to whatever is in flight
          for (const entry of entries.length > 0 ? entries : [...running.values()]) {
            const message = `exceeded ${memoryMb} MB: its worker held ${megabytes(bytes)} (${memoryMb + RUNTIME_ALLOWANCE_MB} MB in all is the limit, buffers included)${where(at?.test)}`;
            charged.push({ entry, cause: { kind: "memory", message } });
          }
        }
        if (charged.length > 0) return stopWith(charged);
      }
      const late = [...running.values()].filter(
        (entry) => elapsedMs(entry, now) > entry.job.kata.limits.timeMs + GRACE_MS,
      );
      if (late.length > 0) {
        // every kata already past its limit is charged; the others in flight are run again
        const over = [...running.values()].filter((entry) => elapsedMs(entry, now) > entry.job.kata.limits.timeMs);
        return stopWith(over.map((entry) => ({ entry, cause: timeoutCause(entry, testOf(entry)) })));
      }
      if (running.size === 0 && now - lastEvent > STALL_MS) {
        killGroup(child);
        finish({
          completed,
          stopped: [],
          unhandled: [],
          fatal: `the grader's runner reported nothing for ${seconds(STALL_MS)}`,
        });
      }
    }, TICK_MS);

    child.send({ type: "run", options: { ...options, jobs, memoryMb } } satisfies RunnerMessage);
  });
}

/**
 * Runs the specs in a separate process group and watches it: a kata that runs
 * past its time limit (a loop that never ends, a promise that never settles,
 * at load or in a test) is stopped and reported as timed out; one whose worker
 * dies or outgrows its memory is reported with the cause; when the runner
 * itself dies with several katas in flight, each runs again alone, so the one
 * that did it is named. Every other kata is run again until each has an
 * outcome. Jobs are grouped by their memory limit, one worker heap size each.
 */
export async function superviseSpecs(options: RunOptions, pool?: RunnerPool): Promise<RunResult> {
  const { jobs, onEvent, ...given } = options;
  // a lab's servers start here, in the grade's own process, once: they outlive the runners and
  // go when the grade does (servers/labs.ts)
  const rest = { ...given, labServers: await labServersFor(options.root, jobs) };
  const outcomes = new Map<string, SpecOutcome>();
  const unhandled: ErrorInfo[] = [];
  const groups = new Map<number, SpecJob[]>();
  for (const job of jobs) {
    // a lab whose server this machine lacks is skipped, with how to get it
    const lacks = missingFor(job, rest.labServers);
    if (lacks) {
      outcomes.set(keyOf(job), stoppedOutcome(job, [], { kind: "needs-server", message: lacks }));
      continue;
    }
    groups.set(job.kata.limits.memoryMb, [...(groups.get(job.kata.limits.memoryMb) ?? []), job]);
  }
  const couldNotRun = (job: SpecJob, message?: string) =>
    outcomes.set(keyOf(job), {
      ...stoppedOutcome(job, [], { kind: "crash", message: "the grader could not run it" }),
      loadErrors: message ? [{ name: "Error", message }] : [],
    });

  for (const [memoryMb, group] of groups) {
    let pending = group;
    // jobs under suspicion run one at a time
    const alone: SpecJob[] = [];
    while (pending.length > 0 || alone.length > 0) {
      const single = alone.shift();
      const batch = single ? [single] : pending;
      const result = await attempt(batch, rest, memoryMb, pool?.take(), onEvent);
      if (result.idle) {
        if (pool) pool.give(result.idle);
        else dismiss(result.idle);
      }
      for (const outcome of result.completed) outcomes.set(jobKey(outcome.kataId, outcome.target), outcome);
      for (const { job, tests, cause } of result.stopped) outcomes.set(keyOf(job), stoppedOutcome(job, tests, cause));
      unhandled.push(...result.unhandled);
      const unfinished = batch.filter((job) => !outcomes.has(keyOf(job)));
      if (single) {
        // alone, it either finished, was charged, or is the one that breaks the runner
        for (const job of unfinished) couldNotRun(job, result.fatal);
        continue;
      }
      if (result.fatal) {
        // the runner could not run the batch at all: that is the grader's failure, not a kata's
        for (const job of unfinished) couldNotRun(job, result.fatal);
        pending = [];
        continue;
      }
      if (result.suspects.length > 0) {
        // the runner died with several katas in flight: each of them runs alone, the rest go on
        const suspected = new Set(result.suspects.map(keyOf));
        alone.push(...result.suspects);
        pending = unfinished.filter((job) => !suspected.has(keyOf(job)));
        continue;
      }
      const before = pending.length;
      pending = unfinished;
      if (pending.length === before) {
        // nothing finished and nothing was stopped: give up rather than loop
        for (const job of pending) couldNotRun(job);
        break;
      }
    }
  }
  return {
    outcomes: jobs.map((job) => outcomes.get(keyOf(job))).filter((o): o is SpecOutcome => o !== undefined),
    unhandled,
  };
}
