import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * grader/checksums.json: the SHA-256 of every spec, spec helper and module
 * that decides a verdict (the design evaluator, the load harness, the
 * simulator, the units engine, the worksheet grader) as committed. A learner's checkout whose specs differ grades differently from
 * everyone else's: `npm run grade` warns, and fails under --strict. Authors
 * regenerate the list with `npm run checksums`; npm test checks it is current.
 */
export const CHECKSUMS_FILE = "grader/checksums.json";
// the specs, and the grader's code that decides their verdicts: a change to any of them changes a grade
const COVERED = [
  "grader/specs",
  "grader/spec",
  "grader/design",
  "grader/load",
  "grader/sim",
  "grader/units",
  "grader/worksheet",
];

const ChecksumsSchema = z.object({ version: z.literal(1), files: z.record(z.string(), z.string()) });

function listFiles(root: string): string[] {
  return COVERED.filter((dir) => existsSync(path.join(root, dir)))
    .flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
        .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")),
    )
    .sort();
}

export function computeChecksums(root: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(root).map((file) => [
      file,
      createHash("sha256")
        .update(readFileSync(path.join(root, file)))
        .digest("hex"),
    ]),
  );
}

export function writeChecksums(root: string): number {
  const files = computeChecksums(root);
  const target = path.join(root, CHECKSUMS_FILE);
  writeFileSync(`${target}.tmp`, `${JSON.stringify({ version: 1, files }, null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
  return Object.keys(files).length;
}

export interface Drift {
  changed: string[];
  added: string[];
  removed: string[];
  /** the list itself is missing or unreadable */
  problem?: string;
}

/**
 * How the specs differ from the committed list; a project without a list has
 * nothing to compare. `actual` is what a grade read before any learner code ran.
 */
export function checkChecksums(root: string, actual = computeChecksums(root)): Drift | undefined {
  const file = path.join(root, CHECKSUMS_FILE);
  if (!existsSync(file)) return undefined;
  let committed: Record<string, string>;
  try {
    committed = ChecksumsSchema.parse(JSON.parse(readFileSync(file, "utf8"))).files;
  } catch {
    return { changed: [], added: [], removed: [], problem: `${CHECKSUMS_FILE} cannot be read` };
  }
  return {
    changed: Object.keys(actual).filter((f) => f in committed && committed[f] !== actual[f]),
    added: Object.keys(actual).filter((f) => !(f in committed)),
    removed: Object.keys(committed).filter((f) => !(f in actual)),
  };
}

export function driftLines(drift: Drift): string[] {
  return [
    ...(drift.problem ? [drift.problem] : []),
    ...drift.changed.map((f) => `${f} differs from the committed one`),
    ...drift.added.map((f) => `${f} is not among the committed files`),
    ...drift.removed.map((f) => `${f} is missing`),
  ];
}
