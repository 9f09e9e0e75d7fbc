// Where the grader's builds live and the hash that names them. Plain JavaScript: the launcher
// (grade.mjs) needs them before any TypeScript loader runs; the runner's bundle is named the same way.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * A short hash of the TypeScript sources under `graderDir` (those in its top
 * folders named in `skip`, and those no build includes, left out) and of Node's
 * version: a change to any of them names a new build.
 * @param {string} graderDir
 * @param {ReadonlySet<string>} skip
 * @returns {string}
 */
export function sourcesHash(graderDir, skip) {
  const hash = createHash("sha256");
  for (const [file, contents] of sources(graderDir)) {
    if (skip.has(path.relative(graderDir, file).split(path.sep)[0] ?? "")) continue;
    hash.update(file).update("\0").update(contents).update("\0");
  }
  hash.update(process.version);
  return hash.digest("hex").slice(0, 16);
}

// folders of the grader no build includes: what the specs, the matrix and the grader's tests use
const NEVER_BUILT = new Set(["specs", "mutants", "test", "stubs", "bench"]);

// the sources as read once in this process: the launcher names the CLI's build, the CLI the
// runner's, from the same files (kept on globalThis: the CLI's build has a copy of this module)
const READ = Symbol.for("system-design-katas.grader-sources");

/**
 * Every TypeScript file under `graderDir` with its contents, in a stable order.
 * @param {string} graderDir
 * @returns {Array<[string, Buffer]>}
 */
function sources(graderDir) {
  const shared = /** @type {{ [READ]?: Map<string, Array<[string, Buffer]>> }} */ (globalThis);
  const read = shared[READ] ?? new Map();
  shared[READ] = read;
  let files = read.get(graderDir);
  if (!files) {
    // the folders no build includes are never walked: the grader's tests make and remove scratch
    // projects under test/ while other tests grade, and a folder gone mid-walk would throw
    files = readdirSync(graderDir, { withFileTypes: true })
      .filter((top) => !NEVER_BUILT.has(top.name))
      .flatMap((top) =>
        top.isDirectory()
          ? readdirSync(path.join(graderDir, top.name), { recursive: true, withFileTypes: true })
          : [top],
      )
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort()
      .map((file) => /** @type {[string, Buffer]} */ ([file, readFileSync(file)]));
    read.set(graderDir, files);
  }
  return files;
}

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
    sourcesHash(graderDir, new Set()),
    "grade.mjs",
  );
}
