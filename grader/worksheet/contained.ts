// imported by the test file the grader writes for a worksheet: it runs in a sandboxed Vitest worker,
// where the learner's worksheet loads under the same policy and limits as a kata (run/policy.ts)
import { it } from "vitest";
import type { Question } from "../manifest/schema.ts";
import "../spec/meta.ts";
import { type Answers, answersOf, describeLoadError, WORKSHEET_TEST } from "./answers.ts";
import { gradeWorksheet } from "./grade.ts";

/** the one test of a worksheet: load both files, grade every answer, hand the result to the grader */
export function worksheetTest(
  questions: Question[],
  load: { answers: () => Promise<unknown>; reference: () => Promise<unknown> },
): void {
  it(WORKSHEET_TEST, async ({ task }) => {
    const imported = async (get: () => Promise<unknown>): Promise<Answers> => {
      try {
        return answersOf(await get());
      } catch (error) {
        return { entries: new Map(), loadError: describeLoadError(error) };
      }
    };
    const reference = await imported(load.reference);
    if (reference.loadError) throw new Error(`the reference worksheet: ${reference.loadError}`);
    task.meta.worksheet = gradeWorksheet(questions, await imported(load.answers), reference);
  });
}
