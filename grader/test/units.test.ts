import { describe, expect, it } from "vitest";
import { describeDimension, sameDimension } from "../units/dimension.ts";
import { evaluate, normalize, UnitsError, valueIn } from "../units/engine.ts";
import { autoUnit, formatNumber, formatValue, tidyUnit } from "../units/format.ts";
import { closeness, describeTolerance, parseTolerance } from "../units/tolerance.ts";

const inUnit = (expression: string, unit: string) => valueIn(evaluate(expression), unit);

describe("reading interview notation", () => {
  it("reads suffixes glued to numbers: k, M, B (billion), T", () => {
    expect(normalize("50M users")).toBe("50e6 users");
    expect(evaluate("1.2k")).toBe(1200);
    expect(evaluate("3B")).toBe(3e9);
    expect(evaluate("2T")).toBe(2e12);
  });

  it("keeps bytes apart from billions: a space before B means bytes", () => {
    expect(inUnit("3 B", "B")).toBe(3);
    expect(inUnit("3 MB", "B")).toBe(3e6);
  });

  it("reads money, thousands separators and typographic operators", () => {
    expect(inUnit("$175", "USD")).toBe(175);
    expect(inUnit("$1.5k / month", "USD/month")).toBeCloseTo(1500);
    expect(evaluate("86,400")).toBe(86_400);
    expect(evaluate("6 × 7 ÷ 2 − 1")).toBe(20);
  });

  it("evaluates the classic: 50M users × 20 req/day in req/s", () => {
    expect(inUnit("50M users * 20 req/day to req/s", "req/s")).toBeCloseTo(11_574.07, 1);
  });

  it("treats counts as labels that cancel, and can name a count again", () => {
    expect(inUnit("10M user * 20 req/day * 1 day", "req")).toBe(2e8);
    expect(formatValue(evaluate("103680 to req"))).toBe("104k req");
  });
});

describe("units", () => {
  it("has SI and IEC prefixes on bytes, and KB as interviews write it", () => {
    expect(inUnit("1 kB", "B")).toBe(1000);
    expect(inUnit("1 KB", "B")).toBe(1000);
    expect(inUnit("1 KiB", "B")).toBe(1024);
    expect(inUnit("1 GiB", "MiB")).toBe(1024);
  });

  it("has bits and bit rates as written: Mbit, Gbit, Mbps, Gbps", () => {
    expect(inUnit("1 Gbit", "MB")).toBe(125);
    expect(inUnit("1 Gbps", "MB/s")).toBe(125);
    expect(inUnit("2000 stream * 320 kbit/s", "Mbit/s")).toBeCloseTo(640);
    expect(inUnit("320 kbps", "kbit/s")).toBe(320);
  });

  it("uses the interview calendar: a 30-day month and a 365-day year", () => {
    expect(inUnit("1 month", "day")).toBe(30);
    expect(inUnit("1 year", "day")).toBe(365);
    expect(inUnit("1 mo", "s")).toBe(2_592_000);
  });

  it("reads min and sec as units, not as the minimum and secant functions", () => {
    expect(inUnit("5 min", "s")).toBe(300);
    expect(inUnit("2 hr to min", "minute")).toBe(120);
    expect(inUnit("90 sec", "minute")).toBe(1.5);
    expect(evaluate("min(3, 4)")).toBe(3);
  });

  it("reads percentages", () => {
    expect(inUnit("(1 - 99.9%) * 1 year", "hour")).toBeCloseTo(8.76, 6);
  });
});

describe("what the engine refuses", () => {
  it("names the problem in an expression it cannot read", () => {
    expect(() => evaluate("5 * * 3")).toThrow(UnitsError);
    expect(() => evaluate("5 * * 3")).toThrow("Value expected (char 5)");
    expect(() => evaluate("10 furlongs")).toThrow("Undefined symbol furlongs");
    expect(() => evaluate("")).toThrow("nothing to evaluate");
  });

  it("does not let an answer change the engine", () => {
    expect(() => evaluate('createUnit("furlong")')).toThrow("createUnit() is not available in an estimate");
    expect(() => evaluate("import({})")).toThrow("import() is not available in an estimate");
  });

  it("takes what an estimate needs, so no answer can take long: no large matrices, long ranges or other functions", () => {
    const started = performance.now();
    expect(() => evaluate("zeros(20000, 20000)")).toThrow("zeros() is not available in an estimate");
    expect(() => evaluate("sum(1:100000000)")).toThrow("a range of 100000000 values is longer than an estimate needs");
    expect(() => evaluate("sum(1:1e8)")).toThrow("a range of 100000000 values is longer than an estimate needs");
    expect(() => evaluate("n = 5\nsum(1:n)")).toThrow();
    expect(() => evaluate("size((1:1000)' * (1:1000))[1] s")).toThrow("size() is not available in an estimate");
    expect(() => evaluate("f(x) = x^2")).toThrow("a function definition is not part of an estimate");
    expect(() => evaluate("x = 2")).toThrow("an assignment inside an expression");
    expect(() => evaluate(`1${" + 1".repeat(1_000)}`)).toThrow("an estimate fits in 2000");
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("keeps the functions an estimate uses: logs, roots, rounding, sorted lists, sums of a few terms", () => {
    expect(evaluate("ceil(log(1e6) / log(2))")).toBe(20);
    expect(evaluate("max(3, sqrt(16), min(9, 5))")).toBe(5);
    expect(formatValue(evaluate("sort([140 ms, 2 ms, 80 ms, 70 ms])[2]"), "ms")).toBe("70 ms");
    // a Poisson tail, P(X > 39) for a mean of 24: 0.173%, as Python's math module also has it
    expect(evaluate("1 - sum(exp(-24) * 24 .^ (0:39) ./ factorial(0:39))")).toBeCloseTo(0.001734, 6);
  });

  it("rejects results that are not a quantity", () => {
    expect(() => evaluate("[1, 2]")).toThrow("that is not a quantity");
    expect(() => evaluate("1 == 1")).toThrow("that is not a quantity");
  });

  it("does not convert a plain number to a unit with a dimension", () => {
    expect(() => evaluate("5 to req/s")).toThrow("a plain number cannot be converted to req / s");
  });
});

describe("dimensions", () => {
  it("names the dimension a learner gave", () => {
    expect(describeDimension(evaluate("5 GB"))).toBe("a size");
    expect(describeDimension(evaluate("5 req/s"))).toBe("a rate");
    expect(describeDimension(evaluate("5 MB/s"))).toBe("a bandwidth");
    expect(describeDimension(evaluate("5 Gbps"))).toBe("a bandwidth");
    expect(describeDimension(evaluate("5 ms"))).toBe("a duration");
    expect(describeDimension(evaluate("$5"))).toBe("an amount of money");
    expect(describeDimension(evaluate("5 server"))).toBe("a plain number (a count or a ratio)");
  });

  it("tells dimensions apart and counts alike", () => {
    expect(sameDimension(evaluate("5 GB"), evaluate("3 TiB"))).toBe(true);
    expect(sameDimension(evaluate("5 GB"), evaluate("3 GB/s"))).toBe(false);
    expect(sameDimension(evaluate("5 req"), evaluate("7"))).toBe(true);
    expect(sameDimension(evaluate("5 req/s"), evaluate("7"))).toBe(false);
  });
});

describe("formatting", () => {
  it("writes numbers as an interview does", () => {
    expect(formatNumber(11_574.07)).toBe("11.6k");
    expect(formatNumber(2314.8)).toBe("2,315");
    expect(formatNumber(500e6)).toBe("500M");
    expect(formatNumber(3e9)).toBe("3B");
    expect(formatNumber(8.76)).toBe("8.76");
    expect(formatNumber(0.02778)).toBe("0.0278");
    expect(formatNumber(0.00001234)).toBe("1.23e-5");
    expect(formatNumber(Number.NaN)).toBe("NaN");
  });

  it("shows a value in the unit asked for, or in a unit that reads well", () => {
    expect(formatValue(evaluate("10M user * 20 req/day"), "req/s")).toBe("2,315 req/s");
    expect(formatValue(evaluate("123456789 B"))).toBe("123 MB");
    expect(formatValue(evaluate("86400 s"))).toBe("1 day");
    expect(autoUnit(evaluate("0.5 ms"))).toBe("us");
    expect(tidyUnit("s^-1")).toBe("/s");
  });
});

describe("tolerance", () => {
  it("reads relative, factor and order-of-magnitude tolerances", () => {
    expect(parseTolerance("10%")).toEqual({ kind: "relative", within: 0.1 });
    expect(parseTolerance("2x")).toEqual({ kind: "factor", within: 2 });
    expect(parseTolerance("2×")).toEqual({ kind: "factor", within: 2 });
    expect(parseTolerance("magnitude")).toEqual({ kind: "factor", within: Math.sqrt(10) });
    for (const bad of ["", "10", "0%", "150%", "1x", "about right"]) expect(parseTolerance(bad)).toBeUndefined();
  });

  it("says how far off an answer is, and which way", () => {
    const tenPercent = { kind: "relative", within: 0.1 } as const;
    expect(closeness(105, 100, tenPercent)).toMatchObject({ ok: true, verdict: "5% too high" });
    expect(closeness(310, 100, tenPercent)).toMatchObject({ ok: false, verdict: "3.1× too high" });
    expect(closeness(80, 100, tenPercent)).toMatchObject({ ok: false, verdict: "20% too low" });
    expect(closeness(100, 100, tenPercent).verdict).toBe("on target");
    expect(closeness(300, 100, { kind: "factor", within: Math.sqrt(10) }).ok).toBe(true);
    expect(closeness(400, 100, { kind: "factor", within: Math.sqrt(10) }).ok).toBe(false);
  });

  it("describes itself for a learner", () => {
    expect(describeTolerance({ kind: "relative", within: 0.1 })).toBe("within 10%");
    expect(describeTolerance({ kind: "factor", within: 2 })).toBe("within 2×");
    expect(describeTolerance({ kind: "factor", within: Math.sqrt(10) })).toBe("within the same order of magnitude");
  });
});
