import { describe } from "vitest";
import { design } from "#kata/06-ids-and-url-shortener/design-url-shortener";
import { kataOf } from "#spec";
import chapter from "../../../chapters/06-ids-and-url-shortener/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "06-ids-and-url-shortener", "design-url-shortener");
if (!requirements)
  throw new Error("chapters/06-ids-and-url-shortener/chapter.ts gives design-url-shortener no requirements");

describe("a URL shortener, at the chapter's peak", () => {
  designTests(requirements, design);
});
