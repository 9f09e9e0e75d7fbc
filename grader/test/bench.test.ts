import { describe, expect, it } from "vitest";
import { comparisons } from "../bench/comparisons.ts";

// npm run bench reports and never asserts its targets; this checks that each comparison still runs
// and that both sides compute the same thing, so the speeds it prints compare like with like
describe("npm run bench", () => {
  for (const comparison of comparisons) {
    it(`${comparison.name}: ours and ${comparison.library} agree on the workload`, () => {
      const measured = comparison.measure();
      expect(measured.ours).toBe(measured.library);
      expect(measured.result.learner.opsPerSec).toBeGreaterThan(0);
      expect(measured.result.reference.opsPerSec).toBeGreaterThan(0);
    }, 30_000);
  }
});
