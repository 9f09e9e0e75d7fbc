import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatPath, loadChapters, ManifestError, parseChapter } from "../manifest/load.ts";

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const reason = "a reason long enough";
const kata = {
  id: "token-bucket",
  title: "Token bucket",
  difficulty: 1,
  file: "token-bucket.ts",
  hints: ["the first hint, a nudge", "the second hint, nearly the answer"],
  budgets: { throughput: { min: 0.3, reason } },
};
const chapter = { title: "Rate limiting", summary: "A summary of at least twenty characters.", katas: [kata] };

function problems(raw: unknown): Array<{ field: string; expected: string }> {
  try {
    parseChapter("chapters/04-x/chapter.ts", raw);
  } catch (error) {
    if (error instanceof ManifestError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("parseChapter", () => {
  it("accepts a well-formed manifest", () => {
    expect(parseChapter("chapter.ts", chapter).katas[0]?.id).toBe("token-bucket");
  });

  it("names the field and what was expected for each problem", () => {
    const bad = { ...chapter, katas: [{ ...kata, hints: ["just one hint here"], difficulty: 4 }] };
    expect(problems(bad)).toEqual([
      { field: "katas[0].difficulty", expected: "expected 1 (30 min), 2 (1 h) or 3 (2 h+)" },
      { field: "katas[0].hints", expected: "expected 2 to 4 hints, from a nudge to nearly the answer" },
    ]);
  });

  it("wants a reason for every budget and rejects unknown budgets", () => {
    const bad = { ...chapter, katas: [{ ...kata, budgets: { throughput: { min: 0.3 }, memory: { max: 2, reason } } }] };
    expect(problems(bad).map((p) => p.field)).toEqual(["katas[0].budgets.throughput.reason", "katas[0].budgets"]);
  });

  it("wants the file named after the id", () => {
    expect(problems({ ...chapter, katas: [{ ...kata, file: "bucket.ts" }] })).toEqual([
      { field: "katas[0].file", expected: 'expected file to be "token-bucket.ts", named after the id' },
    ]);
  });

  it("rejects a kata id used twice", () => {
    expect(problems({ ...chapter, katas: [kata, kata] })).toEqual([
      { field: "katas[1].id", expected: 'expected a unique id; "token-bucket" appears twice' },
    ]);
  });

  describe("a design problem's interview", () => {
    const phase = {
      prompts: ["What do you ask before you draw anything?"],
      rubric: ["asks for the scale first", "asks what may be stale"],
    };
    const followUp = {
      question: "A cache node dies. What then?",
      answer: "Only its keys miss: with consistent hashing its share of the hot set moves, cold, to its successors.",
    };
    const interview = {
      phases: { clarify: phase, estimate: phase, design: phase, deepDive: phase, wrapUp: phase },
      followUps: [followUp, followUp, followUp],
    };
    const design = { flows: { read: { rate: "10k req/s", p99: "20 ms" } }, availability: "99.9%" };
    const withInterview = (value: unknown, extra: object = { design }) => ({
      ...chapter,
      katas: [{ ...kata, ...extra, interview: value }],
    });

    it("accepts a whole interview, and gives each phase its minutes of the default 45", () => {
      const parsed = parseChapter("chapter.ts", withInterview(interview)).katas[0]?.interview;
      expect(parsed?.phases.deepDive).toEqual({ ...phase, minutes: 10 });
      expect(parsed?.followUps).toHaveLength(3);
    });

    it("names each malformed part of it: a missing phase, an empty prompt list, too few follow-ups, an answer left out, an unknown field", () => {
      const { wrapUp: _dropped, ...fourPhases } = interview.phases;
      const bad = {
        phases: { ...fourPhases, clarify: { ...phase, prompts: [] }, estimate: { ...phase, minutes: 0 } },
        followUps: [followUp, { question: followUp.question }],
        timer: 45,
      };
      expect(problems(withInterview(bad))).toEqual([
        {
          field: "katas[0].interview.phases.clarify.prompts",
          expected: "expected at least one prompt: what the interviewer asks in this phase",
        },
        { field: "katas[0].interview.phases.estimate.minutes", expected: "expected a positive number of minutes" },
        {
          field: "katas[0].interview.phases.wrapUp",
          expected: "expected the wrap-up phase: { prompts: [...], rubric: [...] }",
        },
        { field: "katas[0].interview.followUps[1].answer", expected: "expected a model answer (text)" },
        {
          field: "katas[0].interview.followUps",
          expected: "expected at least 3 follow-up questions, each with a model answer",
        },
        { field: "katas[0].interview", expected: 'Unrecognized key: "timer"' },
      ]);
    });

    it("belongs to a design problem only", () => {
      expect(problems(withInterview(interview, {}))).toEqual([
        {
          field: "katas[0].interview",
          expected: "expected an interview only on a design problem, a kata with design: {...}",
        },
      ]);
    });
  });

  it("puts file, field and expectation in the error message", () => {
    expect(() => parseChapter("chapters/04-x/chapter.ts", { ...chapter, title: 7 })).toThrow(
      /chapters\/04-x\/chapter\.ts\n {2}title: /,
    );
  });
});

describe("formatPath", () => {
  it("writes a zod path the way the field reads in code", () => {
    expect(formatPath(["katas", 2, "budgets", "p99", "max"])).toBe("katas[2].budgets.p99.max");
    expect(formatPath([])).toBe("(the whole manifest)");
  });
});

describe("loadChapters", () => {
  it("loads the fixture project with paths and mutants resolved", async () => {
    const [chapter] = await loadChapters(path.join(fixtures, "project"));
    expect(chapter?.slug).toBe("01-fixture");
    expect(chapter?.number).toBe(1);
    const stack = chapter?.katas.find((k) => k.id === "stack");
    expect(stack?.paths).toEqual({
      stub: "katas/01-fixture/stack.ts",
      pristine: "grader/stubs/01-fixture/stack.ts",
      reference: "solutions/01-fixture/stack.ts",
      spec: "grader/specs/01-fixture/stack.spec.ts",
      mutants: [
        { name: "misnamed", file: "grader/mutants/01-fixture/stack.misnamed.patch" },
        { name: "queue-order", file: "grader/mutants/01-fixture/stack.queue-order.patch" },
        { name: "survivor", file: "grader/mutants/01-fixture/stack.survivor.patch" },
      ],
    });
  });

  it("stops on a malformed manifest with every problem named", async () => {
    await expect(loadChapters(path.join(fixtures, "bad-manifest"))).rejects.toThrow(
      "invalid chapter manifest chapters/01-bad/chapter.ts\n" +
        "  katas[0].difficulty: expected 1 (30 min), 2 (1 h) or 3 (2 h+)\n" +
        "  katas[0].hints: expected 2 to 4 hints, from a nudge to nearly the answer\n" +
        "  katas[0].budgets.throughput.reason: expected a one-line reason (text)",
    );
  });

  it("loads this repository's own chapters", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const chapters = await loadChapters(root);
    expect(chapters.map((c) => c.slug)).toContain("04-rate-limiting");
    for (const kata of chapters.flatMap((c) => c.katas)) {
      expect(kata.paths.mutants.length, `${kata.id} has at least 3 mutants`).toBeGreaterThanOrEqual(3);
    }
  });

  it("lists every chapter in the README's table, with its katas and the size of its worksheet", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const rows = readme.split("\n").filter((line) => line.startsWith("| [") && line.includes("](chapters/"));
    const listed = rows.map((row) => {
      const [, link = "", katas = "", worksheet = ""] = row.split("|").map((cell) => cell.trim());
      return { link, katas, worksheet };
    });
    const chapters = await loadChapters(root);
    expect(listed).toEqual(
      chapters.map((c) => ({
        link: `[${c.slug.slice(0, 2)} ${c.title}](chapters/${c.slug}/README.md)`,
        katas: c.katas.map((k) => `\`${k.id}\``).join(", "),
        worksheet: `${c.worksheet.length} questions`,
      })),
    );
  });
});
