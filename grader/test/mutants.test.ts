import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { changedLines, MAX_MUTANT_DRIFT } from "../matrix/drift.ts";
import { applyMutant, readMutantPatch, rewritesOf } from "../matrix/mutant-patch.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mutants = readdirSync(path.join(root, "grader/mutants")).flatMap((chapter) =>
  readdirSync(path.join(root, "grader/mutants", chapter)).map((file) => ({ chapter, file })),
);

describe("changedLines", () => {
  const reference = "/**\n * the reference\n */\nexport function f(x: number) {\n  return x + 1;\n}\n";
  it("counts the code a mutant changes, not its header, blank lines or comments", () => {
    const mutant =
      "/**\n * a mutant\n * @caughtBy something\n */\nexport function f(x: number) {\n  // off by one\n\n  return x + 2;\n}\n";
    expect(changedLines(reference, mutant)).toBe(2);
  });
});

describe("this repository's mutants", () => {
  it("has some, and nothing but patches", () => {
    expect(mutants.length).toBeGreaterThan(0);
    expect(mutants.filter(({ file }) => !file.endsWith(".patch")).map(({ file }) => file)).toEqual([]);
  });
  for (const { chapter, file } of mutants.filter((m) => m.file.endsWith(".patch"))) {
    const [kata = "", name = ""] = file.replace(/\.patch$/, "").split(/\.(.+)/);
    const patchFile = `grader/mutants/${chapter}/${file}`;
    it(`${patchFile} applies to its reference and makes one mistake`, () => {
      const mutant = readMutantPatch(readFileSync(path.join(root, patchFile), "utf8"), patchFile);
      const referenceFile = `solutions/${chapter}/${kata}.ts`;
      expect(mutant.preamble[0], "the header's first line names the reference and the mistake").toBe(
        `Mutant of ${referenceFile}: ${name}.`,
      );
      // throws, naming the mutant, when the reference changed where the mistake is
      const code = applyMutant(root, patchFile);
      const changed = changedLines(readFileSync(path.join(root, referenceFile), "utf8"), code);
      expect(changed, "a mutant that changes no code is no mutant").toBeGreaterThan(0);
      if (rewritesOf(mutant.preamble) === undefined && changed > MAX_MUTANT_DRIFT) {
        expect.fail(
          `${changed} lines differ from ${referenceFile} (at most ${MAX_MUTANT_DRIFT}): if the mutant is a different design on purpose, say why with @rewrites`,
        );
      }
    });
  }
});
