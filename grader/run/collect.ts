import path from "node:path";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import "../spec/meta.ts";
import { causeFrom } from "./cause.ts";
import type { RunEvent } from "./events.ts";
import type { DesignReview, ErrorInfo, SpecOutcome, TestOutcome } from "./outcome.ts";

type ConsoleLog = Parameters<NonNullable<Reporter["onUserConsoleLog"]>>[0];

const MAX_LOG_LINES = 20;

/** keeps what a vitest run produced, and tells `onEvent` as it happens */
export class Collector implements Reporter {
  modules: TestModule[] = [];
  unhandled: SerializedError[] = [];
  readonly #logs = new Map<string, string[]>();

  constructor(
    private readonly root: string,
    private readonly keys: Map<string, ModuleKey>,
    private readonly onEvent?: (event: RunEvent) => void,
  ) {}

  // queued is when a worker starts on the file, before it imports the spec and the kata: a kata's
  // time limit counts from here, so a loop at the top of a kata's module is stopped like any other
  onTestModuleQueued(module: TestModule): void {
    const key = this.keys.get(module.moduleId);
    if (key) this.onEvent?.({ type: "module-start", kataId: key.kataId, target: key.target, file: module.moduleId });
  }

  onTestCaseReady(test: TestCase): void {
    const key = this.keys.get(test.module.moduleId);
    if (key) this.onEvent?.({ type: "test-start", kataId: key.kataId, target: key.target, test: test.name });
  }

  onTestCaseResult(test: TestCase): void {
    const key = this.keys.get(test.module.moduleId);
    if (key) {
      const outcome = testOutcome(test, this, this.root, key.underTest);
      this.onEvent?.({ type: "test-end", kataId: key.kataId, target: key.target, outcome });
    }
  }

  onTestModuleEnd(module: TestModule): void {
    const key = this.keys.get(module.moduleId);
    if (key) this.onEvent?.({ type: "module-end", outcome: specOutcome(module, key, this, this.root) });
  }

  onUserConsoleLog(log: ConsoleLog): void {
    const key = log.taskId ?? "";
    const lines = this.#logs.get(key) ?? [];
    if (lines.length < MAX_LOG_LINES) {
      lines.push(
        ...log.content
          .replace(/\n$/, "")
          .split("\n")
          .slice(0, MAX_LOG_LINES - lines.length),
      );
      this.#logs.set(key, lines);
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    this.modules = [...modules];
    this.unhandled = [...unhandled];
  }

  logsOf(taskId: string): string[] {
    return this.#logs.get(taskId) ?? [];
  }
}

/**
 * The reporter a kept Vitest instance is made with (run-specs.ts): it hands each event to the
 * collector of the batch under way, so one instance serves two batches, each with its own.
 */
export class Relay implements Reporter {
  to: Collector | undefined;

  onTestModuleQueued(module: TestModule): void {
    this.to?.onTestModuleQueued(module);
  }

  onTestCaseReady(test: TestCase): void {
    this.to?.onTestCaseReady(test);
  }

  onTestCaseResult(test: TestCase): void {
    this.to?.onTestCaseResult(test);
  }

  onTestModuleEnd(module: TestModule): void {
    this.to?.onTestModuleEnd(module);
  }

  onUserConsoleLog(log: ConsoleLog): void {
    this.to?.onUserConsoleLog(log);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    this.to?.onTestRunEnd(modules, unhandled);
  }
}

/** the deepest stack frame in the file under test, as root-relative file:line */
function whereIn(error: SerializedError, root: string, underTest: string | undefined): string | undefined {
  const frames = (error.stacks ?? []).filter((f) => !f.file.includes("node_modules"));
  const frame = (underTest && frames.find((f) => path.resolve(f.file) === underTest)) || undefined;
  return frame ? `${path.relative(root, frame.file)}:${frame.line}` : undefined;
}

const UNSERIALIZABLE = "<unserializable>";

/**
 * A thrown value that is not an Error, as Vitest serialized it: a string or a
 * number arrives as its message alone, an object as its own properties, and a
 * property whose getter threw as "<unserializable>: why". Said plainly, with
 * the advice that gets the learner a line number.
 */
function describeThrown(error: SerializedError): { name: string; message: string } | undefined {
  const raw = error as Record<string, unknown>;
  const broken = Object.entries(raw).filter(([, v]) => typeof v === "string" && v.startsWith(UNSERIALIZABLE));
  const advice = "throw new Error(...) instead: an Error carries a message and the line it came from";
  if (broken.length > 0) {
    const which = broken.map(([key, v]) => `${key} (${String(v).slice(UNSERIALIZABLE.length).replace(/^: /, "")})`);
    const message =
      typeof raw.message === "string" && !raw.message.startsWith(UNSERIALIZABLE) ? `; its message: ${raw.message}` : "";
    return {
      name: "Error",
      message: `threw an object whose getters threw when the grader read them: ${which.join(", ")}${message}. ${advice}`,
    };
  }
  const plain = typeof raw.stack !== "string" && raw.name === undefined;
  if (!plain) return undefined;
  // what Vitest adds to every error it serializes
  const own = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== "stacks" && !key.startsWith("VITEST_")));
  if (Object.keys(own).length === 1 && typeof own.message === "string")
    return { name: "Error", message: `threw ${JSON.stringify(own.message)}, which is not an Error. ${advice}` };
  let shown: string;
  try {
    shown = JSON.stringify(own).slice(0, 300);
  } catch {
    shown = "an object";
  }
  return { name: "Error", message: `threw ${shown}, which is not an Error. ${advice}` };
}

export function toErrorInfo(error: SerializedError, root: string, underTest?: string): ErrorInfo {
  const info: ErrorInfo = describeThrown(error) ?? {
    name: typeof error.name === "string" && error.name ? error.name : "Error",
    message: String(error.message ?? error),
  };
  if (typeof error.diff === "string" && error.diff) info.diff = error.diff;
  const where = whereIn(error, root, underTest);
  if (where) info.where = where;
  return info;
}

export function testOutcome(
  test: TestCase,
  collector: Collector,
  root: string,
  underTest: string | undefined,
): TestOutcome {
  const result = test.result();
  const meta = test.meta();
  const outcome: TestOutcome = {
    name: test.name,
    fullName: test.fullName,
    state: result.state === "passed" ? "passed" : result.state === "failed" ? "failed" : "skipped",
    durationMs: test.diagnostic()?.duration ?? 0,
    errors: (result.errors ?? []).map((e) => toErrorInfo(e, root, underTest)),
    logs: collector.logsOf(test.id),
  };
  if (meta.seed !== undefined) outcome.seed = meta.seed;
  if (meta.perf !== undefined) outcome.perf = meta.perf;
  if (meta.worksheet !== undefined) outcome.worksheet = meta.worksheet;
  if (meta.diagram !== undefined) outcome.diagram = meta.diagram.slice(0, 20_000);
  if (meta.review !== undefined) outcome.review = boundedReview(meta.review);
  return outcome;
}

export interface ModuleKey {
  kataId: string;
  chapter: string;
  target: string;
  /** absolute path of the file `#kata` resolved to, to point errors at the learner's line */
  underTest?: string;
}

export function specOutcome(module: TestModule, key: ModuleKey, collector: Collector, root: string): SpecOutcome {
  const outcome: SpecOutcome = {
    kataId: key.kataId,
    chapter: key.chapter,
    target: key.target,
    tests: [...module.children.allTests()].map((t) => testOutcome(t, collector, root, key.underTest)),
    loadErrors: module.errors().map((e) => toErrorInfo(e, root, key.underTest)),
    durationMs: module.diagnostic().duration,
  };
  const cause = causeFrom(outcome);
  if (cause) outcome.cause = cause;
  return outcome;
}

/** a review as the report shows it: so many rows and characters, whatever a design's names */
function boundedReview(review: DesignReview): DesignReview {
  const text = (value: unknown) => String(value).slice(0, 500);
  const steps = (list: { step: string; ms: number }[]) =>
    list.slice(0, 50).map((s) => ({ step: text(s.step), ms: Number(s.ms) }));
  return {
    rows: review.rows
      .slice(0, 100)
      .map((row) => ({ requirement: text(row.requirement), holds: row.holds === true, figure: text(row.figure) })),
    problems: review.problems.slice(0, 3).map(text),
    more: Number(review.more) || 0,
    traces: review.traces.slice(0, 20).map((t) => ({
      flow: text(t.flow),
      p99: Number(t.p99),
      typical: steps(t.typical),
      slowest: steps(t.slowest),
    })),
  };
}
