import { describe, expect, it } from "vitest";
import { counts, kataStatus } from "../run/status.ts";
import { assertion, outcome, test, todoError } from "./outcomes.ts";

describe("kataStatus", () => {
  it("is passing when every test that ran passed", () => {
    expect(kataStatus(outcome([test("a", "passed"), test("b", "skipped")]))).toBe("passing");
  });

  it("is todo when nothing passed and every failure is a stub's not implemented", () => {
    expect(kataStatus(outcome([test("a", "failed", [todoError]), test("b", "failed", [todoError])]))).toBe("todo");
  });

  it("is failing once anything passes or fails for a real reason", () => {
    expect(kataStatus(outcome([test("a", "passed"), test("b", "failed", [todoError])]))).toBe("failing");
    expect(kataStatus(outcome([test("a", "failed", [todoError]), test("b", "failed", [assertion])]))).toBe("failing");
  });

  it("is error when the spec did not load or no test ran", () => {
    expect(kataStatus(outcome([], [{ name: "TypeError", message: "boom" }]))).toBe("error");
    expect(kataStatus(outcome([test("a", "skipped")]))).toBe("error");
  });

  it("is skipped, not failed, when the machine lacks a lab's server", () => {
    const lacks = {
      ...outcome([]),
      cause: { kind: "needs-server" as const, message: "needs redis-server: install it" },
    };
    expect(kataStatus(lacks)).toBe("skipped");
  });
});

describe("counts", () => {
  it("tells not-implemented apart from real failures", () => {
    const tally = counts(
      outcome([test("a", "passed"), test("b", "failed", [todoError]), test("c", "failed", [assertion])]),
    );
    expect(tally).toEqual({ passed: 1, failed: 1, skipped: 0, todo: 1 });
  });
});
