// the process a supervisor starts: it runs batches of specs, one at a time, and reports each step
// over IPC. After a batch it waits for the next (a grade's load pass reuses it and skips a second
// of startup) until it is told to exit or its supervisor goes away.
import type { RunEvent } from "./events.ts";
import { type RunOptions, runSpecs } from "./run-specs.ts";

/** what a supervisor sends: a batch to run, or the word to stop */
export type RunnerMessage = { type: "run"; options: Omit<RunOptions, "onEvent">; traceDir: string } | { type: "exit" };

const send = (event: RunEvent) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(event, undefined, {}, () => resolve());
  });

async function run(options: Omit<RunOptions, "onEvent">, traceDir: string): Promise<void> {
  // the Vitest workers this starts inherit it: they write there which test they are in
  process.env.SDK_TRACE_DIR = traceDir;
  let pending: Promise<void> = Promise.resolve();
  try {
    const result = await runSpecs({
      ...options,
      onEvent: (event) => {
        pending = pending.then(() => send(event));
      },
    });
    await pending;
    await send({ type: "done", unhandled: result.unhandled });
  } catch (error) {
    await pending;
    await send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

const stop = () => {
  process.disconnect?.();
  process.exit(0);
};

process.on("message", (message: RunnerMessage) => {
  if (message.type === "exit") stop();
  else void run(message.options, message.traceDir);
});
process.on("disconnect", () => process.exit(0));
