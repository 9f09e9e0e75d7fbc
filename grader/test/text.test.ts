import { describe, expect, it } from "vitest";
import { clip, quoteArg, stripAnsi, table } from "../report/text.ts";

describe("table", () => {
  it("pads columns to the widest cell, ignoring color codes", () => {
    expect(
      table([
        ["a", "\u001b[32mgreen\u001b[39m", "x"],
        ["long", "b", "y"],
      ]).map(stripAnsi),
    ).toEqual(["a     green  x", "long  b      y"]);
  });

  it("aligns the columns it is told to the right", () => {
    expect(
      table(
        [
          ["x", "1.5×"],
          ["yy", "12×"],
        ],
        [1],
      ),
    ).toEqual(["x   1.5×", "yy   12×"]);
  });
});

describe("clip", () => {
  it("keeps the first lines and says how many it left out", () => {
    expect(clip("1\n2\n3\n4", 2)).toBe("1\n2\n… 2 more lines");
    expect(clip("1\n2", 2)).toBe("1\n2");
  });
});

describe("quoteArg", () => {
  it("quotes for a POSIX shell only when needed", () => {
    expect(quoteArg("token-bucket")).toBe("token-bucket");
    expect(quoteArg("a client's poll")).toBe("'a client'\\''s poll'");
  });
});
