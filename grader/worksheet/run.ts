import path from "node:path";
import type { Chapter } from "../manifest/load.ts";
import { DEFAULT_LIMITS } from "../manifest/schema.ts";
import type { SpecOutcome } from "../run/outcome.ts";
import type { SpecJob } from "../run/run-specs.ts";
import type { Target } from "../run/targets.ts";
import { loadAnswers, WORKSHEET_TEST } from "./answers.ts";
import { ReferenceAnswerError } from "./errors.ts";
import type { WorksheetResult } from "./grade.ts";

/**
 * A worksheet loads and grades like a kata: in a sandboxed worker, under the
 * policy for learner code, with a time limit and a memory cap. Its answers are
 * arithmetic (units/engine.ts refuses the rest), so the limit is for code at
 * the top of the module, not for the answers.
 */
export const WORKSHEET_LIMITS = { timeMs: 10_000, memoryMb: DEFAULT_LIMITS.memoryMb } as const;

/** the job that grades a chapter's worksheet, or none if the chapter has no worksheet */
export function worksheetJob(chapter: Chapter, target: Target): SpecJob | undefined {
  if (!chapter.worksheetPaths) return undefined;
  return {
    kata: {
      id: worksheetId(chapter.slug),
      chapter: chapter.slug,
      file: "worksheet.ts",
      // a chapter that gives its katas less time gives its worksheet no more
      limits: {
        ...WORKSHEET_LIMITS,
        timeMs: Math.min(WORKSHEET_LIMITS.timeMs, chapter.limits?.timeMs ?? Number.POSITIVE_INFINITY),
      },
      paths: { spec: "grader/worksheet/contained.ts" },
    },
    target,
    worksheet: chapter.worksheet,
  };
}

/** a worksheet job's id among the katas' */
export function worksheetId(slug: string): string {
  return `${slug}/worksheet`;
}

/**
 * What a worksheet job found. A worksheet that did not finish (it looped, or
 * filled its memory, while it loaded) is graded as a file that did not load:
 * every answer invalid, with why.
 */
export async function worksheetResult(
  root: string,
  chapter: Chapter,
  outcome: SpecOutcome | undefined,
): Promise<WorksheetResult | undefined> {
  if (!chapter.worksheetPaths) return undefined;
  const graded = outcome?.tests.find((t) => t.worksheet)?.worksheet;
  if (graded) return graded;
  const failure = outcome?.tests
    .flatMap((t) => t.errors)
    .find((e) => /reference worksheet|ReferenceAnswerError/.test(`${e.name} ${e.message}`));
  if (failure) throw new ReferenceAnswerError(`${chapter.worksheetPaths.reference}: ${failure.message}`);
  const why = (
    outcome?.cause?.message ??
    outcome?.loadErrors[0]?.message ??
    outcome?.tests.flatMap((t) => t.errors)[0]?.message ??
    "it was not graded"
  ).replace(` in test "${WORKSHEET_TEST}"`, " while loading");
  // the units engine (mathjs) loads only for a worksheet that did not finish: the grader's CLI starts without it
  const { gradeWorksheet } = await import("./grade.ts");
  const reference = await loadAnswers(path.join(root, chapter.worksheetPaths.reference));
  if (reference.loadError)
    throw new ReferenceAnswerError(`${chapter.worksheetPaths.reference}: ${reference.loadError}`);
  return gradeWorksheet(
    chapter.worksheet,
    { entries: new Map(), loadError: `the worksheet did not finish: ${why}` },
    reference,
  );
}
