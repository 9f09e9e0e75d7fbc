import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Vite } from "vitest/node";
import { USES_REFERENCE } from "./cause.ts";
import { parseTargetId, type Target, targetFile } from "./targets.ts";

/** the query a wrapper test file puts on a spec's path to pick its target */
export const TARGET_QUERY = "kata-target";

const graderDir = fileURLToPath(new URL("..", import.meta.url));

function importerTarget(importer: string | undefined): Target | undefined {
  const query = importer?.split("?")[1];
  const id = query ? new URLSearchParams(query).get(TARGET_QUERY) : null;
  return id ? parseTargetId(id) : undefined;
}

/**
 * Resolves the aliases specs use. `#kata/<chapter>/<kata>` goes to the target
 * of the importing spec: the one named by its `?kata-target=` query, else the
 * run's default. `#ref`, `#kit`, `#spec` and `#sim` resolve here too, so a fixture
 * project under another root needs no package.json of its own.
 */
/** learner code may not import a reference or a mutant: the kata must be the learner's own work */
function borrowed(root: string, source: string, importer: string | undefined): string | undefined {
  const from = importer?.split("?")[0];
  if (!from?.startsWith(path.join(root, "katas") + path.sep)) return undefined;
  if (source.startsWith("#ref/")) return source;
  if (!source.startsWith(".")) return undefined;
  const target = path.resolve(path.dirname(from), source);
  const off = [path.join(root, "solutions"), path.join(root, "grader", "mutants")];
  return off.some((dir) => target.startsWith(dir + path.sep)) ? path.relative(root, target) : undefined;
}

export function kataResolver(root: string, fallback: Target): Vite.Plugin {
  return {
    name: "system-design-katas:targets",
    enforce: "pre",
    resolveId(source, importer) {
      const taken = borrowed(root, source, importer);
      if (taken) {
        const learner = path.relative(root, importer?.split("?")[0] ?? "");
        this.error(`${USES_REFERENCE}: ${learner} imports ${taken}; a kata is graded as your own work`);
      }
      if (source === "#kit") return path.join(graderDir, "kit", "index.ts");
      if (source === "#spec") return path.join(graderDir, "spec", "index.ts");
      if (source === "#sim") return path.join(graderDir, "sim", "index.ts");
      const match = /^#(kata|ref)\/([^/]+)\/([^/]+)$/.exec(source);
      if (!match) return null;
      const [, alias, chapter, file] = match as unknown as [string, string, string, string];
      const target = alias === "ref" ? ({ kind: "reference" } as const) : (importerTarget(importer) ?? fallback);
      const resolved = path.join(root, targetFile(chapter, file, target));
      if (!existsSync(resolved)) {
        const file = path.relative(root, resolved);
        const restore =
          target.kind === "learner" ? `: npm run reset -- ${file.replace(/^.*\/|\.ts$/g, "")} restores the stub` : "";
        this.error(`${file} is missing${restore}`);
      }
      return resolved;
    },
  };
}
