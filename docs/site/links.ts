import { existsSync } from "node:fs";
import path from "node:path";

/** where a page of the site comes from, and the name it has in docs/dist (every page sits at the top) */
export interface PageSource {
  /** relative to the project root: chapters/04-rate-limiting/README.md, docs/authoring.md, katas/... */
  file: string;
  url: string;
}

export function chapterUrl(slug: string): string {
  return `${slug}.html`;
}

export function guideUrl(file: string): string {
  return `guide-${path.basename(file, ".md")}.html`;
}

/** a repository file shown as a page of its own: katas/04-rate-limiting/token-bucket.ts → source-katas-04-rate-limiting-token-bucket.ts.html */
export function sourceUrl(file: string): string {
  return `source-${file.replace(/[/\\]/g, "-")}.html`;
}

export type Resolved =
  | { kind: "external" }
  | { kind: "page"; url: string; fragment: string; file: string }
  | { kind: "source"; url: string; file: string }
  | { kind: "dead"; reason: string };

/**
 * What a link in a markdown file points at: another page of the site (with a
 * fragment to check once every page is rendered), a repository file to show as
 * a source page, or nothing (a dead link).
 */
export function resolveLink(root: string, from: string, href: string, pages: Map<string, string>): Resolved {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return { kind: "external" };
  const [target = "", fragment = ""] = href.split("#", 2);
  if (target === "") {
    const url = pages.get(from);
    return url
      ? { kind: "page", url, fragment, file: from }
      : { kind: "dead", reason: `${from} is not a page of the site` };
  }
  const file = path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURIComponent(target)));
  if (file.startsWith("..")) return { kind: "dead", reason: `${href} points outside the project` };
  const page = pages.get(file);
  if (page) return { kind: "page", url: page, fragment, file };
  // a learner's kata file that is gone still has its pristine stub to show
  const pristine = file.replace(/^katas\//, "grader/stubs/");
  if (!existsSync(path.join(root, file)) && !existsSync(path.join(root, pristine))) {
    return { kind: "dead", reason: `${file} does not exist` };
  }
  if (fragment) return { kind: "dead", reason: `${file} is shown as source: it has no #${fragment}` };
  return { kind: "source", url: sourceUrl(file), file };
}
