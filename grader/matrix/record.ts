// The matrix's side of grader/stub-outcomes.json: what each stub reports when graded, checked
// against the record on every matrix run, and written again with --record.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Chapter } from "../manifest/load.ts";
import {
  RECORD_FILE,
  type Record,
  readRecord,
  recordable,
  sha256,
  specsHash,
  worksheetInputsHash,
} from "../run/recorded.ts";
import { loadAnswers } from "../worksheet/answers.ts";
import { gradeWorksheet, type WorksheetResult } from "../worksheet/grade.ts";
import type { MatrixReport } from "./run.ts";

/** a pristine worksheet's result, graded in this process: both files are the course's own */
export async function pristineWorksheetResult(root: string, chapter: Chapter): Promise<WorksheetResult | undefined> {
  if (!chapter.worksheetPaths) return undefined;
  const answers = await loadAnswers(path.join(root, chapter.worksheetPaths.pristine));
  const reference = await loadAnswers(path.join(root, chapter.worksheetPaths.reference));
  return gradeWorksheet(chapter.worksheet, answers, reference);
}

/** the stubs' entries this matrix run would record */
function entriesOf(root: string, report: MatrixReport, checksums: { [file: string]: string }): Record["katas"] {
  const entries: Record["katas"] = {};
  for (const row of report.rows) {
    if (row.role !== "stub" || !row.outcome) continue;
    entries[row.kata.id] = {
      stub: sha256(readFileSync(path.join(root, row.kata.paths.pristine))),
      specs: specsHash(checksums, row.kata.chapter),
      outcome: recordable(row.outcome),
    };
  }
  return entries;
}

/** the katas and worksheets whose record differs from what they report now */
export async function staleRecord(
  root: string,
  chapters: Chapter[],
  report: MatrixReport,
  checksums: { [file: string]: string },
): Promise<string[]> {
  const record = readRecord(root);
  if (!record) return [`${RECORD_FILE} is missing or unreadable`];
  const stale: string[] = [];
  if (record.seed !== report.seed) return stale;
  for (const [id, entry] of Object.entries(entriesOf(root, report, checksums))) {
    // compared as JSON would hold them: an optional field left undefined is no difference
    if (!isDeepStrictEqual(record.katas[id], JSON.parse(JSON.stringify(entry)))) stale.push(id);
  }
  for (const chapter of chapters) {
    if (!chapter.worksheetPaths) continue;
    const entry = await worksheetEntry(root, chapter);
    if (!isDeepStrictEqual(record.worksheets[chapter.slug], JSON.parse(JSON.stringify(entry))))
      stale.push(`${chapter.slug}/worksheet`);
  }
  return stale;
}

async function worksheetEntry(root: string, chapter: Chapter) {
  const paths = chapter.worksheetPaths;
  const result = await pristineWorksheetResult(root, chapter);
  const inputs = worksheetInputsHash(root, chapter);
  if (!paths || !result || !inputs) return undefined;
  return { stub: sha256(readFileSync(path.join(root, paths.pristine))), inputs, result };
}

/** writes the record again: this run's stubs over the entries of the katas it did not run */
export async function writeRecord(
  root: string,
  chapters: Chapter[],
  report: MatrixReport,
  checksums: { [file: string]: string },
): Promise<void> {
  const old = readRecord(root);
  const record: Record = {
    version: 1,
    seed: report.seed,
    katas: { ...(old?.seed === report.seed ? old.katas : {}), ...entriesOf(root, report, checksums) },
    worksheets: {},
  };
  for (const chapter of chapters) {
    const entry = await worksheetEntry(root, chapter);
    if (entry) record.worksheets[chapter.slug] = entry;
  }
  const sorted = {
    ...record,
    katas: Object.fromEntries(Object.entries(record.katas).sort(([a], [b]) => a.localeCompare(b))),
  };
  const file = path.join(root, RECORD_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
