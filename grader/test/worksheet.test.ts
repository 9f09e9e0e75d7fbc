import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadChapters, ManifestError, parseChapter } from "../manifest/load.ts";
import { sameDimension } from "../units/dimension.ts";
import { evaluate } from "../units/engine.ts";
import { type Answers, loadAnswers } from "../worksheet/answers.ts";
import { evaluateAnswer, gradeWorksheet } from "../worksheet/grade.ts";
import { checkQuestions } from "../worksheet/questions.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixture = path.join(fileURLToPath(new URL("./fixtures", import.meta.url)), "project");
const [chapter] = await loadChapters(fixture);
if (!chapter?.worksheetPaths) throw new Error("the fixture chapter has a worksheet");
const reference = await loadAnswers(path.join(fixture, chapter.worksheetPaths.reference));

function answers(entries: Record<string, unknown>): Answers {
  return {
    entries: new Map(
      Object.entries(entries).map(([id, v]) => [
        id,
        typeof v === "string" ? { text: v } : { problem: `not text: ${v}` },
      ]),
    ),
  };
}

function grade(id: string, text: unknown) {
  const result = gradeWorksheet(chapter?.worksheet ?? [], answers({ [id]: text }), reference);
  return result.questions.find((q) => q.id === id);
}

describe("grading an answer", () => {
  it("accepts a number with a unit, an expression, or worked lines, within the tolerance", () => {
    expect(grade("average-qps", "2300 req/s")?.status).toBe("correct");
    expect(grade("average-qps", "10M * 20 req/day to req/s")?.status).toBe("correct");
    expect(grade("average-qps", "dau * per_user")?.status).toBe("correct");
    expect(grade("storage-per-day", "daily = daily_writes * size * 1 day\ndaily * 1.5")?.status).toBe("correct");
    expect(grade("average-qps", "2315 req/s")?.message).toBe("2,315 req/s: on target (within 10%)");
  });

  it("says how far off a wrong magnitude is, against what, and shows the reference working", () => {
    expect(grade("peak-qps", "23k req/s")).toMatchObject({
      status: "wrong",
      message: "23k req/s is 3.31× too high (expected about 6,945 req/s, within 10%)",
      derivation: ["average * factor = 6,945 req/s"],
    });
  });

  it("checks the dimension before the magnitude", () => {
    expect(grade("storage-per-day", "1 GB/s")).toMatchObject({
      status: "wrong",
      message: 'you gave a bandwidth ("1 GB/s" is 1 GB/s); the question asks for a size, in GB',
    });
    expect(grade("average-qps", "2315")?.message).toContain("you gave a plain number (a count or a ratio)");
  });

  it("names the question's problem with an unreadable answer, quotes it, and gives an example", () => {
    const result = grade("stream-bandwidth", "listeners * * bitrate");
    expect(result?.status).toBe("invalid");
    expect(result?.message).toBe(
      'could not read "listeners * * bitrate": Value expected (char 13). Write a number with a unit, such as "42 Mbit/s", ' +
        'or an expression such as "1.5k * 2 Mbit/s"; the given values can be used by name (listeners, bitrate).',
    );
    expect(result?.derivation).toEqual([]);
  });

  it("names NaN, infinity and a negative size as such", () => {
    expect(grade("servers", "NaN")?.message).toMatch(/^your answer is not a number \(NaN\)\./);
    expect(grade("servers", "7 / 0")?.message).toMatch(/^your answer is infinite\./);
    expect(grade("cache-size", "-5 GB")).toMatchObject({
      status: "invalid",
      message: "-5 GB is negative: a negative size cannot be an estimate",
    });
  });

  it("counts a blank answer as unanswered, not as an error", () => {
    expect(grade("downtime", "   ")?.status).toBe("unanswered");
    const missing = gradeWorksheet(chapter?.worksheet ?? [], answers({}), reference);
    expect(missing.questions.every((q) => q.status === "unanswered")).toBe(true);
  });

  it("reports an entry that is not text, and the other answers still grade", () => {
    const result = gradeWorksheet(
      chapter?.worksheet ?? [],
      answers({ "average-qps": 2315, "peak-qps": "7k req/s" }),
      reference,
    );
    expect(result.questions[0]).toMatchObject({ status: "invalid", message: "not text: 2315" });
    expect(result.questions[1]?.status).toBe("correct");
  });

  it("lists ids that no question has", () => {
    expect(gradeWorksheet(chapter?.worksheet ?? [], answers({ "peek-qps": "7k req/s" }), reference).unknown).toEqual([
      "peek-qps",
    ]);
  });

  it("marks every question when the worksheet does not load, without throwing", () => {
    const result = gradeWorksheet(
      chapter?.worksheet ?? [],
      { entries: new Map(), loadError: "the worksheet did not load: SyntaxError" },
      reference,
    );
    expect(result.questions.every((q) => q.status === "invalid")).toBe(true);
    expect(result.loadError).toContain("SyntaxError");
  });

  it("scores the reference's own answers 100%", () => {
    const result = gradeWorksheet(chapter?.worksheet ?? [], reference, reference);
    expect(result.correct).toBe(result.total);
  });
});

describe("loadAnswers", () => {
  it("reports a worksheet that does not load instead of throwing", async () => {
    const result = await loadAnswers(path.join(fixture, "katas/01-fixture/no-such-worksheet.ts"));
    expect(result.loadError).toMatch(/^the worksheet did not load: /);
  });
});

describe("questions in a manifest", () => {
  const question = {
    id: "q",
    prompt: "A question of at least twenty characters?",
    unit: "req/s",
    tolerance: "10%",
    explanation: "An explanation of at least twenty characters.",
  };

  it("needs a tolerance it can read", () => {
    const raw = {
      title: "T",
      summary: "A summary of twenty characters.",
      katas: [],
      worksheet: [{ ...question, tolerance: "roughly" }],
    };
    expect(() => parseChapter("chapter.ts", raw)).toThrow(ManifestError);
    expect(() => parseChapter("chapter.ts", raw)).toThrow('worksheet[0].tolerance: expected "10%" (relative), "2x"');
  });

  it("needs givens and a unit the units engine can read", () => {
    const bad = { ...question, unit: "furlongs/fortnight", given: { dau: "10M user", size: "5 * * B" } };
    expect(checkQuestions([{ ...bad }]).map((p) => p.field)).toEqual(["worksheet[0].given.size", "worksheet[0].unit"]);
  });
});

describe("every chapter's worksheet", async () => {
  const chapters = (await loadChapters(repo)).filter((c) => c.worksheetPaths);

  it("exists for the estimation and rate-limiting chapters", () => {
    expect(chapters.map((c) => c.slug)).toEqual(expect.arrayContaining(["01-estimation", "04-rate-limiting"]));
  });

  for (const ch of chapters) {
    it(`${ch.slug}: the reference answers every question, in the question's dimension`, async () => {
      const answers = await loadAnswers(path.join(repo, ch.worksheetPaths?.reference ?? ""));
      for (const question of ch.worksheet) {
        const entry = answers.entries.get(question.id);
        expect(entry && "text" in entry, `${question.id} has a reference answer`).toBe(true);
        const { value, problem } = evaluateAnswer(question, entry && "text" in entry ? entry.text : "");
        expect(problem, `${question.id}: ${problem}`).toBeUndefined();
        expect(
          value !== undefined && sameDimension(value, evaluate(`1 ${question.unit}`)),
          `${question.id} in ${question.unit}`,
        ).toBe(true);
      }
    });

    it(`${ch.slug}: the blank worksheet has every question, and no answer`, async () => {
      const answers = await loadAnswers(path.join(repo, ch.worksheetPaths?.pristine ?? ""));
      expect([...answers.entries.keys()].sort()).toEqual(ch.worksheet.map((q) => q.id).sort());
      expect([...answers.entries.values()].every((e) => "text" in e && e.text === "")).toBe(true);
    });
  }
});
