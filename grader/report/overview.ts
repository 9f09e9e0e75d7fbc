import type { Chapter } from "../manifest/load.ts";
import { nextUp } from "../progress/next.ts";
import type { KataStatus, SpecOutcome } from "../run/outcome.ts";
import { counts, kataStatus } from "../run/status.ts";
import type { WorksheetResult } from "../worksheet/grade.ts";
import type { RenderContext } from "./kata.ts";
import { throughputRatio } from "./perf.ts";
import { paint, table } from "./text.ts";
import { worksheetCell, worksheetDone } from "./worksheet.ts";

const SYMBOL: Record<KataStatus, string> = {
  passing: paint.green("✓ passing"),
  failing: paint.red("✗ failing"),
  todo: paint.yellow("○ todo"),
  error: paint.red("! error"),
  timeout: paint.red("⧗ timed out"),
  skipped: paint.dim("– skipped"),
};

/** a cause, short enough for a table cell: without the test it happened in */
export function shortCause(message: string): string {
  return message
    .replace(/, with its worker holding .*$/, "")
    .replace(/ in test ".*"$/, "")
    .replace(/^(exceeded \d+ MB): .*?( while loading)?$/, "$1$2")
    .replace(/^(uses the reference):.*$/, "$1")
    .replace(/^(not allowed): \S+ (.*?)(?: \(.*\))?$/, "$1: $2");
}

function statusCell(outcome: SpecOutcome | undefined): string {
  if (!outcome) return paint.dim("not run");
  // "needs redis-server": what the machine lacks, the how-to is in the kata's own report
  if (outcome.cause?.kind === "needs-server") return paint.dim(`– ${outcome.cause.message.split(":")[0]}`);
  if (outcome.cause) {
    const mark = outcome.cause.kind === "timeout" ? "⧗" : "!";
    return paint.red(`${mark} ${shortCause(outcome.cause.message)}`);
  }
  const status = kataStatus(outcome);
  if (status === "error" && outcome.loadErrors.length > 0) return paint.red("! did not load");
  if (status !== "failing") return SYMBOL[status];
  const { passed, failed, todo } = counts(outcome);
  return `${SYMBOL.failing} ${paint.dim(`${passed}/${passed + failed + todo}`)}`;
}

function perfCell(outcome: SpecOutcome | undefined): string {
  const ratio = outcome ? throughputRatio(outcome) : undefined;
  return ratio === undefined ? "" : `${ratio.toFixed(2)}× ref`;
}

/** every chapter with its worksheet and katas, their status and speed, then what to do next */
export function renderOverview(
  chapters: Chapter[],
  outcomes: Map<string, SpecOutcome>,
  worksheets: Map<string, WorksheetResult>,
  context: RenderContext,
): string {
  const who = context.reference ? "reference solutions" : "your katas";
  const out = [paint.bold(`System Design Katas · ${who} · seed ${context.seed}`)];
  for (const chapter of chapters) {
    const worksheet = worksheets.get(chapter.slug);
    if (chapter.katas.length === 0 && !worksheet) continue;
    const passing = chapter.katas.filter((k) => {
      const outcome = outcomes.get(k.id);
      return outcome && kataStatus(outcome) === "passing";
    }).length;
    const summary = [
      worksheet ? `worksheet ${worksheet.correct}/${worksheet.total}` : "",
      chapter.katas.length ? `${passing}/${chapter.katas.length} katas passing` : "",
    ].filter(Boolean);
    out.push("", `${paint.bold(`${chapter.slug.slice(0, 2)} ${chapter.title}`)}  ${paint.dim(summary.join(" · "))}`);
    const rows: string[][] = [];
    if (worksheet) rows.push(["worksheet", `${worksheet.total} questions`, "", worksheetCell(worksheet), ""]);
    for (const kata of chapter.katas) {
      const outcome = outcomes.get(kata.id);
      rows.push([
        kata.id,
        kata.title,
        "★".repeat(kata.difficulty).padEnd(3, "☆"),
        statusCell(outcome),
        perfCell(outcome),
      ]);
    }
    out.push(...table(rows).map((line) => `   ${line}`));
  }
  out.push("");
  const next = nextUp(
    chapters,
    (id) => {
      const outcome = outcomes.get(id);
      return outcome && kataStatus(outcome);
    },
    (slug) => {
      const result = worksheets.get(slug);
      return result && { done: worksheetDone(result), answered: result.answered };
    },
  );
  if (!next) {
    out.push(paint.green("Every kata passes and every worksheet is right."));
    return out.join("\n");
  }
  const flag = context.reference ? " --reference" : "";
  const lead = paint.bold(next.started ? "Keep going" : "Next up");
  if (next.kind === "worksheet") {
    const { chapter } = next;
    const file = context.reference ? chapter.worksheetPaths?.reference : chapter.worksheetPaths?.learner;
    out.push(`${lead}: the ${chapter.title} worksheet (${chapter.worksheet.length} questions), ${file}`);
    out.push(`  Read: ${chapter.readme}`);
    out.push(`  See the questions and grade your answers: npm run grade -- ${chapter.slug}${flag}`);
    return out.join("\n");
  }
  const { kata } = next;
  out.push(`${lead}: ${kata.id} (${kata.title}), ${context.reference ? kata.paths.reference : kata.paths.stub}`);
  out.push(`  Read: chapters/${kata.chapter}/README.md`);
  out.push(`  Hint: ${kata.hints[0]}`);
  out.push(`  Grade it: npm run grade -- ${kata.id}${flag}`);
  return out.join("\n");
}
