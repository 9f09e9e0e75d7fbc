import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Interview, PHASES } from "../interview/schema.ts";
import { type Clock, runInterview, timeBoxes } from "../interview/session.ts";
import { type Kata, loadChapters } from "../manifest/load.ts";
import { stripAnsi } from "../report/text.ts";
import { ProgressSchema, readProgress, recordProgress } from "../state/progress.ts";
import { repo } from "./cli-helper.ts";

const scratch = mkdtempSync(path.join(os.tmpdir(), "sdk-interview-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let roots = 0;
/** a project root of its own: the session writes only its .grade/ */
const freshRoot = () => mkdirs(scratch, `root-${++roots}`);

const PROBLEMS = [
  "design-kv-store",
  "design-api-rate-limiter",
  "design-url-shortener",
  "design-trending",
  "design-object-storage",
  "design-file-sync",
  "design-lock-service",
  "design-message-broker",
  "design-typeahead",
  "design-nearby-search",
  "design-global-kv",
];

let katas: Kata[] = [];
beforeAll(async () => {
  katas = (await loadChapters(repo, { questionsLater: true })).flatMap((c) => c.katas);
});
const problem = (id: string) => {
  const kata = katas.find((k) => k.id === id);
  if (!kata?.interview) throw new Error(`${id} has no interview`);
  return { id: kata.id, title: kata.title, interview: kata.interview };
};

const START = Date.UTC(2025, 0, 6, 9, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** time that moves only when told: alarms set with sleep() fire as it passes them, in order */
class FakeClock implements Clock {
  #now = START;
  #alarms: Array<{ at: number; ring: () => void }> = [];

  now = () => this.#now;

  sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const alarm = { at: this.#now + ms, ring: resolve };
      this.#alarms.push(alarm);
      signal.addEventListener("abort", () => this.#drop(alarm), { once: true });
    });

  /** moves time on by `ms`, stopping at each alarm so the session answers it before time goes on */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#alarms.filter((a) => a.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = due.at;
      this.#drop(due);
      due.ring();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#now = until;
  }

  #drop(alarm: { at: number; ring: () => void }) {
    this.#alarms = this.#alarms.filter((a) => a !== alarm);
  }
}

/** a learner: each line typed `after` ms after the last, or `wait` ms of silence */
type Step =
  | { after: number; line: string; onScreen?: string | undefined; notYet?: string | undefined }
  | { wait: number };

/** the scripted lines, the clock moved before each; what was on screen when each was typed */
function scripted(clock: FakeClock, steps: Step[], screen: () => string) {
  const seen: Array<{ line: string; onScreen?: string | undefined; notYet?: string | undefined; screen: string }> = [];
  async function* lines(): AsyncGenerator<string> {
    for (const step of steps) {
      if ("wait" in step) {
        await clock.advance(step.wait);
        continue;
      }
      await clock.advance(step.after);
      seen.push({ ...step, screen: screen() });
      yield step.line;
    }
  }
  return { input: lines(), seen };
}

describe("a mock interview, with a fake clock and a scripted learner", () => {
  it("walks the phases with their time boxes, asks the follow-ups one at a time, then reviews and records", async () => {
    const root = freshRoot();
    const clock = new FakeClock();
    let printed = "";
    const screen = () => stripAnsi(printed);
    const shortener = problem("design-url-shortener");
    const [first, second, third, fourth] = shortener.interview.followUps.map((f) => f.question);
    const { input, seen } = scripted(
      clock,
      [
        // clarify: two notes, then on, at 2:30 of 5:00
        { after: MINUTE, line: "Functional: create and redirect. Aliases? Expiry?", onScreen: "1/5 Clarify" },
        { after: MINUTE, line: "Scale: 100M links a day, 100 redirects each" },
        { after: 30 * SECOND, line: "next" },
        // estimate: one note at 2:00, then silence until its 10:00 run out
        { after: 2 * MINUTE, line: "1,157 creations a second, 3,472 at peak", onScreen: "2/5 Estimate" },
        { wait: 8 * MINUTE },
        // design: a note, then skip, at 1:30
        { after: MINUTE, line: "POST /links, GET /{code}", onScreen: "3/5 High-level design" },
        { after: 30 * SECOND, line: "skip" },
        // deep dive: the prompt and two follow-ups, each shown alone; the third runs out of time
        { after: MINUTE, line: "a counter in ranges, base62 at width 7", onScreen: "4/5 Deep dive" },
        { after: 10 * SECOND, line: "next" },
        { after: MINUTE, line: "only its share of hot links misses", onScreen: first, notYet: second },
        { after: 10 * SECOND, line: "next" },
        { after: MINUTE, line: "blocks of 1,000 from a coordinator", onScreen: second, notYet: third },
        { after: 10 * SECOND, line: "NEXT" },
        { after: MINUTE, line: "local caches on the API servers", onScreen: third, notYet: fourth },
        { wait: 5.5 * MINUTE },
        // wrap-up: a note and on, at 1:00
        { after: 45 * SECOND, line: "302, for the statistics", onScreen: "5/5 Wrap-up" },
        { after: 15 * SECOND, line: "next" },
        // the self-assessment, with two answers that are not scores
        { after: 5 * SECOND, line: "5", onScreen: "Follow-ups and model answers" },
        { after: 5 * SECOND, line: "3" },
        { after: 5 * SECOND, line: "2" },
        { after: 5 * SECOND, line: "x" },
        { after: 5 * SECOND, line: "1" },
        { after: 5 * SECOND, line: "4" },
        { after: 5 * SECOND, line: "3" },
      ],
      screen,
    );
    const result = await runInterview({
      root,
      problem: shortener,
      minutes: 45,
      clock,
      input,
      write: (text) => {
        printed += text;
      },
    });
    const out = screen();

    // each line was typed while the question it answers was on screen, and before the next was shown
    for (const step of seen) {
      if (step.onScreen) expect(flat(step.screen), `before "${step.line}"`).toContain(step.onScreen);
      if (step.notYet) expect(flat(step.screen), `before "${step.line}"`).not.toContain(step.notYet);
    }

    // the phases in order, each with its box and the time left in all
    const headings = [
      "── 1/5 Clarify · 5:00 for this phase · 45:00 left in all",
      "── 2/5 Estimate · 10:00 for this phase · 42:30 left in all",
      "── 3/5 High-level design · 15:00 for this phase · 32:30 left in all",
      "── 4/5 Deep dive · 10:00 for this phase · 31:00 left in all",
      "── 5/5 Wrap-up · 5:00 for this phase · 21:00 left in all",
    ];
    expectInOrder(out, [
      'A line "next" moves on to the next question, "skip" skips the rest of the phase',
      headings[0] ?? "",
      `Interviewer: ${shortener.interview.phases.clarify.prompts[0]}`,
      headings[1] ?? "",
      "Time is up for estimate (10:00); on to high-level design.",
      headings[2] ?? "",
      "Skipped the rest of high-level design; on to deep dive.",
      headings[3] ?? "",
      "Follow-up 1 of 5: A cache node dies.",
      "Follow-up 2 of 5: How do the codes stay unique",
      "Follow-up 3 of 5: A link goes viral",
      "Time is up for deep dive (10:00); on to wrap-up.",
      headings[4] ?? "",
      "Review",
      "Clarify: 2:30 of 5:00\n",
      "Estimate: 10:00 of 10:00, time ran out",
      "High-level design: 1:30 of 15:00, skipped",
      "Deep dive: 10:00 of 10:00, time ran out",
      "Wrap-up: 1:00 of 5:00\n",
      "Follow-ups and model answers",
      "1. A cache node dies.",
      "4. 301 or 302 for the redirect? What does each cost you? (not asked: the deep dive ended first)",
      "How did each phase go, against its rubric? 1 missed, 2 partly, 3 solid, 4 strong.",
      "Recorded attempt 1 of design-url-shortener in .grade/progress.json: 13 of 20.",
    ]);
    expect(out).not.toContain("Follow-up 4 of 5");
    // the rubric of every phase and every model answer, after the interview and not before
    const review = out.slice(out.indexOf("Review"));
    for (const id of PHASES) {
      for (const point of shortener.interview.phases[id].rubric) {
        expect(flat(review)).toContain(point);
        expect(flat(out.slice(0, out.indexOf("Review")))).not.toContain(point);
      }
    }
    for (const followUp of shortener.interview.followUps) expect(flat(review)).toContain(followUp.answer);
    // a score that is not 1 to 4 is refused and asked again
    expect(out).toContain('"5" is not a score: answer 1 (missed), 2 (partly), 3 (solid) or 4 (strong).');
    expect(out).toContain('"x" is not a score');
    expect(out.split("Clarify (1-4): ")).toHaveLength(3);
    expect(out.split("High-level design (1-4): ")).toHaveLength(3);

    // the attempt in the progress file
    const notes = ".grade/interviews/design-url-shortener-2025-01-06T09-00-00-000Z.md";
    expect(result).toMatchObject({ finished: true, notes });
    const attempts = readProgress(root).progress.interviews["design-url-shortener"];
    expect(attempts).toEqual([
      {
        date: "2025-01-06T09:00:00.000Z",
        minutes: 45,
        notes,
        phases: {
          clarify: { score: 3, spentSeconds: 150, boxSeconds: 300, ended: "done" },
          estimate: { score: 2, spentSeconds: 600, boxSeconds: 600, ended: "time" },
          design: { score: 1, spentSeconds: 90, boxSeconds: 900, ended: "skipped" },
          deepDive: { score: 4, spentSeconds: 600, boxSeconds: 600, ended: "time" },
          wrapUp: { score: 3, spentSeconds: 60, boxSeconds: 300, ended: "done" },
        },
      },
    ]);

    // the notes: what was typed under what was asked, then the review as shown
    const file = readFileSync(path.join(root, notes), "utf8");
    expectInOrder(file, [
      "# Mock interview: Design: a URL shortener",
      "- finished",
      "## Clarify (2:30 of 5:00)",
      "Functional: create and redirect. Aliases? Expiry?\nScale: 100M links a day, 100 redirects each",
      "## Estimate (10:00 of 10:00, time ran out)",
      "1,157 creations a second, 3,472 at peak",
      "## High-level design (1:30 of 15:00, skipped)",
      "POST /links, GET /{code}",
      "## Deep dive (10:00 of 10:00, time ran out)",
      "a counter in ranges, base62 at width 7",
      `**Follow-up 1:** ${first}\n\nonly its share of hot links misses`,
      `**Follow-up 2:** ${second}\n\nblocks of 1,000 from a coordinator`,
      `**Follow-up 3:** ${third}\n\nlocal caches on the API servers`,
      "## Wrap-up (1:00 of 5:00)",
      "302, for the statistics",
      "## Review",
      "### Clarify: you scored 3 of 4",
      "### Wrap-up: you scored 3 of 4",
      "### Follow-ups and model answers",
    ]);
    expect(file).not.toContain("**Follow-up 4:**");
    expect(file).not.toMatch(/^(next|skip|NEXT)$/m);
  });

  it("without an alarm, ends a phase when a line arrives after its time; the end of input keeps the notes and records nothing", async () => {
    const root = freshRoot();
    let now = START;
    const lines = [
      { after: 6 * MINUTE, line: "a late thought, typed after the 5 minutes" },
      { after: MINUTE, line: "estimate: 1,157 a second" },
    ];
    async function* input(): AsyncGenerator<string> {
      for (const step of lines) {
        now += step.after;
        yield step.line;
      }
    }
    let printed = "";
    const result = await runInterview({
      root,
      problem: problem("design-trending"),
      minutes: 45,
      clock: { now: () => now },
      input: input(),
      write: (text) => {
        printed += text;
      },
    });
    const out = stripAnsi(printed);
    expectInOrder(out, [
      "── 1/5 Clarify",
      "Time is up for clarify (5:00); on to estimate.",
      "── 2/5 Estimate · 10:00 for this phase · 39:00 left in all",
      "Stopped during estimate: your notes are in .grade/interviews/design-trending-2025-01-06T09-00-00-000Z.md; no attempt recorded.",
    ]);
    expect(out).not.toContain("Review");
    expect(result).toEqual({
      finished: false,
      notes: ".grade/interviews/design-trending-2025-01-06T09-00-00-000Z.md",
      stoppedIn: "estimate",
    });
    const file = readFileSync(path.join(root, result.notes), "utf8");
    expectInOrder(file, [
      "- stopped during estimate",
      "## Clarify (6:00 of 5:00, time ran out)",
      "a late thought, typed after the 5 minutes",
      "## Estimate (1:00 of 10:00, stopped here)",
      "estimate: 1,157 a second",
    ]);
    // what was not shown is not in the file: no later phase, no rubric, no model answer
    expect(file).not.toContain("## High-level design");
    expect(file).not.toContain("## Review");
    expect(existsSync(path.join(root, ".grade/progress.json"))).toBe(false);
  });

  it("gives each phase its share of --minutes, to the second", () => {
    const interview = problem("design-kv-store").interview;
    expect(timeBoxes(interview, 45)).toEqual({
      clarify: 5 * MINUTE,
      estimate: 10 * MINUTE,
      design: 15 * MINUTE,
      deepDive: 10 * MINUTE,
      wrapUp: 5 * MINUTE,
    });
    expect(timeBoxes(interview, 1)).toEqual({
      clarify: 7 * SECOND,
      estimate: 13 * SECOND,
      design: 20 * SECOND,
      deepDive: 13 * SECOND,
      wrapUp: 7 * SECOND,
    });
    const even: Interview = {
      ...interview,
      phases: Object.fromEntries(
        PHASES.map((id) => [id, { ...interview.phases[id], minutes: 1 }]),
      ) as Interview["phases"],
    };
    expect(Object.values(timeBoxes(even, 30))).toEqual([6, 6, 6, 6, 6].map((m) => m * MINUTE));
  });
});

describe("the interviews in progress.json", () => {
  it("reads a file written before interviews were recorded, and a grade keeps the attempts", () => {
    const root = freshRoot();
    const old = { version: 1, katas: {}, worksheets: {}, hints: { "token-bucket": 1 } };
    writeFileSync(path.join(mkdirs(root, ".grade"), "progress.json"), JSON.stringify(old));
    const { progress, problem: setAside } = readProgress(root);
    expect(setAside).toBeUndefined();
    expect(progress.interviews).toEqual({});
    expect(progress.hints).toEqual({ "token-bucket": 1 });

    const attempt = {
      date: "2025-01-06T09:00:00.000Z",
      minutes: 45,
      notes: ".grade/interviews/x.md",
      phases: { clarify: { score: 2, spentSeconds: 10, boxSeconds: 300, ended: "done" as const } },
    };
    writeFileSync(
      path.join(root, ".grade", "progress.json"),
      JSON.stringify({ ...old, interviews: { "design-trending": [attempt] } }),
    );
    recordProgress(root, { hints: { "token-bucket": 2 } });
    const after = ProgressSchema.parse(JSON.parse(readFileSync(path.join(root, ".grade/progress.json"), "utf8")));
    expect(after.interviews).toEqual({ "design-trending": [attempt] });
    expect(after.hints).toEqual({ "token-bucket": 2 });
  });
});

describe("the design problems' interviews", () => {
  it("load from the chapter manifests, each phase with prompts and rubric, at least 3 follow-ups with model answers", () => {
    const withInterview = katas.filter((k) => k.interview).map((k) => k.id);
    expect(withInterview.sort()).toEqual([...PROBLEMS].sort());
    for (const id of PROBLEMS) {
      const { interview } = problem(id);
      for (const phase of PHASES) {
        expect(interview.phases[phase].prompts.length, `${id} ${phase}`).toBeGreaterThanOrEqual(1);
        expect(interview.phases[phase].rubric.length, `${id} ${phase}`).toBeGreaterThanOrEqual(2);
      }
      expect(interview.followUps.length, id).toBeGreaterThanOrEqual(3);
      for (const followUp of interview.followUps) expect(followUp.answer.length, followUp.question).toBeGreaterThan(80);
      // the default split of 45 minutes
      expect(PHASES.map((phase) => interview.phases[phase].minutes)).toEqual([5, 10, 15, 10, 5]);
    }
  });
});

describe("npm run interview, as a child process", () => {
  // a project root of links to this checkout's course, with a .grade/ of its own
  const root = path.join(scratch, "project");
  beforeAll(() => {
    mkdirs(root);
    for (const dir of ["chapters", "grader", "solutions"]) symlinkSync(path.join(repo, dir), path.join(root, dir));
  });

  it("runs a whole interview from piped input, and records it", async () => {
    // every phase skipped, then a bad score and five good ones
    const script = [
      "Functional: create, redirect",
      "skip",
      "skip",
      "skip",
      "skip",
      "skip",
      "9",
      "2",
      "2",
      "3",
      "2",
      "4",
    ];
    const run = await interview(["url-shortener", "--minutes", "1"], `${script.join("\n")}\n`);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expectInOrder(run.stdout, [
      "Mock interview: Design: a URL shortener (design-url-shortener), 1 minute",
      "Phases: Clarify 0:07, Estimate 0:13, High-level design 0:20, Deep dive 0:13, Wrap-up 0:07.",
      "── 1/5 Clarify · 0:07 for this phase",
      "── 5/5 Wrap-up · 0:07 for this phase",
      "Follow-ups and model answers",
      '"9" is not a score',
      "Recorded attempt 1 of design-url-shortener in .grade/progress.json: 13 of 20.",
    ]);
    const [attempt] = readProgress(root).progress.interviews["design-url-shortener"] ?? [];
    expect(attempt?.minutes).toBe(1);
    expect(Object.values(attempt?.phases ?? {}).map((p) => p.score)).toEqual([2, 2, 3, 2, 4]);
    expect(readFileSync(path.join(root, attempt?.notes ?? "missing"), "utf8")).toContain(
      "Functional: create, redirect",
    );
  });

  it("lists the problems, with exit code 2, when none or an unknown one is named", async () => {
    for (const args of [[], ["url-shortner"]]) {
      const run = await interview(args, "");
      expect(run.code).toBe(2);
      for (const name of ["kv-store", "api-rate-limiter", "url-shortener", "trending", "lock-service"])
        expect(run.stderr).toContain(`  ${name}`);
    }
    expect((await interview([], "")).stderr).toContain(
      "Which problem? Name one, such as npm run interview -- url-shortener",
    );
    expect((await interview(["url-shortner"], "")).stderr).toContain('no design problem "url-shortner".');
  });

  it("refuses a --minutes that is not a whole number from 1 to 240", async () => {
    for (const minutes of ["0", "1.5", "ten", "241"]) {
      const run = await interview(["trending", "--minutes", minutes], "");
      expect(run.code, minutes).toBe(1);
      expect(run.stderr).toContain("expected a whole number of minutes from 1 to 240, such as --minutes 30");
    }
  });

  it("on Ctrl-C keeps the notes typed so far, records no attempt, and exits 130", async () => {
    const notesBefore = listNotes(root);
    const child = start(["design-lock-service"]);
    child.process.stdin?.write("five replicas, a majority of three\nnext\n");
    await child.printed("── 2/5 Estimate");
    child.process.kill("SIGINT");
    const code = await child.exited;
    expect(code).toBe(130);
    const out = child.output();
    expect(out).toMatch(
      /Stopped during estimate: your notes are in \.grade\/interviews\/design-lock-service-[\dT-]+Z\.md; no attempt recorded\.\n$/,
    );
    const added = listNotes(root).filter((name) => !notesBefore.includes(name));
    expect(added).toHaveLength(1);
    expect(readFileSync(path.join(root, ".grade/interviews", added[0] ?? ""), "utf8")).toContain(
      "five replicas, a majority of three",
    );
    expect(readProgress(root).progress.interviews["design-lock-service"]).toBeUndefined();
  });

  function start(args: string[]) {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx/esm", "grader/cli/interview.ts", ...args], {
      cwd: repo,
      env: { ...environment(), SDK_ROOT: root },
    });
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    return {
      process: child,
      exited,
      output: () => text,
      // the test's timeout bounds the wait
      printed: async (what: string) => {
        while (!text.includes(what)) await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
  }

  async function interview(
    args: string[],
    input: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ["--import", "tsx/esm", "grader/cli/interview.ts", ...args], {
      cwd: repo,
      env: { ...environment(), SDK_ROOT: root },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(input);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stdout, stderr };
  }
});

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  return env;
}

function listNotes(root: string): string[] {
  const dir = path.join(root, ".grade", "interviews");
  return existsSync(dir) ? readdirSync(dir) : [];
}

function mkdirs(...parts: string[]): string {
  const dir = path.join(...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** each text found after the one before it */
function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from} of:\n${text}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

/** wrapped text as one line, to find a long sentence in it */
function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}
