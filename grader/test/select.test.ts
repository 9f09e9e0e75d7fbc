import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { selectKatas, UnknownSelector } from "../cli/common.ts";
import { loadChapters } from "../manifest/load.ts";

const chapters = await loadChapters(path.join(fileURLToPath(new URL("./fixtures", import.meta.url)), "project"));

describe("selectKatas", () => {
  it("selects everything when nothing is named", () => {
    expect(selectKatas(chapters, []).map((k) => k.id)).toEqual(["adder", "counter", "stack", "broken"]);
  });

  it("selects a kata by id and a chapter by slug or number, in chapter order", () => {
    expect(selectKatas(chapters, ["stack", "adder"]).map((k) => k.id)).toEqual(["adder", "stack"]);
    expect(selectKatas(chapters, ["01-fixture"])).toHaveLength(4);
    expect(selectKatas(chapters, ["1"])).toHaveLength(4);
  });

  it("names what exists when a selector matches nothing", () => {
    expect(() => selectKatas(chapters, ["add"])).toThrow(UnknownSelector);
    expect(() => selectKatas(chapters, ["add"])).toThrow(/no kata or chapter "add". Did you mean adder\?/);
  });
});
