import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChapters } from "../../../grader/manifest/load.ts";
import { BOOK_URL } from "../book.ts";
import { buildSite } from "../build.ts";
import { PDF_NAME, pdfGraphics, pdfText, printBook } from "../pdf.ts";
import { serveSite } from "../serve.ts";

// Debian's chromium, driven by playwright-core: no browser download
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const out = path.join(repo, "docs", "dist");

let browser: Browser;
let site: ReturnType<typeof serveSite>;
let base: string;
let pages: string[];

beforeAll(async () => {
  const result = await buildSite({ root: repo, out });
  if (result.problems.length > 0)
    throw new Error(
      `the site has problems:\n${result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n")}`,
    );
  pages = result.pages;
  site = serveSite(out, 0);
  base = `http://127.0.0.1:${await site.listening}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** runs `visit` over `names` in `tabs` tabs at once, each tab taking the next name when it is free */
async function inTabs<T>(
  names: string[],
  tabs: number,
  newTab: () => Promise<Page>,
  visit: (tab: Page, name: string) => Promise<T>,
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const queue = [...names];
  await Promise.all(
    Array.from({ length: tabs }, async () => {
      const tab = await newTab();
      for (let name = queue.shift(); name !== undefined; name = queue.shift())
        results.set(name, await visit(tab, name));
      await tab.close();
    }),
  );
  return results;
}

/** opens a page (in a new tab, or the one given) and waits for its diagrams; returns what the console said in error */
async function open(url: string, page?: Page): Promise<{ page: Page; errors: string[] }> {
  const tab = page ?? (await browser.newPage({ viewport: { width: 1280, height: 800 } }));
  const errors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === "error") errors.push(message.text());
  };
  const onError = (error: Error) => errors.push(String(error));
  tab.on("console", onConsole);
  tab.on("pageerror", onError);
  await tab.goto(url);
  await tab.waitForSelector("body[data-diagrams]", { timeout: 20_000 });
  tab.off("console", onConsole);
  tab.off("pageerror", onError);
  return { page: tab, errors };
}

describe("every page", () => {
  it("loads with no console errors, and every mermaid block becomes an SVG", async () => {
    // the book repeats every chapter's diagrams: the PDF's test draws it
    const seen = await inTabs(
      pages.filter((name) => name !== BOOK_URL),
      3,
      () => browser.newPage({ viewport: { width: 1280, height: 800 } }),
      async (tab, name) => {
        const { page, errors } = await open(base + name, tab);
        return {
          errors,
          state: await page.locator("body").getAttribute("data-diagrams"),
          blocks: await page.locator("pre.mermaid").count(),
          drawn: await page.locator("pre.mermaid > svg").count(),
          failed: await page.locator(".diagram-error").count(),
        };
      },
    );
    for (const [name, page] of seen) {
      expect(page.errors, `${name}: console errors`).toEqual([]);
      expect(page.state, name).toBe("done");
      expect(page.drawn, `${name}: diagrams drawn`).toBe(page.blocks);
      expect(page.failed, name).toBe(0);
    }
    const diagrams = [...seen.values()].reduce((sum, page) => sum + page.blocks, 0);
    expect(diagrams, "diagrams across the site").toBeGreaterThanOrEqual(4);
  }, 120_000);

  it("links only to pages and anchors that exist", async () => {
    // links and anchors are in the pages as built (site.js adds none): read without scripts, each
    // page once, so no page spends its time drawing diagrams this test does not look at
    const context = await browser.newContext({ javaScriptEnabled: false });
    const read = async (names: string[]) =>
      inTabs(
        names,
        3,
        () => context.newPage(),
        async (tab, name) => {
          await tab.goto(base + name);
          return {
            ids: new Set(await tab.locator("[id]").evaluateAll((nodes) => nodes.map((n) => n.id))),
            hrefs: await tab.locator("a[href]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("href") ?? "")),
          };
        },
      );
    const seen = await read(pages);
    const dead: string[] = [];
    for (const [name, { hrefs }] of seen)
      for (const href of hrefs) {
        if (/^[a-z]+:/i.test(href)) continue;
        const [file = "", fragment] = href.split("#");
        const target = file === "" ? name : file;
        if (!existsSync(path.join(out, target))) dead.push(`${name}: ${href}`);
        else if (fragment) {
          // a page the site's list does not name, reached by a link
          if (!seen.has(target)) for (const [other, page] of await read([target])) seen.set(other, page);
          if (!seen.get(target)?.ids.has(decodeURIComponent(fragment))) dead.push(`${name}: ${href}`);
        }
      }
    await context.close();
    expect(dead).toEqual([]);
  }, 120_000);
});

describe("reading offline", () => {
  it("works opened from disk, with nothing fetched from the network", async () => {
    const tab = await browser.newPage();
    const fetched: string[] = [];
    await tab.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    const { page, errors } = await open(pathToFileURL(path.join(out, "04-rate-limiting.html")).href, tab);
    expect(fetched).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator("pre.mermaid > svg").count()).toBeGreaterThanOrEqual(4);
    await page.close();
  }, 60_000);
});

describe("reading comfortably", () => {
  it("follows a dark preference, and switches theme on the button", async () => {
    const tab = await browser.newPage({ colorScheme: "dark" });
    const { page } = await open(`${base}04-rate-limiting.html`, tab);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(20, 22, 26)");
    await page.click("button.theme");
    expect(await background()).toBe("rgb(253, 253, 252)");
    await page.waitForSelector("body[data-diagrams]");
    expect(await page.locator("pre.mermaid > svg").count()).toBeGreaterThanOrEqual(4);
    await page.close();
  }, 60_000);

  it("fits a phone: nothing wider than the screen", async () => {
    for (const name of ["index.html", "01-estimation.html", "04-rate-limiting.html"]) {
      const tab = await browser.newPage({ viewport: { width: 375, height: 812 } });
      const { page } = await open(base + name, tab);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name}: px wider than a 375 px screen`).toBe(0);
      await page.close();
    }
  }, 60_000);

  it("takes a screenshot of a chapter at 1280×800, to look at", async () => {
    const { page } = await open(`${base}04-rate-limiting.html#design`);
    mkdirSync(path.join(out, "screenshots"), { recursive: true });
    const file = path.join(out, "screenshots", "04-rate-limiting.png");
    await page.screenshot({ path: file });
    await page.close();
    expect(statSync(file).size).toBeGreaterThan(20_000);
    expect(readdirSync(path.join(out, "screenshots"))).toContain("04-rate-limiting.png");
  }, 60_000);
});

describe("a book to read away from the keyboard (npm run docs -- --pdf)", () => {
  it("prints every chapter from a page of its own, numbered, with the contents' page numbers right and the diagrams as vector graphics", async () => {
    const book = await printBook(out, path.join(out, PDF_NAME));
    const pdf = new Uint8Array(readFileSync(book.file));
    const text = await pdfText(pdf);
    const chapters = await loadChapters(repo);
    expect(book.chapters.length, "chapters in the book").toBe(chapters.length);
    // the contents (page 2) list each chapter with the page it starts on; that page starts with its title
    const contents = (text[1] ?? []).join(" ");
    for (const { title, page } of book.chapters) {
      expect(contents, `the contents list "${title}"`).toContain(title);
      const squash = (s: string) => s.replace(/\s+/g, "");
      expect(squash((text[page - 1] ?? []).join(" ")).startsWith(squash(title)), `page ${page} starts "${title}"`).toBe(
        true,
      );
      expect(contents, `the contents give "${title}" page ${page}`).toMatch(
        new RegExp(`${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+${page}\\b`),
      );
    }
    // every page carries its number in the footer
    text.forEach((page, i) => {
      expect(page.join(" "), `page ${i + 1}'s footer`).toContain(`${i + 1} / ${text.length}`);
    });
    // the diagrams are the site's SVG printed as paths and text: no page holds a raster image, and the
    // page with chapter 08's typeahead diagram draws it with paths
    const graphics = await pdfGraphics(pdf);
    expect(graphics.filter((g) => g.images > 0).length, "pages with raster images").toBe(0);
    const diagramPage = text.findIndex((page) => page.some((line) => line.includes("Trie builder")));
    expect(diagramPage, "a page shows chapter 08's diagram (its label 'Trie builder')").toBeGreaterThan(0);
    expect(graphics[diagramPage]?.paths ?? 0, "path operations on that page").toBeGreaterThan(20);
  }, 180_000);
});
