// npm run interview -- <problem>: a timed mock interview on a design problem, then its rubric and model answers
import readline from "node:readline";
import { Command, InvalidArgumentError } from "commander";
import { type Clock, runInterview } from "../interview/session.ts";
import { type Kata, loadChapters, ManifestError } from "../manifest/load.ts";
import { paint } from "../report/text.ts";
import { takeStateNotes } from "../state/folder.ts";
import { projectRoot, UnknownSelector } from "./common.ts";

const MAX_MINUTES = 240;

/** the real time, with an alarm that ends a phase while the learner is silent */
const wallClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, abort) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.addEventListener("abort", () => clearTimeout(timer), { once: true });
    }),
};

function parseMinutes(value: string): number {
  const minutes = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)
    throw new InvalidArgumentError(`expected a whole number of minutes from 1 to ${MAX_MINUTES}, such as --minutes 30`);
  return minutes;
}

/** the design problem named `design-url-shortener` or just `url-shortener` */
function findProblem(katas: Kata[], name: string | undefined): Kata & { interview: NonNullable<Kata["interview"]> } {
  const problems = katas.filter((k): k is Kata & { interview: NonNullable<Kata["interview"]> } => !!k.interview);
  const list = problems.map((k) => `  ${k.id.replace(/^design-/, "").padEnd(20)} ${k.title}`).join("\n");
  const found = problems.find((k) => k.id === name || k.id === `design-${name}`);
  if (found) return found;
  throw new UnknownSelector(
    `${name === undefined ? "Which problem?" : `no design problem "${name}".`} ` +
      `Name one, such as npm run interview -- url-shortener:\n${list}`,
  );
}

const program = new Command("interview")
  .description(
    "a timed mock interview on a design problem: clarify, estimate, high-level design, deep dive (with follow-ups), wrap-up; then the rubric and model answers, and your own score of each phase",
  )
  .argument("[problem]", "the design problem, such as url-shortener (or design-url-shortener)")
  .option("--minutes <n>", "the length of the whole interview; each phase gets its share", parseMinutes, 45)
  .action(async (name: string | undefined, options: { minutes: number }) => {
    const root = projectRoot();
    let problem: ReturnType<typeof findProblem>;
    try {
      problem = findProblem(
        (await loadChapters(root, { questionsLater: true })).flatMap((c) => c.katas),
        name,
      );
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
      return;
    }
    const lines = readline.createInterface({ input: process.stdin, terminal: false });
    // Ctrl-C, a closed terminal or a stop ends the input: the session keeps the notes typed so far
    let signal: NodeJS.Signals | undefined;
    const stop = (name: NodeJS.Signals) => () => {
      signal = name;
      lines.close();
    };
    for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(name, stop(name));
    let result: Awaited<ReturnType<typeof runInterview>>;
    try {
      result = await runInterview({
        root,
        problem,
        minutes: options.minutes,
        clock: wallClock,
        input: lines[Symbol.asyncIterator](),
        write: (text) => process.stdout.write(text),
      });
    } catch (error) {
      // the notes or the progress could not be written: say why, without a stack
      console.error(paint.red(`\ninterview: ${(error as Error).message}`));
      process.exitCode = 1;
      process.stdin.destroy();
      return;
    }
    lines.close();
    for (const note of takeStateNotes()) console.error(paint.yellow(note));
    if (result.finished && result.rebuilt) console.error(paint.yellow(`note: .grade/progress.json: ${result.rebuilt}`));
    // stopped part way: 130 for Ctrl-C (as a shell reports it), 1 when the input ran out
    if (!result.finished) process.exitCode = signal === "SIGINT" ? 130 : 1;
    // a terminal's stdin would keep the process waiting for more
    process.stdin.destroy();
  });

await program.parseAsync();
