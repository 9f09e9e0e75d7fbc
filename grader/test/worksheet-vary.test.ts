import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Chapter, loadChapters } from "../manifest/load.ts";
import { random } from "../sim/random.ts";
import { sameDimension } from "../units/dimension.ts";
import { evaluate, magnitude, valueIn } from "../units/engine.ts";
import { type Answers, loadAnswers } from "../worksheet/answers.ts";
import { evaluateAnswer } from "../worksheet/grade.ts";
import { drawGiven, renderPrompt, splitQuantity } from "../worksheet/vary.ts";
import { repo } from "./cli-helper.ts";

/**
 * Chapters whose questions do not declare their ranges yet: each must leave this list as it does
 * (issue 18), and then every one of its questions says what a review may draw, or {} for nothing
 */
const NOT_YET = new Set<string>([]);

let chapters: Chapter[];
const references = new Map<string, Answers>();
beforeAll(async () => {
  chapters = await loadChapters(repo);
  for (const chapter of chapters)
    if (chapter.worksheetPaths)
      references.set(chapter.slug, await loadAnswers(path.join(repo, chapter.worksheetPaths.reference)));
}, 60_000);

describe("worksheet questions with numbers drawn anew", () => {
  it("declare, in every chapter that has left the list, what a review may draw", () => {
    const missing = chapters
      .filter((c) => !NOT_YET.has(c.slug))
      .flatMap((c) => c.worksheet.filter((q) => q.vary === undefined).map((q) => `${c.slug}/${q.id}`));
    expect(missing, "questions without vary (use {} if nothing varies)").toEqual([]);
    expect(chapters.some((c) => !NOT_YET.has(c.slug) && c.worksheet.length > 0)).toBe(true);
  });

  it("read as before with their own numbers: {name} becomes the given's number", () => {
    const q = chapters.find((c) => c.slug === "01-estimation")?.worksheet.find((w) => w.id === "average-qps");
    expect(q && renderPrompt(q)).toBe(
      "10M daily active users make 20 requests each a day. What is the average request rate?",
    );
    expect(splitQuantity("500 B"), "500 bytes, not 500 billion").toEqual({ number: "500", unit: "B" });
    expect(splitQuantity("10B req/day")).toEqual({ number: "10B", unit: "req/day" });
  });

  it("give an answer of the question's unit from the reference's formula for 100 draws each, the draws within their ranges", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const chapter of chapters)
      for (const question of chapter.worksheet.filter((q) => q.vary && Object.keys(q.vary).length > 0)) {
        const entry = references.get(chapter.slug)?.entries.get(question.id);
        const formula = entry && "text" in entry ? entry.text : undefined;
        if (!formula) {
          problems.push(`${chapter.slug}/${question.id}: no reference answer`);
          continue;
        }
        const draw = random(question.id.length * 7919 + checked);
        for (let i = 0; i < 100; i++) {
          const given = drawGiven(question, () => draw.float());
          const where = `${chapter.slug}/${question.id} with ${JSON.stringify(given)}`;
          const prompt = renderPrompt(question, given);
          if (/\{[A-Za-z_]/.test(prompt)) problems.push(`${where}: the prompt keeps a placeholder: ${prompt}`);
          for (const [name, [low, high]] of Object.entries(question.vary ?? {})) {
            const unit = splitQuantity(question.given[name] ?? "")?.unit ?? "";
            const drawn = valueIn(evaluate(given[name] ?? ""), unit);
            const [a, b] = [valueIn(evaluate(low), unit), valueIn(evaluate(high), unit)];
            if (!(drawn >= a * 0.95 && drawn <= b * 1.05))
              problems.push(`${where}: ${name} = ${drawn} outside ${low}..${high}`);
          }
          const { value, problem } = evaluateAnswer({ ...question, given }, formula);
          if (problem || value === undefined) problems.push(`${where}: the reference does not evaluate: ${problem}`);
          else if (!sameDimension(value, evaluate(`1 ${question.unit}`)))
            problems.push(`${where}: the reference's answer is not in ${question.unit}`);
          else if (!(Number.isFinite(magnitude(value)) && magnitude(value) > 0))
            problems.push(`${where}: the reference's answer is ${magnitude(value)}`);
        }
        checked++;
      }
    expect(problems.slice(0, 10), `${problems.length} problem(s)`).toEqual([]);
    expect(checked, "questions checked").toBeGreaterThanOrEqual(10);
  });
});
