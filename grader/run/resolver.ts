import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceMapInput } from "@jridgewell/trace-mapping";
import type { Vite, VitestPluginContext } from "vitest/node";
import { applyMutant } from "../matrix/mutant-patch.ts";
import { NOT_ALLOWED, USES_REFERENCE } from "./cause.ts";
import { checkLearnerModule, importProblem } from "./policy.ts";
import { mutantPatchFile, parseTargetId, type Target, targetFile } from "./targets.ts";

/** the policy's word for an import that leads into the solutions or the mutants */
const REACHES_REFERENCE = "imports the reference or a mutant (a kata is graded as your own work)";

/** the query a wrapper test file puts on a spec's path to pick its target */
export const TARGET_QUERY = "kata-target";

const graderDir = fileURLToPath(new URL("..", import.meta.url));

function importerTarget(importer: string | undefined): Target | undefined {
  const query = importer?.split("?")[1];
  const id = query ? new URLSearchParams(query).get(TARGET_QUERY) : null;
  return id ? parseTargetId(id) : undefined;
}

const clean = (id: string) => id.split("?")[0] ?? id;
const inside = (dir: string, file: string) => file.startsWith(dir + path.sep);

/** the grader's own modules: not a spec, a stub, a mutant or a test fixture; none of them imports a kata */
const cacheable = (file: string) =>
  inside(graderDir.replace(/[\\/]$/, ""), file) &&
  !["specs", "mutants", "stubs", "test"].some((dir) => inside(path.join(graderDir, dir), file));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * What learner code must not be: a reference, reached by a link, a hard link
 * or a copy. `off` are the folders of the references (solutions/), whose files
 * are compared with the learner's by inode and by content.
 */
class Originals {
  #inodes?: Map<string, string>;
  #contents?: Map<string, string>;
  constructor(
    private readonly root: string,
    private readonly off: string[],
  ) {}

  #load(): void {
    this.#inodes = new Map();
    this.#contents = new Map();
    for (const dir of this.off) {
      for (const file of files(dir)) {
        const stat = statSync(file);
        this.#inodes.set(`${stat.dev}:${stat.ino}`, file);
        this.#contents.set(readFileSync(file, "utf8"), file);
      }
    }
  }

  /** the reference or mutant this file is, if it is one */
  sameAs(file: string): string | undefined {
    if (!this.#inodes || !this.#contents) this.#load();
    const stat = statSync(file);
    const original = this.#inodes?.get(`${stat.dev}:${stat.ino}`) ?? this.#contents?.get(readFileSync(file, "utf8"));
    return original ? path.relative(this.root, original) : undefined;
  }
}

/**
 * Resolves the aliases specs use. `#kata/<chapter>/<kata>` goes to the target
 * of the importing spec: the one named by its `?kata-target=` query, else the
 * run's default. `#ref`, `#kit`, `#spec` and `#sim` resolve here too, so a fixture
 * project under another root needs no package.json of its own.
 *
 * It also keeps learner code in its lane. A module `#kata` resolves to for any
 * target but the reference (the learner's file, a stub, a mutant), and every
 * file it imports, is learner code: it may import only #kit, files of its own
 * chapter's folder (not through a link out of it) and a few node: modules, and
 * policy.ts checks each such module's code before it runs. A learner file that
 * is the reference, by a link or as a copy, does not load.
 */
export function kataResolver(root: string, fallback: Target, specs?: Record<string, string>): Vite.Plugin[] {
  const realRoot = realpathSync(root);
  const trusted = [path.join(realRoot, "solutions"), path.join(realRoot, "grader", "mutants")];
  // a mutant is a patch, not a module a learner could copy: only the references are compared
  const originals = new Originals(root, [path.join(realRoot, "solutions")]);
  /** learner modules, by resolved id, with the folder they may import from */
  const learner = new Map<string, string>();
  /** mutant modules, by resolved id: the patch each is made from (root-relative) and its reference */
  const mutants = new Map<string, { patch: string; reference: string }>();

  const refuse = (context: { error(message: string): never }, message: string): never => context.error(message);
  const shown = (file: string) => path.relative(root, file);

  /** an import written as a path or a file: URL into the solutions or the mutants */
  const reachesTrusted = (source: string): boolean => {
    let target: string;
    try {
      target = source.startsWith("file:") ? fileURLToPath(source) : source;
    } catch {
      return false;
    }
    const reached = path.isAbsolute(target) && existsSync(target) ? realpathSync(target) : undefined;
    return reached !== undefined && trusted.some((dir) => inside(dir, reached));
  };

  /** a learner file's problem with what it is: a link out of its folder, the reference itself */
  const fileProblem = (file: string, folder: string): string | undefined => {
    const real = realpathSync(file);
    if (lstatSync(file).isSymbolicLink() || !inside(realpathSync(folder), real)) {
      const what = trusted.some((dir) => inside(dir, real)) ? USES_REFERENCE : NOT_ALLOWED;
      return `${what}: ${shown(file)} is a link to ${path.relative(realRoot, real)}; a kata is a file of its own`;
    }
    const same = originals.sameAs(real);
    if (same)
      return `${USES_REFERENCE}: ${shown(file)} is ${same}, linked or copied; a kata is graded as your own work`;
    return undefined;
  };

  const resolver: Vite.Plugin & { configureVitest?: (context: VitestPluginContext) => void } = {
    name: "system-design-katas:targets",
    enforce: "pre",
    // Vitest may keep transformed modules on disk between runs (run-specs.ts): only the grader's
    // own modules, which neither are nor import learner code. A spec's transform resolves #kata,
    // and with it checks the learner's file; learner modules and mutants go through the policy.
    configureVitest(context) {
      context.experimental_defineCacheKeyGenerator(({ id }) => (cacheable(clean(id)) ? "sdk-1" : false));
    },
    async resolveId(source, importer) {
      const from = importer ? clean(importer) : undefined;
      const folder = from ? learner.get(from) : undefined;
      const mutant = from ? mutants.get(from) : undefined;
      if (mutant && source.startsWith(".")) {
        // a mutant is its reference with one mistake: its relative imports are the reference's own
        const resolved = await this.resolve(source, mutant.reference, { skipSelf: true });
        if (resolved && !inside(path.dirname(mutant.reference), clean(resolved.id)))
          refuse(
            this,
            `${NOT_ALLOWED}: ${shown(clean(importer ?? ""))} imports ${source}, outside its chapter's folder`,
          );
        return resolved;
      }
      if (from && folder !== undefined) {
        // an import in learner code
        if (source.startsWith("#ref/") || reachesTrusted(source))
          refuse(this, `${USES_REFERENCE}: ${shown(from)} imports ${source}; a kata is graded as your own work`);
        const problem = importProblem(source);
        if (problem) refuse(this, `${NOT_ALLOWED}: ${shown(from)} ${problem}`);
        if (source === "#kit") return path.join(graderDir, "kit", "index.ts");
        if (!source.startsWith(".")) return null;
        const resolved = await this.resolve(source, importer, { skipSelf: true });
        if (!resolved || resolved.external) return resolved;
        const file = clean(resolved.id);
        const real = existsSync(file) ? realpathSync(file) : file;
        if (trusted.some((dir) => inside(dir, real)))
          refuse(
            this,
            `${USES_REFERENCE}: ${shown(from)} imports ${path.relative(realRoot, real)}; a kata is graded as your own work`,
          );
        if (!inside(folder, file))
          refuse(this, `${NOT_ALLOWED}: ${shown(from)} imports ${shown(file)}, outside its chapter's folder`);
        const problemOfFile = fileProblem(file, folder);
        if (problemOfFile) refuse(this, problemOfFile);
        learner.set(file, folder);
        return resolved;
      }
      if (source === "#kit") return path.join(graderDir, "kit", "index.ts");
      if (source === "#spec") return path.join(graderDir, "spec", "index.ts");
      if (source === "#sim") return path.join(graderDir, "sim", "index.ts");
      const match = /^#(kata|ref)\/([^/]+)\/([^/]+)$/.exec(source);
      if (!match) return null;
      const [, alias, chapter, name] = match as unknown as [string, string, string, string];
      const target = alias === "ref" ? ({ kind: "reference" } as const) : (importerTarget(importer) ?? fallback);
      const resolved = path.join(root, targetFile(chapter, name, target));
      if (target.kind === "mutant") {
        // a mutant is a patch of the reference: its module is made in memory, below
        const patch = mutantPatchFile(path.relative(root, resolved));
        if (!existsSync(path.join(root, patch))) this.error(`${patch} is missing`);
        mutants.set(resolved, { patch, reference: path.join(root, targetFile(chapter, name, { kind: "reference" })) });
        learner.set(resolved, path.dirname(resolved));
        return resolved;
      }
      if (!existsSync(resolved)) {
        const file = path.relative(root, resolved);
        const restore = target.kind === "learner" ? `: npm run reset -- ${name} restores the stub` : "";
        this.error(`${file} is missing${restore}`);
      }
      if (target.kind !== "reference") {
        const folder = path.dirname(resolved);
        if (target.kind === "learner") {
          const problem = fileProblem(resolved, folder);
          if (problem) refuse(this, problem);
        }
        learner.set(resolved, folder);
      }
      return resolved;
    },
  };
  // a plugin of the normal order: its transform sees the module once TypeScript is gone and before
  // Vite rewrites the imports (which the resolver above has checked as they were written)
  const policy: Vite.Plugin = {
    name: "system-design-katas:policy",
    transform(code, id) {
      const file = clean(id);
      if (!learner.has(file)) return null;
      const violations = checkLearnerModule(code, this.getCombinedSourcemap() as SourceMapInput, (source) =>
        reachesTrusted(source) ? REACHES_REFERENCE : importProblem(source),
      );
      if (violations.length === 0) return null;
      // the reference reached by a path is named as such; anything else is not allowed
      const cause = (message: string) => (message === REACHES_REFERENCE ? USES_REFERENCE : NOT_ALLOWED);
      const lines = violations.map((v) => `${cause(v.message)}: ${shown(file)}:${v.line}:${v.column} ${v.message}`);
      return refuse(this, lines.join("\n"));
    },
  };
  // the specs as the grader read them before any learner code ran: a spec that differs now was
  // changed during the run, and its kata is not graded against it. A mutant's module is made here
  // too, from its patch and the reference.
  const expected = new Map(Object.entries(specs ?? {}).map(([file, hash]) => [path.join(root, file), hash]));
  const integrity: Vite.Plugin = {
    name: "system-design-katas:integrity",
    enforce: "pre",
    load(id) {
      const file = clean(id);
      const mutant = mutants.get(file);
      if (mutant !== undefined) {
        try {
          return applyMutant(root, mutant.patch);
        } catch (error) {
          return this.error((error as Error).message);
        }
      }
      const hash = expected.get(file);
      if (hash === undefined) return null;
      const code = readFileSync(file, "utf8");
      if (createHash("sha256").update(code).digest("hex") !== hash)
        this.error(`${shown(file)} changed while grading: the grade uses the specs as they were when it started`);
      return code;
    },
  };
  return [resolver, policy, integrity];
}
