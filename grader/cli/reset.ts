// npm run reset -- <kata | chapter | chapter/worksheet>: restore the pristine stub, after backing up your file
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { type Chapter, loadChapters, ManifestError } from "../manifest/load.ts";
import { paint } from "../report/text.ts";
import { stateFolder, takeStateNotes, writeWhole } from "../state/folder.ts";
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
  const folder = stateFolder(
    root,
    "backups",
    ...path
      .dirname(relative)
      .split(path.sep)
      .filter((p) => p !== "."),
  );
  const base = path.join(folder, path.basename(relative).replace(/\.ts$/, `.${stamp}`));
  let candidate = `${base}.ts`;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}.ts`;
  return candidate;
}

/** a reset writes only into katas/: a folder on the way that is a link elsewhere stops it */
class OutsideKatas extends Error {
  override readonly name = "OutsideKatas";
}

function checkFolders(root: string, learner: string): void {
  let current = root;
  for (const part of path.dirname(learner).split("/")) {
    current = path.join(current, part);
    if (!existsSync(current)) return;
    if (lstatSync(current).isSymbolicLink())
      throw new OutsideKatas(
        `${path.relative(root, current)} is a link to ${path.relative(root, realpathSync(current))}: a reset writes only into katas/, so it stops here. Make ${path.relative(root, current)} a folder of its own, then reset again.`,
      );
  }
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
        checkFolders(root, learner);
        const original = readFileSync(path.join(root, pristine), "utf8");
        const link = existsSync(mine) && lstatSync(mine).isSymbolicLink();
        if (!link && existsSync(mine) && readFileSync(mine, "utf8") === original) {
          console.log(paint.dim(`${learner}: already the pristine stub`));
          continue;
        }
        if (existsSync(mine)) {
          // what the learner had is kept as text; a link is replaced by the stub, its target left alone
          const backup = backupPath(root, learner);
          writeWhole(backup, readFileSync(mine, "utf8"));
          const was = link
            ? ` (it was a link to ${path.relative(root, realpathSync(mine))}, which is left as it was)`
            : "";
          console.log(`${learner}: your version is saved as ${path.relative(root, backup)}${was}`);
        }
        mkdirSync(path.dirname(mine), { recursive: true });
        // a new file in place of the old entry: never written through a link or into a hard-linked file
        writeWhole(mine, original);
        console.log(paint.green(`${learner}: restored from ${pristine}`));
      }
      for (const note of takeStateNotes()) console.error(paint.yellow(note));
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector || error instanceof OutsideKatas))
        throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
