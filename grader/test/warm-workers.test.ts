import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliBuild } from "../launch/builds.mjs";
import { cli, copyOf, repo } from "./cli-helper.ts";

const root = copyOf("project", "warm-workers");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** the learner's stack, changed: a grade of it runs (the record answers only for an untouched stub) */
function changeStack(mark: string): void {
  const file = path.join(root, "katas/01-fixture/stack.ts");
  writeFileSync(file, `// ${mark}\n${readFileSync(path.join(root, "solutions/01-fixture/stack.ts"), "utf8")}`);
}

describe("a grade's Vitest workers, forked before the run asks for them", () => {
  it("are taken by the run: its one spec file runs in a worker forked ahead, none on demand", async () => {
    // the first grade teaches the runner how Vitest starts a worker, if no grade has yet
    changeStack("first");
    await cli("grade", ["stack", "--verbose"], root);
    changeStack("second");
    const second = await cli("grade", ["stack", "--verbose"], root);
    expect(second.stdout, second.stderr).toContain("passing. Compare with the reference");
    // the behaviour pass takes the worker forked ahead; the load pass (if any) forks its own
    expect(second.stderr).toMatch(/runner: 1 worker\(s\) forked ahead, 0 forked on demand/);
  }, 60_000);

  it("do not change a grade: the same verdicts as a run whose workers Vitest forked itself", async () => {
    changeStack("third");
    const ahead = await cli("grade", ["stack", "--json", path.join(root, ".grade/ahead.json")], root);
    // --ui never forks ahead; -t and --fresh do: compare with a run whose runner was started cold
    const cold = await cli("grade", ["stack", "--json", path.join(root, ".grade/cold.json")], root, {
      SDK_WORKERS_AHEAD: "0",
    });
    const verdicts = (file: string) =>
      (
        JSON.parse(readFileSync(path.join(root, ".grade", file), "utf8")) as { katas: Array<{ tests: unknown[] }> }
      ).katas
        .flatMap((k) => k.tests)
        .map((t) => {
          const { durationMs: _, metrics: __, ...rest } = t as Record<string, unknown>;
          return rest;
        });
    expect(ahead.code).toBe(cold.code);
    expect(verdicts("ahead.json")).toEqual(verdicts("cold.json"));
  }, 60_000);

  it("are not taken by a run that asks for other flags: a kata with its own memory limit gets a worker forked for it", async () => {
    const manifest = path.join(root, "chapters/01-fixture/chapter.ts");
    const before = readFileSync(manifest, "utf8");
    try {
      // the runner forks ahead at the default heap; this kata's workers are started with 256 MB
      writeFileSync(
        manifest,
        before.replace('file: "stack.ts",', 'file: "stack.ts",\n      limits: { memoryMb: 256 },'),
      );
      changeStack("own limit");
      const run = await cli("grade", ["stack", "--verbose"], root);
      expect(run.stdout, run.stderr).toContain("passing. Compare with the reference");
      expect(run.stderr).toMatch(/runner: 0 worker\(s\) forked ahead, 1 forked on demand/);
    } finally {
      writeFileSync(manifest, before);
    }
  }, 60_000);
});

describe("npm run grade's launcher", () => {
  it("runs the CLI's build, made from the grader's sources and named by their hash", () => {
    const built = cliBuild(path.join(repo, "grader"));
    expect(existsSync(built), built).toBe(true);
    expect(readFileSync(built, "utf8")).toMatch(/^\/\/ built by grader\/launch\/bundle\.ts/);
  });

  it("reads a chapter manifest anew once it changes: its compiled copy is named by its folder's contents", async () => {
    const manifest = path.join(root, "chapters/01-fixture/chapter.ts");
    const before = readFileSync(manifest, "utf8");
    try {
      expect((await cli("grade", ["01-fixture"], root)).stdout).toContain("Fixture chapter");
      writeFileSync(manifest, before.replace('title: "Fixture chapter"', 'title: "Renamed fixture chapter"'));
      expect((await cli("grade", ["01-fixture"], root)).stdout).toContain("Renamed fixture chapter");
    } finally {
      writeFileSync(manifest, before);
    }
  }, 60_000);
});
