import { execFileSync } from "node:child_process";
import { lstatSync, realpathSync } from "node:fs";
import path from "node:path";

/** the folders of the course itself: a results file never goes there */
const COURSE = ["katas", "solutions", "grader", "chapters", "docs"];

/** a --json or --junit path the grader will not write, and why */
export class ResultsDestinationError extends Error {
  override readonly name = "ResultsDestinationError";
}

function tracked(root: string, file: string): boolean {
  try {
    execFileSync("git", ["ls-files", "--error-unmatch", "--", file], { cwd: root, stdio: "ignore", timeout: 5_000 });
    return true;
  } catch {
    // not tracked, or no git here: nothing to protect that git knows of
    return false;
  }
}

/**
 * Checks a results path before anything is graded: it may not be a kata, a
 * solution, a spec, a chapter or anything git tracks, nor a folder. The file
 * is then written whole (a temporary file and a rename), which replaces a link
 * rather than writing through it.
 */
export function checkResultsDestination(root: string, option: string, file: string): string {
  const absolute = path.resolve(file);
  const realRoot = realpathSync(root);
  let parent: string;
  try {
    parent = realpathSync(path.dirname(absolute));
  } catch {
    throw new ResultsDestinationError(`${option} ${file}: the folder ${path.dirname(file)} does not exist`);
  }
  const target = path.join(parent, path.basename(absolute));
  try {
    if (lstatSync(target).isDirectory()) throw new ResultsDestinationError(`${option} ${file}: that is a folder`);
  } catch (error) {
    if (error instanceof ResultsDestinationError) throw error;
  }
  const inside = path.relative(realRoot, target);
  if (!inside.startsWith("..") && !path.isAbsolute(inside)) {
    const top = inside.split(path.sep)[0] ?? "";
    if (COURSE.includes(top) || tracked(realRoot, inside))
      throw new ResultsDestinationError(
        `${option} ${file}: that is part of the course (${inside}), which a results file never replaces; write it elsewhere, such as results.json`,
      );
  }
  return target;
}
