import path from "node:path";
import { watch } from "chokidar";
import type { Chapter, Kata } from "../manifest/load.ts";

/** how long after a file's last write it is graded: an editor's save is a burst of writes within a few ms */
const SETTLE_MS = 30;

export type Changed = { kind: "kata"; kata: Kata } | { kind: "worksheet"; chapter: Chapter };

/**
 * Watches the learner's files in katas/ and calls `regrade` with what changed,
 * one at a time, a moment after the last write (editors save in bursts).
 * chokidar follows a file that an editor replaces by a rename (an atomic
 * save, `sed -i`), which node's own fs.watch loses track of. Resolves once
 * the watcher is ready; the function it gives stops watching.
 */
export async function watchKatas(
  root: string,
  chapters: Chapter[],
  regrade: (changed: Changed, savedAt: number) => Promise<void>,
): Promise<() => Promise<void>> {
  const files = new Map<string, Changed>();
  for (const chapter of chapters) {
    for (const kata of chapter.katas) files.set(path.join(root, kata.paths.stub), { kind: "kata", kata });
    if (chapter.worksheetPaths)
      files.set(path.join(root, chapter.worksheetPaths.learner), { kind: "worksheet", chapter });
  }
  const timers = new Map<string, NodeJS.Timeout>();
  let queue = Promise.resolve();
  const saved = (file: string) => {
    const changed = files.get(path.resolve(file));
    if (!changed) return;
    const savedAt = performance.now();
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        queue = queue.then(() => regrade(changed, savedAt)).catch((error: unknown) => console.error(error));
      }, SETTLE_MS),
    );
  };
  const watcher = watch(path.join(root, "katas"), { ignoreInitial: true, atomic: true });
  watcher.on("add", saved).on("change", saved);
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return async () => {
    for (const timer of timers.values()) clearTimeout(timer);
    await watcher.close();
  };
}
