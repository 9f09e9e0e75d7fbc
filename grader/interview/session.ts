import { existsSync } from "node:fs";
import path from "node:path";
import { indent, paint, wrap } from "../report/text.ts";
import { writeStateFile } from "../state/folder.ts";
import { type InterviewAttempt, recordInterview } from "../state/progress.ts";
import { clockTime, formatNotes, type PhaseRecord, type Question } from "./notes.ts";
import { type Interview, PHASE_NAMES, PHASES, type PhaseId } from "./schema.ts";

/**
 * A mock interview on one design problem: the phases in order, each with its time box, the
 * interviewer's prompts and the deep dive's follow-ups one at a time, then the rubric and the
 * model answers, and the learner's own score for each phase. Time and input are injected (a
 * clock, a source of lines, a writer), so a test runs a whole interview with a fake clock and a
 * script; the CLI (cli/interview.ts) passes the real clock, readline and stdout.
 */

export interface Clock {
  /** milliseconds, as Date.now() */
  now(): number;
  /**
   * Resolves after `ms` unless `signal` aborts first: how a phase's time runs out while the learner
   * is silent. A clock without it ends a phase only when a line arrives after its time.
   */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

export interface Problem {
  id: string;
  title: string;
  interview: Interview;
}

export interface SessionOptions {
  /** the project root: notes go to .grade/interviews/, the attempt to .grade/progress.json */
  root: string;
  problem: Problem;
  /** the whole interview; each phase gets its share */
  minutes: number;
  clock: Clock;
  /** the learner's lines, without their line endings; its end stops the interview */
  input: AsyncIterator<string>;
  write: (text: string) => void;
}

export type SessionResult =
  | { finished: true; notes: string; attempt: InterviewAttempt; rebuilt?: string }
  | { finished: false; notes: string; stoppedIn: string };

export const SCORES = ["missed", "partly", "solid", "strong"] as const;

/** the commands a line may be; anything else is a note */
const NEXT = "next";
const SKIP = "skip";

/** each phase's time box in ms, its share of `minutes`, to the second */
export function timeBoxes(interview: Interview, minutes: number): Record<PhaseId, number> {
  const shares = PHASES.map((id) => interview.phases[id].minutes);
  const sum = shares.reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    PHASES.map((id, i) => [id, Math.round((minutes * 60 * (shares[i] ?? 0)) / sum) * 1000]),
  ) as Record<PhaseId, number>;
}

type Read = { kind: "line"; text: string } | { kind: "time" } | { kind: "end" };

/**
 * Lines raced against a deadline. A line still awaited when the time runs out is kept for the
 * next read: the iterator is never asked twice at once.
 */
class LineReader {
  #pending: Promise<IteratorResult<string>> | undefined;

  constructor(
    private readonly input: AsyncIterator<string>,
    private readonly clock: Clock,
  ) {}

  async read(deadline = Number.POSITIVE_INFINITY): Promise<Read> {
    // a clock without an alarm finds the time gone here, once a line arrived after it
    const left = deadline - this.clock.now();
    if (left <= 0) return { kind: "time" };
    // the alarm is set before the input is asked: a source that makes time pass as it answers
    // (a script) finds the alarm already there
    const stop = new AbortController();
    const alarm =
      this.clock.sleep && Number.isFinite(left)
        ? this.clock.sleep(left, stop.signal).then(() => "time" as const)
        : undefined;
    this.#pending ??= this.input.next();
    const result = alarm ? await Promise.race([this.#pending, alarm]) : await this.#pending;
    stop.abort();
    if (result === "time") return { kind: "time" };
    this.#pending = undefined;
    return result.done ? { kind: "end" } : { kind: "line", text: result.value };
  }
}

class Stopped extends Error {
  override readonly name = "Stopped";
}

export async function runInterview(options: SessionOptions): Promise<SessionResult> {
  const { problem, clock, write, minutes } = options;
  const { interview } = problem;
  const say = (text = "") => write(`${text}\n`);
  const lines = new LineReader(options.input, clock);
  const boxes = timeBoxes(interview, minutes);
  const began = clock.now();
  const total = minutes * 60_000;
  const records: PhaseRecord[] = PHASES.map((id) => ({
    id,
    boxMs: boxes[id],
    spentMs: 0,
    ended: "not reached",
    questions: [
      ...interview.phases[id].prompts.map((text): Question => ({ kind: "prompt", text, lines: [], asked: false })),
      ...(id === "deepDive"
        ? interview.followUps.map(
            (f): Question => ({ kind: "follow-up", text: f.question, answer: f.answer, lines: [], asked: false }),
          )
        : []),
    ],
  }));
  const notesFile = notesPath(options.root, problem.id, began);
  let reviewed = false;
  const save = (end: { scores: Record<PhaseId, number> } | { stoppedIn: string }) =>
    writeStateFile(
      options.root,
      path.relative(path.join(options.root, ".grade"), notesFile).split(path.sep),
      formatNotes({ problem, began, minutes, phases: records, reviewed, ...end }),
    );
  const relativeNotes = path.relative(options.root, notesFile).split(path.sep).join("/");

  say(paint.bold(`Mock interview: ${problem.title} (${problem.id}), ${minutes} minute${minutes === 1 ? "" : "s"}`));
  say(
    paint.dim(
      `Phases: ${PHASES.map((id) => `${PHASE_NAMES[id]} ${clockTime(boxes[id])}`).join(", ")}.\n` +
        `Answer in lines of notes, as you would say them. A line "${NEXT}" moves on to the next question, ` +
        `"${SKIP}" skips the rest of the phase; when a phase's time is up, the interview moves on by itself. ` +
        `Ctrl-C stops, and keeps your notes.`,
    ),
  );

  let current: PhaseRecord | undefined;
  try {
    for (const [index, record] of records.entries()) {
      current = record;
      await runPhase(record, index);
    }
    say();
    say(paint.bold("Review"));
    showReview();
    reviewed = true;
    const scores = await askScores();
    save({ scores });
    const attempt: InterviewAttempt = {
      date: new Date(began).toISOString(),
      minutes,
      phases: Object.fromEntries(
        records.map((r) => [
          r.id,
          {
            score: scores[r.id],
            spentSeconds: Math.round(r.spentMs / 1000),
            boxSeconds: Math.round(r.boxMs / 1000),
            ended: r.ended === "skipped" || r.ended === "time" ? r.ended : "done",
          },
        ]),
      ),
      notes: relativeNotes,
    };
    const { progress, rebuilt } = recordInterview(options.root, problem.id, attempt);
    const count = progress.interviews[problem.id]?.length ?? 1;
    const sum = PHASES.reduce((s, id) => s + scores[id], 0);
    say();
    say(
      `Recorded attempt ${count} of ${problem.id} in .grade/progress.json: ${sum} of ${PHASES.length * 4}. ` +
        `Your notes: ${relativeNotes}`,
    );
    return rebuilt
      ? { finished: true, notes: relativeNotes, attempt, rebuilt }
      : { finished: true, notes: relativeNotes, attempt };
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
    const reached = current?.ended === "not reached" ? current : undefined;
    const where = reached ? PHASE_NAMES[reached.id].toLowerCase() : "the review";
    if (reached) {
      reached.ended = "stopped";
      reached.spentMs = clock.now() - (reached.startedAt ?? clock.now());
    }
    save({ stoppedIn: where });
    say();
    say(`Stopped during ${where}: your notes are in ${relativeNotes}; no attempt recorded.`);
    return { finished: false, notes: relativeNotes, stoppedIn: where };
  }

  async function runPhase(record: PhaseRecord, index: number): Promise<void> {
    const name = PHASE_NAMES[record.id];
    const started = clock.now();
    record.startedAt = started;
    const deadline = started + record.boxMs;
    say();
    say(
      paint.bold(`── ${index + 1}/${PHASES.length} ${name}`) +
        paint.dim(` · ${clockTime(record.boxMs)} for this phase · ${clockTime(total - (started - began))} left in all`),
    );
    let ended: PhaseRecord["ended"] = "done";
    const followUps = record.questions.filter((q) => q.kind === "follow-up").length;
    let followUp = 0;
    ask: for (const question of record.questions) {
      question.asked = true;
      say();
      if (question.kind === "prompt") say(wrap(`Interviewer: ${question.text}`, 100, 2));
      else say(wrap(`Follow-up ${++followUp} of ${followUps}: ${question.text}`, 100, 2));
      for (;;) {
        const read = await lines.read(deadline);
        if (read.kind === "end") throw new Stopped();
        if (read.kind === "time") {
          ended = "time";
          break ask;
        }
        const command = read.text.trim().toLowerCase();
        if (command === NEXT) break;
        if (command === SKIP) {
          ended = "skipped";
          break ask;
        }
        if (read.text.trim()) question.lines.push(read.text.trimEnd());
      }
    }
    record.ended = ended;
    record.spentMs = clock.now() - started;
    const then =
      index + 1 < records.length ? `; on to ${PHASE_NAMES[PHASES[index + 1] ?? "wrapUp"].toLowerCase()}` : "";
    if (ended === "time")
      say(paint.yellow(`\nTime is up for ${name.toLowerCase()} (${clockTime(record.boxMs)})${then}.`));
    if (ended === "skipped") say(paint.dim(`\nSkipped the rest of ${name.toLowerCase()}${then}.`));
  }

  function showReview(): void {
    for (const record of records) {
      const how = record.ended === "time" ? ", time ran out" : record.ended === "skipped" ? ", skipped" : "";
      say();
      say(paint.bold(`${PHASE_NAMES[record.id]}: ${clockTime(record.spentMs)} of ${clockTime(record.boxMs)}${how}`));
      say("A strong answer covers:");
      for (const point of interview.phases[record.id].rubric) say(indent(wrap(`- ${point}`, 98, 2), 2));
    }
    say();
    say(paint.bold("Follow-ups and model answers"));
    const deepDive = records.find((r) => r.id === "deepDive");
    const followUps = deepDive?.questions.filter((q) => q.kind === "follow-up") ?? [];
    followUps.forEach((question, i) => {
      say();
      say(wrap(`${i + 1}. ${question.text}${question.asked ? "" : " (not asked: the deep dive ended first)"}`, 100, 3));
      say(indent(wrap(question.answer ?? "", 97), 3));
    });
  }

  async function askScores(): Promise<Record<PhaseId, number>> {
    say();
    say(`How did each phase go, against its rubric? ${SCORES.map((word, i) => `${i + 1} ${word}`).join(", ")}.`);
    const scores = {} as Record<PhaseId, number>;
    for (const id of PHASES) {
      for (;;) {
        write(`${PHASE_NAMES[id]} (1-4): `);
        const read = await lines.read();
        if (read.kind !== "line") throw new Stopped();
        const answer = read.text.trim();
        if (/^[1-4]$/.test(answer)) {
          scores[id] = Number(answer);
          break;
        }
        const choices = SCORES.map((word, i) => `${i + 1} (${word})`);
        say(`\n"${answer}" is not a score: answer ${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}.`);
      }
    }
    write("\n");
    return scores;
  }
}

/** .grade/interviews/<problem>-<time>.md, a name not taken yet */
function notesPath(root: string, problem: string, began: number): string {
  const stamp = new Date(began).toISOString().replace(/[:.]/g, "-");
  const base = path.join(root, ".grade", "interviews", `${problem}-${stamp}`);
  let file = `${base}.md`;
  for (let n = 2; existsSync(file); n++) file = `${base}-${n}.md`;
  return file;
}
