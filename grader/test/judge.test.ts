import { describe, expect, it } from "vitest";
import { judgeMutant, judgeReference, judgeStub, mergeOutcomes } from "../matrix/judge.ts";
import { assertion, outcome, test, todoError } from "./outcomes.ts";

describe("judgeReference", () => {
  it("holds when every test passes", () => {
    expect(judgeReference(outcome([test("a", "passed"), test("b", "passed")]))).toMatchObject({
      ok: true,
      summary: "passes 2/2",
    });
  });

  it("names the first failing test", () => {
    const verdict = judgeReference(outcome([test("a", "passed"), test("b", "failed", [assertion])]));
    expect(verdict.ok).toBe(false);
    expect(verdict.summary).toBe('fails 1 of 2: "suite > b": AssertionError: expected 1 to be 2');
  });
});

describe("judgeStub", () => {
  it("holds when the stub reads as todo", () => {
    expect(judgeStub(outcome([test("a", "failed", [todoError])])).ok).toBe(true);
  });

  it("fails when a test passes on the pristine stub: that test cannot fail", () => {
    const verdict = judgeStub(outcome([test("a", "passed"), test("b", "failed", [todoError])]));
    expect(verdict).toMatchObject({ ok: false });
    expect(verdict.summary).toContain('"suite > a"');
  });
});

describe("judgeMutant", () => {
  it("counts a mutant as killed by a test failing a requirement", () => {
    const verdict = judgeMutant(outcome([test("a", "passed"), test("b", "failed", [assertion])]));
    expect(verdict).toEqual({ ok: true, summary: 'killed by "suite > b"', killers: ["suite > b"] });
  });

  it("reports a survivor", () => {
    expect(judgeMutant(outcome([test("a", "passed")]))).toMatchObject({
      ok: false,
      summary: "SURVIVED: all 1 tests passed",
    });
  });

  it("does not count a kill by TypeError alone: the mutant does not fit the interface", () => {
    const verdict = judgeMutant(
      outcome([test("a", "failed", [{ name: "TypeError", message: "x is not a function" }])]),
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.summary).toContain("does the mutant fit the kata's interface?");
  });

  it("holds a mutant to the test its header names", () => {
    const failing = outcome([test("b", "failed", [assertion]), test("c", "passed")]);
    expect(judgeMutant(failing, "b").ok).toBe(true);
    expect(judgeMutant(failing, "c")).toMatchObject({
      ok: false,
      summary: 'killed by "suite > b", but not by "c", the test its header names',
    });
  });
});

describe("mergeOutcomes", () => {
  it("fills tests skipped in one phase from the other", () => {
    const first = outcome([test("a", "passed"), test("load", "skipped")]);
    const second = outcome([test("a", "skipped"), test("load", "failed", [assertion])]);
    const merged = mergeOutcomes([first, second]);
    expect(merged.tests.map((t) => [t.name, t.state])).toEqual([
      ["a", "passed"],
      ["load", "failed"],
    ]);
  });
});
