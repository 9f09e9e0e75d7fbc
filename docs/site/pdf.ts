// npm run docs -- --pdf: the site's book (book.html: every chapter, each from a new page) printed
// to a PDF by Debian's chromium through playwright-core, with the diagrams drawn (vector, as the
// site's SVG), page numbers in the footer, the headings as the PDF's outline, and a contents page
// whose page numbers come from a first printing: pdfjs reads where each chapter starts, the
// numbers are filled in, and the book is printed again (the contents keep their length).
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { BOOK_URL } from "./book.ts";
import { serveSite } from "./serve.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];
export const PDF_NAME = "system-design-katas.pdf";

export interface PrintedBook {
  file: string;
  pages: number;
  /** each chapter's title and the page it starts on (1-based) */
  chapters: { title: string; page: number }[];
}

const FOOTER = `<div style="font-size:8px;width:100%;text-align:center;color:#59636e;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`;

/** prints docs/dist/book.html (built by buildSite) to `file` */
export async function printBook(out: string, file: string): Promise<PrintedBook> {
  const site = serveSite(out, 0);
  const base = `http://127.0.0.1:${await site.listening}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ colorScheme: "light", viewport: { width: 1100, height: 1400 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(base + BOOK_URL);
    await page.waitForSelector("body[data-diagrams]", { timeout: 120_000 });
    const broken = await page.$$eval(".diagram-error", (nodes) => nodes.map((n) => n.textContent ?? ""));
    if (broken.length || errors.length)
      throw new Error(`the book's diagrams did not all render:\n${[...broken, ...errors].join("\n")}`);
    await page.emulateMedia({ media: "print", colorScheme: "light" });
    const titles = await page.$$eval("section.chapter", (sections) =>
      sections.map((s) => ({ id: s.id, title: s.querySelector("h1")?.textContent?.trim() ?? s.id })),
    );
    const print = () =>
      page.pdf({
        format: "A4",
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: "<span></span>",
        footerTemplate: FOOTER,
        margin: { top: "16mm", bottom: "18mm", left: "15mm", right: "15mm" },
        outline: true,
        tagged: true,
      });
    const first = await print();
    const starts = await chapterStarts(
      first,
      titles.map((t) => t.title),
    );
    await page.$$eval(
      ".page-no",
      (spans, numbers) => {
        for (const span of spans) span.textContent = String(numbers[(span as HTMLElement).dataset.chapter ?? ""] ?? "");
      },
      Object.fromEntries(titles.map((t, i) => [t.id, starts[i] ?? 0])),
    );
    const book = await print();
    writeFileSync(file, book);
    const pages = (await pdfText(book)).length;
    return { file, pages, chapters: titles.map((t, i) => ({ title: t.title, page: starts[i] ?? 0 })) };
  } finally {
    await browser.close();
    await site.close();
  }
}

/** each page's text, in order, as pdfjs reads it */
export async function pdfText(pdf: Uint8Array): Promise<string[][]> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages: string[][] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str.trim() : "")).filter((text) => text.length > 0));
  }
  await document.destroy();
  return pages;
}

/**
 * The page (1-based) each chapter starts on: a chapter starts on a new page with its title first,
 * after the pages before it; the contents list the titles too, but never first on a page
 */
export async function chapterStarts(pdf: Uint8Array, titles: string[]): Promise<number[]> {
  const pages = await pdfText(pdf);
  const starts: number[] = [];
  let from = 0;
  for (const title of titles) {
    const index = pages.findIndex((text, i) => i >= from && startsWith(text, title));
    if (index < 0) throw new Error(`the printed book has no page starting with the chapter "${title}"`);
    starts.push(index + 1);
    from = index + 1;
  }
  return starts;
}

/** the page's text begins with `title` (pdfjs may split a line into several items) */
const startsWith = (text: string[], title: string) => {
  const squash = (s: string) => s.replace(/\s+/g, "");
  return squash(text.join(" ")).startsWith(squash(title));
};

/** per page, the path-drawing operations and the raster images pdfjs finds: what a vector diagram is made of */
export async function pdfGraphics(pdf: Uint8Array): Promise<{ paths: number; images: number }[]> {
  const { getDocument, OPS } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const images = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);
  const pages: { paths: number; images: number }[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const { fnArray } = await (await document.getPage(n)).getOperatorList();
    pages.push({
      paths: fnArray.filter((op) => op === OPS.constructPath).length,
      images: fnArray.filter((op) => images.has(op)).length,
    });
  }
  await document.destroy();
  return pages;
}
