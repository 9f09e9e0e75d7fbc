import { describe } from "vitest";
import { design } from "#kata/08-search-and-proximity/design-nearby-search";
import { kataOf } from "#spec";
import chapter from "../../../chapters/08-search-and-proximity/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "08-search-and-proximity", "design-nearby-search");
if (!requirements)
  throw new Error("chapters/08-search-and-proximity/chapter.ts gives design-nearby-search no requirements");

describe("nearby search, at the chapter's peak", () => {
  designTests(requirements, design);
});
