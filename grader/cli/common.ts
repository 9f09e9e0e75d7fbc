import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "commander";
import type { Chapter, Kata } from "../manifest/load.ts";
import { parseSeedRange, type SeedRange } from "../spec/seed-range.ts";

/**
 * A command ends with whoever started it. npm runs a script under `sh -c`, and
 * when npm is stopped (SIGTERM, a closed terminal) the shell goes without
 * passing the signal on: this process would run on, and the grader's runner
 * with it. So a stop signal ends the process (its exit handlers stop the
 * runner's process group), and so does finding its parent gone.
 */
export function endWithParent(): void {
  const parent = process.ppid;
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
  process.once("SIGHUP", () => process.exit(129));
  setInterval(() => {
    if (process.ppid !== parent) process.exit(129);
  }, 500).unref();
}

/** the project the commands work on: this checkout, or SDK_ROOT (the grader's own tests point it at fixtures) */
export function projectRoot(): string {
  return process.env.SDK_ROOT ? path.resolve(process.env.SDK_ROOT) : fileURLToPath(new URL("../..", import.meta.url));
}

export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError(`expected a whole number, such as --seed 42`);
  return seed;
}

export function parseSeeds(value: string): SeedRange {
  const range = parseSeedRange(value);
  if (!range) throw new InvalidArgumentError(`expected a range of whole numbers, such as --seeds 1..500`);
  return range;
}

/** a selector that names no kata or chapter */
export class UnknownSelector extends Error {
  override readonly name = "UnknownSelector";
}

/** katas named by id, or all katas of chapters named by slug (or number); no selector means all */
export function selectKatas(chapters: Chapter[], selectors: readonly string[]): Kata[] {
  return select(chapters, selectors).katas;
}

/**
 * What the selectors name: katas (by id, or every kata of a named chapter) and the
 * chapters whose worksheets are graded (a chapter named as a whole, or
 * `<chapter>/worksheet` for the worksheet alone). No selector names everything.
 */
export function select(chapters: Chapter[], selectors: readonly string[]): { katas: Kata[]; chapters: Chapter[] } {
  const all = chapters.flatMap((c) => c.katas);
  if (selectors.length === 0) return { katas: all, chapters };
  const chosen = new Set<Kata>();
  const named = new Set<Chapter>();
  const chapterOf = (name: string) =>
    chapters.find((c) => c.slug === name || c.slug.slice(0, 2) === name.padStart(2, "0"));
  for (const selector of selectors) {
    const sheet = /^(.+)\/worksheet$/.exec(selector);
    const ofSheet = sheet?.[1] ? chapterOf(sheet[1]) : undefined;
    if (ofSheet?.worksheetPaths) {
      // just the worksheet: 01-estimation/worksheet
      named.add(ofSheet);
      continue;
    }
    const chapter = chapterOf(selector);
    const kata = all.find((k) => k.id === selector);
    if (kata) chosen.add(kata);
    else if (chapter) {
      named.add(chapter);
      for (const k of chapter.katas) chosen.add(k);
    } else {
      const near = [...all.map((k) => k.id), ...chapters.map((c) => c.slug)].filter(
        (name) => name.includes(selector) || selector.includes(name),
      );
      throw new UnknownSelector(
        `no kata or chapter "${selector}".${near.length ? ` Did you mean ${near.join(", ")}?` : ""}\n` +
          `Katas: ${all.map((k) => k.id).join(", ")}\nChapters: ${chapters.map((c) => c.slug).join(", ")}`,
      );
    }
  }
  return { katas: all.filter((k) => chosen.has(k)), chapters: chapters.filter((c) => named.has(c)) };
}
