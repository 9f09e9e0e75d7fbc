import { describe } from "vitest";
import { design } from "#kata/10-storage-engines/design-object-storage";
import { kataOf } from "#spec";
import chapter from "../../../chapters/10-storage-engines/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "10-storage-engines", "design-object-storage");
if (!requirements)
  throw new Error("chapters/10-storage-engines/chapter.ts gives design-object-storage no requirements");

describe("an object store (S3-like), at the chapter's peak", () => {
  designTests(requirements, design);
});
