import { describe } from "vitest";
import { design } from "#kata/12-consensus-and-coordination/design-lock-service";
import { kataOf } from "#spec";
import chapter from "../../../chapters/12-consensus-and-coordination/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "12-consensus-and-coordination", "design-lock-service");
if (!requirements)
  throw new Error("chapters/12-consensus-and-coordination/chapter.ts gives design-lock-service no requirements");

describe("a configuration and lock service, at the chapter's peak", () => {
  designTests(requirements, design);
});
