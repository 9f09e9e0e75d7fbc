import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chapter, loadChapters } from "../manifest/load.ts";
import { stripAnsi } from "../report/text.ts";
import { cardIds, chapterFacts, type ReviewCard, reviewCards } from "../review/cards.ts";
import {
  dueNow,
  dueSummary,
  emptyState,
  type ReviewState,
  readReviewState,
  writeReviewState,
} from "../review/schedule.ts";
import { runReview } from "../review/session.ts";
import { repo } from "./cli-helper.ts";

const T0 = Date.parse("2026-12-05T09:00:00Z");
const MINUTE = 60_000;

let chapters: Chapter[];
let cards: ReviewCard[];
beforeAll(async () => {
  chapters = await loadChapters(repo);
  cards = await reviewCards(
    repo,
    chapters.filter((c) => c.slug === "01-estimation" || c.slug === "11-replication-and-consistency"),
  );
}, 60_000);

/** a session on `picked` at `at`, answering with `script`; what it wrote, without colour */
async function session(picked: ReviewCard[], state: ReviewState, at: number, script: string[], newPerDay = 10) {
  let out = "";
  const lines = script[Symbol.iterator]();
  const result = await runReview({
    cards: picked,
    state,
    now: () => at,
    input: { next: async () => lines.next() },
    write: (text) => {
      out += text;
    },
    count: 10,
    newPerDay,
  });
  return { ...result, text: stripAnsi(out) };
}

describe("npm run review", () => {
  it("makes cards of every worksheet question and every trade-off, with ids that stay put", () => {
    const facts = chapterFacts(repo, chapters.find((c) => c.slug === "11-replication-and-consistency") as Chapter);
    expect(facts.length, "chapter 11's trade-offs").toBeGreaterThanOrEqual(4);
    expect(facts[0]?.front).toMatch(/Latency against freshness/);
    const ids = cardIds(repo, chapters);
    expect(ids).toContain("sheet:01-estimation/average-qps");
    expect(ids.filter((id) => id.startsWith("fact:")).length, "facts over all chapters").toBeGreaterThan(30);
    expect(new Set(ids).size, "no two cards share an id").toBe(ids.length);
    expect(cards.find((c) => c.id === "sheet:01-estimation/average-qps")?.kind).toBe("sheet");
  });

  it("grades a typed answer with units, schedules right answers later than wrong ones, and shows the working after a miss", async () => {
    const state = emptyState();
    // the questions' own numbers, not drawn ones: this test is about the schedule
    const fixed = (card: ReviewCard | undefined) =>
      card?.kind === "sheet" ? { ...card, question: { ...card.question, vary: {} } } : card;
    const picked = [
      fixed(cards.find((c) => c.id === "sheet:01-estimation/average-qps")),
      fixed(cards.find((c) => c.id === "sheet:01-estimation/peak-qps")),
      cards.find((c) => c.kind === "fact" && c.chapter === "11-replication-and-consistency"),
    ] as ReviewCard[];
    // right (2,315 req/s, within 10%), wrong, and a fact recalled then rated good
    const first = await session(picked, state, T0, ["2.3k req/s", "7 req/s", "", "3"]);
    expect(first.reviewed).toBe(3);
    expect(first.text).toContain("✓ right");
    expect(first.text).toContain("✗ not this time");
    expect(first.text).toMatch(/expected 6,944 req\/s/);
    expect(first.text).toContain("How well did you recall it?");
    const due = (id: string) => Date.parse(state.cards[id]?.due ?? "");
    expect(due("sheet:01-estimation/average-qps")).toBeGreaterThan(due("sheet:01-estimation/peak-qps"));
    expect(state.log.map((entry) => entry.rating)).toEqual([3, 1, 3]);
    // two minutes on, only the missed question is due again
    const again = dueNow(picked, state, new Date(T0 + 2 * MINUTE), { count: 10, newPerDay: 10 });
    expect(again.map((c) => c.id)).toEqual(["sheet:01-estimation/peak-qps"]);
    const second = await session(picked, state, T0 + 2 * MINUTE, ["3 * 2315 req/s"]);
    expect(second.text).toContain("✓ right");
    expect(dueNow(picked, state, new Date(T0 + 3 * MINUTE), { count: 10, newPerDay: 10 })).toEqual([]);
    // a correct card goes out further each time it is right: days, not minutes
    // most overdue first: the first two were due at 10 minutes, the missed one at 12
    const later = await session(picked, state, T0 + 60 * MINUTE, ["2315 req/s", "", "4", "6944 req/s"]);
    expect(later.reviewed).toBe(3);
    expect(due("sheet:01-estimation/average-qps") - (T0 + 60 * MINUTE)).toBeGreaterThan(24 * 60 * MINUTE);
  });

  it("lets in at most the day's new cards, and stops at the end of input keeping what was rated", async () => {
    const state = emptyState();
    const sheets = cards.filter((c) => c.kind === "sheet").slice(0, 5);
    // answered wrong whatever the numbers: the test is about the day's allowance
    const asked = await session(sheets, state, T0, ["1 req/s"], 2);
    expect(asked.text).toContain("2 card(s) to review");
    expect(asked.stopped).toBe(true);
    expect(asked.reviewed).toBe(1);
    expect(Object.keys(state.cards)).toEqual([sheets[0]?.id]);
    expect(dueNow(sheets, state, new Date(T0), { count: 10, newPerDay: 2 }).length, "one new card left today").toBe(1);
    const summary = dueSummary(
      sheets.map((c) => c.id),
      state,
      new Date(T0),
      2,
    );
    expect(summary).toMatchObject({ due: 0, fresh: 1, total: 5 });
  });

  it("draws a question's numbers anew at each review, and grades the answer against them", async () => {
    const card = cards.find((c) => c.id === "sheet:01-estimation/average-qps") as ReviewCard;
    const prompts: string[] = [];
    for (const day of [0, 1, 2]) {
      let asked = "";
      let out = "";
      const input = {
        next: async () => {
          // answer from the numbers shown: users × requests a user ÷ 86,400 s, in one line
          const given = /given: dau = (\S+) user, per_user = (\S+) req\/day/.exec(stripAnsi(out));
          asked =
            stripAnsi(out)
              .split("\n")
              .find((line) => line.includes("daily active users")) ?? "";
          return { done: false as const, value: `${given?.[1]} user * ${given?.[2]} req/day to req/s` };
        },
      };
      const result = await runReview({
        cards: [card],
        state: emptyState(),
        now: () => T0 + day * 24 * 60 * MINUTE,
        input,
        write: (text) => {
          out += text;
        },
        count: 1,
        newPerDay: 1,
      });
      expect(result.reviewed).toBe(1);
      expect(stripAnsi(out), `day ${day}: ${asked}`).toContain("✓ right");
      prompts.push(asked);
    }
    expect(new Set(prompts).size, `three reviews' numbers: ${prompts.join(" | ")}`).toBe(3);
  });

  describe("its schedule in .grade/review.json", () => {
    let root = "";
    beforeAll(() => {
      root = mkdtempSync(path.join(os.tmpdir(), "sdk-review-"));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it("is kept and read back, and a file that is not one is read as no schedule", () => {
      const state = emptyState();
      state.log.push({ id: "x", at: new Date(T0).toISOString(), rating: 3, first: true });
      writeReviewState(root, state);
      expect(readReviewState(root)).toEqual(state);
      writeFileSync(path.join(root, ".grade", "review.json"), "{ not json");
      expect(readReviewState(root)).toEqual(emptyState());
    });
  });
});
