import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import lua from "highlight.js/lib/languages/lua";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import MarkdownIt from "markdown-it";
import anchor from "markdown-it-anchor";
import containerPlugin from "markdown-it-container";
import type { EstimateResult } from "../../grader/units/estimates.ts";
import { formatValue } from "../../grader/units/format.ts";
import { displayUnit } from "../../grader/units/script.ts";

for (const [name, language] of Object.entries({ bash, java, javascript, json, lua, python, sql, typescript })) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(["ts"], { languageName: "typescript" });
hljs.registerAliases(["js", "mjs"], { languageName: "javascript" });
hljs.registerAliases(["sh", "shell", "console"], { languageName: "bash" });

/** what rendering one markdown file found, for the build to check and the page to use */
export interface RenderEnv {
  /** the markdown file, relative to the project root */
  file: string;
  /** its estimate blocks, evaluated, in order: the estimate fences render from these */
  estimates: EstimateResult[];
  links: Array<{ href: string; line: number }>;
  diagrams: Array<{ source: string; line: number }>;
  headings: Array<{ level: number; id: string; text: string }>;
  /** turns a link as written into the site's URL; left as written when it returns undefined */
  rewrite: (href: string) => string | undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** GitHub's heading ids, so `README.md#token-bucket` works on GitHub and on the site alike */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function highlight(code: string, language: string): string {
  if (language && hljs.getLanguage(language)) return hljs.highlight(code, { language }).value;
  return escapeHtml(code);
}

function estimateTable(result: EstimateResult | undefined): string {
  if (!result) return "";
  const rows = result.lines.map((line) => {
    const value = line.value === undefined ? "?" : formatValue(line.value, displayUnit(line));
    const stated = line.stated
      ? ` <span class="stated" title="stated in the text as ${escapeHtml(line.stated)}; checked within 1%">✓</span>`
      : "";
    const note = line.comment ? `<td class="note">${escapeHtml(line.comment)}</td>` : "<td></td>";
    return `<tr><th scope="row"><code>${escapeHtml(line.name ?? "")}</code></th><td><code>${escapeHtml(line.expression)}</code></td><td class="value">${escapeHtml(value)}${stated}</td>${note}</tr>`;
  });
  return `<div class="estimate"><table><thead><tr><th>name</th><th>expression</th><th>value</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table></div>\n`;
}

type ContainerRender = (tokens: Array<{ nesting: number; info: string }>, index: number) => string;
// @types/markdown-it-container is written against an older @types/markdown-it: name the shape used here
const container = containerPlugin as unknown as (
  md: MarkdownIt,
  name: string,
  options: { render: ContainerRender },
) => void;

export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

  md.use(anchor, {
    slugify,
    level: [2, 3, 4],
    permalink: anchor.permalink.linkInsideHeader({ symbol: "#", placement: "after", ariaHidden: true }),
    callback: (token, info) => {
      // biome-ignore lint/suspicious/noExplicitAny: markdown-it-anchor's callback has no env; the renderer passes it on the token
      const env = (token as any).__env as RenderEnv | undefined;
      env?.headings.push({ level: Number(token.tag.slice(1)), id: info.slug, text: info.title });
    },
  });

  // ::: tip / ::: warning / ::: hint (a spoiler, closed until opened)
  for (const kind of ["tip", "warning"]) {
    container(md, kind, {
      render: (tokens, index) => {
        const token = tokens[index];
        if (token?.nesting !== 1) return "</aside>\n";
        const title = token.info.trim().slice(kind.length).trim() || (kind === "tip" ? "Tip" : "Warning");
        return `<aside class="callout ${kind}"><p class="callout-title">${escapeHtml(title)}</p>\n`;
      },
    });
  }
  container(md, "hint", {
    render: (tokens, index) => {
      const token = tokens[index];
      if (token?.nesting !== 1) return "</details>\n";
      const title = token.info.trim().slice("hint".length).trim() || "Hint";
      return `<details class="callout hint"><summary>${escapeHtml(title)}</summary>\n`;
    },
  });

  // the heading callback needs the env: hand it over on each heading token
  md.core.ruler.before("anchor", "sdk_env_on_headings", (state) => {
    for (const token of state.tokens) {
      // biome-ignore lint/suspicious/noExplicitAny: see the callback above
      if (token.type === "heading_open") (token as any).__env = state.env;
    }
  });

  // collect every link with the line of its block, and rewrite it to the site's URL
  md.core.ruler.push("sdk_links", (state) => {
    const env = state.env as RenderEnv;
    for (const block of state.tokens) {
      if (block.type !== "inline" || !block.children) continue;
      const line = (block.map?.[0] ?? 0) + 1;
      for (const child of block.children) {
        if (child.type !== "link_open") continue;
        const href = child.attrGet("href") ?? "";
        env.links.push({ href, line });
        const rewritten = env.rewrite(href);
        if (rewritten !== undefined) child.attrSet("href", rewritten);
      }
    }
  });

  // which estimate block of a file comes next; keyed by the render's env, so each render counts afresh
  const estimateIndex = new WeakMap<object, number>();
  md.renderer.rules.fence = (tokens, index, _options, env: RenderEnv) => {
    const token = tokens[index];
    if (!token) return "";
    const language = token.info.trim().split(/\s+/)[0] ?? "";
    const line = (token.map?.[0] ?? 0) + 1;
    if (language === "mermaid") {
      env.diagrams.push({ source: token.content, line });
      return `<pre class="mermaid" data-line="${line}" data-file="${escapeHtml(env.file)}">${escapeHtml(token.content)}</pre>\n`;
    }
    if (language === "estimate") {
      const at = estimateIndex.get(env) ?? 0;
      estimateIndex.set(env, at + 1);
      return estimateTable(env.estimates[at]);
    }
    return `<pre><code class="hljs language-${escapeHtml(language)}">${highlight(token.content, language)}</code></pre>\n`;
  };
  return md;
}
