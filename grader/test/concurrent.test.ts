// compareConcurrent, the labs' load comparison: alternating rounds, and no time wasted on a hopeless learner
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { compareConcurrent } from "../load/concurrent.ts";
import { compareLoad } from "../load/harness.ts";
import { setLoadSmoke } from "../load/smoke.ts";

/** a subject whose every operation computes for `ticks` units and then yields: work that takes wall time */
const subject = (ticks: number) => async () => ({ ticks, made: 0 });
let sink = 0;
function spin(units: number): void {
  for (let i = 0; i < units * 20_000; i++) sink = (sink + i) % 1_000_003;
}

function compare(learnerTicks: number, referenceTicks: number) {
  const closed: string[] = [];
  return {
    closed,
    result: compareConcurrent({
      learner: subject(learnerTicks),
      reference: subject(referenceTicks),
      ops: 200,
      workers: 4,
      work: async (instance, _worker, timed) => {
        for (let i = 0; i < 50; i++)
          await timed(async () => {
            spin(instance.ticks);
            await tick();
          });
      },
      close: async (instance) => {
        closed.push(String(instance.ticks));
      },
    }),
  };
}

describe("compareConcurrent", () => {
  it("times four rounds of each, and closes every subject it made", async () => {
    const { result, closed } = compare(3, 3);
    const load = await result;
    expect(load.learner.rounds).toBe(4);
    expect(load.reference.rounds).toBe(4);
    expect(load.learner.stoppedEarly).toBe(false);
    expect(closed).toHaveLength(8);
    expect(load.ratios.throughput).toBeGreaterThan(0.3);
  });

  it("stops after two rounds of a learner far slower than the reference, and says so", async () => {
    const { result } = compare(100, 1);
    const load = await result;
    expect(load.learner.stoppedEarly).toBe(true);
    expect(load.learner.rounds).toBe(2);
    expect(load.ratios.throughput).toBeLessThan(1 / 6);
  });

  it("runs one round of each in smoke mode (the matrix's references), and times in full again after", async () => {
    setLoadSmoke(true);
    try {
      const smoke = await compare(3, 3).result;
      expect([smoke.learner.rounds, smoke.reference.rounds]).toEqual([1, 1]);
      const load = compareLoad({ learner: () => 1, reference: () => 1, ops: 1_000, run: () => {} });
      expect([load.learner.rounds, load.reference.rounds]).toEqual([1, 1]);
    } finally {
      setLoadSmoke(false);
    }
    expect((await compare(3, 3).result).learner.rounds).toBe(4);
  });
});
