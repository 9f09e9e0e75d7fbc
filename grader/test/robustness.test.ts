import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResultsSchema } from "../results/schema.ts";
import { ProgressSchema } from "../state/progress.ts";
import { cli, copyOf, type Run } from "./cli-helper.ts";

// the unruly fixture: a kata of every way learner code misbehaves, and two that behave.
// Its chapter gives each kata 3 s and each worker 128 MB.
let overview: Run;
let strict: Run;
let json: ReturnType<typeof ResultsSchema.parse>;
let junit: string;
const scratch = copyOf("unruly", "unruly");
const resultsFile = path.join(scratch, "results.json");
const junitFile = path.join(scratch, "results.xml");

beforeAll(async () => {
  [overview, strict] = await Promise.all([
    // two workers, as a learner's machine has: the two katas that hang are stopped together
    cli("grade", ["--json", resultsFile, "--junit", junitFile], scratch, { SDK_WORKERS: "2" }),
    cli("grade", ["--strict", "fine", "clockwork"], "unruly"),
  ]);
  json = ResultsSchema.parse(JSON.parse(readFileSync(resultsFile, "utf8")));
  junit = readFileSync(junitFile, "utf8");
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const kata = (id: string) => json.katas.find((k) => k.id === id);

describe("a kata that misbehaves is reported for what it did, and the rest are graded", () => {
  it("lists every kata in the overview, and exits 0", () => {
    expect(overview.code).toBe(0);
    const lines = overview.stdout.split("\n");
    const row = (id: string) => lines.find((line) => line.trim().startsWith(`${id} `)) ?? "";
    expect(row("spinner")).toMatch(/⧗ timed out after 3 s/);
    expect(row("waiter")).toMatch(/⧗ timed out after 3 s/);
    expect(row("hog")).toMatch(/! exceeded 128 MB/);
    expect(row("quitter")).toMatch(/! not allowed: uses process/);
    expect(row("thrower")).toMatch(/! did not load/);
    expect(row("copycat")).toMatch(/! uses the reference/);
    expect(row("clockwork")).toMatch(/✓ passing +\d\.\d\d× ref/);
    expect(row("fine")).toMatch(/✓ passing/);
  });

  it("stops a loop that never ends at the kata's time limit, naming the test", () => {
    expect(kata("spinner")).toMatchObject({ status: "timeout", cause: 'timed out after 3 s in test "answers 42"' });
  });

  it("stops a promise that never settles the same way", () => {
    expect(kata("waiter")).toMatchObject({ status: "timeout", cause: 'timed out after 3 s in test "answers 42"' });
  });

  it("reports a heap that outgrows the kata's memory", () => {
    expect(kata("hog")).toMatchObject({ status: "error", cause: 'exceeded 128 MB in test "answers 42"' });
  });

  it("refuses a kata that reaches for the process (to exit, to signal), before it runs", () => {
    expect(kata("quitter")?.status).toBe("error");
    expect(kata("quitter")?.cause).toMatch(/^not allowed: katas\/01-unruly\/quitter\.ts:\d+:\d+ uses process/);
  });

  it("reports a kata that throws while it loads", () => {
    expect(kata("thrower")?.status).toBe("error");
    expect(kata("thrower")?.cause).toContain("not ready yet");
  });

  it("does not count a kata that imports the reference", () => {
    expect(kata("copycat")?.status).toBe("error");
    expect(kata("copycat")?.cause).toBe(
      "uses the reference: katas/01-unruly/copycat.ts imports solutions/01-unruly/copycat.ts; a kata is graded as your own work",
    );
  });

  it("measures a kata that replaces performance.now and tries Date.now and Math.random as if it had not", () => {
    const clockwork = kata("clockwork");
    expect(clockwork?.status).toBe("pass");
    const throughput = clockwork?.metrics[0]?.budgets.find((b) => b.budget === "throughput")?.ratio ?? 0;
    expect(throughput, "same code as the reference: about 1×").toBeGreaterThan(0.3);
    expect(throughput).toBeLessThan(3);
    // the property test still drew its inputs from the run's seed
    expect(clockwork?.tests.find((t) => t.name === "sums any list")?.seed).toBe(1);
  });

  it("exits 1 under --strict only for what is wrong, not for katas that pass", () => {
    expect(strict.code).toBe(0);
  });
});

describe("the results for a classroom", () => {
  it("are a versioned JSON document that the schema accepts", () => {
    expect(json).toMatchObject({ version: 2, tool: "system-design-katas", target: "learner", status: "fail", seed: 1 });
    expect(json.summary.katas).toEqual({ total: 8, pass: 2, fail: 0, error: 4, timeout: 2, skip: 0, todo: 0 });
  });

  it("carry each load test's measurements with the reference's from the same run", () => {
    const metric = kata("clockwork")?.metrics[0];
    expect(metric?.kind).toBe("load");
    expect(metric?.learner.opsPerSec).toBeGreaterThan(0);
    expect(metric?.reference.opsPerSec).toBeGreaterThan(0);
  });

  it("are also JUnit XML, a suite per kata", () => {
    const document = new JSDOM(junit, { contentType: "text/xml" }).window.document;
    expect(document.querySelector("parsererror")).toBeNull();
    const suites = [...document.querySelectorAll("testsuite")].map((s) => s.getAttribute("name"));
    expect(suites).toEqual(expect.arrayContaining(["01-unruly/spinner", "01-unruly/fine"]));
    expect(document.querySelector('testsuite[name="01-unruly/spinner"] error')?.getAttribute("message")).toBe(
      'timed out after 3 s in test "answers 42"',
    );
  });
});

describe("the grader's own state and integrity", () => {
  it("rebuilds a corrupted progress file instead of failing, and says so", async () => {
    const project = copyOf("project", "corrupt");
    const file = path.join(project, ".grade", "progress.json");
    rmSync(path.dirname(file), { recursive: true, force: true });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "{ this is not json");
    const run = await cli("grade", ["adder"], project);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("note: .grade/progress.json: progress.json is not valid JSON; starting afresh");
    expect(ProgressSchema.parse(JSON.parse(readFileSync(file, "utf8"))).katas.adder?.status).toBe("passing");
    rmSync(project, { recursive: true, force: true });
  });

  it("warns about a spec that differs from the committed list, and fails under --strict", async () => {
    const project = copyOf("project", "tampered");
    const { writeChecksums } = await import("../integrity/checksums.ts");
    writeChecksums(project);
    const spec = path.join(project, "grader/specs/01-fixture/adder.spec.ts");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace("expect(learner.add(2, 3)).toBe(5);", "expect(true).toBe(true);"),
    );
    const [warned, failed] = await Promise.all([
      cli("grade", ["adder"], project),
      cli("grade", ["adder", "--strict"], project),
    ]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain("warning: the specs are not the committed ones");
    expect(warned.stdout).toContain("grader/specs/01-fixture/adder.spec.ts differs from the committed one");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("error: the specs are not the committed ones");
    rmSync(project, { recursive: true, force: true });
  });
});
