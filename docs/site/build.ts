import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Chapter, loadChapters, ManifestError } from "../../grader/manifest/load.ts";
import { readMeasurement } from "../../grader/measure/run.ts";
import { nextUp } from "../../grader/progress/next.ts";
import { cardIds } from "../../grader/review/cards.ts";
import { dueSummary, readReviewState } from "../../grader/review/schedule.ts";
import { readProgress } from "../../grader/state/progress.ts";
import { estimateProblems, evaluateEstimates } from "../../grader/units/estimates.ts";
import { BOOK_URL, bookPage } from "./book.ts";
import { designSections } from "./designs.ts";
import { checkDiagrams } from "./diagrams.ts";
import { chapterUrl, guideUrl, resolveLink, sourceUrl } from "./links.ts";
import { createMarkdown, type RenderEnv } from "./markdown.ts";
import {
  type Heading,
  indexBody,
  layout,
  measuredSection,
  type PageLink,
  progressSection,
  SITE,
  sourceBody,
} from "./pages.ts";

export interface BuildOptions {
  root: string;
  /** where the site goes: docs/dist by default */
  out: string;
  liveReload?: boolean;
}

/** something that makes the site wrong: a dead link, a diagram mermaid cannot parse, a wrong estimate */
export interface BuildProblem {
  file: string;
  line: number;
  message: string;
}

export interface BuildResult {
  pages: string[];
  problems: BuildProblem[];
  ms: number;
}

const assetsDir = fileURLToPath(new URL("./assets", import.meta.url));
const require = createRequire(import.meta.url);

interface MarkdownPage {
  file: string;
  url: string;
  title: string;
  html: string;
  headings: Heading[];
  diagrams: boolean;
  chapter?: Chapter;
}

function titleOf(markdown: string, fallback: string): string {
  return /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? fallback;
}

/** builds the site from the chapters, the guides and the learner's progress; problems are returned, not thrown */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { root, out } = options;
  const problems: BuildProblem[] = [];
  let chapters: Chapter[];
  try {
    chapters = await loadChapters(root);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    return {
      pages: [],
      problems: [{ file: error.file, line: 1, message: error.message }],
      ms: performance.now() - started,
    };
  }
  const { progress } = readProgress(root);

  // every markdown file that becomes a page, and its URL
  const urls = new Map<string, string>();
  for (const chapter of chapters) urls.set(chapter.readme, chapterUrl(chapter.slug));
  const guides = existsSync(path.join(root, "docs"))
    ? readdirSync(path.join(root, "docs"))
        .filter((name) => name.endsWith(".md"))
        .sort()
        .map((name) => `docs/${name}`)
    : [];
  for (const guide of guides) urls.set(guide, guideUrl(guide));
  urls.set("README.md", "index.html");

  const md = createMarkdown();
  const sources = new Set<string>();
  const fragments: Array<{ file: string; line: number; target: string; fragment: string }> = [];
  const diagrams: Array<{ file: string; line: number; source: string }> = [];
  const rendered: MarkdownPage[] = [];

  const render = (file: string, chapter?: Chapter, appended = ""): void => {
    const text = readFileSync(path.join(root, file), "utf8");
    problems.push(...estimateProblems(file, text));
    const env: RenderEnv = {
      file,
      estimates: evaluateEstimates(text),
      links: [],
      diagrams: [],
      headings: [],
      rewrite: (href) => {
        const line = env.links[env.links.length - 1]?.line ?? 1;
        const target = resolveLink(root, file, href, urls);
        switch (target.kind) {
          case "external":
            return undefined;
          case "dead":
            problems.push({ file, line, message: `dead link ${href}: ${target.reason}` });
            return undefined;
          case "source":
            sources.add(target.file);
            return target.url;
          case "page":
            if (target.fragment) fragments.push({ file, line, target: target.file, fragment: target.fragment });
            return target.fragment ? `${target.url}#${target.fragment}` : target.url;
        }
      },
    };
    const html = md.render(text + appended, env);
    diagrams.push(...env.diagrams.map((d) => ({ ...d, file })));
    const page: MarkdownPage = {
      file,
      url: urls.get(file) ?? "",
      title: titleOf(text, file),
      html,
      headings: env.headings,
      diagrams: env.diagrams.length > 0,
    };
    if (chapter) page.chapter = chapter;
    rendered.push(page);
  };
  for (const chapter of chapters) render(chapter.readme, chapter, await designSections(root, chapter));
  for (const guide of guides) render(guide);

  // generated sections are link targets too
  const ids = new Map<string, Set<string>>();
  for (const page of rendered) {
    const set = new Set(page.headings.map((h) => h.id));
    if (page.chapter) {
      for (const id of ["your-progress", "worksheet-questions", "katas-in-this-chapter"]) set.add(id);
      for (const question of page.chapter.worksheet) set.add(`q-${question.id}`);
    }
    ids.set(page.file, set);
  }
  for (const link of fragments) {
    if (!ids.get(link.target)?.has(link.fragment)) {
      problems.push({
        file: link.file,
        line: link.line,
        message: `dead link: ${link.target} has no heading #${link.fragment}`,
      });
    }
  }
  // a stub's header names the section of the chapter to read: that section must exist
  for (const kata of chapters.flatMap((c) => c.katas)) {
    const stub = readFileSync(path.join(root, kata.paths.pristine), "utf8");
    stub.split("\n").forEach((text, index) => {
      const read = /Read:\s+(chapters\/[^\s#]+\.md)#(\S+)/.exec(text);
      if (read?.[1] && read[2] && !ids.get(read[1])?.has(read[2])) {
        problems.push({
          file: kata.paths.pristine,
          line: index + 1,
          message: `dead link: ${read[1]} has no heading #${read[2]}`,
        });
      }
    });
    sources.add(kata.paths.stub);
    sources.add(kata.paths.spec);
  }
  problems.push(...(await checkDiagrams(diagrams)));

  // write into a fresh directory, then put it in place: a server never sees half a site
  const staging = `${out}.building`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, "assets"), { recursive: true });
  cpSync(assetsDir, path.join(staging, "assets"), { recursive: true });
  cpSync(require.resolve("mermaid/dist/mermaid.min.js"), path.join(staging, "assets", "mermaid.min.js"));

  const written: string[] = [];
  const write = (url: string, html: string) => {
    writeFileSync(path.join(staging, url), html);
    written.push(url);
  };
  const liveReload = Boolean(options.liveReload);
  const chapterPages = rendered.filter((p) => p.chapter);
  chapterPages.forEach((page, index) => {
    const chapter = page.chapter as Chapter;
    const section = progressSection(chapter, progress);
    // chapter 01's latency table, measured on this machine (npm run measure)
    const measured = chapter.slug === "01-estimation" ? measuredSection(readMeasurement(root)) : undefined;
    const before = chapterPages[index - 1];
    const after = chapterPages[index + 1];
    write(
      page.url,
      layout({
        title: page.title,
        body: page.html + (measured?.html ?? "") + section.html,
        toc: [...page.headings, ...(measured?.headings ?? []), ...section.headings],
        diagrams: page.diagrams,
        ...(before ? { prev: { url: before.url, title: before.title } } : {}),
        ...(after ? { next: { url: after.url, title: after.title } } : {}),
        liveReload,
      }),
    );
  });
  // every chapter in one page, for printing (npm run docs -- --pdf)
  write(
    BOOK_URL,
    bookPage(
      chapterPages.map((page) => ({ url: page.url, title: page.title, html: page.html, diagrams: page.diagrams })),
      SITE,
      new Date().toISOString().slice(0, 10),
    ),
  );
  const guideLinks: PageLink[] = [];
  for (const page of rendered.filter((p) => !p.chapter)) {
    guideLinks.push({ url: page.url, title: page.title });
    write(
      page.url,
      layout({ title: page.title, body: page.html, toc: page.headings, diagrams: page.diagrams, liveReload }),
    );
  }
  for (const file of [...sources].sort()) {
    // a learner's copy that is gone (deleted, not yet reset) is shown as the pristine stub
    const shown = existsSync(path.join(root, file)) ? file : file.replace(/^katas\//, "grader/stubs/");
    const text = readFileSync(path.join(root, shown), "utf8");
    write(sourceUrl(file), layout({ title: file, body: sourceBody(file, text), liveReload }));
  }
  const next = nextUp(
    chapters,
    (id) => progress.katas[id]?.status,
    (slug) => {
      const chapter = chapters.find((c) => c.slug === slug);
      if (!chapter?.worksheet.length) return undefined;
      const sheet = progress.worksheets[slug];
      return { done: sheet !== undefined && sheet.correct === sheet.total, answered: sheet?.answered ?? 0 };
    },
  );
  write(
    "index.html",
    layout({
      title: "System Design Katas",
      // what npm run review would ask now, from .grade/review.json
      body: indexBody(
        chapters,
        progress,
        next,
        guideLinks,
        dueSummary(cardIds(root, chapters), readReviewState(root), new Date(), 10),
      ),
      liveReload,
    }),
  );

  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  return { pages: written, problems, ms: performance.now() - started };
}
