import path from "node:path";
import type { Chapter } from "../manifest/load.ts";
import { loadAnswers } from "./answers.ts";
import { gradeWorksheet, ReferenceAnswerError, type WorksheetResult } from "./grade.ts";

/** grades a chapter's worksheet: the learner's answers, or the reference's own with `reference` */
export async function gradeChapterWorksheet(
  root: string,
  chapter: Chapter,
  reference = false,
  /** import the learner's file afresh: it changed since this process last read it */
  fresh = false,
): Promise<WorksheetResult | undefined> {
  const paths = chapter.worksheetPaths;
  if (!paths) return undefined;
  const answers = await loadAnswers(path.join(root, reference ? paths.reference : paths.learner), fresh);
  const expected = await loadAnswers(path.join(root, paths.reference));
  if (expected.loadError) throw new ReferenceAnswerError(`${paths.reference}: ${expected.loadError}`);
  return gradeWorksheet(chapter.worksheet, answers, expected);
}
