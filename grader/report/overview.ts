import type { Chapter, Kata } from "../manifest/load.ts";
import type { KataStatus, SpecOutcome } from "../run/outcome.ts";
import { counts, kataStatus } from "../run/status.ts";
import type { RenderContext } from "./kata.ts";
import { throughputRatio } from "./perf.ts";
import { paint, table } from "./text.ts";

const SYMBOL: Record<KataStatus, string> = {
  passing: paint.green("✓ passing"),
  failing: paint.red("✗ failing"),
  todo: paint.yellow("○ todo"),
  error: paint.red("! error"),
};

function statusCell(outcome: SpecOutcome | undefined): string {
  if (!outcome) return paint.dim("not run");
  const status = kataStatus(outcome);
  if (status !== "failing") return SYMBOL[status];
  const { passed, failed, todo } = counts(outcome);
  return `${SYMBOL.failing} ${paint.dim(`${passed}/${passed + failed + todo}`)}`;
}

function perfCell(outcome: SpecOutcome | undefined): string {
  const ratio = outcome ? throughputRatio(outcome) : undefined;
  return ratio === undefined ? "" : `${ratio.toFixed(2)}× ref`;
}

/** every chapter and kata with its status and speed, then what to do next */
export function renderOverview(
  chapters: Chapter[],
  outcomes: Map<string, SpecOutcome>,
  context: RenderContext,
): string {
  const who = context.reference ? "reference solutions" : "your katas";
  const out = [paint.bold(`System Design Katas · ${who} · seed ${context.seed}`)];
  let next: { kata: Kata; outcome: SpecOutcome | undefined } | undefined;
  for (const chapter of chapters) {
    if (chapter.katas.length === 0) continue;
    const passing = chapter.katas.filter((k) => {
      const outcome = outcomes.get(k.id);
      return outcome && kataStatus(outcome) === "passing";
    }).length;
    out.push(
      "",
      `${paint.bold(`${chapter.slug.slice(0, 2)} ${chapter.title}`)}  ${paint.dim(`${passing}/${chapter.katas.length} passing`)}`,
    );
    const rows = chapter.katas.map((kata) => {
      const outcome = outcomes.get(kata.id);
      if (!next && (!outcome || kataStatus(outcome) !== "passing")) next = { kata, outcome };
      return [kata.id, kata.title, "★".repeat(kata.difficulty).padEnd(3, "☆"), statusCell(outcome), perfCell(outcome)];
    });
    out.push(...table(rows).map((line) => `   ${line}`));
  }
  out.push("");
  if (!next) {
    out.push(paint.green("Every kata passes."));
    return out.join("\n");
  }
  const { kata, outcome } = next;
  const file = context.reference ? kata.paths.reference : kata.paths.stub;
  const started = outcome && kataStatus(outcome) === "failing";
  out.push(`${paint.bold(started ? "Keep going" : "Next up")}: ${kata.id} (${kata.title}), ${file}`);
  out.push(`  Read: chapters/${kata.chapter}/README.md`);
  out.push(`  Hint: ${kata.hints[0]}`);
  out.push(`  Grade it: npm run grade -- ${kata.id}${context.reference ? " --reference" : ""}`);
  return out.join("\n");
}
