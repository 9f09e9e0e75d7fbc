// A mutant is stored as a unified diff against its reference: the one mistake is the whole file.
// The patch's preamble (the lines before `---`) is its header: which reference and mistake, the
// bug in prose, `@caughtBy` and, for a different design on purpose, `@rewrites`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { applyPatch, createTwoFilesPatch, parsePatch } from "diff";

/** a mutant's patch that no longer applies to its reference, or does not say what it is */
export class MutantPatchError extends Error {
  override name = "MutantPatchError";
}

export interface MutantPatch {
  /** root-relative path of the reference the patch applies to */
  reference: string;
  /** the mistake's name, as in the file name */
  name: string;
  /** the header: the preamble's lines, the first naming the reference and the mistake */
  preamble: string[];
  /** the unified diff itself, from its `---` line */
  diff: string;
}

/** the first line of every mutant's preamble */
export const firstLine = (reference: string, name: string) => `Mutant of ${reference}: ${name}.`;

/** the reference and mistake a patch file's name and first line give */
export function readMutantPatch(text: string, file: string): MutantPatch {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith("--- "));
  if (start < 0)
    throw new MutantPatchError(`${file}: no diff in it (a mutant is a unified diff against its reference)`);
  const preamble = lines.slice(0, start);
  // the blank line that sets the header off from the diff is not the header's
  while (preamble.at(-1)?.trim() === "") preamble.pop();
  const match = /^Mutant of (\S+\.ts): ([a-z0-9]+(?:-[a-z0-9]+)*)\.$/.exec(preamble[0] ?? "");
  if (!match?.[1] || !match[2])
    throw new MutantPatchError(`${file}: its first line must be "Mutant of solutions/<chapter>/<kata>.ts: <mistake>."`);
  return { reference: match[1], name: match[2], preamble, diff: lines.slice(start).join("\n") };
}

/** the reference with the mistake made: the code a matrix run grades as the mutant */
export function applyMutant(root: string, file: string): string {
  const mutant = readMutantPatch(readFileSync(path.join(root, file), "utf8"), file);
  const reference = readFileSync(path.join(root, mutant.reference), "utf8");
  const [patch, ...more] = parsePatch(mutant.diff);
  if (!patch || more.length > 0) throw new MutantPatchError(`${file}: expected a diff of one file`);
  const patched = applyPatch(reference, patch);
  if (patched === false)
    throw new MutantPatchError(
      `mutant ${mutant.name} (${file}) no longer applies to ${mutant.reference}: the reference changed where the mistake is; ` +
        `npm run mutant -- open ${path.basename(mutant.reference, ".ts")} ${mutant.name} makes the mistake again on the current reference`,
    );
  if (patched === reference) throw new MutantPatchError(`${file}: the patch changes nothing in ${mutant.reference}`);
  return patched;
}

/** the patch file for a mutant: its header, then the diff from the reference to the mutated code */
export function formatMutantPatch(reference: string, preamble: string[], before: string, after: string): string {
  const diff = createTwoFilesPatch(reference, reference, before, after, undefined, undefined, {
    context: 3,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
  if (diff === undefined) throw new MutantPatchError(`no diff for ${reference}`);
  const header = preamble.map((line) => line.trimEnd());
  const unsafe = header.find((line) => /^(---|\+\+\+|@@|Index:|={3,})/.test(line));
  if (unsafe !== undefined)
    throw new MutantPatchError(`a mutant's header line may not look like a diff line: "${unsafe}"`);
  while (header.at(-1) === "") header.pop();
  return `${header.join("\n")}\n\n${diff}`;
}

/** the `@caughtBy <test name>` line of a mutant's header, if it has one */
export function caughtByOf(preamble: string[] | string): string | undefined {
  const text = Array.isArray(preamble) ? preamble.join("\n") : preamble;
  return /^\s*(?:\*\s*)?@caughtBy\s+(.+?)\s*$/m.exec(text)?.[1];
}

/** the reason a mutant rewrites more than the drift limit allows, from its `@rewrites` line */
export function rewritesOf(preamble: string[] | string): string | undefined {
  const text = Array.isArray(preamble) ? preamble.join("\n") : preamble;
  return /^\s*(?:\*\s*)?@rewrites\s+(.+?)\s*$/m.exec(text)?.[1];
}
