import { describe } from "vitest";
import { design } from "#kata/04-rate-limiting/design-api-rate-limiter";
import { kataOf } from "#spec";
import chapter from "../../../chapters/04-rate-limiting/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "04-rate-limiting", "design-api-rate-limiter");
if (!requirements)
  throw new Error("chapters/04-rate-limiting/chapter.ts gives design-api-rate-limiter no requirements");

describe("an API gateway's rate limiting, at the chapter's peak", () => {
  designTests(requirements, design);
});
