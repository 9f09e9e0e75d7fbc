import type { Chapter } from "../manifest/load.ts";
import { describeTolerance, parseTolerance } from "../units/tolerance.ts";
import type { QuestionResult, WorksheetResult } from "../worksheet/grade.ts";
import { renderPrompt } from "../worksheet/vary.ts";
import { indent, paint, wrap } from "./text.ts";

const WIDTH = 100;

/** "✓ 12/12 right", "◐ 5/12 right", "○ todo", "! error": the worksheet's cell in the overview */
export function worksheetCell(result: WorksheetResult): string {
  if (result.loadError) return paint.red("! error");
  if (result.answered === 0) return paint.yellow("○ todo");
  if (result.correct === result.total) return paint.green(`✓ ${result.correct}/${result.total} right`);
  return `${paint.red("◐")} ${result.correct}/${result.total} right`;
}

export function worksheetDone(result: WorksheetResult): boolean {
  return !result.loadError && result.correct === result.total;
}

const MARK: Record<QuestionResult["status"], string> = {
  correct: paint.green("✓"),
  wrong: paint.red("✗"),
  invalid: paint.red("!"),
  unanswered: paint.yellow("○"),
};

function question(chapter: Chapter, result: QuestionResult): string[] {
  const spec = chapter.worksheet.find((q) => q.id === result.id);
  const out = [`${MARK[result.status]} ${paint.bold(result.id)}`];
  const body: string[] = [];
  if (result.status === "unanswered" && spec) {
    body.push(wrap(renderPrompt(spec), WIDTH - 4));
    const given = Object.entries(spec.given).map(([name, value]) => `${name} = ${value}`);
    const tolerance = parseTolerance(spec.tolerance);
    const how = `unit: ${spec.unit}${tolerance ? ` · ${describeTolerance(tolerance)}` : ""}`;
    body.push(paint.dim(wrap(given.length > 0 ? `given: ${given.join(" · ")} · ${how}` : how, WIDTH - 4)));
  } else {
    body.push(wrap(result.message, WIDTH - 4));
  }
  if (result.derivation.length > 0) {
    body.push(paint.dim(`reference: ${result.derivation.join("\n           ")}`));
    if (result.status !== "correct" && spec) body.push(paint.dim(wrap(`why: ${spec.explanation}`, WIDTH - 4, 5)));
  }
  out.push(indent(body.join("\n"), 4));
  return out;
}

/** a chapter's worksheet in full: every question, answered or not */
export function renderWorksheet(chapter: Chapter, result: WorksheetResult, file: string): string {
  const wrong = result.questions.filter((q) => q.status === "wrong" || q.status === "invalid").length;
  const tally = [
    `${result.correct} of ${result.total} right`,
    wrong ? `${wrong} wrong` : "",
    result.total - result.answered ? `${result.total - result.answered} unanswered` : "",
  ].filter(Boolean);
  const out = [
    `${paint.bold("worksheet")} · ${chapter.title} · ${tally.join(" · ")}`,
    paint.dim(`  answers: ${file}`),
    "",
  ];
  if (result.loadError) out.push(`  ${paint.red("!")} ${result.loadError}`, "");
  for (const q of result.questions) out.push(...question(chapter, q).map((line) => indent(line, 2)));
  if (result.unknown.length > 0) {
    out.push(
      "",
      paint.yellow(
        `  no question has the id ${result.unknown.map((id) => `"${id}"`).join(", ")}: a typo in worksheet.ts?`,
      ),
    );
  }
  return out.join("\n");
}
