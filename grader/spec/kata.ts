import { parseChapter } from "../manifest/load.ts";
import type { ChapterInput, KataManifest } from "../manifest/schema.ts";

/** one kata's entry in its chapter manifest, validated: specs read their budgets from it */
export function kataOf(chapter: ChapterInput, slug: string, id: string): KataManifest {
  const parsed = parseChapter(`chapters/${slug}/chapter.ts`, chapter);
  const kata = parsed.katas.find((k) => k.id === id);
  if (!kata) throw new Error(`chapters/${slug}/chapter.ts has no kata "${id}"`);
  return kata;
}
