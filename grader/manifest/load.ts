import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { importCourseModule } from "./course-module.ts";
import { type ChapterManifest, ChapterSchema, DEFAULT_LIMITS, type KataManifest } from "./schema.ts";

/** a manifest that does not hold: which file, which field, what was expected */
export class ManifestError extends Error {
  override readonly name = "ManifestError";

  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<{ field: string; expected: string }>,
  ) {
    super(`invalid chapter manifest ${file}\n${problems.map((p) => `  ${p.field}: ${p.expected}`).join("\n")}`);
  }
}

export interface Mutant {
  /** the part of the file name after the kata id: token-bucket.<name>.patch */
  name: string;
  /** the patch, root-relative: a unified diff against the kata's reference */
  file: string;
}

export interface Kata extends Omit<KataManifest, "limits"> {
  chapter: string;
  /** what grading it may take: the kata's own limits, else the chapter's, else the defaults */
  limits: { timeMs: number; memoryMb: number };
  /** paths relative to the project root, with forward slashes; `stub` is the learner's copy, `pristine` the original */
  paths: { stub: string; pristine: string; reference: string; spec: string; mutants: Mutant[] };
}

export interface Chapter extends Omit<ChapterManifest, "katas"> {
  slug: string;
  number: number;
  manifest: string;
  readme: string;
  katas: Kata[];
  /** the learner's answers, the blank original and the reference's, when the chapter has a worksheet */
  worksheetPaths?: { learner: string; pristine: string; reference: string };
}

const CHAPTER_DIR = /^(\d{2})-[a-z0-9]+(-[a-z0-9]+)*$/;

export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of segments) {
    out += typeof segment === "number" ? `[${segment}]` : `${out ? "." : ""}${String(segment)}`;
  }
  return out || "(the whole manifest)";
}

function problemsOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ field: formatPath(issue.path), expected: issue.message }));
}

/** validate the default export of chapters/<slug>/chapter.ts */
export function parseChapter(file: string, raw: unknown): ChapterManifest {
  const parsed = ChapterSchema.safeParse(raw);
  if (!parsed.success) throw new ManifestError(file, problemsOf(parsed.error));
  return parsed.data;
}

function listMutants(root: string, chapter: string, id: string): Mutant[] {
  const dir = path.join(root, "grader", "mutants", chapter);
  if (!existsSync(dir)) return [];
  const prefix = `${id}.`;
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith(".patch"))
    .map((name) => ({
      name: name.slice(prefix.length, -".patch".length),
      file: `grader/mutants/${chapter}/${name}`,
    }))
    .filter((mutant) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(mutant.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function withPaths(root: string, slug: string, manifestFile: string, parsed: ChapterManifest): Kata[] {
  const katas = parsed.katas;
  const missing: { field: string; expected: string }[] = [];
  const result = katas.map((kata, index) => {
    const paths = {
      stub: `katas/${slug}/${kata.file}`,
      pristine: `grader/stubs/${slug}/${kata.file}`,
      reference: `solutions/${slug}/${kata.file}`,
      spec: `grader/specs/${slug}/${kata.id}.spec.ts`,
      mutants: listMutants(root, slug, kata.id),
    };
    // the learner's copy in katas/ may be missing (deleted, not yet restored): grading says so, loading does not fail
    for (const [role, file] of [
      ["pristine stub", paths.pristine],
      ["reference", paths.reference],
      ["spec", paths.spec],
    ] as const) {
      if (!existsSync(path.join(root, file))) {
        missing.push({ field: `katas[${index}].file`, expected: `expected the ${role} at ${file}` });
      }
    }
    const { limits: own, ...rest } = kata;
    const limits = {
      timeMs: own?.timeMs ?? parsed.limits?.timeMs ?? DEFAULT_LIMITS.timeMs,
      memoryMb: own?.memoryMb ?? parsed.limits?.memoryMb ?? DEFAULT_LIMITS.memoryMb,
    };
    return { ...rest, chapter: slug, limits, paths };
  });
  if (missing.length > 0) throw new ManifestError(manifestFile, missing);
  return result;
}

/** the units engine can read a worksheet's givens and units: a ManifestError says where it cannot */
export async function checkWorksheetQuestions(chapter: Pick<Chapter, "manifest" | "worksheet">): Promise<void> {
  // the units engine (mathjs) loads only when a worksheet is checked: specs that read budgets never need it
  const { checkQuestions } = await import("../worksheet/questions.ts");
  const problems = checkQuestions(chapter.worksheet);
  if (problems.length > 0) throw new ManifestError(chapter.manifest, problems);
}

/** a worksheet's files exist, and (unless later) the units engine can read its givens and units */
async function checkWorksheet(root: string, manifest: string, slug: string, parsed: ChapterManifest, later: boolean) {
  const paths = {
    learner: `katas/${slug}/worksheet.ts`,
    pristine: `grader/stubs/${slug}/worksheet.ts`,
    reference: `solutions/${slug}/worksheet.ts`,
  };
  const problems: Array<{ field: string; expected: string }> = [];
  for (const [role, file] of [
    ["blank", paths.pristine],
    ["reference", paths.reference],
  ] as const) {
    if (!existsSync(path.join(root, file)))
      problems.push({ field: "worksheet", expected: `expected the ${role} answers at ${file}` });
  }
  if (problems.length > 0) throw new ManifestError(manifest, problems);
  if (!later) await checkWorksheetQuestions({ manifest, worksheet: parsed.worksheet });
  return paths;
}

/** every chapter under root/chapters, in order, validated and cross-checked against the files */
export async function loadChapters(
  root: string,
  options: {
    /** leave the worksheets' questions to checkWorksheetQuestions, when a worksheet is graded (the CLI starts faster) */
    questionsLater?: boolean;
  } = {},
): Promise<Chapter[]> {
  const chaptersDir = path.join(root, "chapters");
  const dirs = readdirSync(chaptersDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && CHAPTER_DIR.test(entry.name))
    .map((entry) => entry.name)
    // an empty folder is a chapter being started (git keeps none): nothing to load yet
    .filter((name) => readdirSync(path.join(chaptersDir, name)).length > 0)
    .sort();
  const chapters: Chapter[] = [];
  const owner = new Map<string, string>();
  for (const slug of dirs) {
    const manifest = `chapters/${slug}/chapter.ts`;
    if (!existsSync(path.join(root, manifest))) {
      throw new ManifestError(manifest, [{ field: "(file)", expected: "expected a chapter manifest" }]);
    }
    const module = await importCourseModule(path.join(root, manifest));
    if (module.default === undefined) {
      throw new ManifestError(manifest, [
        { field: "(default export)", expected: "expected `export default defineChapter({ ... })`" },
      ]);
    }
    const parsed = parseChapter(manifest, module.default);
    const katas = withPaths(root, slug, manifest, parsed);
    for (const [index, kata] of katas.entries()) {
      const other = owner.get(kata.id);
      if (other) {
        throw new ManifestError(manifest, [
          {
            field: `katas[${index}].id`,
            expected: `expected an id unique across chapters; "${kata.id}" is also in ${other}`,
          },
        ]);
      }
      owner.set(kata.id, slug);
    }
    const chapter: Chapter = {
      ...parsed,
      slug,
      number: Number(CHAPTER_DIR.exec(slug)?.[1]),
      manifest,
      readme: `chapters/${slug}/README.md`,
      katas,
    };
    if (parsed.worksheet.length > 0)
      chapter.worksheetPaths = await checkWorksheet(root, manifest, slug, parsed, options.questionsLater === true);
    chapters.push(chapter);
  }
  return chapters;
}
