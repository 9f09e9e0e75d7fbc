import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, copyOf, repo } from "./cli-helper.ts";

const projects: string[] = [];
const project = (as: string) => {
  const copy = copyOf("project", as);
  projects.push(copy);
  return copy;
};
afterAll(() => {
  for (const copy of projects) rmSync(copy, { recursive: true, force: true });
});

describe.concurrent("npm run hint", () => {
  it("shows one more hint each time, and remembers how many", async () => {
    const root = project("hint");
    const first = await cli("hint", ["stack"], root);
    expect(first.stdout).toContain("Stack: hint 1 of 2");
    expect(first.stdout).toContain("1. An array has push and pop.");
    expect(first.stdout).not.toContain("2. Pop from the end");
    const second = await cli("hint", ["stack"], root);
    expect(second.stdout).toContain("Stack: hint 2 of 2");
    expect(second.stdout).toContain("2. Pop from the end you pushed to.");
    expect(second.stdout).toContain("That was the last hint.");
    expect((await cli("hint", ["stack", "--again"], root)).stdout).toContain("Stack: hint 2 of 2");
  });

  it("names what exists for a kata that does not", async () => {
    const run = await cli("hint", ["nonesuch"], "project");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no kata or chapter "nonesuch"');
  });
});

describe.concurrent("npm run reset", () => {
  it("backs up the learner's file, then restores the pristine stub, without git", async () => {
    const root = project("reset");
    const mine = readFileSync(path.join(root, "katas/01-fixture/adder.ts"), "utf8");
    const run = await cli("reset", ["adder"], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /katas\/01-fixture\/adder\.ts: your version is saved as \.grade\/backups\/01-fixture\/adder\.[\dT-]+Z\.ts/,
    );
    expect(readFileSync(path.join(root, "katas/01-fixture/adder.ts"), "utf8")).toBe(
      readFileSync(path.join(root, "grader/stubs/01-fixture/adder.ts"), "utf8"),
    );
    const backups = readdirSync(path.join(root, ".grade/backups/01-fixture"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(root, ".grade/backups/01-fixture", backups[0] ?? ""), "utf8")).toBe(mine);
    expect((await cli("reset", ["adder"], root)).stdout).toContain("already the pristine stub");
  });

  it("restores a file the learner deleted, and a chapter's worksheet", async () => {
    const root = project("reset-missing");
    rmSync(path.join(root, "katas/01-fixture/counter.ts"));
    const run = await cli("reset", ["counter", "01-fixture/worksheet"], root);
    expect(run.stdout).toContain("katas/01-fixture/counter.ts: restored from grader/stubs/01-fixture/counter.ts");
    expect(run.stdout).toContain("katas/01-fixture/worksheet.ts: restored from grader/stubs/01-fixture/worksheet.ts");
    expect(existsSync(path.join(root, "katas/01-fixture/counter.ts"))).toBe(true);
  });
});

describe.concurrent("npm run compare", () => {
  it("will not show the reference of a kata that does not pass, unless forced", async () => {
    const guarded = await cli("compare", ["counter"], "project");
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toContain(
      "counter does not pass yet (1 of 2 tests pass), and the reference would give the rest away.",
    );
    const forced = await cli("compare", ["counter", "--force"], "project");
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("--- katas/01-fixture/counter.ts\tyours");
    expect(forced.stdout).toContain("+++ solutions/01-fixture/counter.ts\treference");
    expect(forced.stdout).toContain("-    return --this.#count;");
  });

  it("shows a passing kata's diff and its measurements beside the reference's", async () => {
    const run = await cli("compare", ["adder"], "project");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Measured in one process, on the same seeded workload");
    expect(run.stdout).toMatch(/throughput +[\d.]+ M ops\/s +[\d.]+ M ops\/s/);
  });
});

/** starts a long-running grader command and collects what it prints until stopped */
function start(args: string[], root: string): { child: ChildProcess; output: () => string; stop: () => void } {
  const child = spawn(process.execPath, ["--import", "tsx/esm", "grader/cli/grade.ts", ...args], {
    cwd: repo,
    env: { ...process.env, SDK_ROOT: root, NO_COLOR: "1", SDK_WORKERS: "1", FORCE_COLOR: "" },
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { child, output: () => text, stop: () => child.kill("SIGINT") };
}

/** resolves when the text appears in what the command printed (the test's timeout bounds the wait) */
async function printed(output: () => string, text: string): Promise<void> {
  while (!output().includes(text)) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.concurrent("npm run grade, a failing kata", () => {
  it("is measured against the reference once every other test passes, or at once with --load", async () => {
    const root = project("load-gate");
    const file = path.join(root, "katas/01-fixture/adder.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("return sum;", "return a === 2 && b === 3 ? 6 : sum;"));
    const plain = await cli("grade", ["adder"], root);
    expect(plain.stdout).toContain("✗ adds two numbers");
    expect(plain.stdout).toContain("once every other test passes (--load measures it now)");
    expect(plain.stdout).not.toContain("Performance against the reference");
    const measured = await cli("grade", ["adder", "--load"], root);
    expect(measured.stdout).toContain("✗ adds two numbers");
    expect(measured.stdout).toContain("Performance against the reference");
  }, 60_000);
});

describe("npm run grade -- --watch", () => {
  it("grades again only what was saved: a kata, then a worksheet", async () => {
    const root = project("watch");
    const watching = start(["counter", "--watch"], root);
    try {
      await printed(watching.output, "watching katas/ for changes");
      expect(watching.output()).toContain("✓ 1 passed   ✗ 1 failed");
      // the learner's fix: the reference's code with a line of their own (a copy would not count)
      writeFileSync(
        path.join(root, "katas/01-fixture/counter.ts"),
        `// fixed\n${readFileSync(path.join(root, "solutions/01-fixture/counter.ts"), "utf8")}`,
      );
      await printed(watching.output, "↻ graded counter");
      expect(watching.output()).toContain("✓ 2 passed");
      // an editor's atomic save, or sed -i: a new file renamed over the old one
      const worksheet = path.join(root, "katas/01-fixture/worksheet.ts");
      writeFileSync(
        `${worksheet}.swp`,
        readFileSync(worksheet, "utf8").replace('"peak-qps": "23k req/s"', '"peak-qps": "7k req/s"'),
      );
      renameSync(`${worksheet}.swp`, worksheet);
      await printed(watching.output, "↻ graded the Fixture chapter worksheet");
      expect(watching.output()).toContain("worksheet · Fixture chapter · 2 of 7 right");
      expect(watching.output()).not.toContain("adder ·");
      // and the file renamed over is still watched: a later save grades it again
      writeFileSync(worksheet, readFileSync(worksheet, "utf8").replace('servers: "NaN"', 'servers: "7 server"'));
      await printed(watching.output, "worksheet · Fixture chapter · 3 of 7 right");
    } finally {
      watching.stop();
    }
  }, 60_000);

  it("shows the behaviour tests' verdict first, then the load tests' measurements", async () => {
    const root = project("watch-load");
    const watching = start(["adder", "--watch"], root);
    try {
      await printed(watching.output, "watching katas/ for changes");
      const before = watching.output().length;
      const file = path.join(root, "katas/01-fixture/adder.ts");
      writeFileSync(file, `// saved again\n${readFileSync(file, "utf8")}`);
      await printed(watching.output, "↻ graded adder");
      const after = watching.output().slice(before);
      const verdict = after.indexOf("passed");
      const measuring = after.indexOf("measuring load against the reference");
      const table = after.indexOf("Performance against the reference");
      expect(verdict, after).toBeGreaterThan(-1);
      expect(measuring, after).toBeGreaterThan(verdict);
      expect(table, after).toBeGreaterThan(measuring);
      expect(after).toContain("passing, load tests included");
    } finally {
      watching.stop();
    }
  }, 60_000);
});

describe("a grade whose starter goes away", () => {
  it("ends, and its runner with it, when the shell npm ran it in is stopped", async () => {
    const root = project("orphan");
    // npm runs a script under sh -c, and sh does not pass a SIGTERM on to the command
    const shell = spawn(
      "sh",
      ["-c", `"${process.execPath}" --import tsx/esm grader/cli/grade.ts counter --watch; true`],
      {
        cwd: repo,
        env: { ...process.env, SDK_ROOT: root, NO_COLOR: "1", SDK_WORKERS: "1" },
      },
    );
    let text = "";
    shell.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    await printed(() => text, "watching katas/ for changes");
    const grade = Number(execFileSync("pgrep", ["-P", String(shell.pid)], { encoding: "utf8" }).trim());
    shell.kill("SIGTERM");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = performance.now() + 5_000;
    while (alive(grade) && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(grade), "the grade process, 5 s after its shell was stopped").toBe(false);
  }, 60_000);
});

describe("npm run grade -- --ui", () => {
  it("serves @vitest/ui on the learner's katas", async () => {
    const ui = start(["--ui"], path.join(repo, "grader/test/fixtures/project"));
    try {
      await printed(ui.output, "/__vitest__/");
      const url = /http:\/\/127\.0\.0\.1:\d+\/__vitest__\//.exec(ui.output())?.[0] ?? "";
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<html");
    } finally {
      ui.stop();
    }
  }, 60_000);
});
