import { describe, expect, it } from "vitest";
import { formatValue } from "../units/format.ts";
import { displayUnit, parseScript, runScript } from "../units/script.ts";

describe("parseScript", () => {
  it("reads names, expressions, stated results and comments", () => {
    expect(parseScript("\n# a note\nusers = 10M user   # active\nmemory = users * 50 B/user => 500 MB\n5 GB")).toEqual([
      { line: 3, name: "users", expression: "10M user", comment: "active" },
      { line: 4, name: "memory", expression: "users * 50 B/user", stated: "500 MB" },
      { line: 5, expression: "5 GB" },
    ]);
  });

  it("does not take a comparison for an assignment", () => {
    expect(parseScript("a == 2")).toEqual([{ line: 1, expression: "a == 2" }]);
  });
});

describe("runScript", () => {
  it("lets each line use the names above it", () => {
    const lines = runScript(parseScript("dau = 10M user\nrate = dau * 20 req/day to req/s => 2,315 req/s"));
    expect(lines.map((l) => l.problem)).toEqual([undefined, undefined]);
    expect(formatValue(lines[1]?.value ?? 0, "req/s")).toBe("2,315 req/s");
  });

  it("holds a stated result to within 1% of what the line computes", () => {
    const [within, off] = runScript(parseScript("burst = 100 req + 10 req/s * 60 s => 705 req\nthird = 10 / 3 => 3.3"));
    expect(within?.problem).toBeUndefined();
    expect(off?.problem).toBe("stated 3.3: off by 1.0%");
  });

  it("names a stated result of the wrong dimension", () => {
    const [line] = runScript(parseScript("size = 5 GB => 5 req/s"));
    expect(line?.problem).toBe("stated 5 req/s: the text states a rate, but the line computes a size");
  });

  it("reports a broken line and goes on with the next", () => {
    const lines = runScript(parseScript("first = 5 * * 2\nsize = 3 GB\nratio = 1/0\ndouble = first * 2"));
    expect(lines.map((l) => l.problem)).toEqual([
      'could not read "5 * * 2": Value expected (char 5)',
      undefined,
      "ratio is infinite",
      'could not read "first * 2": Undefined symbol first',
    ]);
  });

  it("refuses a name that is also a unit: it would change what `1 day` means below it", () => {
    const [day, users] = runScript(parseScript("day = 86400 s\nusers = 10M user"));
    expect(day?.problem).toBe('"day" is the name of a unit; call it something else, or "1 day" changes meaning');
    expect(users?.problem).toContain('"users" is the name of a unit');
  });

  it("picks the unit a line reads best in: stated, then `to`, then the literal", () => {
    const lines = parseScript(
      "rate = 10 req/s * 2 => 20 req/s\ndaily = rate * 1 day to req\nper = 50 B/user\nshare = 1e5 s / day - 1",
    );
    expect(lines.map((l) => displayUnit(l))).toEqual(["req/s", "req", "B/user", undefined]);
  });
});
