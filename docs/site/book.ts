// The chapters as one page for printing (book.html): a cover, the contents, and every chapter from
// a new page. `npm run docs -- --pdf` prints it (pdf.ts); the contents' page numbers are filled in
// once the first printing has said where each chapter starts.
import { escapeHtml as esc } from "./markdown.ts";

export interface BookChapter {
  /** the chapter's page on the site: its links from other chapters point here */
  url: string;
  title: string;
  html: string;
  diagrams: boolean;
}

export const BOOK_URL = "book.html";

/** the id of a chapter's section in the book */
export const chapterAnchor = (url: string) => `ch-${url.replace(/\.html$/, "")}`;

export function bookPage(chapters: BookChapter[], site: string, date: string): string {
  const anchors = new Map(chapters.map((c) => [c.url, chapterAnchor(c.url)]));
  // a link to another chapter's page becomes a link to its section (a fragment in it is dropped:
  // heading ids repeat from chapter to chapter in one document)
  const local = (html: string) =>
    html.replace(/href="([0-9][^"#]*\.html)(#[^"]*)?"/g, (whole, url: string) =>
      anchors.has(url) ? `href="#${anchors.get(url)}"` : whole,
    );
  const contents = chapters
    .map(
      (c) =>
        `<li><a href="#${esc(chapterAnchor(c.url))}">${esc(c.title)}</a><span class="page-no" data-chapter="${esc(chapterAnchor(c.url))}">000</span></li>`,
    )
    .join("\n");
  const body = chapters
    .map((c) => `<section class="chapter" id="${esc(chapterAnchor(c.url))}">\n${local(c.html)}\n</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
<title>${esc(site)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/site.css">
</head>
<body class="book">
<section class="cover">
<h1 class="book-title">${esc(site)}</h1>
<p class="book-subtitle">System design interview practice you execute: the chapters, with their estimates worked and their diagrams drawn.</p>
<p class="book-date">Printed ${esc(date)}</p>
</section>
<nav class="book-contents" aria-label="Contents">
<h2 class="contents-title">Contents</h2>
<ol>
${contents}
</ol>
</nav>
<main>
${body}
</main>
${chapters.some((c) => c.diagrams) ? `<script src="assets/mermaid.min.js"></script>\n` : ""}<script src="assets/site.js"></script>
</body>
</html>
`;
}
