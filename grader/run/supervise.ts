import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { timedOut } from "./cause.ts";
import { jobKey, type RunEvent } from "./events.ts";
import type { Cause, ErrorInfo, SpecOutcome, TestOutcome } from "./outcome.ts";
import type { RunOptions, RunResult, SpecJob } from "./run-specs.ts";
import type { RunnerMessage } from "./runner.ts";
import { targetId } from "./targets.ts";

const runner = fileURLToPath(new URL("./runner.ts", import.meta.url));

// how often the watchdog looks, and how far past its limit a kata may run before it is stopped
const TICK_MS = 100;
const GRACE_MS = 250;

interface Running {
  job: SpecJob;
  file: string;
  startedAt: number;
  tests: TestOutcome[];
}

/** the test each worker was in, from the files they write before every test */
function currentTests(dir: string): Map<string, string> {
  const tests = new Map<string, string>();
  if (!existsSync(dir)) return tests;
  for (const name of readdirSync(dir)) {
    try {
      const { file, test } = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { file: string; test: string };
      tests.set(file, test);
    } catch {
      // a trace caught half written: the test is unknown
    }
  }
  return tests;
}

interface Attempt {
  /** the runner, alive and idle, when it finished its batch: the next batch may use it */
  idle?: ChildProcess;
  completed: SpecOutcome[];
  /** modules stopped or lost, with why */
  stopped: Array<{ job: SpecJob; tests: TestOutcome[]; cause: Cause }>;
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

/** a worker that died: out of heap, by V8's own words, or otherwise */
function crashCause(stderr: string, memoryMb: number, test: string | undefined): Cause {
  const where = test ? ` in test "${test}"` : " while loading";
  if (/heap limit|heap out of memory|Allocation failed/i.test(stderr)) {
    return { kind: "memory", message: `exceeded ${memoryMb} MB${where}` };
  }
  const last = stderr.trim().split("\n").filter(Boolean).pop() ?? "no message";
  return { kind: "crash", message: `its worker died${where}: ${last.slice(0, 200)}` };
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

/** a runner process in its own group; it loads tsx and Vitest, then waits for a batch */
function startRunner(): ChildProcess {
  return fork(runner, [], {
    execArgv: ["--import", "tsx"],
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
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
    return child;
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

/** one runner process over the jobs; stops at the first kata past its limit */
function attempt(
  jobs: SpecJob[],
  options: Omit<RunOptions, "jobs" | "onEvent">,
  memoryMb: number,
  reused?: ChildProcess,
): Promise<Attempt> {
  const byKey = new Map(jobs.map((job) => [keyOf(job), job]));
  const running = new Map<string, Running>();
  const completed: SpecOutcome[] = [];
  const traces = mkdtempSync(path.join(os.tmpdir(), "sdk-trace-"));
  // the test a stopped or dead module was in, if it had started one
  const testOf = (entry: Running) => {
    const test = currentTests(traces).get(entry.file);
    return test;
  };
  let stderr = "";
  return new Promise<Attempt>((resolve) => {
    const child = reused ?? startRunner();
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
    const finish = (result: Attempt) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      process.off("exit", cleanup);
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.stdout?.off("data", onStdout);
      child.stderr?.off("data", onStderr);
      rmSync(traces, { recursive: true, force: true });
      resolve(result);
    };
    const lost = () =>
      [...running.values()].map((r) => ({
        job: r.job,
        tests: r.tests,
        cause: crashCause(stderr, memoryMb, testOf(r)),
      }));

    const onMessage = (event: RunEvent) => {
      switch (event.type) {
        case "module-start": {
          const job = byKey.get(jobKey(event.kataId, event.target));
          if (job) running.set(keyOf(job), { job, file: event.file, startedAt: performance.now(), tests: [] });
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
    const onExit = () => {
      if (settled) return;
      finish({
        completed,
        stopped: lost(),
        unhandled: [],
        ...(completed.length === 0 && running.size === 0 ? { fatal: stderr.trim() || "the runner exited" } : {}),
      });
    };
    child.on("exit", onExit);

    const watchdog = setInterval(() => {
      const now = performance.now();
      const over = (entry: Running) => now - entry.startedAt > entry.job.kata.limits.timeMs;
      const late = [...running.values()].filter(
        (entry) => now - entry.startedAt > entry.job.kata.limits.timeMs + GRACE_MS,
      );
      if (late.length === 0) return;
      // every kata already past its limit is charged; the others in flight are run again
      const charged = [...running.values()].filter(over);
      const stopped = charged.map((entry) => ({
        job: entry.job,
        tests: entry.tests,
        cause: timedOut(entry.job.kata.limits.timeMs, testOf(entry)),
      }));
      killGroup(child);
      for (const entry of charged) running.delete(keyOf(entry.job));
      finish({ completed, stopped, unhandled: [] });
    }, TICK_MS);

    child.send({ type: "run", options: { ...options, jobs, memoryMb }, traceDir: traces } satisfies RunnerMessage);
  });
}

/**
 * Runs the specs in a separate process group and watches it: a kata that runs
 * past its time limit (a loop that never ends, a promise that never settles)
 * is stopped and reported as timed out; one whose worker dies (out of heap) is
 * reported with the cause; every other kata is run again until each has an
 * outcome. Jobs are grouped by their memory limit, one worker heap size each.
 */
export async function superviseSpecs(options: RunOptions, pool?: RunnerPool): Promise<RunResult> {
  const { jobs, onEvent: _ignored, ...rest } = options;
  const outcomes = new Map<string, SpecOutcome>();
  const unhandled: ErrorInfo[] = [];
  const groups = new Map<number, SpecJob[]>();
  for (const job of jobs) groups.set(job.kata.limits.memoryMb, [...(groups.get(job.kata.limits.memoryMb) ?? []), job]);

  for (const [memoryMb, group] of groups) {
    let pending = group;
    while (pending.length > 0) {
      const result = await attempt(pending, rest, memoryMb, pool?.take());
      if (result.idle) {
        if (pool) pool.give(result.idle);
        else dismiss(result.idle);
      }
      for (const outcome of result.completed) outcomes.set(jobKey(outcome.kataId, outcome.target), outcome);
      for (const { job, tests, cause } of result.stopped) outcomes.set(keyOf(job), stoppedOutcome(job, tests, cause));
      unhandled.push(...result.unhandled);
      if (result.fatal) {
        for (const job of pending.filter((j) => !outcomes.has(keyOf(j)))) {
          outcomes.set(keyOf(job), {
            ...stoppedOutcome(job, [], { kind: "crash", message: "the grader could not run it" }),
            loadErrors: [{ name: "Error", message: result.fatal }],
          });
        }
        break;
      }
      const before = pending.length;
      pending = pending.filter((job) => !outcomes.has(keyOf(job)));
      if (pending.length === before) {
        // nothing finished and nothing was stopped: give up rather than loop
        for (const job of pending)
          outcomes.set(keyOf(job), stoppedOutcome(job, [], { kind: "crash", message: "the grader could not run it" }));
        break;
      }
    }
  }
  return {
    outcomes: jobs.map((job) => outcomes.get(keyOf(job))).filter((o): o is SpecOutcome => o !== undefined),
    unhandled,
  };
}
