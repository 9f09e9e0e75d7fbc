// npm run reset -- <kata | chapter | chapter/worksheet>: restore the pristine stub, after backing up your file
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { type Chapter, loadChapters, ManifestError } from "../manifest/load.ts";
import { paint } from "../report/text.ts";
import { projectRoot, UnknownSelector } from "./common.ts";

interface Restore {
  /** the learner's file and its pristine original, relative to the root */
  learner: string;
  pristine: string;
}

/** what a selector names: a kata's file, a chapter's worksheet, or everything of a chapter */
function restores(chapters: Chapter[], selector: string): Restore[] {
  const [slug, part] = selector.split("/");
  const chapter = chapters.find((c) => c.slug === slug || c.slug.slice(0, 2) === slug?.padStart(2, "0"));
  if (chapter && part === "worksheet" && chapter.worksheetPaths) {
    return [{ learner: chapter.worksheetPaths.learner, pristine: chapter.worksheetPaths.pristine }];
  }
  if (chapter && part === undefined) {
    return [
      ...chapter.katas.map((k) => ({ learner: k.paths.stub, pristine: k.paths.pristine })),
      ...(chapter.worksheetPaths
        ? [{ learner: chapter.worksheetPaths.learner, pristine: chapter.worksheetPaths.pristine }]
        : []),
    ];
  }
  const kata = chapters.flatMap((c) => c.katas).find((k) => k.id === selector);
  if (kata) return [{ learner: kata.paths.stub, pristine: kata.paths.pristine }];
  throw new UnknownSelector(
    `no kata or chapter "${selector}". Reset a kata (token-bucket), a chapter's worksheet (01-estimation/worksheet) or a whole chapter (04-rate-limiting).`,
  );
}

/** a backup path that is not taken yet: .grade/backups/<chapter>/<name>.<time>.ts */
function backupPath(root: string, learner: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const relative = path.relative("katas", learner);
  const base = path.join(root, ".grade", "backups", relative.replace(/\.ts$/, `.${stamp}`));
  let candidate = `${base}.ts`;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}.ts`;
  return candidate;
}

const program = new Command("reset")
  .description("restore the pristine stub of a kata, a worksheet or a chapter; your file is backed up first")
  .argument(
    "<selector...>",
    "a kata (token-bucket), a worksheet (01-estimation/worksheet) or a chapter (04-rate-limiting)",
  )
  .action(async (selectors: string[]) => {
    const root = projectRoot();
    try {
      const chapters = await loadChapters(root);
      for (const { learner, pristine } of selectors.flatMap((s) => restores(chapters, s))) {
        const mine = path.join(root, learner);
        const original = readFileSync(path.join(root, pristine), "utf8");
        if (existsSync(mine) && readFileSync(mine, "utf8") === original) {
          console.log(paint.dim(`${learner}: already the pristine stub`));
          continue;
        }
        if (existsSync(mine)) {
          const backup = backupPath(root, learner);
          mkdirSync(path.dirname(backup), { recursive: true });
          copyFileSync(mine, backup);
          console.log(`${learner}: your version is saved as ${path.relative(root, backup)}`);
        }
        mkdirSync(path.dirname(mine), { recursive: true });
        copyFileSync(path.join(root, pristine), mine);
        console.log(paint.green(`${learner}: restored from ${pristine}`));
      }
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
