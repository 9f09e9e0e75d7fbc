import type { Kata } from "../manifest/load.ts";
import { NOT_ALLOWED } from "../run/cause.ts";
import type { ErrorInfo, SpecOutcome, TestOutcome } from "../run/outcome.ts";
import { counts, isTodo, kataStatus } from "../run/status.ts";
import { renderReview } from "./design.ts";
import { renderPerfTable } from "./perf.ts";
import { clip, colored, indent, paint, quoteArg } from "./text.ts";

export interface RenderContext {
  seed: number;
  /** grading the reference solutions rather than the learner's katas */
  reference: boolean;
  /** how many hints of each kata the learner has asked for (npm run hint) */
  hintsSeen?: Readonly<Record<string, number>>;
  /** the -t text the run was limited to, if any */
  testFilter?: string;
  /** design problems: follow one request of each flow hop by hop */
  trace?: boolean;
}

/** where the learner stands with a kata's hints, and the command for the next */
function hintLine(kata: Kata, context: RenderContext): string {
  const seen = Math.min(context.hintsSeen?.[kata.id] ?? 0, kata.hints.length);
  if (seen === 0) return `Hint 1 of ${kata.hints.length}: ${kata.hints[0]}`;
  if (seen < kata.hints.length)
    return `You have seen ${seen} of ${kata.hints.length} hints: npm run hint -- ${kata.id} shows hint ${seen + 1}`;
  return `You have seen all ${kata.hints.length} hints (npm run hint -- ${kata.id} --again shows them); the reference is yours to read once it passes: npm run compare -- ${kata.id}`;
}

const stars = (difficulty: number) => "★".repeat(difficulty) + "☆".repeat(3 - difficulty);

export function reproduceCommand(kata: Kata, test: TestOutcome, context: RenderContext): string {
  const flags = [
    context.reference ? "--reference" : "",
    `--seed ${test.seed ?? context.seed}`,
    `-t ${quoteArg(test.name)}`,
  ];
  return `npm run grade -- ${kata.id} ${flags.filter(Boolean).join(" ")}`;
}

/** what the sandbox's own refusals mean, for errors that do not say it themselves */
export function explanation(error: ErrorInfo): string | undefined {
  if (
    /^Cannot (assign to read only property|add property|define property|redefine property|delete property)/.test(
      error.message,
    )
  )
    return "JavaScript's built-ins (Map, Array, Object, Date, Math, ...) are frozen while katas run: a kata cannot change them for the grader or the reference";
  if (/Code generation from strings disallowed/.test(error.message))
    return "the grader does not compile code from strings: eval and new Function are off";
  if (/ERR_ACCESS_DENIED|Access to this API has been restricted/.test(error.message))
    return "kata code runs without access to files, processes or threads";
  return undefined;
}

function renderError(error: ErrorInfo): string[] {
  const message =
    error.name === "AssertionError" || error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
  const lines = [clip(colored(message), 14)];
  if (error.diff) lines.push(clip(colored(error.diff), 12));
  if (error.where) lines.push(paint.dim(`at ${error.where}`));
  const why = explanation(error);
  if (why) lines.push(paint.dim(why));
  return lines;
}

function renderFailure(kata: Kata, test: TestOutcome, context: RenderContext): string[] {
  const out = [`${paint.red("✗")} ${test.fullName}`];
  const body: string[] = [];
  for (const error of test.errors.slice(0, 2)) body.push(...renderError(error));
  if (test.logs.length > 0) {
    body.push(paint.dim("your code printed:"), ...test.logs.slice(0, 5).map((l) => paint.dim(`  ${l}`)));
  }
  body.push(paint.dim(`reproduce: ${reproduceCommand(kata, test, context)}`));
  out.push(indent(body.join("\n"), 4));
  return out;
}

/** a stub's first "not implemented", and where it is */
function todoLine(outcome: SpecOutcome): string {
  const error = outcome.tests.find(isTodo)?.errors[0];
  const where = error?.where ? ` at ${error.where}` : "";
  return `${error?.message ?? "todo: not implemented yet"}${where}`;
}

/**
 * What the load pass added to a kata already shown from its behaviour tests (--watch shows those
 * first): the load tests that failed, the performance table, and the kata's status now.
 */
export function renderLoadFollowUp(
  kata: Kata,
  outcome: SpecOutcome,
  loadTests: readonly string[],
  context: RenderContext,
): string {
  const out: string[] = [];
  const measured = new Set(loadTests);
  for (const test of outcome.tests) {
    if (test.state === "failed" && measured.has(test.fullName))
      out.push(...renderFailure(kata, test, context).map((line) => indent(line, 2)), "");
  }
  const perf = renderPerfTable(outcome, kata.budgets, context.reference ? "reference" : "yours");
  if (perf.length > 0) {
    out.push(
      `  ${paint.bold("Performance against the reference")} ${paint.dim("(same process, same seeded workload)")}`,
    );
    out.push(...perf.map((line) => `    ${line}`), "");
  }
  const { passed, failed, todo } = counts(outcome);
  out.push(
    kataStatus(outcome) === "passing"
      ? `  ${paint.green("passing")}, load tests included.`
      : `  ${paint.red("failing")}: ${passed} of ${passed + failed + todo} pass, load tests included.`,
  );
  return out.join("\n");
}

/** one kata in full: every failing test with its reproduce command, and performance against the reference */
export function renderKata(kata: Kata, outcome: SpecOutcome, context: RenderContext): string {
  const status = kataStatus(outcome);
  const file = context.reference ? kata.paths.reference : kata.paths.stub;
  const out = [
    `${paint.bold(kata.id)} · ${kata.title} · ${kata.chapter} · ${stars(kata.difficulty)}`,
    paint.dim(`  ${context.reference ? "reference" : "edit"}: ${file}`),
    paint.dim(`  spec: ${kata.paths.spec}`),
    "",
  ];
  const { passed, failed, todo, skipped } = counts(outcome);
  if (outcome.cause?.kind === "needs-server") {
    // not the learner's failure: the lab is skipped until the machine has its server
    out.push(`  ${paint.yellow(`– skipped: ${outcome.cause.message}`)}`);
    return out.join("\n");
  }
  if (outcome.cause) {
    const mark = outcome.cause.kind === "timeout" ? "⧗" : "!";
    out.push(`  ${paint.red(`${mark} ${outcome.cause.message}`)}`);
    const advice: Record<string, string> = {
      timeout: `a kata has ${Math.round(kata.limits.timeMs / 1000)} s for its whole spec; look for a loop that never ends or a promise that never settles`,
      memory: `a kata's worker has ${kata.limits.memoryMb} MB; look for something that grows without bound`,
      exit: "a kata must not end the process: return or throw instead",
      crash: "its worker died before the spec finished",
      "uses-reference":
        "a kata is graded as your own work: it may not import, link to or copy the reference solutions or the mutants",
      "not-allowed":
        "kata code imports only #kit, files of its own chapter and a few node: modules, and uses its own declarations and JavaScript's standard globals (docs/results.md says why)",
      missing: "the file is gone: npm run reset restores the stub",
    };
    // every place the policy refused, not only the first
    const refused = outcome.loadErrors
      .flatMap((error) => error.message.split("\n"))
      .filter((line) => line.includes(`${NOT_ALLOWED}: `))
      .map((line) => line.slice(line.indexOf(`${NOT_ALLOWED}: `)));
    for (const line of new Set(refused)) if (line !== outcome.cause.message) out.push(`  ${paint.red(`! ${line}`)}`);
    out.push(paint.dim(`    ${advice[outcome.cause.kind] ?? ""}`));
    if (outcome.tests.length > 0) {
      out.push(paint.dim(`    before that: ${passed} passed, ${failed} failed`));
      for (const test of outcome.tests) {
        if (test.state !== "failed" || isTodo(test)) continue;
        out.push("", ...renderFailure(kata, test, context).map((line) => indent(line, 2)));
      }
    }
    return out.join("\n");
  }
  if (status === "error" && context.testFilter && outcome.loadErrors.length === 0) {
    // -t matched nothing: the filter is what to change, not the spec
    const names = outcome.tests.map((t) => t.name);
    out.push(`  ${paint.yellow(`○ no test of ${kata.id} has "${context.testFilter}" in its name`)}`);
    if (names.length > 0) out.push(paint.dim(`    its tests:\n${names.map((n) => `      ${n}`).join("\n")}`));
    return out.join("\n");
  }
  if (status === "error") {
    out.push(`  ${paint.red("! did not run")}`);
    for (const error of outcome.loadErrors) out.push(indent(renderError(error).join("\n"), 4));
    if (outcome.loadErrors.length === 0) out.push(indent("no test ran: check the spec and the kata's exports", 4));
    return out.join("\n");
  }
  if (status === "todo") {
    out.push(`  ${paint.yellow("○")} ${todoLine(outcome)}`);
    out.push(`    ${todo} test(s) wait on it. ${hintLine(kata, context)}`);
    return out.join("\n");
  }
  const tally = [
    paint.green(`✓ ${passed} passed`),
    failed ? paint.red(`✗ ${failed} failed`) : "",
    todo ? paint.yellow(`○ ${todo} not implemented`) : "",
    skipped ? paint.dim(`${skipped} skipped`) : "",
  ];
  out.push(`  ${tally.filter(Boolean).join("   ")}`);
  const review = outcome.tests.find((test) => test.review !== undefined)?.review;
  if (review) out.push("", ...renderReview(review, { trace: context.trace === true }));
  for (const test of outcome.tests) {
    if (test.state !== "failed") continue;
    out.push("", ...renderFailure(kata, test, context).map((line) => indent(line, 2)));
  }
  const perf = renderPerfTable(outcome, kata.budgets, context.reference ? "reference" : "yours");
  if (perf.length === 0 && status === "failing" && skipped > 0 && !context.testFilter)
    out.push(
      "",
      paint.dim(
        `  The load tests measure your code against the reference once every other test passes (--load measures it now).`,
      ),
    );
  if (perf.length > 0) {
    out.push(
      "",
      `  ${paint.bold("Performance against the reference")} ${paint.dim("(same process, same seeded workload)")}`,
    );
    out.push(...perf.map((line) => `    ${line}`));
  }
  out.push("");
  if (status === "passing") {
    out.push(
      `  ${paint.green("passing")}.` +
        (context.reference ? "" : ` Compare with the reference: ${kata.paths.reference}`),
    );
  } else {
    out.push(
      `  ${paint.red("failing")}: ${passed} of ${passed + failed + todo} pass. Stuck? ${paint.dim(hintLine(kata, context))}`,
    );
  }
  return out.join("\n");
}
