import type { ChapterInput, KataManifest } from "../manifest/schema.ts";

/**
 * One kata's entry in its chapter manifest: specs read their budgets from it. The grader validated
 * every manifest (zod, manifest/load.ts) before any spec ran, so a spec's worker only looks it up:
 * loading zod and the schema again would cost each worker about 0.1 s.
 */
export function kataOf(chapter: ChapterInput, slug: string, id: string): KataManifest {
  const kata = chapter.katas.find((k) => k.id === id);
  if (!kata) throw new Error(`chapters/${slug}/chapter.ts has no kata "${id}"`);
  return kata as KataManifest;
}
