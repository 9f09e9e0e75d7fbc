// The runner as one JavaScript file, built once per version of the grader: a runner started with
// tsx's loader pays its hooks on every module it loads, Vitest's included (about 0.6 s where plain
// Node takes 0.2 s), and a grade starts a runner each time. The bundle keeps node_modules outside
// (Node loads them natively) and lives in .grade/runner/, named by a hash of the grader's sources,
// so an edited grader is built again on the next grade. If it cannot be built, the runner starts
// from its TypeScript under tsx, as before.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";

const graderDir = fileURLToPath(new URL("..", import.meta.url));
const entry = path.join(graderDir, "run", "runner.ts");
/** the grader's own project: its .grade/ holds the bundle whatever project is being graded */
const home = path.dirname(graderDir.replace(/[\\/]$/, ""));
const bundles = path.join(home, ".grade", "runner");

// folders of the grader the runner never loads: a change there need not rebuild it
const UNUSED = new Set(["specs", "mutants", "test", "bench", "cli", "stubs"]);

/** every TypeScript source the runner could load, with its contents' hash, in a stable order */
function sources(): string {
  const hash = createHash("sha256");
  const files = readdirSync(graderDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !UNUSED.has(path.relative(graderDir, file).split(path.sep)[0] ?? ""))
    .sort();
  for (const file of files) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
  hash.update(process.version);
  return hash.digest("hex").slice(0, 16);
}

// each module's own URL, where it asks for it: the runner finds worker-setup.ts and the grader's
// folders from there, not from the bundle's place in .grade/
const ownUrls: Plugin = {
  name: "own-import-meta-url",
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replaceAll(
        "import.meta.url",
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: "ts",
    }));
  },
};

/** the bundled runner, built now if this version of the grader has none yet; undefined if it cannot be */
export async function runnerBundle(): Promise<string | undefined> {
  try {
    const name = `runner-${sources()}.mjs`;
    const file = path.join(bundles, name);
    if (existsSync(file)) return file;
    mkdirSync(bundles, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    // esbuild loads only when a bundle is built: most grades find theirs built
    const { build } = await import("esbuild");
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile: temporary,
      plugins: [ownUrls],
      logLevel: "silent",
      // the packages the bundle imports resolve from .grade/runner/ up to the project's node_modules
      banner: { js: "// built by grader/run/runner-bundle.ts: do not edit" },
    });
    renameSync(temporary, file);
    // older versions of the grader's runner are of no more use once no grade can be using them:
    // a --watch started before the grader changed forks its runners from the bundle it began with
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const old of readdirSync(bundles)) {
      const at = path.join(bundles, old);
      if (old !== name && old.endsWith(".mjs") && statSync(at).mtimeMs < dayAgo) rmSync(at, { force: true });
    }
    return file;
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
