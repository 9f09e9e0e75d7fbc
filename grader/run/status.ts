import type { KataStatus, SpecOutcome, TestOutcome } from "./outcome.ts";

export function isTodo(test: TestOutcome): boolean {
  return (
    test.state === "failed" && test.errors.length > 0 && test.errors.every((e) => e.name === "NotImplementedError")
  );
}

/**
 * passing: every test that ran passed; todo: nothing passed and every failure
 * is a stub's "not implemented"; timeout: stopped at its time limit; error: it
 * crashed, exited, used the reference, did not load, or no test ran; failing:
 * anything else; skipped: a lab whose server this machine lacks (it did not run).
 */
export function kataStatus(outcome: SpecOutcome): KataStatus {
  if (outcome.cause?.kind === "needs-server") return "skipped";
  if (outcome.cause) return outcome.cause.kind === "timeout" ? "timeout" : "error";
  if (outcome.loadErrors.length > 0) return "error";
  const ran = outcome.tests.filter((t) => t.state !== "skipped");
  if (ran.length === 0) return "error";
  const failed = ran.filter((t) => t.state === "failed");
  if (failed.length === 0) return "passing";
  if (failed.length === ran.length && failed.every(isTodo)) return "todo";
  return "failing";
}

export function counts(outcome: SpecOutcome): { passed: number; failed: number; skipped: number; todo: number } {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let todo = 0;
  for (const test of outcome.tests) {
    if (test.state === "passed") passed++;
    else if (test.state === "skipped") skipped++;
    else if (isTodo(test)) todo++;
    else failed++;
  }
  return { passed, failed, skipped, todo };
}
