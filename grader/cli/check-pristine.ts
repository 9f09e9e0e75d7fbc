// npm run check:pristine: on the project's own main branch, katas/ is exactly the pristine stubs in
// grader/stubs/. CI runs it; on a learner's checkout the differences are the learner's work.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { paint } from "../report/text.ts";
import { projectRoot } from "./common.ts";

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const root = projectRoot();
const learner = path.join(root, "katas");
const pristine = path.join(root, "grader", "stubs");
const ours = new Set(files(learner));
const theirs = new Set(files(pristine));
const problems: string[] = [];
for (const file of theirs) {
  if (!ours.has(file)) problems.push(`katas/${file} is missing`);
  else if (readFileSync(path.join(learner, file), "utf8") !== readFileSync(path.join(pristine, file), "utf8")) {
    problems.push(`katas/${file} differs from grader/stubs/${file}`);
  }
}
for (const file of ours) if (!theirs.has(file)) problems.push(`katas/${file} has no pristine copy in grader/stubs/`);
if (problems.length > 0) {
  console.error(paint.red(`katas/ is not the pristine stubs:\n  ${problems.join("\n  ")}`));
  console.error("Edit the stub in grader/stubs/, then npm run reset -- <kata> copies it to katas/.");
  process.exitCode = 1;
} else {
  console.log(paint.green(`katas/ matches the ${theirs.size} pristine files in grader/stubs/`));
}
