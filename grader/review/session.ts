// A review session: the due cards one at a time. A worksheet question is answered in a line and
// graded as the worksheet is (units, tolerance); right is "good", wrong "again". A fact is recalled,
// then shown, then rated by the learner (1 again, 2 hard, 3 good, 4 easy). The clock, the lines
// and the writer are injected, so a test runs a session with a fake clock and a script; each
// rating is saved as it is given (onRated), so stopping part way keeps what was done.
import { paint, wrap } from "../report/text.ts";
import { random } from "../sim/random.ts";
import { describeTolerance, parseTolerance } from "../units/tolerance.ts";
import { gradeWorksheet } from "../worksheet/grade.ts";
import { drawGiven, renderPrompt } from "../worksheet/vary.ts";
import type { ReviewCard } from "./cards.ts";
import { dueNow, Rating, type ReviewState, rate } from "./schedule.ts";

export interface ReviewOptions {
  cards: readonly ReviewCard[];
  state: ReviewState;
  now: () => number;
  input: AsyncIterator<string>;
  write: (text: string) => void;
  count: number;
  newPerDay: number;
  onRated?: (state: ReviewState) => void;
}

const GRADES = { "1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy } as const;
const NAMES: Record<number, string> = { 1: "again", 2: "hard", 3: "good", 4: "easy" };

/** when the card is next due, in words: "in 10 min", "in 3 days" */
function inWords(from: number, to: Date): string {
  const minutes = Math.round((to.getTime() - from) / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

export async function runReview(options: ReviewOptions): Promise<{ reviewed: number; stopped: boolean }> {
  const { write } = options;
  const line = async () => {
    const next = await options.input.next();
    return next.done ? undefined : next.value.trim();
  };
  const cards = dueNow(options.cards, options.state, new Date(options.now()), options);
  if (cards.length === 0) {
    write("Nothing is due. Come back later, or grade a chapter's worksheet meanwhile.\n");
    return { reviewed: 0, stopped: false };
  }
  write(`${cards.length} card(s) to review. A blank line gives up on a question; the end of input stops.\n`);
  let reviewed = 0;
  for (const [i, card] of cards.entries()) {
    write(`\n${paint.bold(`${i + 1}/${cards.length}`)} ${paint.dim(card.chapter)}\n`);
    let grade: (typeof GRADES)[keyof typeof GRADES];
    if (card.kind === "sheet") {
      // the varied givens drawn anew, from the clock: a figure cannot be remembered, only the method
      const draw = random(options.now() + i);
      const q = { ...card.question, given: drawGiven(card.question, () => draw.float()) };
      write(`${wrap(renderPrompt(q), 96)}\n`);
      const given = Object.entries(q.given).map(([name, value]) => `${name} = ${value}`);
      if (given.length) write(paint.dim(`given: ${given.join(", ")}\n`));
      const tolerance = parseTolerance(q.tolerance);
      write(paint.dim(`answer in ${q.unit}${tolerance ? `, ${describeTolerance(tolerance)}` : ""}\n`));
      const answer = await line();
      if (answer === undefined) return { reviewed, stopped: true };
      const [result] = gradeWorksheet(
        [q],
        { entries: new Map([[q.id, { text: answer }]]) },
        { entries: new Map([[q.id, { text: card.reference }]]) },
      ).questions;
      const right = result?.status === "correct";
      grade = right ? Rating.Good : Rating.Again;
      write(`${right ? paint.green("✓ right") : paint.red("✗ not this time")}: ${result?.message ?? ""}\n`);
      if (!right) {
        // the reference's working, as the worksheet shows it once answered
        const [worked] = gradeWorksheet(
          [q],
          { entries: new Map([[q.id, { text: card.reference }]]) },
          { entries: new Map([[q.id, { text: card.reference }]]) },
        ).questions;
        write(paint.dim(`expected ${worked?.expected ?? "?"}:\n  ${(worked?.derivation ?? []).join("\n  ")}\n`));
      }
    } else {
      write(`Recall: ${paint.bold(card.front)}\n`);
      if ((await line()) === undefined) return { reviewed, stopped: true };
      write(`${wrap(card.back, 96)}\n`);
      let chosen: (typeof GRADES)[keyof typeof GRADES] | undefined;
      while (chosen === undefined) {
        write("How well did you recall it? 1 again, 2 hard, 3 good, 4 easy: ");
        const answer = await line();
        if (answer === undefined) return { reviewed, stopped: true };
        chosen = GRADES[answer as keyof typeof GRADES];
        write("\n");
      }
      grade = chosen;
    }
    const due = rate(options.state, card.id, grade, new Date(options.now()));
    options.onRated?.(options.state);
    reviewed++;
    write(paint.dim(`${NAMES[grade]}: next ${inWords(options.now(), due)}\n`));
  }
  return { reviewed, stopped: false };
}
