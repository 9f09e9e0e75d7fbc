// the process a supervisor starts: it runs one batch of specs and reports each step over IPC
import type { RunEvent } from "./events.ts";
import { type RunOptions, runSpecs } from "./run-specs.ts";

const send = (event: RunEvent) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(event, undefined, {}, () => resolve());
  });

process.once("message", async (options: Omit<RunOptions, "onEvent">) => {
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
  process.disconnect?.();
  process.exit(0);
});
