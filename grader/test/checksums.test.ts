import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkChecksums, driftLines, writeChecksums } from "../integrity/checksums.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "sdk-checksums-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("grader/checksums.json", () => {
  it("is current: every spec and spec helper as committed (after a change, run npm run checksums)", () => {
    const drift = checkChecksums(repo);
    expect(drift, "grader/checksums.json exists").toBeDefined();
    expect(driftLines(drift ?? { changed: [], added: [], removed: [] })).toEqual([]);
  });

  it("names a spec that was changed, added or removed", () => {
    const root = path.join(scratch, "project");
    cpSync(path.join(repo, "grader/test/fixtures/project/grader/specs"), path.join(root, "grader/specs"), {
      recursive: true,
    });
    writeChecksums(root);
    writeFileSync(path.join(root, "grader/specs/01-fixture/adder.spec.ts"), "// weakened\n");
    writeFileSync(path.join(root, "grader/specs/01-fixture/extra.spec.ts"), "// new\n");
    rmSync(path.join(root, "grader/specs/01-fixture/stack.spec.ts"));
    expect(driftLines(checkChecksums(root) ?? { changed: [], added: [], removed: [] })).toEqual([
      "grader/specs/01-fixture/adder.spec.ts differs from the committed one",
      "grader/specs/01-fixture/extra.spec.ts is not among the committed files",
      "grader/specs/01-fixture/stack.spec.ts is missing",
    ]);
  });

  it("has nothing to say about a project without a list", () => {
    expect(checkChecksums(scratch)).toBeUndefined();
  });
});
