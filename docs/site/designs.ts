// The design problems of a chapter, drawn for its page: the learner's design as last graded (the
// grade draws it in its worker and keeps it in .grade/designs/), and the reference's behind a
// spoiler. Markdown appended to the chapter's README before it is rendered, so the diagrams go
// through the same checks as every other.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { designDiagram } from "../../grader/design/diagram.ts";
import { evaluateDesign } from "../../grader/design/evaluate.ts";
import { findingsOf, type Review, reviewDesign } from "../../grader/design/review.ts";
import type { Design } from "../../grader/kit/design.ts";
import { importCourseModule } from "../../grader/manifest/course-module.ts";
import type { Chapter } from "../../grader/manifest/load.ts";

/**
 * The reference's written trade-offs: the comment above each component and flow, which says why it
 * is as it is (authoring.md asks every reference for one), as a list under the diagram.
 */
export function tradeOffs(source: string): string[] {
  const lines = source.split("\n");
  const notes: string[] = [];
  let comment: string[] = [];
  for (const line of lines) {
    const text = /^\s+\/\/\s?(.*)$/.exec(line);
    if (text) {
      comment.push(text[1] ?? "");
      continue;
    }
    const key = /^\s+([a-z][a-z0-9-]*|"[a-z][a-z0-9-]*"|flows):/.exec(line);
    if (key && comment.length > 0) notes.push(`- **${(key[1] ?? "").replace(/"/g, "")}**: ${comment.join(" ")}`);
    comment = [];
  }
  return notes.length > 0 ? ["Why each part is as it is, in the reference's own words:", "", ...notes, ""] : [];
}

/** the reference's requirement table: every requirement with its number */
function requirementTable(review: Review): string[] {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "The reference against the problem's requirements:",
    "",
    "| | requirement | the reference |",
    "|---|---|---|",
    ...review.rows.map((row) => `| ${row.holds ? "✓" : "✗"} | ${cell(row.requirement)} | ${cell(row.figure)} |`),
    "",
  ];
}

const fence = (diagram: string) => `\`\`\`mermaid\n${diagram.trim()}\n\`\`\``;

/** markdown for the chapter's design problems, or "" when it has none */
export async function designSections(root: string, chapter: Chapter): Promise<string> {
  const sections: string[] = [];
  for (const kata of chapter.katas) {
    if (!kata.design) continue;
    const reference = (await importCourseModule(path.join(root, kata.paths.reference))) as { design?: () => Design };
    const evaluation = reference.design ? evaluateDesign(reference.design(), kata.design) : undefined;
    const yours = path.join(root, ".grade", "designs", `${kata.id}.mmd`);
    sections.push(
      [
        `## ${kata.title}, drawn`,
        "",
        existsSync(yours)
          ? `Your design as last graded, each component with how full it runs at peak:\n\n${fence(readFileSync(yours, "utf8"))}`
          : `Grade your design (\`npm run grade -- ${kata.id}\`) and it is drawn here, beside the reference's.`,
        "",
        "::: hint The reference design (a spoiler: open it once yours is graded)",
        evaluation ? fence(designDiagram(evaluation.design, evaluation)) : "The reference has no design() to draw.",
        "",
        ...tradeOffs(readFileSync(path.join(root, kata.paths.reference), "utf8")),
        ...(evaluation ? requirementTable(reviewDesign(findingsOf(evaluation, kata.design), kata.design)) : []),
        ":::",
        "",
      ].join("\n"),
    );
  }
  return sections.length > 0 ? `\n\n${sections.join("\n")}` : "";
}
