// npm run hint -- <kata>: the next hint of a kata; it remembers how many you have seen
import { Command } from "commander";
import { loadChapters, ManifestError } from "../manifest/load.ts";
import { paint } from "../report/text.ts";
import { takeStateNotes } from "../state/folder.ts";
import { readProgress, recordProgress } from "../state/progress.ts";
import { projectRoot, select, UnknownSelector } from "./common.ts";

const program = new Command("hint")
  .description("show the next hint of a kata; every hint so far stays on screen")
  .argument("<kata>", "the kata's id, such as token-bucket")
  .option("--again", "show the hints seen so far, without a new one")
  .action(async (id: string, options: { again?: boolean }) => {
    const root = projectRoot();
    try {
      const [kata] = select(await loadChapters(root), [id]).katas;
      if (!kata || kata.id !== id)
        throw new UnknownSelector(`no kata "${id}": hints belong to a kata, such as token-bucket`);
      const seen = readProgress(root).progress.hints[kata.id] ?? 0;
      const shown = Math.min(kata.hints.length, options.again ? Math.max(seen, 1) : seen + 1);
      console.log(paint.bold(`${kata.title}: hint ${shown} of ${kata.hints.length}`));
      kata.hints.slice(0, shown).forEach((hint, index) => {
        const text = `${index + 1}. ${hint}`;
        console.log(index === shown - 1 ? `\n${text}` : paint.dim(`\n${text}`));
      });
      try {
        recordProgress(root, { hints: { [kata.id]: shown } });
      } catch (error) {
        console.error(paint.yellow(`note: not saved in .grade/progress.json: ${(error as Error).message}`));
      }
      for (const note of takeStateNotes()) console.error(paint.yellow(note));
      if (shown === kata.hints.length) {
        console.log(
          paint.dim(
            `\nThat was the last hint. Once the kata passes, npm run compare -- ${kata.id} shows the reference.`,
          ),
        );
      } else {
        console.log(paint.dim(`\nAnother: npm run hint -- ${kata.id}. Grade: npm run grade -- ${kata.id}`));
      }
    } catch (error) {
      if (!(error instanceof ManifestError || error instanceof UnknownSelector)) throw error;
      console.error(paint.red(error.message));
      process.exitCode = 2;
    }
  });

await program.parseAsync();
