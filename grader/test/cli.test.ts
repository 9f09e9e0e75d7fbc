import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** runs one of the grader's commands on a fixture project, as a learner would from a terminal */
async function cli(command: "grade" | "matrix", args: string[], project = "project") {
  const env: NodeJS.ProcessEnv = { ...process.env, SDK_ROOT: fixture(project), NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `grader/cli/${command}.ts`, ...args], {
      cwd: repo,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.concurrent("npm run grade", () => {
  it("prints an overview of every kata and exits 0 whatever their state", async () => {
    const { code, stdout } = await cli("grade", []);
    expect(code).toBe(0);
    expect(stdout).toContain("System Design Katas · your katas · seed 1");
    expect(stdout).toMatch(/01 Fixture chapter {2}worksheet 1\/7 · 1\/4 katas passing/);
    expect(stdout).toMatch(/worksheet +7 questions +◐ 1\/7 right/);
    expect(stdout).toMatch(/adder +Adder +★☆☆ +✓ passing +\d\.\d\d× ref/);
    expect(stdout).toMatch(/counter +Counter +★☆☆ +✗ failing 1\/2/);
    expect(stdout).toMatch(/stack +Stack +★★☆ +○ todo/);
    expect(stdout).toMatch(/broken +Broken at import +★☆☆ +! error/);
    expect(stdout).toContain("Keep going: the Fixture chapter worksheet (7 questions), katas/01-fixture/worksheet.ts");
    expect(stdout).toContain("See the questions and grade your answers: npm run grade -- 01-fixture");
  });

  it("exits 1 under --strict unless every kata passes", async () => {
    expect((await cli("grade", ["--strict"])).code).toBe(1);
    const reference = await cli("grade", ["--strict", "--reference"]);
    expect(reference.code).toBe(0);
    expect(reference.stdout).toContain("reference solutions");
    expect(reference.stdout).toContain("Every kata passes and every worksheet is right.");
  });

  it("shows each kata in detail: passing with a perf table, failing with seed and reproduce command", async () => {
    const { code, stdout } = await cli("grade", ["adder", "counter", "--seed", "7"]);
    expect(code).toBe(1);
    expect(stdout).toContain("✓ 3 passed");
    expect(stdout).toMatch(/✓ {2}throughput +[\d.]+ M ops\/s +[\d.]+ M ops\/s +\d\.\d\d× +≥ 0\.05×/);
    expect(stdout).toContain("passing. Compare with the reference: solutions/01-fixture/adder.ts");
    expect(stdout).toContain("✗ never goes below zero");
    expect(stdout).toContain("PropertyFailure: expected -1 to be greater than or equal to 0");
    expect(stdout).toContain("counterexample after");
    expect(stdout).toContain("your code printed:");
    expect(stdout).toContain("reproduce: npm run grade -- counter --seed 7 -t 'never goes below zero'");
  });

  it("grades a chapter's worksheet: right, off, wrong dimension, unreadable, NaN, negative, blank", async () => {
    const { code, stdout } = await cli("grade", ["01-fixture", "-t", "nothing matches this"]);
    expect(code).toBe(1);
    const worksheet = (await cli("grade", ["01-fixture"])).stdout;
    expect(worksheet).toContain("worksheet · Fixture chapter · 1 of 7 right · 5 wrong · 1 unanswered");
    expect(worksheet).toContain("2,315 req/s: on target (within 10%)");
    expect(worksheet).toContain("23k req/s is 3.31× too high (expected about 6,945 req/s, within 10%)");
    expect(worksheet).toContain("reference: average * factor = 6,945 req/s");
    expect(worksheet).toContain('you gave a rate ("5 req/s" is 5 /s); the question asks for a size, in GB');
    expect(worksheet).toContain('could not read "listeners * * bitrate": Value expected (char 13)');
    expect(worksheet).toContain("your answer is not a number (NaN)");
    expect(worksheet).toContain("-5 GB is negative: a negative size cannot be an estimate");
    expect(worksheet).toContain("How much downtime a year does 99.9% availability allow?");
    expect(worksheet).toContain('no question has the id "peek-qps": a typo in worksheet.ts?');
    // the katas of the chapter are graded all the same
    expect(worksheet).toContain("✓ 3 passed");
    expect(stdout).not.toContain("worksheet ·");
  });

  it("reads a stub as todo, pointing at the learner's line", async () => {
    const { code, stdout } = await cli("grade", ["stack"]);
    expect(code).toBe(1);
    expect(stdout).toContain("○ todo: not implemented yet (Stack.push) at katas/01-fixture/stack.ts:6");
    expect(stdout).toContain("2 test(s) wait on it. Hint 1 of 2: An array has push and pop.");
    expect(stdout).not.toMatch(/at .*node_modules/);
  });

  it("reports a kata that throws at import without stopping the others", async () => {
    const { code, stdout } = await cli("grade", ["broken", "adder"]);
    expect(code).toBe(1);
    expect(stdout).toContain("! did not run");
    expect(stdout).toContain("TypeError: Cannot read properties of undefined (reading 'depth')");
    expect(stdout).toContain("at katas/01-fixture/broken.ts:3");
    expect(stdout).toContain("✓ 3 passed");
  });

  it("runs only the tests named with -t", async () => {
    const { code, stdout } = await cli("grade", ["counter", "-t", "counts up"]);
    expect(code).toBe(0);
    expect(stdout).toContain("✓ 1 passed");
    expect(stdout).toContain("1 skipped");
  });

  it("names what exists for an unknown selector and exits 2", async () => {
    const { code, stderr } = await cli("grade", ["nonesuch"]);
    expect(code).toBe(2);
    expect(stderr).toContain('no kata or chapter "nonesuch"');
    expect(stderr).toContain("Katas: adder, counter, stack, broken");
  });

  it("stops on a malformed manifest with the file, the field and what was expected", async () => {
    const { code, stderr } = await cli("grade", [], "bad-manifest");
    expect(code).toBe(2);
    expect(stderr).toContain("invalid chapter manifest chapters/01-bad/chapter.ts");
    expect(stderr).toContain("katas[0].hints: expected 2 to 4 hints, from a nudge to nearly the answer");
    expect(stderr).not.toContain("    at ");
  });

  it("rejects a seed that is not a whole number", async () => {
    const { code, stderr } = await cli("grade", ["--seed", "abc"]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("expected a whole number, such as --seed 42");
  });
});

describe("npm run matrix", () => {
  it("proves reference, stub and mutants, and fails on a surviving mutant", async () => {
    const { code, stdout } = await cli("matrix", ["stack"]);
    expect(code).toBe(1);
    expect(stdout).toContain("✓  reference           passes 2/2");
    expect(stdout).toContain("✓  stub                todo: not implemented (2/2)");
    expect(stdout).toContain('✓  mutant queue-order  killed by "pops the last item pushed"');
    expect(stdout).toContain("✗  mutant survivor     SURVIVED: all 2 tests passed");
    expect(stdout).toContain("1/2 mutants killed");
  });
});
