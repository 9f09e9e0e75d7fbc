// A mutant as a module a script can import (the benches; the grader itself makes mutants in memory,
// in resolver.ts): the patched reference is written under .grade/mutants/, inside the project, so
// its `#kit` import resolves as the reference's does.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { applyMutant } from "./mutant-patch.ts";

/** imports grader/mutants/<chapter>/<kata>.<name>.patch applied to its reference */
export async function importMutant<T>(root: string, chapter: string, kata: string, name: string): Promise<T> {
  const code = applyMutant(root, `grader/mutants/${chapter}/${kata}.${name}.patch`);
  const file = path.join(root, ".grade", "mutants", chapter, `${kata}.${name}.ts`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as T;
}
