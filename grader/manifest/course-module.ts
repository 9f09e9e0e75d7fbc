// Imports a TypeScript module of the course (a chapter manifest, a reference worksheet) into the
// grader's own process. Under tsx Node imports it as it is; in the bundled CLI (launch/grade.mjs),
// where Node has no TypeScript loader, it is compiled by esbuild into .grade/cli/modules/, named by
// a hash of every TypeScript file of its folder and of the grader (whose #kit it may bundle), so an
// edit to any of them compiles it again. Never a learner's file: those load only in a worker.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cliBuild } from "../launch/builds.mjs";
import { compileModule } from "../launch/bundle.ts";

const graderDir = fileURLToPath(new URL("..", import.meta.url));
const modules = path.join(path.dirname(path.resolve(graderDir)), ".grade", "cli", "modules");

let graderBuild: string | undefined;

/** what the compiled module is named by: the file, its folder's TypeScript, and the grader's build */
function compiledName(file: string): string {
  graderBuild ??= cliBuild(graderDir);
  const hash = createHash("sha256").update(file).update("\0").update(graderBuild);
  const dir = path.dirname(file);
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".ts"))
    .sort()) {
    hash
      .update(name)
      .update("\0")
      .update(readFileSync(path.join(dir, name)))
      .update("\0");
  }
  return `${hash.digest("hex").slice(0, 16)}.mjs`;
}

/** the module's exports, imported as it is under tsx, or compiled first */
export async function importCourseModule(file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
  }
  const compiled = path.join(modules, compiledName(file));
  if (!existsSync(compiled)) {
    const temporary = `${compiled}.${process.pid}.tmp.mjs`;
    await compileModule(file, temporary);
    renameSync(temporary, compiled);
  }
  return (await import(pathToFileURL(compiled).href)) as Record<string, unknown>;
}
