// how far a mutant has moved from its reference: a mutant is the reference with one mistake, and a
// reference changed without its mutants leaves them testing code nobody ships
import { structuredPatch } from "diff";

/** at most this many changed lines, unless the header says why the mutant is a rewrite */
export const MAX_MUTANT_DRIFT = 40;

// the file's header comment says what the file is: it differs by design
const withoutHeader = (source: string) => source.replace(/^\/\*\*[\s\S]*?\*\/\n/, "");

// a line that is blank or only a comment changes nothing a spec can see
const counts = (line: string) => !/^[+-]\s*(\/\/.*)?$/.test(line);

/** the lines of code added or removed between the reference and the mutant, headers aside */
export function changedLines(reference: string, mutant: string): number {
  const patch = structuredPatch("reference", "mutant", withoutHeader(reference), withoutHeader(mutant), "", "", {
    context: 0,
  });
  return patch.hunks.reduce((total, hunk) => total + hunk.lines.filter(counts).length, 0);
}
