import { describe } from "vitest";
import { design } from "#kata/11-replication-and-consistency/design-global-kv";
import { kataOf } from "#spec";
import chapter from "../../../chapters/11-replication-and-consistency/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "11-replication-and-consistency", "design-global-kv");
if (!requirements)
  throw new Error("chapters/11-replication-and-consistency/chapter.ts gives design-global-kv no requirements");

describe("a multi-region key-value store, at the chapter's peak", () => {
  designTests(requirements, design);
});
