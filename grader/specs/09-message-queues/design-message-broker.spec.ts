import { describe } from "vitest";
import { design } from "#kata/09-message-queues/design-message-broker";
import { kataOf } from "#spec";
import chapter from "../../../chapters/09-message-queues/chapter.ts";
import { designTests } from "../../spec/design.ts";

const { design: requirements } = kataOf(chapter, "09-message-queues", "design-message-broker");
if (!requirements) throw new Error("chapters/09-message-queues/chapter.ts gives design-message-broker no requirements");

describe("a Kafka-like message broker, at the chapter's peak", () => {
  designTests(requirements, design);
});
