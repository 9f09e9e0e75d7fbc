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
});

describe("npm run grade's launcher", () => {
  it("runs the CLI's build, made from the grader's sources and named by their hash", () => {
    const built = cliBuild(path.join(repo, "grader"));
    expect(existsSync(built), built).toBe(true);
    expect(readFileSync(built, "utf8")).toMatch(/^\/\/ built by grader\/launch\/bundle\.ts/);
  });
});
