import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeStateFile } from "./folder.ts";

/**
 * The learner's progress, as the last grade runs left it: .grade/progress.json.
 * Versioned, validated when read, written atomically (a temporary file, then a
 * rename). A missing, corrupt or old-format file reads as no progress: it is
 * rebuilt by the next grade run, and never stops one.
 */
export const PROGRESS_VERSION = 1;

const KataProgress = z.object({
  status: z.enum(["passing", "failing", "todo", "error", "timeout", "skipped"]),
  /** why it stopped, when it did: "timed out after 20 s in test …" */
  cause: z.string().optional(),
  passed: z.number().int().min(0),
  total: z.number().int().min(0),
  /** learner ops/s ÷ reference ops/s from the last load test, when one ran */
  throughputRatio: z.number().optional(),
  seed: z.number().int(),
  gradedAt: z.string(),
});

const WorksheetProgress = z.object({
  correct: z.number().int().min(0),
  answered: z.number().int().min(0),
  total: z.number().int().min(0),
  questions: z.record(z.string(), z.enum(["correct", "wrong", "unanswered", "invalid"])),
  gradedAt: z.string(),
});

/** how one phase of a mock interview went: the learner's own score, and the time it took against its box */
const InterviewPhaseResult = z.object({
  /** 1 missed, 2 partly, 3 solid, 4 strong */
  score: z.number().int().min(1).max(4),
  spentSeconds: z.number().min(0),
  boxSeconds: z.number().min(0),
  /** how the phase ended: the learner moved on, skipped the rest, or its time ran out */
  ended: z.enum(["done", "skipped", "time"]),
});

/** one finished mock interview (npm run interview); an interview stopped part way is not one */
const InterviewAttempt = z.object({
  date: z.string(),
  minutes: z.number().positive(),
  phases: z.record(z.string(), InterviewPhaseResult),
  /** the learner's notes, root-relative: .grade/interviews/<problem>-<time>.md */
  notes: z.string(),
});

export const ProgressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  katas: z.record(z.string(), KataProgress),
  worksheets: z.record(z.string(), WorksheetProgress),
  /** how many hints of each kata the learner has asked for */
  hints: z.record(z.string(), z.number().int().min(0)).default({}),
  /** the mock interviews of each design problem, oldest first; files written before they existed have none */
  interviews: z.record(z.string(), z.array(InterviewAttempt)).default({}),
});

export type Progress = z.output<typeof ProgressSchema>;
export type KataProgress = z.output<typeof KataProgress>;
export type WorksheetProgress = z.output<typeof WorksheetProgress>;
export type InterviewAttempt = z.output<typeof InterviewAttempt>;

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, katas: {}, worksheets: {}, hints: {}, interviews: {} };
}

export function progressFile(root: string): string {
  return path.join(root, ".grade", "progress.json");
}

/** the progress on disk; `problem` says why it was set aside, when it was */
export function readProgress(root: string): { progress: Progress; problem?: string } {
  let text: string;
  try {
    text = readFileSync(progressFile(root), "utf8");
  } catch {
    return { progress: emptyProgress() };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { progress: emptyProgress(), problem: "progress.json is not valid JSON; starting afresh" };
  }
  const parsed = ProgressSchema.safeParse(json);
  if (!parsed.success) {
    const version = (json as { version?: unknown } | null)?.version;
    return {
      progress: emptyProgress(),
      problem:
        version !== PROGRESS_VERSION
          ? `progress.json has format version ${String(version)}, this grader writes ${PROGRESS_VERSION}; starting afresh`
          : "progress.json does not have the expected shape; starting afresh",
    };
  }
  return { progress: parsed.data };
}

/** merges what a grade run found into the progress on disk */
export function recordProgress(
  root: string,
  update: {
    katas?: Record<string, KataProgress>;
    worksheets?: Record<string, WorksheetProgress>;
    hints?: Record<string, number>;
  },
): { progress: Progress; rebuilt?: string } {
  const { progress, problem } = readProgress(root);
  const next: Progress = {
    version: PROGRESS_VERSION,
    katas: { ...progress.katas, ...update.katas },
    worksheets: { ...progress.worksheets, ...update.worksheets },
    hints: { ...progress.hints, ...update.hints },
    interviews: progress.interviews,
  };
  return written(root, next, problem);
}

/** adds a finished mock interview to the problem's attempts */
export function recordInterview(
  root: string,
  problem: string,
  attempt: InterviewAttempt,
): { progress: Progress; rebuilt?: string } {
  const { progress, problem: setAside } = readProgress(root);
  const attempts = [...(progress.interviews[problem] ?? []), attempt];
  return written(root, { ...progress, interviews: { ...progress.interviews, [problem]: attempts } }, setAside);
}

function written(root: string, next: Progress, rebuilt: string | undefined): { progress: Progress; rebuilt?: string } {
  writeStateFile(root, ["progress.json"], `${JSON.stringify(next, null, 2)}\n`);
  return rebuilt ? { progress: next, rebuilt } : { progress: next };
}
