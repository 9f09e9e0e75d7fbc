import { describe } from "vitest";
import { design } from "#kata/03-sharding/design-kv-store";
import { kataOf } from "#spec";
import chapter from "../../../chapters/03-sharding/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "03-sharding", "design-kv-store");
if (!requirements) throw new Error("chapters/03-sharding/chapter.ts gives design-kv-store no requirements");

describe("a sharded key-value store with a cache, at the chapter's peak", () => {
  designTests(requirements, design);
});
