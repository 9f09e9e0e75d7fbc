import type { ErrorInfo, SpecOutcome, TestOutcome } from "./outcome.ts";

/** what a run reports as it goes, from the runner process to the supervisor */
export type RunEvent =
  | { type: "module-start"; kataId: string; target: string; file: string }
  | { type: "test-start"; kataId: string; target: string; test: string }
  | { type: "test-end"; kataId: string; target: string; outcome: TestOutcome }
  | { type: "module-end"; outcome: SpecOutcome }
  | { type: "done"; unhandled: ErrorInfo[]; workers?: { ahead: number; onDemand: number } }
  | { type: "failed"; message: string };

export const jobKey = (kataId: string, target: string) => `${kataId}\u0000${target}`;
