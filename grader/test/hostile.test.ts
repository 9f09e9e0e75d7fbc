// The battery of hostile learner code: the hostile fixture's katas each attack the grader one way
// (hang it, outgrow it, escape it, forge a pass), and the commands below try to make it lose a
// file. Each must be reported for what it did, within its limit, with nothing lost and no pass.

import { spawnSync } from "node:child_process";
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResultsSchema } from "../results/schema.ts";
import { cli, copyOf, type Run, repo } from "./cli-helper.ts";

const copies: string[] = [];
const hostile = (as: string) => {
  const copy = copyOf("hostile", as);
  copies.push(copy);
  return copy;
};
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

describe("hostile katas, graded together", () => {
  let run: Run;
  let results: ReturnType<typeof ResultsSchema.parse>;
  let battery = "";
  beforeAll(async () => {
    const root = hostile("battery");
    battery = root;
    // four ways to hand in the reference, set up as a learner would
    const reference = (id: string) => path.join(root, `solutions/01-hostile/${id}.ts`);
    const mine = (id: string) => path.join(root, `katas/01-hostile/${id}.ts`);
    for (const id of ["linked", "hardlinked", "copied", "url-importer"]) rmSync(mine(id));
    symlinkSync(reference("linked"), mine("linked"));
    linkSync(reference("hardlinked"), mine("hardlinked"));
    writeFileSync(mine("copied"), readFileSync(reference("copied")));
    writeFileSync(
      mine("url-importer"),
      `export { answer } from ${JSON.stringify(pathToFileURL(reference("url-importer")).href)};\n`,
    );
    const file = path.join(root, "results.json");
    run = await cli("grade", ["--json", file], root, { SDK_WORKERS: "2" });
    if (!existsSync(file))
      throw new Error(`the battery's grade wrote no results (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    results = ResultsSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  }, 240_000);
  const kata = (id: string) => results.katas.find((k) => k.id === id);
  const failures = (id: string) => (kata(id)?.tests ?? []).map((t) => t.message ?? "").join("\n");

  it("keeps only the grader's own modules in the transform cache: never a kata, stub, mutant or spec", () => {
    const cache = path.join(battery, ".grade", "vitest-cache");
    // each cached module ends with Vitest's comment and its metadata, a flattened JSON in base64
    const ids = readdirSync(cache)
      .map((name) => readFileSync(path.join(cache, name), "utf8"))
      .filter((code) => code.includes("\n//# vitestCache="))
      .map((code) => {
        const meta = code.slice(code.lastIndexOf("\n//# vitestCache=") + "\n//# vitestCache=".length);
        const [head, ...values] = JSON.parse(Buffer.from(meta, "base64").toString("utf8")) as [
          { id: string },
          ...string[],
        ];
        return values[Number(head.id) - 1] ?? "";
      });
    expect(ids.length).toBeGreaterThan(5);
    const grader = path.join(repo, "grader");
    const trusted = (id: string) =>
      id.startsWith(`${grader}${path.sep}`) &&
      !["specs", "stubs", "mutants", "test"].some((dir) => id.startsWith(path.join(grader, dir) + path.sep));
    expect(ids.filter((id) => !trusted(id))).toEqual([]);
  });

  it("grades every kata and the worksheet, and no attack passes", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(results.katas.map((k) => k.id).sort()).toEqual(
      [
        "buffer-hog",
        "compiler",
        "copied",
        "fine",
        "forger",
        "hardlinked",
        "linked",
        "patcher",
        "peeker",
        "probe",
        "reader",
        "requirer",
        "runner-killer",
        "shortcut",
        "shouter",
        "spawner",
        "stopper",
        "thenable",
        "top-await",
        "top-loop",
        "url-importer",
      ].sort(),
    );
    const passing = results.katas.filter((k) => k.status === "pass").map((k) => k.id);
    expect(passing.sort()).toEqual(["fine", "probe", "shouter"]);
  });

  it("leaves no process behind: not a worker stuck in a loop, not one whose runner was killed", () => {
    const left = spawnSync("pgrep", ["-f", battery], { encoding: "utf8" }).stdout.trim();
    expect(left, `processes still running with ${battery} in their command line`).toBe("");
  });

  it("stops a loop and a wait at the top of a module at the kata's limit: the clock starts as it loads", () => {
    expect(kata("top-loop")).toMatchObject({ status: "timeout", cause: "timed out after 4 s while loading" });
    expect(kata("top-await")).toMatchObject({ status: "timeout", cause: "timed out after 4 s while loading" });
  });

  it("refuses, before it runs, learner code that names what it may not: the process, the runner, the file system", () => {
    const refused: Record<string, RegExp> = {
      thenable: /exports then/,
      stopper: /uses process/,
      spawner: /imports "node:child_process"/,
      forger: /imports "vitest"/,
      peeker: /uses globalThis/,
      reader: /imports "node:fs"/,
      requirer: /uses require/,
    };
    for (const [id, what] of Object.entries(refused)) {
      expect(kata(id)?.status, id).toBe("error");
      expect(kata(id)?.cause, id).toMatch(new RegExp(`^not allowed: katas/01-hostile/${id}\\.ts:\\d+:\\d+ `));
      expect(kata(id)?.cause, id).toMatch(what);
    }
  });

  it("does not count a kata that is the reference: by a link, a hard link, a copy or a file: URL", () => {
    for (const id of ["linked", "hardlinked", "copied", "url-importer"]) {
      expect(kata(id)?.status, id).toBe("error");
      expect(kata(id)?.cause, id).toMatch(/^uses the reference: /);
    }
  });

  it("names the kata whose run ended the grader's runner, and grades those in flight with it", () => {
    expect(kata("runner-killer")?.status).toBe("error");
    expect(kata("runner-killer")?.cause).toBe(
      "the grader's runner was killed (SIGKILL) in test \"answers 42, and then ends the grader's runner\"",
    );
  });

  it("turns off code compiled from strings, for code that reaches the Function constructor anyway", () => {
    expect(kata("compiler")?.status).toBe("fail");
    expect(failures("compiler")).toMatch(/Code generation from strings disallowed/);
  });

  it("keeps the built-ins frozen: a kata cannot slow Map.prototype.get down for the reference", () => {
    expect(kata("patcher")?.status).toBe("error");
    expect(JSON.stringify(kata("patcher"))).toMatch(/Cannot assign to read only property 'get'/);
  });

  it("counts the whole process against the memory cap, buffers outside the heap included", () => {
    expect(kata("buffer-hog")?.status).toBe("error");
    expect(kata("buffer-hog")?.cause).toMatch(/^exceeded 128 MB: its worker held \d+ MB \(384 MB in all is the limit/);
  });

  it("keeps a little of what a kata prints, so 200 MB of output passes within the kata's time limit", () => {
    // the limit is the supervisor's (4 s here, the machine's load forgiven): a wall-clock bound of
    // our own on top failed beside four busy loops
    expect(kata("shouter")?.status).toBe("pass");
  });

  it("fails a kata whose answers under load differ from the reference's on the same calls", () => {
    expect(kata("shortcut")?.status).toBe("fail");
    expect(failures("shortcut")).toMatch(/answered differently from the reference on the same calls/);
  });

  it("holds the sandbox's own layers, as trusted code inside the worker finds them", () => {
    expect(kata("probe")?.tests.map((t) => [t.name, t.status])).toEqual([
      ["answers 42", "pass"],
      ["cannot start a process", "pass"],
      ["cannot start a thread", "pass"],
      ["cannot read the reference or a mutant", "pass"],
      ["cannot write a spec", "pass"],
      ["cannot compile code from a string", "pass"],
      ["cannot change a built-in", "pass"],
    ]);
  });

  it("grades a worksheet whose answer asks for a 20,000 × 20,000 matrix at once, and the other answers with it", () => {
    const sheet = results.worksheets.find((w) => w.chapter === "01-hostile");
    expect(sheet?.questions.find((q) => q.id === "average-qps")?.status).toBe("correct");
    expect(sheet?.questions.find((q) => q.id === "matrix")).toMatchObject({ status: "invalid" });
    expect(sheet?.questions.find((q) => q.id === "matrix")?.message).toMatch(/is not available in an estimate/);
  });
});

describe.concurrent("worksheets are contained like katas", () => {
  const worksheet = (root: string, text: string) =>
    writeFileSync(path.join(root, "katas/01-hostile/worksheet.ts"), text);

  it("stops a worksheet that loops while it loads, and grades its answers as not loaded", async () => {
    const root = hostile("sheet-loop");
    worksheet(root, 'import { defineWorksheet } from "#kit";\nfor (;;) {}\nexport default defineWorksheet({});\n');
    const run = await cli("grade", ["01-hostile/worksheet", "--strict"], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the worksheet did not finish: timed out after 4 s while loading");
  }, 60_000);

  it("does not let a worksheet's exit end the grade", async () => {
    const root = hostile("sheet-exit");
    worksheet(root, 'import { defineWorksheet } from "#kit";\nprocess.exit(0);\nexport default defineWorksheet({});\n');
    const run = await cli("grade", ["01-hostile/worksheet", "--strict"], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/not allowed: katas\/01-hostile\/worksheet\.ts:2:1 uses process/);
  }, 60_000);

  it("does not let a worksheet hand in the reference's answers", async () => {
    const root = hostile("sheet-copy");
    worksheet(root, 'export { default } from "../../solutions/01-hostile/worksheet.ts";\n');
    const run = await cli("grade", ["01-hostile/worksheet"], root);
    expect(run.stdout).toMatch(
      /uses the reference: katas\/01-hostile\/worksheet\.ts imports solutions\/01-hostile\/worksheet\.ts/,
    );
    expect(run.stdout).not.toMatch(/✓ average-qps/);
  }, 60_000);

  it("says where a worksheet's syntax error is", async () => {
    const root = hostile("sheet-syntax");
    worksheet(
      root,
      'import { defineWorksheet } from "#kit";\nexport default defineWorksheet({ "average-qps": "1 req/s" ',
    );
    const run = await cli("grade", ["01-hostile/worksheet"], root);
    expect(run.stdout).toMatch(/the worksheet did not load at line \d+/);
  }, 60_000);
});

describe("learner code does not reach the reference through its folder", () => {
  it("a chapter folder that is a link to the solutions", async () => {
    const root = hostile("folder-link");
    rmSync(path.join(root, "katas/01-hostile"), { recursive: true });
    symlinkSync(path.join(root, "solutions/01-hostile"), path.join(root, "katas/01-hostile"));
    const file = path.join(root, "results.json");
    await cli("grade", ["fine", "--json", file], root);
    const [fine] = ResultsSchema.parse(JSON.parse(readFileSync(file, "utf8"))).katas;
    expect(fine).toMatchObject({ status: "error", cause: expect.stringMatching(/^uses the reference: /) });
  }, 60_000);
});

describe.concurrent("nothing is lost", () => {
  it("a reset through a link replaces the link and leaves the reference as it was", async () => {
    const root = hostile("reset-link");
    const reference = path.join(root, "solutions/01-hostile/fine.ts");
    const before = readFileSync(reference, "utf8");
    rmSync(path.join(root, "katas/01-hostile/fine.ts"));
    symlinkSync(reference, path.join(root, "katas/01-hostile/fine.ts"));
    const run = await cli("reset", ["fine"], root);
    expect(run.code).toBe(0);
    expect(readFileSync(reference, "utf8")).toBe(before);
    expect(readFileSync(path.join(root, "katas/01-hostile/fine.ts"), "utf8")).toBe(
      readFileSync(path.join(root, "grader/stubs/01-hostile/fine.ts"), "utf8"),
    );
    expect(run.stdout).toContain("it was a link to solutions/01-hostile/fine.ts, which is left as it was");
  });

  it("a reset of a hard link to the reference leaves the reference as it was", async () => {
    const root = hostile("reset-hardlink");
    const reference = path.join(root, "solutions/01-hostile/fine.ts");
    const before = readFileSync(reference, "utf8");
    rmSync(path.join(root, "katas/01-hostile/fine.ts"));
    linkSync(reference, path.join(root, "katas/01-hostile/fine.ts"));
    expect((await cli("reset", ["fine"], root)).code).toBe(0);
    expect(readFileSync(reference, "utf8")).toBe(before);
  });

  it("a reset stops at a chapter folder that links out of katas/", async () => {
    const root = hostile("reset-folder");
    const reference = path.join(root, "solutions/01-hostile/fine.ts");
    const before = readFileSync(reference, "utf8");
    rmSync(path.join(root, "katas/01-hostile"), { recursive: true });
    symlinkSync(path.join(root, "solutions/01-hostile"), path.join(root, "katas/01-hostile"));
    const run = await cli("reset", ["fine"], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("katas/01-hostile is a link to solutions/01-hostile");
    expect(readFileSync(reference, "utf8")).toBe(before);
  });

  it("--json and --junit never replace a kata or a spec: the grade refuses before it starts", async () => {
    const root = hostile("results-onto-kata");
    const kata = path.join(root, "katas/01-hostile/fine.ts");
    const spec = path.join(root, "grader/specs/01-hostile/fine.spec.ts");
    const [before, specBefore] = [readFileSync(kata, "utf8"), readFileSync(spec, "utf8")];
    const json = await cli("grade", ["fine", "--json", kata], root);
    const junit = await cli("grade", ["fine", "--junit", spec], root);
    expect(json.code, `${json.stdout}\n${json.stderr}`).toBe(2);
    expect(json.stderr).toContain("--json");
    expect(json.stderr).toContain("which a results file never replaces");
    expect(junit.code, `${junit.stdout}\n${junit.stderr}`).toBe(2);
    expect(readFileSync(kata, "utf8")).toBe(before);
    expect(readFileSync(spec, "utf8")).toBe(specBefore);
  });

  it("a .grade that is a file is set aside with one line; the report and the results are still written", async () => {
    const root = hostile("grade-file");
    rmSync(path.join(root, ".grade"), { recursive: true, force: true });
    writeFileSync(path.join(root, ".grade"), "mine");
    const file = path.join(root, "results.json");
    const run = await cli("grade", ["fine", "--json", file], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^note: \.grade was not a folder; it is set aside as \.grade\.set-aside-\S+/m);
    expect(run.stderr).not.toMatch(/EEXIST|EISDIR|ENOTDIR|at .*\.ts:\d+/);
    expect(run.stdout).toContain("fine · Behaves");
    expect(ResultsSchema.parse(JSON.parse(readFileSync(file, "utf8"))).status).toBe("pass");
    const aside = readdirSync(root).find((name) => name.startsWith(".grade.set-aside-"));
    expect(readFileSync(path.join(root, aside ?? ""), "utf8")).toBe("mine");
  });

  it("a progress.json that is a folder is set aside the same way, and no temporary file is left", async () => {
    const root = hostile("progress-folder");
    rmSync(path.join(root, ".grade"), { recursive: true, force: true });
    mkdirSync(path.join(root, ".grade/progress.json/inside"), { recursive: true });
    const file = path.join(root, "results.json");
    const run = await cli("grade", ["fine", "--json", file], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/note: \.grade\/progress\.json was not a file; it is set aside/);
    expect(existsSync(file)).toBe(true);
    const state = readdirSync(path.join(root, ".grade"));
    expect(state.filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(root, ".grade/progress.json"), "utf8")).katas.fine.status).toBe("passing");
  });
});
