import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, copyOf, type Run } from "./cli-helper.ts";

// each command runs once; the tests below read what it printed
const runs: Record<string, Run> = {};
beforeAll(async () => {
  const commands: Record<string, [command: "grade" | "matrix", args: string[], project?: string]> = {
    overview: ["grade", []],
    strict: ["grade", ["--strict"]],
    reference: ["grade", ["--strict", "--reference"]],
    chapter: ["grade", ["01-fixture", "--seed", "7"]],
    filtered: ["grade", ["counter", "-t", "counts up"]],
    matrix: ["matrix", ["stack"]],
    unknown: ["grade", ["nonesuch"]],
    badManifest: ["grade", [], "bad-manifest"],
    badSeed: ["grade", ["--seed", "abc"]],
    recorded: ["grade", ["stack"]],
    fresh: ["grade", ["stack", "--fresh"]],
  };
  const entries = Object.entries(commands);
  // two at a time: each starts a Vitest of its own
  for (let i = 0; i < entries.length; i += 2) {
    await Promise.all(
      entries.slice(i, i + 2).map(async ([name, [command, args, project]]) => {
        runs[name] = await cli(command, args, project);
      }),
    );
  }
}, 120_000);

const output = (name: string): Run => {
  const result = runs[name];
  if (!result) throw new Error(`no run named ${name}`);
  return result;
};

describe("an untouched stub", () => {
  it("reads from grader/stub-outcomes.json just as it reads when it runs (--fresh)", () => {
    const timeless = (text: string) => text.replace(/graded (.*) in \d+\.\d s/, "graded $1");
    const recorded = output("recorded");
    const fresh = output("fresh");
    expect(recorded.stdout).toContain("○ todo");
    expect(timeless(recorded.stdout)).toBe(timeless(fresh.stdout));
    expect(recorded.code).toBe(fresh.code);
  });

  it("is reported from the record, not run, and run with --fresh", async () => {
    // a record that says something no run would: what the grade shows is where it came from
    const root = copyOf("project", "recorded");
    try {
      const file = path.join(root, "grader/stub-outcomes.json");
      writeFileSync(file, readFileSync(file, "utf8").replaceAll("todo: not implemented yet (", "todo, as recorded ("));
      expect((await cli("grade", ["stack"], root)).stdout).toContain("todo, as recorded (");
      expect((await cli("grade", ["stack", "--fresh"], root)).stdout).not.toContain("as recorded");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("npm run grade, the overview", () => {
  it("shows every chapter's worksheet and katas, and exits 0 whatever their state", () => {
    const { code, stdout } = output("overview");
    expect(code).toBe(0);
    expect(stdout).toContain("System Design Katas · your katas · seed 1");
    expect(stdout).toMatch(/01 Fixture chapter {2}worksheet 1\/7 · 1\/4 katas passing/);
    expect(stdout).toMatch(/worksheet +7 questions +◐ 1\/7 right/);
    expect(stdout).toMatch(/adder +Adder +★☆☆ +✓ passing +\d\.\d\d× ref/);
    expect(stdout).toMatch(/counter +Counter +★☆☆ +✗ failing 1\/2/);
    expect(stdout).toMatch(/stack +Stack +★★☆ +○ todo/);
    expect(stdout).toMatch(/broken +Broken at import +★☆☆ +! did not load/);
  });

  it("says what is next: the unfinished worksheet comes before the katas", () => {
    const { stdout } = output("overview");
    expect(stdout).toContain("Keep going: the Fixture chapter worksheet (7 questions), katas/01-fixture/worksheet.ts");
    expect(stdout).toContain("See the questions and grade your answers: npm run grade -- 01-fixture");
  });

  it("exits 1 under --strict unless everything passes; the references do", () => {
    expect(output("strict").code).toBe(1);
    const { code, stdout } = output("reference");
    expect(code).toBe(0);
    expect(stdout).toContain("reference solutions");
    expect(stdout).toContain("Every kata passes and every worksheet is right.");
  });
});

describe("npm run grade, a chapter", () => {
  it("exits 1 when anything in it fails", () => {
    expect(output("chapter").code).toBe(1);
  });

  it("grades the worksheet: right, off, wrong dimension, unreadable, NaN, negative, blank, unknown id", () => {
    const { stdout } = output("chapter");
    expect(stdout).toContain("worksheet · Fixture chapter · 1 of 7 right · 5 wrong · 1 unanswered");
    expect(stdout).toContain("2,315 req/s: on target (within 10%)");
    expect(stdout).toContain("23k req/s is 3.31× too high (expected about 6,945 req/s, within 10%)");
    expect(stdout).toContain("reference: average * factor = 6,945 req/s");
    expect(stdout).toContain('you gave a rate ("5 req/s" is 5 /s); the question asks for a size, in GB');
    expect(stdout).toContain('could not read "listeners * * bitrate": Value expected (char 13)');
    expect(stdout).toContain("your answer is not a number (NaN)");
    expect(stdout).toContain("-5 GB is negative: a negative size cannot be an estimate");
    expect(stdout).toContain("How much downtime a year does 99.9% availability allow?");
    expect(stdout).toContain('no question has the id "peek-qps": a typo in worksheet.ts?');
  });

  it("shows a passing kata with its perf table against the reference", () => {
    const { stdout } = output("chapter");
    expect(stdout).toContain("✓ 3 passed");
    expect(stdout).toMatch(/✓ {2}throughput +[\d.]+ M ops\/s +[\d.]+ M ops\/s +\d\.\d\d× +≥ 0\.05×/);
    expect(stdout).toContain("passing. Compare with the reference: solutions/01-fixture/adder.ts");
  });

  it("shows a failing test with its counterexample, the code's output, the seed and a reproduce command", () => {
    const { stdout } = output("chapter");
    expect(stdout).toContain("✗ never goes below zero");
    expect(stdout).toContain("PropertyFailure: expected -1 to be greater than or equal to 0");
    expect(stdout).toContain("counterexample after");
    expect(stdout).toContain("your code printed:");
    expect(stdout).toContain("reproduce: npm run grade -- counter --seed 7 -t 'never goes below zero'");
  });

  it("reads a stub as todo, pointing at the learner's line", () => {
    const { stdout } = output("chapter");
    expect(stdout).toContain("○ todo: not implemented yet (Stack.push) at katas/01-fixture/stack.ts:6");
    expect(stdout).toContain("2 test(s) wait on it. Hint 1 of 2: An array has push and pop.");
    expect(stdout).not.toMatch(/at .*node_modules/);
  });

  it("reports a kata that throws at import, and grades the others all the same", () => {
    const { stdout } = output("chapter");
    expect(stdout).toContain("! did not run");
    expect(stdout).toContain("TypeError: Cannot read properties of undefined (reading 'depth')");
    expect(stdout).toContain("at katas/01-fixture/broken.ts:3");
  });
});

describe("npm run grade, options and mistakes", () => {
  it("runs only the tests named with -t, and leaves worksheets out", () => {
    const { code, stdout } = output("filtered");
    expect(code).toBe(0);
    expect(stdout).toContain("✓ 1 passed");
    expect(stdout).toContain("1 skipped");
    expect(stdout).not.toContain("worksheet ·");
  });

  it("names what exists for an unknown selector and exits 2", () => {
    const { code, stderr } = output("unknown");
    expect(code).toBe(2);
    expect(stderr).toContain('no kata or chapter "nonesuch"');
    expect(stderr).toContain("Katas: adder, counter, stack, broken");
  });

  it("stops on a malformed manifest with the file, the field and what was expected", () => {
    const { code, stderr } = output("badManifest");
    expect(code).toBe(2);
    expect(stderr).toContain("invalid chapter manifest chapters/01-bad/chapter.ts");
    expect(stderr).toContain("katas[0].hints: expected 2 to 4 hints, from a nudge to nearly the answer");
    expect(stderr).not.toContain("    at ");
  });

  it("rejects a seed that is not a whole number", () => {
    const { code, stderr } = output("badSeed");
    expect(code).not.toBe(0);
    expect(stderr).toContain("expected a whole number, such as --seed 42");
  });
});

describe("npm run matrix", () => {
  it("proves reference, stub and mutants, and fails on a surviving mutant", () => {
    const { code, stdout } = output("matrix");
    expect(code).toBe(1);
    expect(stdout).toContain("✓  reference           passes 2/2");
    expect(stdout).toContain("✓  stub                todo: not implemented (2/2)");
    expect(stdout).toContain('✓  mutant queue-order  killed by "pops the last item pushed"');
    expect(stdout).toContain("✗  mutant survivor     SURVIVED: all 2 tests passed");
    expect(stdout).toContain(
      '✗  mutant misnamed     killed by "pops the last item pushed", but not by "pops undefined when empty", the test its header names',
    );
    expect(stdout).toContain("1/3 mutants killed");
  });
});
