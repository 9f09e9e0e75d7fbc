// the process a supervisor starts: it runs batches of specs, one at a time, and reports each step
// over IPC. After a batch it waits for the next (a grade's load pass reuses it and skips a second
// of startup) until it is told to exit or its supervisor goes away. While it waits it may fork the
// next batch's Vitest workers (warm-workers.ts): first thing at startup, and when asked to.

import { DEFAULT_LIMITS } from "../manifest/limits.ts";
import type { RunEvent } from "./events.ts";
import type { RunOptions } from "./run-specs.ts";
import { forkWorkersAhead, stopWarm, workersOfRun } from "./warm-workers.ts";

/** what a supervisor sends: a batch to run, workers to fork ahead for the next, or the word to stop */
export type RunnerMessage =
  | { type: "run"; options: Omit<RunOptions, "onEvent"> }
  | { type: "warm"; root: string; workers: number; memoryMb: number }
  | { type: "exit" };

/** what a supervisor passes a runner as its one argument: workers to fork as it starts */
export interface RunnerStart {
  root?: string;
  workers?: number;
  memoryMb?: number;
}

const send = (event: RunEvent) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(event, undefined, {}, () => resolve());
  });

async function run(options: Omit<RunOptions, "onEvent">): Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  try {
    const { runSpecs } = await import("./run-specs.ts");
    let forNext = options.workersForNext ?? 0;
    const result = await runSpecs({
      ...options,
      onEvent: (event) => {
        // once this batch's workers have started, the next batch's are forked, while this one runs
        if (forNext > 0 && event.type === "module-start") {
          forkWorkersAhead(options.root, forNext, options.memoryMb ?? DEFAULT_LIMITS.memoryMb);
          forNext = 0;
        }
        pending = pending.then(() => send(event));
      },
    });
    await pending;
    await send({ type: "done", unhandled: result.unhandled, workers: workersOfRun() });
  } catch (error) {
    await pending;
    await send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  // a worker forked ahead and not taken is as fresh as ever: the next batch may take it; the
  // runner stops those left when it goes
}

const stop = () => {
  stopWarm();
  process.disconnect?.();
  process.exit(0);
};

process.on("message", (message: RunnerMessage) => {
  if (message.type === "exit") stop();
  else if (message.type === "warm") forkWorkersAhead(message.root, message.workers, message.memoryMb);
  else void run(message.options);
});
process.on("disconnect", () => {
  stopWarm();
  process.exit(0);
});

// the workers first, then the rest of the runner and Vitest's Node API, all while the CLI loads
const start = JSON.parse(process.argv[2] ?? "{}") as RunnerStart;
if (start.root && start.workers && start.memoryMb) forkWorkersAhead(start.root, start.workers, start.memoryMb);
await import("./run-specs.ts");
await import("vitest/node");
