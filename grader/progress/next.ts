import type { Chapter, Kata } from "../manifest/load.ts";
import type { KataStatus } from "../run/outcome.ts";

export type NextUp =
  | { kind: "worksheet"; chapter: Chapter; started: boolean }
  | { kind: "kata"; kata: Kata; started: boolean };

/**
 * What to do next: the first thing, in chapter order, that is not done. A
 * chapter's worksheet comes before its katas: estimate before you design.
 */
export function nextUp(
  chapters: readonly Chapter[],
  kataStatus: (id: string) => KataStatus | undefined,
  worksheet: (slug: string) => { done: boolean; answered: number } | undefined,
): NextUp | undefined {
  for (const chapter of chapters) {
    const sheet = worksheet(chapter.slug);
    if (sheet && !sheet.done) return { kind: "worksheet", chapter, started: sheet.answered > 0 };
    for (const kata of chapter.katas) {
      const status = kataStatus(kata.id);
      if (status !== "passing") return { kind: "kata", kata, started: status === "failing" };
    }
  }
  return undefined;
}
