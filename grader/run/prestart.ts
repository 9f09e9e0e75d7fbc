// A runner started before the grade knows for sure it needs one: when the learner's files say a
// kata or worksheet will run (it is not its untouched stub, or the flags ask for a run), the runner
// loads while the CLI loads the manifests. A guess: a runner not needed is dismissed at the end.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isPristine, RECORD_FILE } from "./recorded-file.ts";
import { RunnerPool } from "./supervise.ts";

let prestarted: RunnerPool | undefined;

// flags that always run something, and flags that take a value
const RUNS = new Set(["--fresh", "--reference", "-t", "--test", "--seed", "--seeds"]);
const NEVER = new Set(["--ui", "--help", "-h"]);
const VALUED = new Set(["-t", "--test", "--seed", "--seeds", "--json", "--junit"]);

/** whether grading these arguments will likely start a runner: the record cannot answer for it all */
export function likelyRuns(root: string, args: string[]): boolean {
  return filesLikelyRun(root, args) > 0;
}

/**
 * How many spec files grading these arguments will likely run, counted up to
 * `enough` (0: the record answers for everything chosen). The flags that always
 * run and a record that cannot answer count as `enough`.
 */
export function filesLikelyRun(root: string, args: string[], enough = 2): number {
  if (args.some((arg) => NEVER.has(arg))) return 0;
  if (args.some((arg) => RUNS.has(arg.split("=")[0] ?? arg))) return enough;
  const selectors = args.filter((arg, index) => !arg.startsWith("-") && !VALUED.has(args[index - 1] ?? ""));
  let record: {
    katas: Record<string, { stub: string; outcome: { chapter: string } }>;
    worksheets: Record<string, { stub: string }>;
  };
  try {
    record = JSON.parse(readFileSync(path.join(root, RECORD_FILE), "utf8"));
  } catch {
    return enough;
  }
  const pristine = (file: string, stub: string | undefined) => isPristine(root, file, stub);
  let changed = 0;
  const chosen = (chapter: string, id?: string) =>
    selectors.length === 0 || selectors.includes(chapter) || (id !== undefined && selectors.includes(id));
  let matched = 0;
  for (const [id, entry] of Object.entries(record.katas ?? {})) {
    const chapter = entry.outcome?.chapter ?? "";
    if (!chosen(chapter, id)) continue;
    matched++;
    if (!pristine(`katas/${chapter}/${id}.ts`, entry.stub) && ++changed >= enough) return enough;
  }
  for (const [chapter, entry] of Object.entries(record.worksheets ?? {})) {
    if (chosen(chapter) && !pristine(`katas/${chapter}/worksheet.ts`, entry.stub) && ++changed >= enough) return enough;
  }
  // a selector the record does not know (a new kata, a typo) is the command's to judge
  if (selectors.length > 0) return matched === 0 ? enough : changed;
  // the overview: a chapter folder the record has never seen has katas to run
  const known = new Set(Object.values(record.katas ?? {}).map((entry) => entry.outcome?.chapter));
  const katas = path.join(root, "katas");
  const unknown =
    existsSync(katas) && readdirSync(katas).some((chapter) => !known.has(chapter) && !chapter.startsWith("."));
  return unknown ? enough : changed;
}

/** starts a runner now if the grade will likely need one; takePrestarted() hands it over */
export function prestartRunner(root: string, args: string[]): void {
  const files = filesLikelyRun(root, args);
  if (files === 0) return;
  prestarted = new RunnerPool();
  // its Vitest workers too, one a spec file (two at most, as many as a run uses)
  void prestarted.warm({ root, workers: files });
}

/** the runners started ahead of the grade, if any: the grade closes them when done */
export function takePrestarted(): RunnerPool | undefined {
  const pool = prestarted;
  prestarted = undefined;
  return pool;
}
