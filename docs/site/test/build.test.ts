import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildSite } from "../build.ts";
import { resolveLink, sourceUrl } from "../links.ts";
import { slugify } from "../markdown.ts";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const broken = fileURLToPath(new URL("./fixtures/broken", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "sdk-site-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the site of this repository", () => {
  let result: BuildResult;
  const out = path.join(scratch, "site");
  const page = (name: string) => readFileSync(path.join(out, name), "utf8");
  beforeAll(async () => {
    result = await buildSite({ root: repo, out });
  }, 30_000);

  it("builds with no problems: every diagram parses, every link and anchor resolves, every estimate holds", () => {
    expect(result.problems).toEqual([]);
  });

  it("has an index, a page per chapter and per guide, and the stubs and specs as source pages", () => {
    expect(result.pages).toEqual(
      expect.arrayContaining([
        "index.html",
        "01-estimation.html",
        "04-rate-limiting.html",
        "guide-authoring.html",
        sourceUrl("katas/04-rate-limiting/token-bucket.ts"),
        sourceUrl("grader/specs/04-rate-limiting/token-bucket.spec.ts"),
      ]),
    );
    expect(result.pages.some((p) => p.includes("solutions"))).toBe(false);
  });

  it("renders estimate blocks with their computed values", () => {
    const html = page("01-estimation.html");
    expect(html).toContain('<td class="value">640 Mbit/s');
    expect(html).toContain('<td class="value">1.81 PB');
    expect(html).toContain("checked within 1%");
  });

  it("keeps diagrams as mermaid source for the local bundle, with their file and line", () => {
    const html = page("04-rate-limiting.html");
    expect(html).toMatch(/<pre class="mermaid" data-line="\d+" data-file="chapters\/04-rate-limiting\/README.md">/);
    expect(html).toContain('<script src="assets/mermaid.min.js"></script>');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
  });

  it("lists each chapter's worksheet questions and katas with the commands to grade them", () => {
    const html = page("04-rate-limiting.html");
    expect(html).toContain('id="q-bucket-first-minute"');
    expect(html).toContain("<code>npm run grade -- token-bucket</code>");
    expect(html).toContain('href="#token-bucket"');
  });

  it("draws each design problem's reference behind a spoiler, with its trade-offs and its requirement table", () => {
    const html = page("06-ids-and-url-shortener.html");
    const section = html.slice(html.indexOf("Design: a URL shortener, drawn"));
    expect(section).toContain("Grade your design (<code>npm run grade -- design-url-shortener</code>)");
    const spoiler = section.slice(section.indexOf("<details"), section.indexOf("</details>"));
    expect(spoiler).toContain("flowchart LR");
    expect(spoiler).toMatch(/<strong>cache<\/strong>: 6 × 32 GB holds the 70 GB of hot links/);
    expect(spoiler).toMatch(/<td>✓<\/td>\s*<td>monthly cost within \$120k<\/td>/);
    expect(spoiler).not.toContain("<td>✗</td>");
  });

  it("gives chapter pages a table of contents and previous/next links", () => {
    const html = page("04-rate-limiting.html");
    expect(html).toContain('<nav class="toc" aria-label="On this page">');
    // the chapter before 04 is whichever of 01..03 has been written
    const chapters = readdirSync(path.join(repo, "chapters"))
      .filter((c) => c < "04-rate-limiting")
      .sort();
    expect(html).toContain(`<a class="prev" rel="prev" href="${chapters.at(-1)}.html">`);
  });
});

describe("a chapter with mistakes", () => {
  it("names each one with its file and line instead of rendering a blank box or a dead link", async () => {
    const result = await buildSite({ root: broken, out: path.join(scratch, "broken") });
    const readme = "chapters/01-broken/README.md";
    expect(result.problems.map((p) => `${p.file}:${p.line}`)).toEqual(
      expect.arrayContaining([
        `${readme}:7`,
        `${readme}:7`,
        `${readme}:14`,
        `${readme}:20`,
        "grader/stubs/01-broken/thing.ts:3",
      ]),
    );
    const messages = result.problems.map((p) => p.message).join("\n");
    expect(messages).toContain("dead link: chapters/01-broken/README.md has no heading #no-such-section");
    expect(messages).toContain("dead link ../../katas/01-broken/missing.ts: katas/01-broken/missing.ts does not exist");
    expect(messages).toContain("mermaid cannot parse this diagram");
    expect(messages).toContain("stated 700 req: off by 16.7%");
    expect(messages).toContain("dead link: chapters/01-broken/README.md has no heading #gone-section");
    expect(result.problems).toHaveLength(5);
  });
});

describe("links and headings", () => {
  it("gives headings GitHub's ids", () => {
    expect(slugify("Availability: nines and downtime")).toBe("availability-nines-and-downtime");
    expect(slugify("Deep dive: one limit, many servers")).toBe("deep-dive-one-limit-many-servers");
    expect(slugify("The 80/20 rule done right")).toBe("the-8020-rule-done-right");
  });

  it("resolves a link to a chapter, a repository file, or nothing", () => {
    const pages = new Map([["chapters/04-rate-limiting/README.md", "04-rate-limiting.html"]]);
    const from = "chapters/01-estimation/README.md";
    expect(resolveLink(repo, from, "../04-rate-limiting/README.md#token-bucket", pages)).toMatchObject({
      kind: "page",
      url: "04-rate-limiting.html",
      fragment: "token-bucket",
    });
    expect(resolveLink(repo, from, "../../katas/04-rate-limiting/token-bucket.ts", pages)).toMatchObject({
      kind: "source",
    });
    expect(resolveLink(repo, from, "../../nowhere.md", pages)).toMatchObject({ kind: "dead" });
    expect(resolveLink(repo, from, "https://example.com", pages)).toEqual({ kind: "external" });
  });
});

describe("npm run docs -- --serve", () => {
  it("serves the site, and streams a reload to the page when told", async () => {
    const { serveSite } = await import("../serve.ts");
    const out = path.join(scratch, "served");
    await buildSite({ root: repo, out });
    const site = serveSite(out, 0);
    const base = `http://127.0.0.1:${await site.listening}`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect(await (await fetch(`${base}/04-rate-limiting.html`)).text()).toContain("Token bucket");
    expect((await fetch(`${base}/../package.json`)).status).toBe(404);
    const stream = await fetch(`${base}/__reload`);
    const reader = stream.body?.getReader();
    await reader?.read(); // the greeting
    site.notify();
    const { value } = (await reader?.read()) ?? {};
    expect(new TextDecoder().decode(value)).toBe("data: reload\n\n");
    await reader?.cancel();
    await site.close();
  });

  it("rebuilds when a chapter changes", async () => {
    const { watchAndRebuild } = await import("../serve.ts");
    const { cpSync, appendFileSync } = await import("node:fs");
    const root = path.join(scratch, "watched");
    cpSync(broken, root, { recursive: true });
    let stop = () => {};
    const rebuilt = new Promise<BuildResult>((resolve) => {
      stop = watchAndRebuild(root, () => buildSite({ root, out: path.join(root, "docs", "dist") }), resolve);
    });
    appendFileSync(path.join(root, "chapters/01-broken/README.md"), "\nA new paragraph.\n");
    const result = await rebuilt;
    stop();
    expect(readFileSync(path.join(root, "docs/dist/01-broken.html"), "utf8")).toContain("A new paragraph.");
    expect(result.pages).toContain("01-broken.html");
  });
});
