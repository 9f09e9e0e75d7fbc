// npm run grade starts here. Plain JavaScript, so Node runs it at once: a TypeScript loader (tsx)
// costs about 0.2 s before the grader's first line, on every grade. The CLI is bundled into
// .grade/cli/<hash>/ once per version of the grader's sources (bundle.ts) and a grade imports
// that; the first grade after the grader changes builds it, under tsx. The course's TypeScript a
// grade reads (chapter manifests, reference worksheets) is compiled the same way when it is read
// (manifest/course-module.ts). If the bundle cannot be built, the grade runs from its TypeScript.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cliBuild } from "./builds.mjs";

/** the CLI's build for these sources; undefined if they cannot be read (the grade then runs its TypeScript) */
function builtCli() {
  try {
    return cliBuild(fileURLToPath(new URL("..", import.meta.url)));
  } catch {
    return undefined;
  }
}

const built = builtCli();

if (built === undefined) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/grade.ts");
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { buildBundle } = await import("./bundle.ts");
  if (await buildBundle(fileURLToPath(new URL("../cli/grade.ts", import.meta.url)), built))
    await import(pathToFileURL(built).href);
  else await import("../cli/grade.ts");
}
