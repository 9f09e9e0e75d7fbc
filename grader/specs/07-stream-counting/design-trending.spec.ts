import { describe } from "vitest";
import { design } from "#kata/07-stream-counting/design-trending";
import { kataOf } from "#spec";
import chapter from "../../../chapters/07-stream-counting/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "07-stream-counting", "design-trending");
if (!requirements) throw new Error("chapters/07-stream-counting/chapter.ts gives design-trending no requirements");

describe("top songs, trending now, at the chapter's peak", () => {
  designTests(requirements, design);
});
