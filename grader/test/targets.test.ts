import { describe, expect, it } from "vitest";
import { parseTargetId, targetFile, targetId } from "../run/targets.ts";

describe("targets", () => {
  it("maps each target of #kata/<chapter>/<kata> to its file", () => {
    expect(targetFile("04-rate-limiting", "token-bucket", { kind: "learner" })).toBe(
      "katas/04-rate-limiting/token-bucket.ts",
    );
    expect(targetFile("04-rate-limiting", "token-bucket", { kind: "reference" })).toBe(
      "solutions/04-rate-limiting/token-bucket.ts",
    );
    expect(targetFile("04-rate-limiting", "token-bucket", { kind: "mutant", name: "floor-refill" })).toBe(
      "grader/mutants/04-rate-limiting/token-bucket.floor-refill.ts",
    );
  });

  it("round-trips target ids", () => {
    for (const id of ["learner", "reference", "stub", "mutant:floor-refill"])
      expect(targetId(parseTargetId(id))).toBe(id);
  });

  it("rejects an unknown target id", () => {
    expect(() => parseTargetId("mutant:../../etc")).toThrow(/unknown kata target/);
    expect(() => parseTargetId("solution")).toThrow(/expected learner, reference, stub or mutant:<name>/);
  });
});
