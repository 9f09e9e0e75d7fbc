import path from "node:path";
import { createVitest } from "vitest/node";
import { kataResolver } from "./resolver.ts";
import { type RunOptions, vitestOptions } from "./run-specs.ts";
import { sandboxFor } from "./sandbox.ts";

/**
 * Opens @vitest/ui on the selected specs, resolving #kata to the learner's
 * katas (or the reference): the tests as a tree, their output, and reruns on
 * save. It runs in this process, without the grader's supervisor: a kata that
 * loops forever hangs the UI's worker until it is fixed and saved.
 */
export async function openUi(options: RunOptions & { port: number }): Promise<string> {
  const specs = options.jobs.map((job) => job.kata.paths.spec);
  const vitest = await createVitest(
    "test",
    {
      // the UI runs as long as the learner keeps it open: its sandbox closes with the process
      ...vitestOptions(options, sandboxFor(options.root, path.join(options.root, ".grade", "targets", "ui"))),
      include: specs,
      watch: true,
      ui: true,
      open: false,
      api: { host: "127.0.0.1", port: options.port, strictPort: false },
    },
    { plugins: kataResolver(options.root, options.defaultTarget ?? { kind: "learner" }), logLevel: "warn" },
  );
  await vitest.start();
  const port = vitest.vite.config.server.port ?? options.port;
  return `http://127.0.0.1:${port}/__vitest__/`;
}
