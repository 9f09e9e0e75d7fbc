import { describe } from "vitest";
import { design } from "#kata/10-storage-engines/design-file-sync";
import { kataOf } from "#spec";
import chapter from "../../../chapters/10-storage-engines/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "10-storage-engines", "design-file-sync");
if (!requirements) throw new Error("chapters/10-storage-engines/chapter.ts gives design-file-sync no requirements");

describe("file sync (Dropbox-like), at the chapter's peak", () => {
  designTests(requirements, design);
});
