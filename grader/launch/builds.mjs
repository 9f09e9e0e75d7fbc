// Where the grader's builds live and the hash that names them. Plain JavaScript: the launcher
// (grade.mjs) needs them before any TypeScript loader runs; the runner's bundle is named the same way.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * A short hash of the TypeScript sources under `graderDir` (those in its top
 * folders named in `skip` left out) and of Node's version: a change to any of
 * them names a new build.
 * @param {string} graderDir
 * @param {ReadonlySet<string>} skip
 * @returns {string}
 */
export function sourcesHash(graderDir, skip) {
  const hash = createHash("sha256");
  const files = readdirSync(graderDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !skip.has(path.relative(graderDir, file).split(path.sep)[0] ?? ""))
    .sort();
  for (const file of files) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
  hash.update(process.version);
  return hash.digest("hex").slice(0, 16);
}

// folders of the grader the CLI never loads: a change there need not rebuild it
const CLI_UNUSED = new Set(["specs", "mutants", "test", "stubs", "bench"]);

/**
 * Where the CLI's build for these sources lives: in the grader's own project's
 * .grade/cli/, named by the hash of the sources it was built from.
 * @param {string} graderDir
 * @returns {string}
 */
export function cliBuild(graderDir) {
  return path.join(
    path.dirname(path.resolve(graderDir)),
    ".grade",
    "cli",
    sourcesHash(graderDir, CLI_UNUSED),
    "grade.mjs",
  );
}
