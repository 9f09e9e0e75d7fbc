import type { Chapter } from "../../grader/manifest/load.ts";
import type { Measurement } from "../../grader/measure/run.ts";
import { duration } from "../../grader/measure/table.ts";
import type { NextUp } from "../../grader/progress/next.ts";
import type { KataProgress, Progress } from "../../grader/state/progress.ts";
import { describeTolerance, parseTolerance } from "../../grader/units/tolerance.ts";
import { renderPrompt } from "../../grader/worksheet/vary.ts";
import { chapterUrl, sourceUrl } from "./links.ts";
import { escapeHtml as esc, highlight } from "./markdown.ts";

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface PageLink {
  url: string;
  title: string;
}

export interface Layout {
  title: string;
  body: string;
  toc?: Heading[];
  prev?: PageLink;
  next?: PageLink;
  /** served by `npm run docs -- --serve`: reload when the site is rebuilt */
  liveReload?: boolean;
  /** the page has mermaid diagrams: only then does it load the 3.5 MB bundle */
  diagrams?: boolean;
}

export const SITE = "System Design Katas";

// set before the page paints, so a dark theme never flashes light
const THEME = `<script>try{var t=localStorage.getItem("sdk-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}</script>`;

export function layout(page: Layout): string {
  const toc = page.toc?.filter((h) => h.level <= 3) ?? [];
  const tocHtml =
    toc.length > 0
      ? `<nav class="toc" aria-label="On this page"><p class="toc-title">On this page</p><ol>${toc
          .map((h) => `<li class="level-${h.level}"><a href="#${esc(h.id)}">${esc(h.text)}</a></li>`)
          .join("")}</ol></nav>`
      : "";
  const pager =
    page.prev || page.next
      ? `<nav class="pager" aria-label="Chapters">${page.prev ? `<a class="prev" rel="prev" href="${esc(page.prev.url)}">← ${esc(page.prev.title)}</a>` : "<span></span>"}${page.next ? `<a class="next" rel="next" href="${esc(page.next.url)}">${esc(page.next.title)} →</a>` : ""}</nav>`
      : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title === SITE ? SITE : `${page.title} · ${SITE}`)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/site.css">
${THEME}
</head>
<body>
<header class="top">
  <a class="home" href="index.html">${SITE}</a>
  <button class="theme" type="button" aria-label="Switch between light and dark" title="Light or dark">◐</button>
</header>
<div class="page${tocHtml ? " with-toc" : ""}">
${tocHtml}
<main>
${page.body}
${pager}
</main>
</div>
${page.diagrams ? `<script src="assets/mermaid.min.js"></script>\n` : ""}<script src="assets/site.js"></script>
${page.liveReload ? `<script>new EventSource("/__reload").onmessage=function(){location.reload()}</script>` : ""}
</body>
</html>
`;
}

const stars = (difficulty: number) =>
  `<span class="stars" aria-label="difficulty ${difficulty} of 3">${"★".repeat(difficulty)}${"☆".repeat(3 - difficulty)}</span>`;

export function kataChip(progress: KataProgress | undefined): string {
  if (!progress) return `<span class="chip none">not graded yet</span>`;
  const ratio =
    progress.throughputRatio === undefined
      ? ""
      : ` <span class="perf">${progress.throughputRatio.toFixed(2)}× ref</span>`;
  switch (progress.status) {
    case "passing":
      return `<span class="chip pass">✓ passing</span>${ratio}`;
    case "failing":
      return `<span class="chip fail">✗ ${progress.passed}/${progress.total} passing</span>${ratio}`;
    case "todo":
      return `<span class="chip todo">○ todo</span>`;
    case "error":
      return `<span class="chip fail">! ${esc(progress.cause ?? "did not load")}</span>`;
    case "timeout":
      return `<span class="chip fail">⧗ ${esc(progress.cause ?? "timed out")}</span>`;
    case "skipped":
      // a lab whose server the machine lacks: "needs redis-server"
      return `<span class="chip none">– ${esc((progress.cause ?? "skipped").split(":")[0] ?? "skipped")}</span>`;
  }
}

const MARK = {
  correct: ["pass", "✓"],
  wrong: ["fail", "✗"],
  invalid: ["fail", "!"],
  unanswered: ["todo", "○"],
} as const;

/**
 * Chapter 01's latency table measured on the learner's machine (npm run measure), "yours" beside
 * the chapter's typical figure; without a measurement, how to make one
 */
export function measuredSection(measurement: Measurement | undefined): { html: string; headings: Heading[] } {
  const headings: Heading[] = [{ level: 2, id: "latency-on-your-machine", text: "Latency on your machine" }];
  const parts = [`<section class="measured"><h2 id="latency-on-your-machine">Latency on your machine</h2>`];
  if (!measurement) {
    parts.push(
      "<p>Run <code>npm run measure</code>: it times these operations on this machine (medians of many calls) and shows them here beside the chapter's figures.</p></section>",
    );
    return { html: parts.join("\n"), headings };
  }
  const m = measurement.machine;
  parts.push(
    `<p>Measured ${esc(measurement.measuredAt.slice(0, 10))} by <code>npm run measure</code> on ${esc(m.model)}, ${m.cpus} cores, ${m.memoryGb} GB, Node ${esc(m.node)}${measurement.quick ? " (quick: small working sets)" : ""}. Each figure is the median of many timed calls.</p>`,
    `<div class="table"><table class="measured"><thead><tr><th>operation</th><th>typical (above)</th><th>yours</th><th>yours ÷ typical</th><th>how</th></tr></thead><tbody>`,
  );
  for (const r of measurement.results)
    parts.push(
      `<tr><td>${esc(r.label)}</td><td>${r.typicalNs !== undefined ? esc(duration(r.typicalNs)) : "—"}</td><td><strong>${esc(duration(r.medianNs))}</strong></td>` +
        `<td>${r.typicalNs !== undefined ? `${Number((r.medianNs / r.typicalNs).toPrecision(2))}×` : ""}</td><td>${esc(r.method)}</td></tr>`,
    );
  parts.push("</tbody></table></div></section>");
  return { html: parts.join("\n"), headings };
}

/** the generated end of a chapter page: its worksheet's questions and its katas, with the learner's standing */
export function progressSection(chapter: Chapter, progress: Progress): { html: string; headings: Heading[] } {
  const headings: Heading[] = [{ level: 2, id: "your-progress", text: "Your progress" }];
  const parts = [`<section class="progress"><h2 id="your-progress">Your progress</h2>`];
  const sheet = progress.worksheets[chapter.slug];
  if (chapter.worksheet.length > 0 && chapter.worksheetPaths) {
    headings.push({ level: 3, id: "worksheet-questions", text: "Worksheet" });
    const score = sheet ? `${sheet.correct}/${sheet.total} right` : "not graded yet";
    parts.push(
      `<h3 id="worksheet-questions">Worksheet <span class="score">${score}</span></h3>`,
      `<p>Answer in <code>${esc(chapter.worksheetPaths.learner)}</code> with numbers and units, then run <code>npm run grade -- ${esc(chapter.slug)}</code>.</p>`,
      `<ol class="questions">`,
    );
    for (const question of chapter.worksheet) {
      const [kind, mark] = MARK[sheet?.questions[question.id] ?? "unanswered"];
      const given = Object.entries(question.given).map(([name, value]) => `<code>${esc(name)} = ${esc(value)}</code>`);
      const tolerance = parseTolerance(question.tolerance);
      const facts = [
        ...given,
        `answer in <code>${esc(question.unit)}</code>`,
        tolerance ? esc(describeTolerance(tolerance)) : "",
      ].filter(Boolean);
      parts.push(
        `<li id="q-${esc(question.id)}"><span class="chip ${kind}" aria-label="${esc(sheet?.questions[question.id] ?? "unanswered")}">${mark}</span> <strong>${esc(question.id)}</strong><p>${esc(renderPrompt(question))}</p><p class="facts">${facts.join(" · ")}</p></li>`,
      );
    }
    parts.push("</ol>");
  }
  if (chapter.katas.length > 0) {
    headings.push({ level: 3, id: "katas-in-this-chapter", text: "Katas" });
    parts.push(
      `<h3 id="katas-in-this-chapter">Katas</h3><div class="table"><table class="katas"><thead><tr><th>kata</th><th>difficulty</th><th>status</th><th>files</th><th>grade it</th></tr></thead><tbody>`,
    );
    for (const kata of chapter.katas) {
      parts.push(
        `<tr><td><strong>${esc(kata.title)}</strong><br><code>${esc(kata.id)}</code></td><td>${stars(kata.difficulty)}</td><td>${kataChip(progress.katas[kata.id])}</td>` +
          `<td><a href="${esc(sourceUrl(kata.paths.stub))}">${esc(kata.paths.stub)}</a><br><a href="${esc(sourceUrl(kata.paths.spec))}">${esc(kata.paths.spec)}</a></td>` +
          `<td><code>npm run grade -- ${esc(kata.id)}</code></td></tr>`,
      );
    }
    parts.push("</tbody></table></div>");
  }
  parts.push("</section>");
  return { html: parts.join("\n"), headings };
}

function chapterProgress(chapter: Chapter, progress: Progress): string {
  const graded = chapter.katas.filter((k) => progress.katas[k.id]);
  const passing = chapter.katas.filter((k) => progress.katas[k.id]?.status === "passing").length;
  const sheet = progress.worksheets[chapter.slug];
  if (graded.length === 0 && !sheet) return `<span class="chip none">not graded yet</span>`;
  const items = [
    chapter.worksheet.length
      ? `worksheet ${sheet ? `${sheet.correct}/${sheet.total}` : `0/${chapter.worksheet.length}`}`
      : "",
    chapter.katas.length ? `${passing}/${chapter.katas.length} katas passing` : "",
  ].filter(Boolean);
  const done = (sheet?.correct ?? 0) + passing;
  const total = chapter.worksheet.length + chapter.katas.length;
  return `<span class="meter" role="img" aria-label="${done} of ${total} done"><span style="width:${Math.round((100 * done) / Math.max(total, 1))}%"></span></span> ${items.join(" · ")}`;
}

/** what `npm run review` would ask now: cards due, new ones the day allows, and when the next falls due */
export interface ReviewDue {
  due: number;
  fresh: number;
  total: number;
  next?: Date;
}

export function indexBody(
  chapters: Chapter[],
  progress: Progress,
  next: NextUp | undefined,
  guides: PageLink[],
  review?: ReviewDue,
): string {
  let nextHtml: string;
  if (!next) nextHtml = `<p><strong>Every kata passes and every worksheet is right.</strong></p>`;
  else if (next.kind === "worksheet") {
    nextHtml = `<p><strong>${next.started ? "Keep going" : "Next up"}:</strong> the <a href="${chapterUrl(next.chapter.slug)}#worksheet-questions">${esc(next.chapter.title)} worksheet</a> (${next.chapter.worksheet.length} questions), in <code>${esc(next.chapter.worksheetPaths?.learner ?? "")}</code>.</p><p>Then: <code>npm run grade -- ${esc(next.chapter.slug)}</code></p>`;
  } else {
    nextHtml = `<p><strong>${next.started ? "Keep going" : "Next up"}:</strong> <a href="${chapterUrl(next.kata.chapter)}#katas-in-this-chapter">${esc(next.kata.title)}</a>, in <code>${esc(next.kata.paths.stub)}</code>.</p><p class="hint">Hint: ${esc(next.kata.hints[0] ?? "")}</p><p>Then: <code>npm run grade -- ${esc(next.kata.id)}</code></p>`;
  }
  const list = chapters
    .map(
      (chapter) =>
        `<li><a class="chapter-title" href="${chapterUrl(chapter.slug)}"><span class="number">${chapter.slug.slice(0, 2)}</span> ${esc(chapter.title)}</a><p>${esc(chapter.summary)}</p><p class="status">${chapterProgress(chapter, progress)}</p></li>`,
    )
    .join("\n");
  return `<h1>${SITE}</h1>
<p class="lead">System design interview prep you run: each chapter goes scope → estimate → design → deep dive, with an estimation worksheet checked in units and katas graded against a reference solution measured in the same run.</p>
<section class="next-up" aria-label="Next up">${nextHtml}</section>
${review ? reviewHtml(review) : ""}
<h2 id="chapters">Chapters</h2>
<ol class="chapters">${list}</ol>
<h2 id="commands">Commands</h2>
<pre><code>npm run grade                  # every chapter: what is done and what is next
npm run grade -- &lt;kata|chapter&gt; # one kata or chapter in detail
npm run review                 # the due worksheet questions and trade-offs, spaced by FSRS
npm run docs -- --serve        # this site, rebuilt as you edit</code></pre>
<p>The progress shown here is what your last <code>npm run grade</code> found.</p>
<h2 id="guides">Guides</h2>
<ul>${guides.map((g) => `<li><a href="${esc(g.url)}">${esc(g.title)}</a></li>`).join("")}</ul>`;
}

export function sourceBody(file: string, text: string): string {
  const language = file.endsWith(".ts") ? "typescript" : "";
  return `<h1 class="source-title"><code>${esc(file)}</code></h1>
<p>Open it in your editor to work on it; this page is a read-only copy from the last build.</p>
<pre class="source"><code class="hljs">${highlight(text, language)}</code></pre>`;
}

function reviewHtml(review: ReviewDue): string {
  const waiting = review.due + review.fresh;
  const later = review.next
    ? ` The next one after those falls due ${esc(review.next.toISOString().slice(0, 16).replace("T", " "))} UTC.`
    : "";
  return `<section class="review" aria-label="Review"><p><strong>Review:</strong> ${
    waiting === 0
      ? "nothing due now."
      : `${review.due} card(s) due and ${review.fresh} new for today, of ${review.total}: <code>npm run review</code>.`
  }${later}</p></section>`;
}
