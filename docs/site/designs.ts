// The design problems of a chapter, drawn for its page: the learner's design as last graded (the
// grade draws it in its worker and keeps it in .grade/designs/), and the reference's behind a
// spoiler. Markdown appended to the chapter's README before it is rendered, so the diagrams go
// through the same checks as every other.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { designDiagram } from "../../grader/design/diagram.ts";
import { evaluateDesign } from "../../grader/design/evaluate.ts";
import type { Design } from "../../grader/kit/design.ts";
import { importCourseModule } from "../../grader/manifest/course-module.ts";
import type { Chapter } from "../../grader/manifest/load.ts";

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
        ":::",
        "",
      ].join("\n"),
    );
  }
  return sections.length > 0 ? `\n\n${sections.join("\n")}` : "";
}
