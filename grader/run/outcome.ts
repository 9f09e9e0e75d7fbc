import type { PerfRecord } from "../spec/meta.ts";
import type { WorksheetResult } from "../worksheet/grade.ts";

/** an error from a test, trimmed to what a learner reads */
export interface ErrorInfo {
  name: string;
  message: string;
  /** expected/actual diff from an assertion, when there is one */
  diff?: string;
  /** root-relative file:line of the deepest frame in the kata under test */
  where?: string;
}

/** a design read as a reviewer would (grader/design/review.ts), carried from the worker to the report */
export interface DesignReview {
  rows: { requirement: string; holds: boolean; figure: string }[];
  /** the worst problems first, at most three */
  problems: string[];
  /** problems past the three shown */
  more: number;
  /** each flow: where an ordinary request and the slowest 1% spend their time, step by step */
  traces: {
    flow: string;
    p99: number;
    typical: { step: string; ms: number }[];
    slowest: { step: string; ms: number }[];
  }[];
}

export type TestState = "passed" | "failed" | "skipped";

export interface TestOutcome {
  /** the test's own name */
  name: string;
  /** describe blocks and name, joined by " > " */
  fullName: string;
  state: TestState;
  durationMs: number;
  errors: ErrorInfo[];
  seed?: number;
  perf?: PerfRecord;
  /** a worksheet's verdicts, from the test that graded it */
  worksheet?: WorksheetResult;
  /** a design problem's design, drawn, from the test that checked it holds together */
  diagram?: string;
  /** a design problem's review, from the same test */
  review?: DesignReview;
  /** what the code under test printed, first lines only */
  logs: string[];
}

export type CauseKind =
  | "timeout"
  | "memory"
  | "exit"
  | "crash"
  | "uses-reference"
  | "not-allowed"
  | "missing"
  | "needs-server";

/** why a kata did not finish its grading the ordinary way */
export interface Cause {
  kind: CauseKind;
  /** "timed out after 10 s in test …", "exceeded 512 MB in test …", "called process.exit(0) in test …" */
  message: string;
}

/** one spec run against one target */
export interface SpecOutcome {
  kataId: string;
  chapter: string;
  target: string;
  tests: TestOutcome[];
  /** errors outside any test: the spec or the kata failed to load */
  loadErrors: ErrorInfo[];
  durationMs: number;
  /** set when the kata was stopped, crashed or broke the rules */
  cause?: Cause;
}

export type KataStatus = "passing" | "failing" | "todo" | "error" | "timeout" | "skipped";
