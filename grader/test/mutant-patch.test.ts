import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  applyMutant,
  caughtByOf,
  formatMutantPatch,
  MutantPatchError,
  readMutantPatch,
  rewritesOf,
} from "../matrix/mutant-patch.ts";

const REFERENCE = "solutions/01-x/stack.ts";
const reference = "export class Stack {\n  #items: number[] = [];\n  pop() {\n    return this.#items.pop();\n  }\n}\n";
const mutated = reference.replace("pop();", "shift();");
const preamble = [
  `Mutant of ${REFERENCE}: queue-order.`,
  "",
  "Pops the oldest.",
  "@caughtBy pops the last item pushed",
];

function project(referenceText = reference): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "sdk-patch-"));
  mkdirSync(path.join(root, "solutions/01-x"), { recursive: true });
  mkdirSync(path.join(root, "grader/mutants/01-x"), { recursive: true });
  writeFileSync(path.join(root, REFERENCE), referenceText);
  writeFileSync(
    path.join(root, "grader/mutants/01-x/stack.queue-order.patch"),
    formatMutantPatch(REFERENCE, preamble, reference, mutated),
  );
  return root;
}

describe("a mutant as a patch", () => {
  it("is its header, then a unified diff of the one mistake", () => {
    const text = formatMutantPatch(REFERENCE, preamble, reference, mutated);
    expect(text).toMatch(/^Mutant of solutions\/01-x\/stack\.ts: queue-order\.\n\nPops the oldest\./);
    expect(text).toContain(`--- ${REFERENCE}\n+++ ${REFERENCE}\n@@ `);
    expect(text).toContain("-    return this.#items.pop();\n+    return this.#items.shift();");
    const read = readMutantPatch(text, "x.patch");
    expect(read).toMatchObject({ reference: REFERENCE, name: "queue-order", preamble });
    expect(caughtByOf(read.preamble)).toBe("pops the last item pushed");
  });

  it("applies to its reference", () => {
    expect(applyMutant(project(), "grader/mutants/01-x/stack.queue-order.patch")).toBe(mutated);
  });

  it("names the mutant when its reference changed under it", () => {
    const root = project(reference.replace("return this.#items.pop();", "return this.#items.at(-1);"));
    expect(() => applyMutant(root, "grader/mutants/01-x/stack.queue-order.patch")).toThrow(
      /mutant queue-order \(grader\/mutants\/01-x\/stack\.queue-order\.patch\) no longer applies to solutions\/01-x\/stack\.ts/,
    );
  });

  it("refuses a header that does not say what it is, or a line a diff reader would take for its own", () => {
    expect(() => readMutantPatch("The bug.\n--- a\n+++ a\n", "x.patch")).toThrow(/first line must be/);
    expect(() => readMutantPatch(preamble.join("\n"), "x.patch")).toThrow(MutantPatchError);
    expect(() => formatMutantPatch(REFERENCE, [...preamble, "--- looks like a diff"], reference, mutated)).toThrow(
      /may not look like a diff line/,
    );
  });

  it("reads @caughtBy and @rewrites from a header, with or without JSDoc stars", () => {
    expect(caughtByOf(" * @caughtBy pops undefined when empty")).toBe("pops undefined when empty");
    expect(rewritesOf(["The bug.", "@rewrites a heap instead of buckets"])).toBe("a heap instead of buckets");
    expect(rewritesOf(preamble)).toBeUndefined();
    expect(caughtByOf(["The bug."])).toBeUndefined();
  });
});
