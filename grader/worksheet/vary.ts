// Worksheet questions with numbers drawn anew: a question's `vary` gives a range for some of its
// givens, its prompt names them as {name}, and a review draws each from its range (log-uniform,
// two significant figures) before the reference's formula works out the answer. A learner cannot
// remember a figure, only the method.
import type { Question } from "../manifest/schema.ts";
import { evaluate, type Value, valueIn } from "../units/engine.ts";

/**
 * "10M user" as its number ("10M") and its unit ("user"); an expression has no number part. A
 * multiplier is written against the number ("10M", "2.5k"): "500 B" is 500 bytes, not 500 billion
 */
const QUANTITY = /^\s*(-?[0-9][0-9_.]*[kMBGT]?)(?![A-Za-z])\s*(.*)$/;

export function splitQuantity(text: string): { number: string; unit: string } | undefined {
  const match = QUANTITY.exec(text);
  if (!match?.[1]) return undefined;
  return { number: match[1].replace(/\s+/g, ""), unit: (match[2] ?? "").trim() };
}

/** the prompt with each {name} as the given's number ("{dau} users" → "10M users") */
export function renderPrompt(question: Question, given: Record<string, string> = question.given): string {
  return question.prompt.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const text = given[name];
    if (text === undefined) return whole;
    return splitQuantity(text)?.number ?? text;
  });
}

/** a number in two significant figures, in the k/M/B the units engine reads */
function compact(n: number, whole: boolean): string {
  const round = (x: number) => (whole ? Math.round(x) : Number(x.toPrecision(2)));
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${round(n / 1e9)}B`;
  if (abs >= 1e6) return `${round(n / 1e6)}M`;
  if (abs >= 1e3) return `${round(n / 1e3)}k`;
  return `${round(n)}`;
}

const amountIn = (text: string, scope: Record<string, Value>, unit: string) => valueIn(evaluate(text, scope), unit);

/** the givens with each varied one drawn from its range, the others as they are */
export function drawGiven(question: Question, random: () => number): Record<string, string> {
  const given: Record<string, string> = { ...question.given };
  for (const [name, [low, high]] of Object.entries(question.vary ?? {})) {
    const parts = splitQuantity(question.given[name] ?? "");
    const unit = parts?.unit ?? "";
    const a = amountIn(low, {}, unit);
    const b = amountIn(high, {}, unit);
    // a narrow range of whole numbers (2 to 5 replicas) is drawn whole, evenly; a wide one (1M to
    // 500M users) log-uniformly, each order of magnitude as likely, to two significant figures
    const whole = Number.isInteger(a) && Number.isInteger(b) && a > 0 && b <= 10 * a;
    const drawn = whole
      ? a + Math.floor(random() * (b - a + 1))
      : a > 0
        ? Math.exp(Math.log(a) + random() * (Math.log(b) - Math.log(a)))
        : a + random() * (b - a);
    given[name] = `${compact(drawn, whole)}${unit === "%" ? "%" : unit ? ` ${unit}` : ""}`;
  }
  return given;
}

/** what is wrong with a question's `vary`, for the manifest's checks: each a sentence */
export function varyProblems(question: Question): string[] {
  const problems: string[] = [];
  for (const [name, [low, high]] of Object.entries(question.vary ?? {})) {
    const text = question.given[name];
    if (text === undefined) {
      problems.push(`vary.${name}: not one of the question's givens`);
      continue;
    }
    const parts = splitQuantity(text);
    if (!parts) {
      problems.push(`vary.${name}: the given "${text}" is an expression, not a number with a unit to draw`);
      continue;
    }
    try {
      const a = amountIn(low, {}, parts.unit);
      const b = amountIn(high, {}, parts.unit);
      if (!(Number.isFinite(a) && Number.isFinite(b)))
        problems.push(`vary.${name}: "${low}" and "${high}" must be quantities in ${parts.unit || "plain numbers"}`);
      else if (!(a < b)) problems.push(`vary.${name}: the range must run from low to high, got ${low} to ${high}`);
    } catch (error) {
      problems.push(`vary.${name}: ${(error as Error).message}`);
    }
    if (!question.prompt.includes(`{${name}}`))
      problems.push(`vary.${name}: the prompt must name it as {${name}}, so the drawn number is what it says`);
  }
  return problems;
}
