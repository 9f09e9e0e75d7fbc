import type { Question } from "../manifest/schema.ts";
import { describeDimension, sameDimension } from "../units/dimension.ts";
import { magnitude, type Value } from "../units/engine.ts";
import { formatValue } from "../units/format.ts";
import { badValue, displayUnit, type EvaluatedLine, parseScript, runScript } from "../units/script.ts";
import { closeness, describeTolerance, parseTolerance } from "../units/tolerance.ts";
import type { Answers } from "./answers.ts";
import { ReferenceAnswerError } from "./errors.ts";
import { givenScope } from "./questions.ts";

export { ReferenceAnswerError };

export type QuestionStatus = "correct" | "wrong" | "unanswered" | "invalid";

export interface QuestionResult {
  id: string;
  status: QuestionStatus;
  /** the learner's text, as written */
  answer?: string;
  /** the learner's value in the question's unit */
  value?: string;
  /** what is right or wrong, in a sentence */
  message: string;
  /** the reference's working, one line a step, with values; shown once the learner has answered */
  derivation: string[];
  expected: string;
}

export interface WorksheetResult {
  total: number;
  correct: number;
  answered: number;
  questions: QuestionResult[];
  /** ids in the worksheet file that no question has */
  unknown: string[];
  loadError?: string;
}

/** a worked answer's steps, as `name = expression = value` */
function steps(lines: EvaluatedLine[], unit: string): string[] {
  return lines.map((line, i) => {
    const shown =
      line.value === undefined ? "?" : formatValue(line.value, i === lines.length - 1 ? unit : displayUnit(line));
    return `${line.name ? `${line.name} = ` : ""}${line.expression} = ${shown}`;
  });
}

/** evaluates an answer (one expression, or `name = expression` lines) with the question's givens in scope */
export function evaluateAnswer(
  question: Question,
  text: string,
): { value?: Value; lines: EvaluatedLine[]; problem?: string } {
  const lines = runScript(parseScript(text), givenScope(question));
  // a line that did not evaluate; a value that is NaN or infinite is the caller's to name
  const broken = lines.find((line) => line.problem && line.value === undefined);
  const last = lines[lines.length - 1];
  if (!last) return { lines, problem: "there is no expression in it" };
  if (broken?.problem)
    return { lines, problem: lines.length > 1 ? `line ${broken.line}: ${broken.problem}` : broken.problem };
  return last.value === undefined ? { lines } : { value: last.value, lines };
}

function example(question: Question): string {
  const names = Object.keys(question.given);
  const givens = names.length > 0 ? `; the given values can be used by name (${names.join(", ")})` : "";
  return `Write a number with a unit, such as "42 ${question.unit}", or an expression such as "1.5k * 2 ${question.unit}"${givens}.`;
}

function judge(
  question: Question,
  text: string,
  expected: Value,
  derivation: string[],
  expectedShown: string,
): QuestionResult {
  const base = { id: question.id, answer: text, expected: expectedShown };
  const tolerance = parseTolerance(question.tolerance);
  const { value, problem } = evaluateAnswer(question, text);
  if (problem || value === undefined) {
    return {
      ...base,
      status: "invalid",
      message: `${problem ?? "no value"}. ${example(question)}`,
      derivation: [],
    };
  }
  const bad = badValue(value);
  if (bad) return { ...base, status: "invalid", message: `your answer ${bad}. ${example(question)}`, derivation: [] };
  const shown = formatValue(value, question.unit);
  if (!sameDimension(value, expected)) {
    const own = ` ("${text.trim().split("\n").pop()?.trim()}" is ${formatValue(value)})`;
    return {
      ...base,
      status: "wrong",
      value: formatValue(value),
      message: `you gave ${describeDimension(value)}${own}; the question asks for ${describeDimension(expected)}, in ${question.unit}`,
      derivation,
    };
  }
  if (magnitude(value) < 0) {
    return {
      ...base,
      status: "invalid",
      value: shown,
      message: `${shown} is negative: ${describeDimension(value).replace(/^an? /, "a negative ")} cannot be an estimate`,
      derivation: [],
    };
  }
  if (!tolerance) throw new Error(`question ${question.id} has an unreadable tolerance "${question.tolerance}"`);
  const close = closeness(magnitude(value), magnitude(expected), tolerance);
  const within = describeTolerance(tolerance);
  return close.ok
    ? { ...base, status: "correct", value: shown, message: `${shown}: ${close.verdict} (${within})`, derivation }
    : {
        ...base,
        status: "wrong",
        value: shown,
        message: `${shown} is ${close.verdict} (expected about ${expectedShown}, ${within})`,
        derivation,
      };
}

/** grades a worksheet's answers against the reference's, question by question; nothing in the answers can stop the rest */
export function gradeWorksheet(questions: readonly Question[], answers: Answers, reference: Answers): WorksheetResult {
  const results = questions.map((question): QuestionResult => {
    const ref = reference.entries.get(question.id);
    if (!ref || !("text" in ref))
      throw new ReferenceAnswerError(`the reference worksheet has no answer for ${question.id}`);
    const worked = evaluateAnswer(question, ref.text);
    if (worked.problem || worked.value === undefined) {
      throw new ReferenceAnswerError(
        `the reference answer to ${question.id} does not evaluate: ${worked.problem ?? "no value"}`,
      );
    }
    const expected = worked.value;
    const expectedShown = formatValue(expected, question.unit);
    const derivation = steps(worked.lines, question.unit);
    if (answers.loadError) {
      return {
        id: question.id,
        status: "invalid",
        message: answers.loadError,
        derivation: [],
        expected: expectedShown,
      };
    }
    const entry = answers.entries.get(question.id);
    if (!entry || ("text" in entry && entry.text.trim() === "")) {
      return {
        id: question.id,
        status: "unanswered",
        message: "not answered yet",
        derivation: [],
        expected: expectedShown,
      };
    }
    if ("problem" in entry) {
      return { id: question.id, status: "invalid", message: entry.problem, derivation: [], expected: expectedShown };
    }
    return judge(question, entry.text, expected, derivation, expectedShown);
  });
  const ids = new Set(questions.map((q) => q.id));
  const result: WorksheetResult = {
    total: questions.length,
    correct: results.filter((r) => r.status === "correct").length,
    answered: results.filter((r) => r.status !== "unanswered").length,
    questions: results,
    unknown: [...answers.entries.keys()].filter((id) => !ids.has(id)),
  };
  if (answers.loadError) result.loadError = answers.loadError;
  return result;
}
