// The chapter's figures, read from chapters/01-estimation/README.md's latency table, so the
// measured table and the chapter can never disagree about what is "typical".
import { readFileSync } from "node:fs";
import path from "node:path";
import { evaluate, valueIn } from "../units/engine.ts";

export const CHAPTER = "chapters/01-estimation/README.md";

/** each row of the chapter's latency table: its operation and its figure in ns */
export function chapterLatencies(root: string): Map<string, number> {
  const text = readFileSync(path.join(root, CHAPTER), "utf8");
  const section = text.slice(text.indexOf("### Latency"));
  const rows = new Map<string, number>();
  for (const line of section.split("\n").slice(1)) {
    if (line.startsWith("#")) break;
    const cells = /^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|$/.exec(line);
    if (!cells?.[1] || !cells[2] || /^-+$/.test(cells[2]) || cells[2] === "About") continue;
    const ns = valueIn(evaluate(cells[2].replace("µs", "us")), "ns");
    if (Number.isFinite(ns)) rows.set(cells[1], ns);
  }
  return rows;
}
