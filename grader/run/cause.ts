import type { Cause, SpecOutcome } from "./outcome.ts";

/** a message the resolver raises when learner code imports a reference or a mutant, or is one */
export const USES_REFERENCE = "uses the reference";
/** a message the resolver raises when learner code uses what kata code may not (policy.ts) */
export const NOT_ALLOWED = "not allowed";

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function timedOut(ms: number, test: string | undefined): Cause {
  return { kind: "timeout", message: `timed out after ${seconds(ms)} ${test ? `in test "${test}"` : "while loading"}` };
}

/** the line of a load error that starts with its cause: Vite puts the plugin's name before it */
function firstLine(message: string, cause: string): string {
  return message.slice(message.indexOf(cause)).split("\n")[0] ?? "";
}

/**
 * What Vitest itself reports about a kata that misbehaved: an import of the
 * reference or a missing file (from the resolver), process.exit (which Vitest
 * intercepts), a test that never settled.
 */
export function causeFrom(outcome: SpecOutcome): Cause | undefined {
  for (const error of outcome.loadErrors) {
    if (error.message.includes(USES_REFERENCE))
      return { kind: "uses-reference", message: firstLine(error.message, USES_REFERENCE) };
    if (error.message.includes(`${NOT_ALLOWED}: `))
      return { kind: "not-allowed", message: firstLine(error.message, NOT_ALLOWED) };
    if (/ is missing: npm run reset/.test(error.message))
      return { kind: "missing", message: error.message.split("\n")[0] ?? "" };
  }
  for (const test of outcome.tests) {
    for (const error of test.errors) {
      const exit = /process\.exit unexpectedly called with "([^"]*)"/.exec(error.message);
      if (exit) return { kind: "exit", message: `called process.exit(${exit[1]}) in test "${test.name}"` };
      const timeout = /Test timed out in (\d+)ms/.exec(error.message);
      if (timeout) return timedOut(Number(timeout[1]), test.name);
    }
  }
  return undefined;
}
