// builders for outcomes in the grader's tests
import type { ErrorInfo, SpecOutcome, TestOutcome } from "../run/outcome.ts";

export const todoError: ErrorInfo = { name: "NotImplementedError", message: "todo: not implemented yet (X.y)" };
export const assertion: ErrorInfo = { name: "AssertionError", message: "expected 1 to be 2" };

export function test(name: string, state: TestOutcome["state"], errors: ErrorInfo[] = []): TestOutcome {
  return { name, fullName: `suite > ${name}`, state, durationMs: 1, errors, logs: [] };
}

export function outcome(tests: TestOutcome[], loadErrors: ErrorInfo[] = []): SpecOutcome {
  return { kataId: "kata", chapter: "01-x", target: "learner", tests, loadErrors, durationMs: 10 };
}
