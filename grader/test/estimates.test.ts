import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { estimateProblems, findEstimateBlocks } from "../units/estimates.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("estimate blocks", () => {
  const markdown = [
    "# A chapter",
    "",
    "```estimate",
    "audience = 10M user",
    "daily = audience * 20 req/day * 1 day => 200M req",
    "```",
    "",
    "Some text, then a second block that uses the first:",
    "",
    "```estimate",
    "rate = daily / (1 day) to req/s => 2,400 req/s",
    "bad = audience * * 2",
    "5 GB",
    "```",
  ].join("\n");

  it("finds each block and the line it starts on", () => {
    expect(findEstimateBlocks(markdown).map((b) => b.startLine)).toEqual([4, 11]);
  });

  it("reports every wrong stated result, unreadable line and unnamed line with its file:line", () => {
    expect(estimateProblems("chapters/x/README.md", markdown)).toEqual([
      { file: "chapters/x/README.md", line: 11, message: "stated 2,400 req/s: off by 3.7%" },
      { file: "chapters/x/README.md", line: 12, message: 'could not read "audience * * 2": Value expected (char 12)' },
      {
        file: "chapters/x/README.md",
        line: 13,
        message: "every line of an estimate block needs a name: `name = expression`",
      },
    ]);
  });

  it("holds in every chapter: each stated number is what its expression computes", () => {
    const chapters = readdirSync(path.join(root, "chapters")).filter((name) => /^\d{2}-/.test(name));
    const problems = chapters.flatMap((chapter) => {
      const file = `chapters/${chapter}/README.md`;
      return estimateProblems(file, readFileSync(path.join(root, file), "utf8"));
    });
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });
});

describe("numbers from the source material", () => {
  it("never repeats the seed's bandwidth that is 1000× off (2,000 streams × 320 kbit/s is 640 Mbit/s)", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      encoding: "utf8",
    })
      .split("\n")
      // katas/ is the learner's: what they write there is theirs
      .filter((file) => /\.(md|ts)$/.test(file) && !file.startsWith("katas/"));
    const wrong = new RegExp(["640", "\\s*(Gbps|Gbit/s|Gb/s)"].join(""));
    const offending = files.filter((file) => wrong.test(readFileSync(path.join(root, file), "utf8")));
    expect(offending).toEqual([]);
  });
});
