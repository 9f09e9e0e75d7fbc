import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { changedLines, MAX_MUTANT_DRIFT, rewritesOf } from "../matrix/drift.ts";

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
  it("reads the reason a mutant is a rewrite", () => {
    expect(rewritesOf("/**\n * @rewrites a heap instead of buckets\n */")).toBe("a heap instead of buckets");
    expect(rewritesOf(reference)).toBeUndefined();
  });
});

describe("this repository's mutants", () => {
  it("has some", () => expect(mutants.length).toBeGreaterThan(0));
  for (const { chapter, file } of mutants) {
    const [kata = "", name = ""] = file.replace(/\.ts$/, "").split(/\.(.+)/);
    it(`${chapter}/${file} is its reference with one mistake`, () => {
      const source = readFileSync(path.join(root, "grader/mutants", chapter, file), "utf8");
      const referenceFile = `solutions/${chapter}/${kata}.ts`;
      expect(source.split("\n")[1], "the header's first line names the reference and the mistake").toBe(
        ` * Mutant of ${referenceFile}: ${name}.`,
      );
      const changed = changedLines(readFileSync(path.join(root, referenceFile), "utf8"), source);
      expect(changed, "a mutant identical to its reference is no mutant").toBeGreaterThan(0);
      const rewrite = rewritesOf(source);
      if (rewrite === undefined && changed > MAX_MUTANT_DRIFT) {
        expect.fail(
          `${changed} lines differ from ${referenceFile} (at most ${MAX_MUTANT_DRIFT}): if the reference changed, ` +
            "make the mistake again in a fresh copy of it; if the mutant is a different design on purpose, say why with @rewrites",
        );
      }
    });
  }
});
