import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECKSUMS_FILE } from "../integrity/checksums.ts";
import { type Kata, loadChapters } from "../manifest/load.ts";
import { pristineWorksheetResult } from "../matrix/record.ts";
import { type Record, readRecord, recordedKata, sha256, specsHash } from "../run/recorded.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const chapters = await loadChapters(repo);
const record = readRecord(repo);

describe("grader/stub-outcomes.json, what an untouched stub reports", () => {
  it("exists, for every kata and worksheet of the course", () => {
    expect(record, "npm run matrix -- --record writes it").toBeDefined();
    expect(Object.keys(record?.katas ?? {}).sort()).toEqual(chapters.flatMap((c) => c.katas.map((k) => k.id)).sort());
    expect(Object.keys(record?.worksheets ?? {}).sort()).toEqual(
      chapters.filter((c) => c.worksheetPaths).map((c) => c.slug),
    );
  });

  it("is for the stubs and specs as committed (the matrix checks what each stub reports)", () => {
    const checksums = JSON.parse(readFileSync(path.join(repo, CHECKSUMS_FILE), "utf8")).files as {
      [file: string]: string;
    };
    for (const kata of chapters.flatMap((c) => c.katas)) {
      const entry = record?.katas[kata.id];
      expect(entry?.stub, `${kata.id}: the stub changed; npm run matrix -- --record`).toBe(
        sha256(readFileSync(path.join(repo, kata.paths.pristine))),
      );
      expect(entry?.specs, `${kata.id}: the specs changed; npm run matrix -- --record`).toBe(
        specsHash(checksums, kata.chapter),
      );
    }
  });

  for (const chapter of chapters.filter((c) => c.worksheetPaths)) {
    it(`holds what the blank ${chapter.slug} worksheet grades to now`, async () => {
      const now = JSON.parse(JSON.stringify(await pristineWorksheetResult(repo, chapter)));
      expect(record?.worksheets[chapter.slug]?.result, "npm run matrix -- --record writes it again").toEqual(now);
    });
  }
});

describe("recordedKata", () => {
  const kata = {
    id: "stack",
    chapter: "01-x",
    file: "stack.ts",
    paths: { stub: "katas/01-x/stack.ts", pristine: "grader/stubs/01-x/stack.ts" },
  } as unknown as Kata;
  const stub = 'import { todo } from "#kit";\nexport const pop = () => todo("pop");\n';
  const checksums = { "grader/specs/01-x/stack.spec.ts": "abc", "grader/spec/index.ts": "def" };
  const outcome = {
    kataId: "stack",
    chapter: "01-x",
    target: "stub",
    tests: [
      {
        name: "pops",
        fullName: "pops",
        state: "failed" as const,
        durationMs: 0,
        errors: [{ name: "NotImplementedError", message: "todo: pop", where: "grader/stubs/01-x/stack.ts:2" }],
        logs: [],
      },
    ],
    loadErrors: [],
    durationMs: 0,
  };
  const entry = { stub: sha256(stub), specs: specsHash(checksums, "01-x"), outcome };
  const made: Record = { version: 1, seed: 1, katas: { stack: entry }, worksheets: {} };
  const project = (learner: string | ((root: string) => void)) => {
    const root = mkdtempSync(path.join(os.tmpdir(), "sdk-recorded-"));
    mkdirSync(path.join(root, "katas/01-x"), { recursive: true });
    mkdirSync(path.join(root, "grader/stubs/01-x"), { recursive: true });
    writeFileSync(path.join(root, "grader/stubs/01-x/stack.ts"), stub);
    if (typeof learner === "string") writeFileSync(path.join(root, "katas/01-x/stack.ts"), learner);
    else learner(root);
    return root;
  };
  const options = { seed: 1, checksums };

  it("gives the recorded outcome of a learner file that is the stub, naming the learner's file", () => {
    const got = recordedKata(project(stub), made, kata, options);
    expect(got?.target).toBe("learner");
    expect(got?.tests[0]?.errors[0]?.where).toBe("katas/01-x/stack.ts:2");
  });

  it("gives none for a changed file, a link, a file that imports from its folder, another seed or changed specs", () => {
    expect(recordedKata(project(`${stub}// mine\n`), made, kata, options)).toBeUndefined();
    const linked = project((root) =>
      symlinkSync(path.join(root, "grader/stubs/01-x/stack.ts"), path.join(root, "katas/01-x/stack.ts")),
    );
    expect(recordedKata(linked, made, kata, options)).toBeUndefined();
    const importing = `import "./helper.ts";\n${stub}`;
    const withImport: Record = { ...made, katas: { stack: { ...entry, stub: sha256(importing) } } };
    expect(recordedKata(project(importing), withImport, kata, options)).toBeUndefined();
    expect(recordedKata(project(stub), made, kata, { ...options, seed: 2 })).toBeUndefined();
    const changedSpecs = { ...checksums, "grader/specs/01-x/stack.spec.ts": "changed" };
    expect(recordedKata(project(stub), made, kata, { seed: 1, checksums: changedSpecs })).toBeUndefined();
    expect(recordedKata(project(stub), undefined, kata, options)).toBeUndefined();
    const missing = project(() => {});
    expect(recordedKata(missing, made, kata, options)).toBeUndefined();
    cpSync(path.join(missing, "grader/stubs/01-x/stack.ts"), path.join(missing, "katas/01-x/stack.ts"));
    expect(recordedKata(missing, made, kata, options)).toBeDefined();
  });
});
