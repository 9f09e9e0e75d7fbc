// npm run review: spaced repetition of the chapters' worksheet questions and trade-offs, scheduled
// by FSRS; the schedule is kept in .grade/review.json
import readline from "node:readline";
import { Command, InvalidArgumentError } from "commander";
import { loadChapters, ManifestError } from "../manifest/load.ts";
import { paint } from "../report/text.ts";
import { reviewCards } from "../review/cards.ts";
import { readReviewState, writeReviewState } from "../review/schedule.ts";
import { runReview } from "../review/session.ts";
import { takeStateNotes } from "../state/folder.ts";
import { projectRoot, select, UnknownSelector } from "./common.ts";

const count = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number from 1");
  return n;
};

const program = new Command("review")
  .description("review the chapters' worksheet questions and trade-offs, spaced by FSRS")
  .argument("[chapters...]", "only these chapters, such as 04-rate-limiting (all by default)")
  .option("--count <n>", "at most this many cards", count, 10)
  .option("--new <n>", "at most this many new cards a day", count, 10)
  .action(async (selectors: string[], options: { count: number; new: number }) => {
    const root = projectRoot();
    try {
      const chapters = await loadChapters(root);
      const chosen = selectors.length ? select(chapters, selectors).chapters : chapters;
      const cards = await reviewCards(root, chosen);
      const state = readReviewState(root);
      const lines = readline.createInterface({ input: process.stdin, terminal: false });
      const result = await runReview({
        cards,
        state,
        now: Date.now,
        input: lines[Symbol.asyncIterator](),
        write: (text) => process.stdout.write(text),
        count: options.count,
        newPerDay: options.new,
        onRated: (s) => writeReviewState(root, s),
      });
      lines.close();
      for (const note of takeStateNotes()) console.error(paint.yellow(note));
      console.log(
        paint.dim(
          `\n${result.reviewed} reviewed${result.stopped ? " (stopped)" : ""}; the schedule is in .grade/review.json`,
        ),
      );
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
