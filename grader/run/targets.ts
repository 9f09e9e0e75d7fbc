import path from "node:path";
import type { Kata } from "../manifest/load.ts";

/** what `#kata/<chapter>/<kata>` means in one run of a spec */
export type Target = { kind: "learner" } | { kind: "reference" } | { kind: "stub" } | { kind: "mutant"; name: string };

export const LEARNER: Target = { kind: "learner" };
export const REFERENCE: Target = { kind: "reference" };
export const STUB: Target = { kind: "stub" };

export function targetId(target: Target): string {
  return target.kind === "mutant" ? `mutant:${target.name}` : target.kind;
}

export function parseTargetId(id: string): Target {
  if (id === "learner" || id === "reference" || id === "stub") return { kind: id };
  const mutant = /^mutant:([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(id);
  if (mutant?.[1]) return { kind: "mutant", name: mutant[1] };
  throw new Error(`unknown kata target "${id}": expected learner, reference, stub or mutant:<name>`);
}

/** the file `#kata/<chapter>/<file>` resolves to for a target, relative to the root */
export function targetFile(chapter: string, file: string, target: Target): string {
  switch (target.kind) {
    case "learner":
      return `katas/${chapter}/${file}.ts`;
    case "stub":
      // the pristine stub: what katas/ holds before the learner starts, kept apart from the learner's work
      return `grader/stubs/${chapter}/${file}.ts`;
    case "reference":
      return `solutions/${chapter}/${file}.ts`;
    case "mutant":
      // no such file: the module the resolver makes of the mutant's patch (mutantPatchFile) and the reference
      return `grader/mutants/${chapter}/${file}.${target.name}.ts`;
  }
}

/** the patch a mutant's module is made from: a unified diff against the reference, relative to the root */
export function mutantPatchFile(moduleFile: string): string {
  return moduleFile.replace(/\.ts$/, ".patch");
}

/** the file a kata's `#kata` import resolves to for a target, relative to the root */
export function kataTargetFile(kata: Pick<Kata, "chapter" | "file">, target: Target): string {
  return targetFile(kata.chapter, path.basename(kata.file, ".ts"), target);
}
