import { describe, expect, it } from "vitest";
import type { SerializedError } from "vitest/node";
import type { Kata } from "../manifest/load.ts";
import { renderKata } from "../report/kata.ts";
import { stripAnsi } from "../report/text.ts";
import { toErrorInfo } from "../run/collect.ts";
import { assertion, outcome, test } from "./outcomes.ts";

const kata: Kata = {
  id: "kata",
  title: "A kata",
  chapter: "01-x",
  difficulty: 1,
  file: "kata.ts",
  hints: ["The first hint, a nudge.", "The second hint, nearly the answer."],
  budgets: {},
  needs: [],
  limits: { timeMs: 20_000, memoryMb: 512 },
  paths: { stub: "katas/01-x/kata.ts", pristine: "", reference: "solutions/01-x/kata.ts", spec: "", mutants: [] },
};
const failing = outcome([test("a", "passed"), test("b", "failed", [assertion])]);
const shown = (text: string) => stripAnsi(text);

describe("a kata's report", () => {
  it("offers the next hint the learner has not seen, not always the first", () => {
    expect(shown(renderKata(kata, failing, { seed: 1, reference: false }))).toContain(
      "Stuck? Hint 1 of 2: The first hint, a nudge.",
    );
    expect(shown(renderKata(kata, failing, { seed: 1, reference: false, hintsSeen: { kata: 1 } }))).toContain(
      "You have seen 1 of 2 hints: npm run hint -- kata shows hint 2",
    );
    expect(shown(renderKata(kata, failing, { seed: 1, reference: false, hintsSeen: { kata: 2 } }))).toContain(
      "You have seen all 2 hints (npm run hint -- kata --again shows them)",
    );
  });

  it("shows the failures a kata had before it was stopped, not only how many", () => {
    const stopped = { ...failing, cause: { kind: "timeout" as const, message: 'timed out after 20 s in test "c"' } };
    const text = shown(renderKata(kata, stopped, { seed: 1, reference: false }));
    expect(text).toContain("before that: 1 passed, 1 failed");
    expect(text).toContain("✗ suite > b");
    expect(text).toContain("expected 1 to be 2");
  });

  it("blames the filter, not the spec, when -t matches no test", () => {
    const none = outcome([test("answers 42", "skipped"), test("answers again", "skipped")]);
    const text = shown(renderKata(kata, none, { seed: 1, reference: false, testFilter: "nothing" }));
    expect(text).toContain('no test of kata has "nothing" in its name');
    expect(text).toContain("answers again");
    expect(text).not.toContain("check the spec");
  });
});

describe("an error learner code threw", () => {
  const info = (error: object) => toErrorInfo(error as SerializedError, "/root");

  it("says that a string or an object thrown is not an Error, and what it was", () => {
    expect(info({ message: "boom", stacks: [] }).message).toBe(
      'threw "boom", which is not an Error. throw new Error(...) instead: an Error carries a message and the line it came from',
    );
    expect(info({ code: 42, stacks: [] }).message).toMatch(/^threw \{"code":42\}, which is not an Error/);
  });

  it("names the getters that threw when the grader read them, instead of <unserializable>", () => {
    const error = info({ name: "<unserializable>: no name for you", message: "the rest", stacks: [] });
    expect(error.message).toMatch(
      /^threw an object whose getters threw when the grader read them: name \(no name for you\); its message: the rest/,
    );
  });

  it("leaves a real Error as it is", () => {
    expect(info({ name: "TypeError", message: "x is not a function", stack: "TypeError: x", stacks: [] })).toEqual({
      name: "TypeError",
      message: "x is not a function",
    });
  });
});
