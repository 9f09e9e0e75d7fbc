import { watch } from "node:fs";
import path from "node:path";
import type { Chapter, Kata } from "../manifest/load.ts";

export type Changed = { kind: "kata"; kata: Kata } | { kind: "worksheet"; chapter: Chapter };

/**
 * Watches the learner's files in katas/ and calls `regrade` with what changed,
 * one at a time, a moment after the last write (editors save in bursts).
 * Returns a function that stops watching.
 */
export function watchKatas(
  root: string,
  chapters: Chapter[],
  regrade: (changed: Changed, savedAt: number) => Promise<void>,
): () => void {
  const files = new Map<string, Changed>();
  for (const chapter of chapters) {
    for (const kata of chapter.katas) files.set(path.join(root, kata.paths.stub), { kind: "kata", kata });
    if (chapter.worksheetPaths)
      files.set(path.join(root, chapter.worksheetPaths.learner), { kind: "worksheet", chapter });
  }
  const timers = new Map<string, NodeJS.Timeout>();
  let queue = Promise.resolve();
  const watcher = watch(path.join(root, "katas"), { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = path.join(root, "katas", name.toString());
    const changed = files.get(file);
    if (!changed) return;
    const savedAt = performance.now();
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        queue = queue.then(() => regrade(changed, savedAt)).catch((error: unknown) => console.error(error));
      }, 100),
    );
  });
  return () => {
    for (const timer of timers.values()) clearTimeout(timer);
    watcher.close();
  };
}
