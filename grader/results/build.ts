import os from "node:os";
import { judgeGrowth, judgeLoad } from "../load/budgets.ts";
import type { Kata } from "../manifest/load.ts";
import type { ErrorInfo, SpecOutcome } from "../run/outcome.ts";
import { isTodo, kataStatus } from "../run/status.ts";
import type { WorksheetResult } from "../worksheet/grade.ts";
import { RESULTS_VERSION, type Results } from "./schema.ts";

const MAX_MESSAGE = 2000;

function message(errors: ErrorInfo[]): string | undefined {
  if (errors.length === 0) return undefined;
  return errors
    .map((e) => `${e.name}: ${e.message}`)
    .join("\n")
    .slice(0, MAX_MESSAGE);
}

function kataResult(kata: Kata, outcome: SpecOutcome | undefined): Results["katas"][number] {
  if (!outcome) {
    return {
      id: kata.id,
      chapter: kata.chapter,
      title: kata.title,
      status: "error",
      todo: false,
      cause: "not run",
      durationMs: 0,
      tests: [],
      metrics: [],
    };
  }
  const status = kataStatus(outcome);
  const tests: Results["katas"][number]["tests"] = outcome.tests.map((test) => {
    const entry: Results["katas"][number]["tests"][number] = {
      name: test.name,
      fullName: test.fullName,
      status: test.state === "passed" ? "pass" : test.state === "skipped" ? "skip" : "fail",
      durationMs: test.durationMs,
    };
    const text = message(test.errors);
    if (text) entry.message = text;
    if (test.seed !== undefined) entry.seed = test.seed;
    return entry;
  });
  // the test a kata was stopped in did not end: it is listed as timed out
  const stuck = outcome.cause?.kind === "timeout" ? /in test "(.*)"$/.exec(outcome.cause.message)?.[1] : undefined;
  if (stuck)
    tests.push({
      name: stuck,
      fullName: stuck,
      status: "timeout",
      message: outcome.cause?.message ?? "",
      durationMs: 0,
    });
  const metrics = outcome.tests.flatMap((test) => {
    const perf = test.perf;
    if (!perf) return [];
    const verdicts = perf.kind === "load" ? judgeLoad(perf, kata.budgets) : judgeGrowth(perf, kata.budgets);
    return [
      {
        test: test.name,
        kind: perf.kind,
        learner: { ...perf.learner },
        reference: { ...perf.reference },
        budgets: verdicts.map((v) => ({
          budget: v.budget,
          ratio: Number.isFinite(v.ratio) ? v.ratio : null,
          limit: v.limit,
          ok: v.ok,
          reason: v.reason,
        })),
      },
    ];
  });
  const result: Results["katas"][number] = {
    id: kata.id,
    chapter: kata.chapter,
    title: kata.title,
    status:
      status === "passing"
        ? "pass"
        : status === "timeout"
          ? "timeout"
          : status === "error"
            ? "error"
            : status === "skipped"
              ? "skip"
              : "fail",
    todo:
      status === "todo" ||
      (outcome.tests.length > 0 &&
        outcome.tests.filter((t) => t.state === "failed").every(isTodo) &&
        !outcome.tests.some((t) => t.state === "passed")),
    durationMs: outcome.durationMs,
    tests,
    metrics,
  };
  const cause = outcome.cause?.message ?? message(outcome.loadErrors);
  if (cause) result.cause = cause;
  const review = outcome.tests.find((test) => test.review !== undefined)?.review;
  if (review) result.design = { requirements: review.rows, problems: review.problems };
  return result;
}

export interface ResultsInput {
  katas: Kata[];
  outcomes: Map<string, SpecOutcome>;
  worksheets: Map<string, WorksheetResult>;
  seed: number;
  reference: boolean;
  tampered: string[];
  unhandled: ErrorInfo[];
}

export function buildResults(input: ResultsInput): Results {
  const katas = input.katas.map((kata) => kataResult(kata, input.outcomes.get(kata.id)));
  const worksheets: Results["worksheets"] = [...input.worksheets].map(([chapter, sheet]) => {
    const entry: Results["worksheets"][number] = {
      chapter,
      correct: sheet.correct,
      answered: sheet.answered,
      total: sheet.total,
      questions: sheet.questions.map((q) => ({
        id: q.id,
        status: q.status,
        message: q.message,
        ...(q.answer ? { answer: q.answer } : {}),
      })),
    };
    if (sheet.loadError) entry.error = sheet.loadError;
    return entry;
  });
  const count = (status: string) => katas.filter((k) => k.status === status).length;
  const allRight =
    katas.every((k) => k.status === "pass" || k.status === "skip") &&
    worksheets.every((w) => w.correct === w.total && !w.error);
  return {
    version: RESULTS_VERSION,
    tool: "system-design-katas",
    generatedAt: new Date().toISOString(),
    seed: input.seed,
    target: input.reference ? "reference" : "learner",
    status: input.unhandled.length > 0 ? "error" : allRight ? "pass" : "fail",
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: os.availableParallelism(),
    },
    summary: {
      katas: {
        total: katas.length,
        pass: count("pass"),
        fail: count("fail"),
        error: count("error"),
        timeout: count("timeout"),
        skip: count("skip"),
        todo: katas.filter((k) => k.todo).length,
      },
      worksheets: {
        total: worksheets.length,
        correct: worksheets.reduce((sum, w) => sum + w.correct, 0),
        questions: worksheets.reduce((sum, w) => sum + w.total, 0),
      },
    },
    katas,
    worksheets,
    tampered: input.tampered,
    errors: input.unhandled.map((e) => `${e.name}: ${e.message}`),
  };
}
