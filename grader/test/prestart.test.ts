import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesLikelyRun, likelyRuns } from "../run/prestart.ts";

const stub = 'import { todo } from "#kit";\nexport const pop = () => todo("pop");\n';
const sheet = 'import { defineWorksheet } from "#kit";\nexport default defineWorksheet({ "a": "" });\n';
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** a project whose katas are all their stubs, with the record that says so */
function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "sdk-prestart-"));
  mkdirSync(path.join(root, "katas/01-x"), { recursive: true });
  mkdirSync(path.join(root, "grader"), { recursive: true });
  writeFileSync(path.join(root, "katas/01-x/stack.ts"), stub);
  writeFileSync(path.join(root, "katas/01-x/worksheet.ts"), sheet);
  writeFileSync(
    path.join(root, "grader/stub-outcomes.json"),
    JSON.stringify({
      version: 1,
      seed: 1,
      katas: { stack: { stub: sha(stub), specs: "", outcome: { chapter: "01-x" } } },
      worksheets: { "01-x": { stub: sha(sheet), inputs: "", result: {} } },
    }),
  );
  return root;
}

describe("likelyRuns: whether a grade will start a runner, guessed before the grader loads", () => {
  it("says no for untouched stubs and a blank worksheet, by kata, chapter or overview", () => {
    const root = project();
    expect(likelyRuns(root, [])).toBe(false);
    expect(likelyRuns(root, ["stack"])).toBe(false);
    expect(likelyRuns(root, ["01-x", "--json", "out.json"])).toBe(false);
    expect(likelyRuns(root, ["--ui"])).toBe(false);
  });

  it("says yes for a changed kata or worksheet, or flags that always run", () => {
    const root = project();
    expect(likelyRuns(root, ["stack", "--fresh"])).toBe(true);
    expect(likelyRuns(root, ["stack", "--seed", "5"])).toBe(true);
    expect(likelyRuns(root, ["stack", "-t", "pops"])).toBe(true);
    writeFileSync(path.join(root, "katas/01-x/worksheet.ts"), sheet.replace('""', '"3 req"'));
    expect(likelyRuns(root, ["01-x"])).toBe(true);
    expect(likelyRuns(root, ["stack"])).toBe(false);
    writeFileSync(path.join(root, "katas/01-x/stack.ts"), `${stub}// mine\n`);
    expect(likelyRuns(root, ["stack"])).toBe(true);
  });

  it("says yes when the record cannot answer: no record, a selector it does not know, a new chapter", () => {
    const root = project();
    expect(likelyRuns(root, ["queue"])).toBe(true);
    mkdirSync(path.join(root, "katas/02-new"));
    expect(likelyRuns(root, [])).toBe(true);
    expect(likelyRuns(mkdtempSync(path.join(os.tmpdir(), "sdk-prestart-")), [])).toBe(true);
  });

  it("counts the spec files a run will have, up to what a run's workers take: Vitest workers are forked for them", () => {
    const root = project();
    expect(filesLikelyRun(root, ["stack"])).toBe(0);
    writeFileSync(path.join(root, "katas/01-x/stack.ts"), `${stub}// mine\n`);
    expect(filesLikelyRun(root, ["stack"])).toBe(1);
    writeFileSync(path.join(root, "katas/01-x/worksheet.ts"), sheet.replace('""', '"3 req"'));
    expect(filesLikelyRun(root, [])).toBe(2);
    expect(filesLikelyRun(root, [], 5)).toBe(2);
    expect(filesLikelyRun(root, ["stack", "--fresh"])).toBe(2);
  });
});
