import type { SpecOutcome, TestOutcome } from "./outcome.ts";

/** joins the outcomes of the same spec and target from several runs (phases); later runs fill in skipped tests */
export function mergeOutcomes(parts: SpecOutcome[]): SpecOutcome {
  const [first, ...rest] = parts;
  if (!first) throw new Error("mergeOutcomes needs at least one outcome");
  const tests = new Map<string, TestOutcome>();
  for (const part of parts) {
    for (const test of part.tests) {
      const seen = tests.get(test.fullName);
      if (!seen || seen.state === "skipped") tests.set(test.fullName, test);
    }
  }
  const merged: SpecOutcome = {
    ...first,
    tests: [...tests.values()],
    loadErrors: parts.flatMap((p) => p.loadErrors),
    durationMs: first.durationMs + rest.reduce((sum, p) => sum + p.durationMs, 0),
  };
  const cause = parts.find((p) => p.cause)?.cause;
  if (cause) merged.cause = cause;
  else delete merged.cause;
  return merged;
}
