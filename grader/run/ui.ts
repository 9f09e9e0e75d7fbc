import path from "node:path";
import { fileURLToPath } from "node:url";
import { createVitest, type Vite, type Vitest } from "vitest/node";
import { kataResolver } from "./resolver.ts";
import { type RunOptions, vitestOptions } from "./run-specs.ts";
import { sandboxFor } from "./sandbox.ts";

const graderDir = fileURLToPath(new URL("..", import.meta.url));
const uiVitest = fileURLToPath(new URL("./ui-vitest.ts", import.meta.url));

/**
 * The specs and their helpers import `vitest` through ui-vitest.ts, whose `it` ends a stub's todo()
 * as skipped: an untouched kata reads as todo in the UI, as it does in a grade
 */
function todoAsSkipped(root: string): Vite.Plugin {
  const specs = [path.join(root, "grader", "specs"), path.join(graderDir, "specs"), path.join(graderDir, "spec")];
  return {
    name: "system-design-katas:ui-todo",
    enforce: "pre",
    // a rewrite of the import, not a resolution: Vitest loads "vitest" itself, past the plugins
    transform(code, id) {
      const file = id.split("?")[0] ?? id;
      if (!specs.some((dir) => file.startsWith(dir + path.sep))) return null;
      return code.replace(/(from\s+)(["'])vitest\2/g, `$1${JSON.stringify(uiVitest)}`);
    },
  };
}

/**
 * Opens @vitest/ui on the selected specs, resolving #kata to the learner's
 * katas (or the reference): the tests as a tree, their output, and reruns on
 * save; a kata still at its stub shows its tests as skipped, "todo: ...". It
 * runs in this process, without the grader's supervisor: a kata that loops
 * forever hangs the UI's worker until it is fixed and saved.
 */
export async function openUi(options: RunOptions & { port: number }): Promise<{ url: string; vitest: Vitest }> {
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
      // the UI shows every result: the terminal keeps to its address (a reporter that says nothing)
      reporters: [{}],
    },
    {
      plugins: [
        ...kataResolver(options.root, options.defaultTarget ?? { kind: "learner" }),
        todoAsSkipped(options.root),
      ],
      logLevel: "warn",
    },
  );
  await vitest.start();
  const port = vitest.vite.config.server.port ?? options.port;
  return { url: `http://127.0.0.1:${port}/__vitest__/`, vitest };
}
