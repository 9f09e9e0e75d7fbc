// What `npm run review` asks: each worksheet question of each chapter (typed answers, graded with
// units by the worksheet's own grader), and each chapter's trade-offs (facts, self-rated). Card ids
// are stable (chapter and question id, chapter and the fact's title), so a schedule outlives edits.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Chapter } from "../manifest/load.ts";
import type { Question } from "../manifest/schema.ts";
import { loadAnswers } from "../worksheet/answers.ts";

export type ReviewCard =
  | { id: string; kind: "sheet"; chapter: string; question: Question; reference: string }
  | { id: string; kind: "fact"; chapter: string; front: string; back: string };

/**
 * A chapter's trade-offs, from its README's "## Trade-offs": a list ("- **Title:** what it costs"),
 * each item a card; or a table, each row a card: its first cell asked, the others (with their
 * column's name) the answer
 */
export function chapterFacts(root: string, chapter: Chapter): { front: string; back: string }[] {
  const text = readFileSync(path.join(root, chapter.readme), "utf8");
  const start = text.indexOf("\n## Trade-offs");
  if (start < 0) return [];
  const section = text.slice(start + 1).split(/\n## /)[0] ?? "";
  const facts: { front: string; back: string }[] = [];
  for (const item of section.split(/\n- /).slice(1)) {
    const match = /^\*\*(.+?)\*\*\s*([\s\S]*)$/.exec(item.trim());
    if (!match?.[1] || !match[2]) continue;
    facts.push({ front: match[1].replace(/:$/, ""), back: match[2].replace(/\s+/g, " ").trim() });
  }
  const rows = section
    .split("\n")
    .filter((line) => line.trim().startsWith("|"))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((cell) => cell.trim()),
    );
  const [head, , ...body] = rows;
  if (head && head.length >= 2)
    for (const row of body) {
      const [first, ...rest] = row;
      if (!first) continue;
      facts.push({
        front: `${head[0]}: ${first}`,
        back: rest.map((cell, i) => `${head[i + 1] ?? ""}: ${cell}`).join("; "),
      });
    }
  return facts;
}

const slugOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** every card's id, without loading the reference worksheets: what the site counts */
export function cardIds(root: string, chapters: readonly Chapter[]): string[] {
  return chapters.flatMap((chapter) => [
    ...chapter.worksheet.map((q) => `sheet:${chapter.slug}/${q.id}`),
    ...chapterFacts(root, chapter).map((f) => `fact:${chapter.slug}/${slugOf(f.front)}`),
  ]);
}

/** every card, the worksheets' reference answers loaded */
export async function reviewCards(root: string, chapters: readonly Chapter[]): Promise<ReviewCard[]> {
  const cards: ReviewCard[] = [];
  for (const chapter of chapters) {
    if (chapter.worksheetPaths && chapter.worksheet.length > 0) {
      const reference = await loadAnswers(path.join(root, chapter.worksheetPaths.reference));
      for (const question of chapter.worksheet) {
        const entry = reference.entries.get(question.id);
        if (entry && "text" in entry)
          cards.push({
            id: `sheet:${chapter.slug}/${question.id}`,
            kind: "sheet",
            chapter: chapter.slug,
            question,
            reference: entry.text,
          });
      }
    }
    for (const fact of chapterFacts(root, chapter))
      cards.push({ id: `fact:${chapter.slug}/${slugOf(fact.front)}`, kind: "fact", chapter: chapter.slug, ...fact });
  }
  return cards;
}
