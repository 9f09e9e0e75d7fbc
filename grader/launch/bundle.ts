// Builds the grader's TypeScript into plain JavaScript with esbuild, so Node loads it with no
// TypeScript loader: the runner (run/runner-bundle.ts) and the CLI (launch/grade.mjs). Packages
// in node_modules stay outside (Node loads them natively); each module's import.meta.url stays its
// own, so a module finds the files beside it as it did unbundled.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";

// each module's own URL, where it asks for it: the grader finds worker-setup.ts and its folders
// from there, not from the bundle's place in .grade/ (spelt in pieces: this file is bundled too)
const IMPORT_META_URL = ["import", "meta", "url"].join(".");
const ownUrls: Plugin = {
  name: "own-import-meta-url",
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replaceAll(
        IMPORT_META_URL,
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: "ts",
    }));
  },
};

// npm packages stay outside the bundle; the project's own `#kit`-style imports are bundled
const packagesOutside: Plugin = {
  name: "packages-outside",
  setup(context) {
    context.onResolve({ filter: /^(node:|[^./#])/ }, (args) =>
      args.path.startsWith("/") ? undefined : { path: args.path, external: true },
    );
  },
};

/** how every build of the grader is made: one ES module for Node 20, packages outside */
const COMMON = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [packagesOutside, ownUrls],
  logLevel: "silent",
} as const satisfies BuildOptions;

/**
 * Builds `entry` so that `built` (…/<hash>/<name>.mjs) is its bundle: one module for what it
 * loads at once, and a chunk for each module it imports only when asked for, whose packages stay
 * unloaded until then (a chunk's external imports are its own). Built beside, then renamed into
 * place, so a half-built bundle is never imported. False if it could not be built.
 */
export async function buildBundle(entry: string, built: string): Promise<boolean> {
  const dir = path.dirname(built);
  const temporary = `${dir}.${process.pid}.tmp`;
  try {
    // esbuild loads only when a bundle is built: most commands find theirs built
    const { build } = await import("esbuild");
    await build({
      entryPoints: { [path.basename(built, ".mjs")]: entry },
      outdir: temporary,
      splitting: true,
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
      ...COMMON,
      banner: { js: "// built by grader/launch/bundle.ts from the grader's TypeScript: do not edit" },
    });
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // another command built the same sources first: theirs is as good
      rmSync(temporary, { recursive: true, force: true });
      if (!existsSync(built)) throw error;
    }
    removeOldBuilds(path.dirname(dir), path.basename(dir));
    return true;
  } catch {
    rmSync(temporary, { recursive: true, force: true });
    return false;
  }
}

/** builds of earlier sources, a day after they were replaced: a --watch begun before may still use one */
function removeOldBuilds(builds: string, current: string): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(builds)) {
    const at = path.join(builds, name);
    // the runner's learned worker launch and the CLI's compiled course modules are kept
    if (name !== current && name !== "modules" && !name.endsWith(".json") && statSync(at).mtimeMs < dayAgo)
      rmSync(at, { recursive: true, force: true });
  }
}

/** compiles one module of the course, with what it imports of the course, into `outfile` */
export async function compileModule(entry: string, outfile: string): Promise<void> {
  const { build } = await import("esbuild");
  await build({ entryPoints: [entry], outfile, ...COMMON });
}
