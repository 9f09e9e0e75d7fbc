import type { ErrorInfo, SpecOutcome, TestOutcome } from "../run/outcome.ts";

export { mergeOutcomes } from "../run/merge.ts";

import { counts, kataStatus } from "../run/status.ts";

export interface TargetVerdict {
  ok: boolean;
  /** one line for the matrix report */
  summary: string;
  /** failing tests that count as a kill, in spec order */
  killers: string[];
}

function firstProblem(outcome: SpecOutcome): string {
  const load = outcome.loadErrors[0];
  if (load) return `${load.name}: ${firstLine(load.message)}`;
  const failed = outcome.tests.find((t) => t.state === "failed");
  if (failed) return `"${failed.fullName}": ${describeErrors(failed.errors)}`;
  return "no test ran";
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

function describeErrors(errors: ErrorInfo[]): string {
  const error = errors[0];
  return error ? `${error.name}: ${firstLine(error.message)}` : "failed";
}

/** a lab whose server this machine lacks ran nothing to judge; CI sets REQUIRE_REDIS, so there it fails instead */
function skipped(outcome: SpecOutcome): TargetVerdict | undefined {
  if (kataStatus(outcome) !== "skipped") return undefined;
  return { ok: true, summary: `skipped: ${outcome.cause?.message.split(":")[0]}`, killers: [] };
}

export function judgeReference(outcome: SpecOutcome): TargetVerdict {
  const skip = skipped(outcome);
  if (skip) return skip;
  const { passed, failed, todo } = counts(outcome);
  const ok = kataStatus(outcome) === "passing";
  return {
    ok,
    summary: ok
      ? `passes ${passed}/${passed}`
      : `fails ${failed + todo} of ${passed + failed + todo}: ${firstProblem(outcome)}`,
    killers: [],
  };
}

export function judgeStub(outcome: SpecOutcome): TargetVerdict {
  const skip = skipped(outcome);
  if (skip) return skip;
  const status = kataStatus(outcome);
  const { passed, todo } = counts(outcome);
  if (status === "todo") return { ok: true, summary: `todo: not implemented (${todo}/${todo})`, killers: [] };
  const why =
    passed > 0
      ? `${passed} test(s) pass on the pristine stub, e.g. "${outcome.tests.find((t) => t.state === "passed")?.fullName}"`
      : firstProblem(outcome);
  return { ok: false, summary: `should read as todo, is ${status}: ${why}`, killers: [] };
}

// a mutant killed only by these did not fail a requirement: it does not fit the kata's interface
const NOT_A_KILL = new Set(["NotImplementedError", "TypeError", "ReferenceError", "SyntaxError"]);

function isKill(test: TestOutcome): boolean {
  return test.state === "failed" && test.errors.some((e) => !NOT_A_KILL.has(e.name));
}

export function judgeMutant(outcome: SpecOutcome, caughtBy?: string): TargetVerdict {
  const skip = skipped(outcome);
  if (skip) return skip;
  const killers = outcome.tests.filter(isKill).map((t) => t.fullName);
  if (outcome.loadErrors.length > 0) {
    return { ok: false, summary: `did not load: ${firstProblem(outcome)}`, killers };
  }
  if (killers.length === 0) {
    const failed = outcome.tests.filter((t) => t.state === "failed");
    const summary =
      failed.length > 0
        ? `killed only by ${describeErrors(failed[0]?.errors ?? [])}: does the mutant fit the kata's interface?`
        : `SURVIVED: all ${outcome.tests.filter((t) => t.state === "passed").length} tests passed`;
    return { ok: false, summary, killers };
  }
  const more = killers.length > 1 ? ` (+${killers.length - 1} more)` : "";
  if (caughtBy && !killers.some((name) => name.endsWith(caughtBy))) {
    return {
      ok: false,
      summary: `killed by "${killers[0]}"${more}, but not by "${caughtBy}", the test its header names`,
      killers,
    };
  }
  const named = caughtBy ? (killers.find((name) => name.endsWith(caughtBy)) ?? killers[0]) : killers[0];
  return { ok: true, summary: `killed by "${named}"${more}`, killers };
}
