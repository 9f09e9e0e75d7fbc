// When each card is due: FSRS (the Free Spaced Repetition Scheduler, by the ts-fsrs package), whose
// state per card is kept in .grade/review.json. A card never reviewed is new: a few of them join
// each day (newPerDay), after the cards already due.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Card, createEmptyCard, fsrs, type Grade, Rating } from "ts-fsrs";
import { z } from "zod";
import { writeStateFile } from "../state/folder.ts";

export const REVIEW_VERSION = 1;
export { Rating };

/** a card's FSRS state as JSON keeps it: dates as ISO text */
const StoredCardSchema = z.object({
  due: z.string(),
  stability: z.number(),
  difficulty: z.number(),
  elapsed_days: z.number(),
  scheduled_days: z.number(),
  learning_steps: z.number(),
  reps: z.number(),
  lapses: z.number(),
  state: z.number(),
  last_review: z.string().optional(),
});

const ReviewStateSchema = z.object({
  version: z.literal(REVIEW_VERSION),
  cards: z.record(z.string(), StoredCardSchema),
  /** every rating given, oldest first: what a day's new cards are counted from */
  log: z.array(z.object({ id: z.string(), at: z.string(), rating: z.number(), first: z.boolean() })),
});

export type ReviewState = z.infer<typeof ReviewStateSchema>;

const scheduler = fsrs({ enable_fuzz: false });

export const emptyState = (): ReviewState => ({ version: REVIEW_VERSION, cards: {}, log: [] });

export function readReviewState(root: string): ReviewState {
  const file = path.join(root, ".grade", "review.json");
  if (!existsSync(file)) return emptyState();
  try {
    const parsed = ReviewStateSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : emptyState();
  } catch {
    return emptyState();
  }
}

export function writeReviewState(root: string, state: ReviewState): string {
  return writeStateFile(root, ["review.json"], `${JSON.stringify(state, null, 2)}\n`);
}

const toCard = ({ due, last_review, ...rest }: ReviewState["cards"][string]): Card => ({
  ...rest,
  due: new Date(due),
  ...(last_review ? { last_review: new Date(last_review) } : {}),
});

/** a rating given now: the card's next due date, by FSRS */
export function rate(state: ReviewState, id: string, grade: Grade, now: Date): Date {
  const stored = state.cards[id];
  const card = stored ? toCard(stored) : createEmptyCard(now);
  const { card: next } = scheduler.next(card, now, grade);
  const { due, last_review, ...rest } = next;
  state.cards[id] = {
    ...rest,
    due: due.toISOString(),
    ...(last_review ? { last_review: last_review.toISOString() } : {}),
  };
  state.log.push({ id, at: now.toISOString(), rating: grade, first: stored === undefined });
  return next.due;
}

/** the cards to ask now: those due, most overdue first, then new ones up to the day's allowance */
export function dueNow<T extends { id: string }>(
  cards: readonly T[],
  state: ReviewState,
  now: Date,
  options: { count: number; newPerDay: number },
): T[] {
  const due = cards
    .filter((c) => state.cards[c.id] && new Date(state.cards[c.id]?.due ?? 0) <= now)
    .sort((a, b) => Date.parse(state.cards[a.id]?.due ?? "") - Date.parse(state.cards[b.id]?.due ?? ""));
  const day = now.toISOString().slice(0, 10);
  const newToday = state.log.filter((entry) => entry.first && entry.at.slice(0, 10) === day).length;
  const fresh = cards.filter((c) => !state.cards[c.id]).slice(0, Math.max(0, options.newPerDay - newToday));
  return [...due, ...fresh].slice(0, options.count);
}

/** how many cards are due now, and when the next one is after them */
export function dueSummary(ids: readonly string[], state: ReviewState, now: Date, newPerDay: number) {
  const seen = ids.filter((id) => state.cards[id]);
  const due = seen.filter((id) => new Date(state.cards[id]?.due ?? 0) <= now).length;
  const day = now.toISOString().slice(0, 10);
  const newToday = state.log.filter((entry) => entry.first && entry.at.slice(0, 10) === day).length;
  const fresh = Math.min(ids.length - seen.length, Math.max(0, newPerDay - newToday));
  const later = seen
    .map((id) => Date.parse(state.cards[id]?.due ?? ""))
    .filter((t) => t > now.getTime())
    .sort((a, b) => a - b)[0];
  return { due, fresh, total: ids.length, ...(later ? { next: new Date(later) } : {}) };
}
