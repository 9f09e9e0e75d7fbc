// What an untouched stub reports, recorded: a learner's kata or worksheet that is still the
// pristine stub, byte for byte, needs no run. The matrix grades every stub on each npm test and
// fails when what it sees differs from this record (npm run matrix -- --record writes it again);
// grader/test/recorded.test.ts does the same for the worksheets.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Chapter, Kata } from "../manifest/load.ts";
import type { WorksheetResult } from "../worksheet/grade.ts";
import type { SpecOutcome } from "./outcome.ts";
import { isPristine, RECORD_FILE, sha256 } from "./recorded-file.ts";
import { LEARNER, STUB, targetFile, targetId } from "./targets.ts";

export { RECORD_FILE, sha256 };

const VERSION = 1;

const RecordSchema = z.object({
  version: z.literal(VERSION),
  /** the base seed the outcomes were graded with: another seed runs */
  seed: z.number(),
  katas: z.record(
    z.string(),
    z.object({
      /** SHA-256 of the pristine stub */
      stub: z.string(),
      /** SHA-256 of the specs it was graded by: its chapter's and the shared helpers */
      specs: z.string(),
      outcome: z.custom<SpecOutcome>((value) => typeof value === "object" && value !== null),
    }),
  ),
  worksheets: z.record(
    z.string(),
    z.object({
      stub: z.string(),
      /** SHA-256 of the chapter's manifest and reference worksheet: the questions and their answers */
      inputs: z.string(),
      result: z.custom<WorksheetResult>((value) => typeof value === "object" && value !== null),
    }),
  ),
});
export type Record = z.infer<typeof RecordSchema>;

/** the record, or none when it is missing or not one (then every kata runs) */
export function readRecord(root: string): Record | undefined {
  const file = path.join(root, RECORD_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** the specs a chapter's katas are graded by, as one hash of their checksums */
export function specsHash(checksums: { [file: string]: string }, chapter: string): string {
  const mine = Object.entries(checksums)
    .filter(([file]) => file.startsWith(`grader/specs/${chapter}/`) || file.startsWith("grader/spec/"))
    .sort(([a], [b]) => a.localeCompare(b));
  return sha256(JSON.stringify(mine));
}

/** what the worksheet of a chapter is graded against */
export function worksheetInputsHash(root: string, chapter: Chapter): string | undefined {
  if (!chapter.worksheetPaths) return undefined;
  return sha256(
    readFileSync(path.join(root, chapter.manifest), "utf8") +
      readFileSync(path.join(root, chapter.worksheetPaths.reference), "utf8"),
  );
}

/** a learner stub's stack frames name the learner's file, not the pristine copy the matrix graded */
function asLearner(outcome: SpecOutcome, kata: Pick<Kata, "chapter" | "file">): SpecOutcome {
  const from = targetFile(kata.chapter, path.basename(kata.file, ".ts"), STUB);
  const to = targetFile(kata.chapter, path.basename(kata.file, ".ts"), LEARNER);
  const json = JSON.stringify({ ...outcome, target: targetId(LEARNER) });
  return JSON.parse(json.split(from).join(to)) as SpecOutcome;
}

export interface RecordedOptions {
  seed: number;
  /** the checksums of the specs as this run read them */
  checksums: { [file: string]: string };
}

/** the recorded outcome of a learner kata that is still its pristine stub, if it is one */
export function recordedKata(
  root: string,
  record: Record | undefined,
  kata: Kata,
  options: RecordedOptions,
): SpecOutcome | undefined {
  const entry = record?.katas[kata.id];
  if (!record || !entry || record.seed !== options.seed) return undefined;
  if (entry.specs !== specsHash(options.checksums, kata.chapter)) return undefined;
  if (!isPristine(root, kata.paths.stub, entry.stub)) return undefined;
  return asLearner(entry.outcome, kata);
}

/** the recorded result of a learner worksheet that is still blank, if it is */
export function recordedWorksheet(
  root: string,
  record: Record | undefined,
  chapter: Chapter,
): WorksheetResult | undefined {
  const entry = record?.worksheets[chapter.slug];
  if (!entry || !chapter.worksheetPaths) return undefined;
  if (entry.inputs !== worksheetInputsHash(root, chapter)) return undefined;
  if (!isPristine(root, chapter.worksheetPaths.learner, entry.stub)) return undefined;
  return entry.result;
}

/** a stub's outcome as the record keeps it: no timings, no target-specific paths */
export function recordable(outcome: SpecOutcome): SpecOutcome {
  return {
    ...outcome,
    target: targetId(STUB),
    durationMs: 0,
    tests: outcome.tests.map((test) => ({ ...test, durationMs: 0 })),
  };
}
