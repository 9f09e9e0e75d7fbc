import { describe } from "vitest";
import { design } from "#kata/08-search-and-proximity/design-typeahead";
import { kataOf } from "#spec";
import chapter from "../../../chapters/08-search-and-proximity/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "08-search-and-proximity", "design-typeahead");
if (!requirements)
  throw new Error("chapters/08-search-and-proximity/chapter.ts gives design-typeahead no requirements");

describe("search typeahead, at the chapter's peak", () => {
  designTests(requirements, design);
});
