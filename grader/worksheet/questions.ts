import type { Question } from "../manifest/schema.ts";
import { evaluate, isUnitName, type Value } from "../units/engine.ts";
import { badValue } from "../units/script.ts";
import { varyProblems } from "./vary.ts";

/** a question's given values, evaluated in order: a later one may use an earlier one */
export function givenScope(question: Question): Record<string, Value> {
  const scope: Record<string, Value> = {};
  for (const [name, expression] of Object.entries(question.given)) scope[name] = evaluate(expression, scope);
  return scope;
}

/** problems with a chapter's questions that only the units engine can see: givens and units it cannot read */
export function checkQuestions(questions: readonly Question[]): Array<{ field: string; expected: string }> {
  const problems: Array<{ field: string; expected: string }> = [];
  questions.forEach((question, index) => {
    const scope: Record<string, Value> = {};
    for (const [name, expression] of Object.entries(question.given)) {
      if (isUnitName(name)) {
        problems.push({
          field: `worksheet[${index}].given.${name}`,
          expected: `expected a name that is not a unit: "${name}" is one`,
        });
        continue;
      }
      try {
        scope[name] = evaluate(expression, scope);
        const bad = badValue(scope[name] as Value);
        if (bad)
          problems.push({ field: `worksheet[${index}].given.${name}`, expected: `expected a finite value; it ${bad}` });
      } catch (error) {
        problems.push({
          field: `worksheet[${index}].given.${name}`,
          expected: `expected a value the units engine can read, such as "10M user": ${(error as Error).message}`,
        });
      }
    }
    try {
      evaluate(`1 ${question.unit}`);
    } catch (error) {
      problems.push({
        field: `worksheet[${index}].unit`,
        expected: `expected a unit the units engine knows, such as "req/s" or "TB": ${(error as Error).message}`,
      });
    }
    for (const problem of varyProblems(question)) {
      const [field = "vary", ...rest] = problem.split(": ");
      problems.push({ field: `worksheet[${index}].${field}`, expected: rest.join(": ") });
    }
  });
  return problems;
}
