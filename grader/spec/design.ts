import { expect, it } from "vitest";
import { designDiagram } from "../design/diagram.ts";
import { DesignProblem, type Evaluation, evaluateDesign, HEADROOM, SAMPLES } from "../design/evaluate.ts";
import type { Requirements } from "../design/requirements.ts";
import { bytes, dollars, type Findings, findingsOf, millis, patternVerdict, reviewDesign } from "../design/review.ts";
import { type PatternRun, RECOVERY_SECONDS } from "../design/traffic.ts";
import type { Design } from "../kit/design.ts";
import { isNotImplemented } from "../kit/todo.ts";
import { formatNumber } from "../units/format.ts";

const percent = (share: number) => `${formatNumber(share * 100)}%`;
const rate = (perSecond: number) => `${formatNumber(perSecond)} req/s`;
const ms = (value: number) =>
  Number.isFinite(value) ? `${formatNumber(value)} ms` : "unbounded (a queue that only grows)";

/**
 * A design problem's tests: one for each requirement, named for it, each failing with the numbers
 * that broke it. `design` is the learner's (or the reference's) function; a stub's todo() reads as
 * todo, and a design that does not hold together fails every test with what is wrong in it.
 */
export function designTests(requirements: Requirements, design: () => Design): void {
  let evaluation: Evaluation | undefined;
  let failure: unknown;
  const evaluate = (): Evaluation => {
    if (evaluation) return evaluation;
    if (failure) throw failure;
    try {
      evaluation = evaluateDesign(design(), requirements);
      return evaluation;
    } catch (error) {
      failure = error;
      throw error;
    }
  };
  // the first test lists what is wrong with a design that does not hold together; the others say so in a line
  const evaluated = (): Evaluation => {
    try {
      return evaluate();
    } catch (error) {
      if (error instanceof DesignProblem)
        throw new Error("not graded: the design does not hold together (the first test says where)");
      throw error;
    }
  };
  let findings: Findings | undefined;
  const found = (): Findings => {
    findings ??= findingsOf(evaluated(), requirements);
    return findings;
  };

  it("is a whole design: known kinds, quantities that read, its own zones and components, every flow the problem has", ({
    task,
  }) => {
    try {
      const evaluation = evaluate();
      // drawn for the site, beside the reference's (npm run docs)
      task.meta.diagram = designDiagram(evaluation.design, evaluation);
      // read as a review: the requirement table and the worst problems first (npm run grade), each
      // flow's steps with their share of the time (--trace)
      const review = reviewDesign(found(), requirements);
      task.meta.review = {
        rows: review.rows,
        problems: review.problems.slice(0, 3).map((p) => p.text),
        more: Math.max(0, review.problems.length - 3),
        traces: evaluation.flows.map((f) => ({ flow: f.name, p99: f.p99, typical: f.typical, slowest: f.slowest })),
      };
    } catch (error) {
      if (isNotImplemented(error)) throw error;
      throw error instanceof Error ? new Error(error.message) : error;
    }
  });

  it(`carries each flow's peak with every component at ${percent(HEADROOM)} of its capacity or less`, () => {
    const { components, flows } = evaluated();
    const over = [...components.values()]
      .filter((c) => c.utilisation > HEADROOM)
      .sort((a, b) => b.utilisation - a.utilisation)
      .map((c) =>
        c.partition && c.partition.utilisation >= c.perInstance / c.capacity
          ? `${c.name} (${c.kind}) at ${percent(c.utilisation)}: ${rate(c.partition.perPartition)} of writes on each partition, which takes ${rate(c.partition.capacity)}`
          : c.working !== undefined
            ? `${c.name} (${c.kind}) at ${percent(c.utilisation)}: ${rate(c.perInstance)} on each of the ${c.working} of its ${c.instances} instances that work (a consumer group reads each partition with one member), which serve ${rate(c.capacity)}`
            : `${c.name} (${c.kind}) at ${percent(c.utilisation)}: ${rate(c.perInstance)} on each of its ${c.instances} ${c.kind.endsWith("store") ? "nodes" : c.partition ? "brokers" : "instances"}, which serve ${rate(c.capacity)}`,
      );
    const peaks = flows.map((f) => `${f.name} ${rate(f.rate)}`).join(", ");
    expect(over, `at peak (${peaks}), above ${percent(HEADROOM)}:\n  ${over.join("\n  ")}`).toEqual([]);
  });

  it(`meets each flow's p99 latency at peak (every hop an M/M/k queue; ${SAMPLES.toLocaleString("en-US")} seeded requests a flow)`, () => {
    const late = evaluated()
      .flows.filter((f) => !(f.p99 <= f.p99Slo))
      .map((f) => {
        const where = Number.isFinite(f.p99)
          ? `; the slowest 1% spend ${f.slowest
              .filter((s) => s.ms > 0)
              .sort((a, b) => b.ms - a.ms)
              .map((s) => `${ms(s.ms)} at ${s.step}`)
              .join(", ")}`
          : "";
        return `${f.name}: p99 ${ms(f.p99)} at ${rate(f.rate)}, where ${ms(f.p99Slo)} is asked${where}`;
      });
    expect(late, `too slow:\n  ${late.join("\n  ")}`).toEqual([]);
  });

  it("keeps each flow up as often as asked, with no single point of failure on its path", () => {
    const { flows, availability } = evaluated();
    const problems = flows.flatMap((f) => [
      ...(f.availability < availability
        ? [`${f.name}: up ${percent(f.availability)} of the time, where ${percent(availability)} is asked`]
        : []),
      ...f.singlePoints.map((name) => `${f.name}: ${name} has one instance, or all of them in one zone`),
    ]);
    expect(problems, `availability:\n  ${problems.join("\n  ")}`).toEqual([]);
  });

  if (Object.values(requirements.flows).some((flow) => flow.consistency === "strong"))
    it("gives each strong flow the latest acknowledged write: its reads overlap the writes' replicas (R + W > N), its writes wait for a majority, no cache on its path", () => {
      const problems = evaluated().flows.flatMap((f) => f.consistency ?? []);
      expect(problems, `consistency:\n  ${problems.join("\n  ")}`).toEqual([]);
    });

  if (requirements.storage)
    it(`keeps the retained data, with its replicas, in ${percent(HEADROOM)} of the stores' disks`, () => {
      const { storage = [] } = evaluated();
      expect(storage.length, "no flow writes to a store: where does the data live?").toBeGreaterThan(0);
      const short = storage
        .filter((s) => s.needTb > s.haveTb * HEADROOM)
        .map(
          (s) =>
            `${s.store}: ${bytes(s.needTb)} with its replicas, on ${bytes(s.haveTb)} of disk (${percent(s.needTb / s.haveTb)})`,
        );
      expect(short, `storage:\n  ${short.join("\n  ")}`).toEqual([]);
    });

  it(`rides out steady peak, a ramp, a diurnal wave and a 10× spike, simulated second by second: every p99 met, nothing refused up to peak, the spike's queues empty ${RECOVERY_SECONDS / 60} minutes after it`, () => {
    const all = found();
    const problems = all.patterns.flatMap((run) => {
      const found = patternVerdict(run);
      return found.length ? [...found.map((p) => p.text), `  ${timeline(run)}`] : [];
    });
    expect(problems, `traffic over time:\n  ${problems.join("\n  ")}`).toEqual([]);
  });

  if (requirements.budget)
    it("costs no more a month than the budget, at the price table's list prices", () => {
      const { cost, budget = 0 } = evaluated();
      const where = cost.components
        .slice(0, 3)
        .map((c) => `${c.name} ${dollars(c.compute)} of instances, ${dollars(c.storage)} of disk`)
        .join("; ");
      expect(cost.total, `${dollars(cost.total)} a month, ${dollars(budget)} allowed: ${where}`).toBeLessThanOrEqual(
        budget,
      );
    });

  if (requirements.drills?.includes("cold-cache"))
    it("restarts one node of each cache empty at peak and carries its misses, every component under 100% of its capacity", () => {
      const problems = found().coldCaches.flatMap((cold) =>
        cold.oneNode.overloaded.map(
          (o) =>
            `one ${cold.cache} node of ${cold.nodes} empty: ${o.name} at ${percent(o.utilisation)} (its share of the keys now misses)`,
        ),
      );
      expect(problems, `a cold cache:\n  ${problems.join("\n  ")}`).toEqual([]);
    });

  if (requirements.drills?.includes("hot-key"))
    it("takes one key's traffic grown tenfold at peak, the instances holding it under 100% of their capacity", () => {
      const problems = found().hotKeys.flatMap((hot) =>
        hot.holders
          .filter((h) => h.utilisation >= 1)
          .map(
            (h) =>
              `${hot.flow}'s hottest key at ${percent(hot.share)} of its requests: the ${h.name} ${h.what ?? "instance"} holding it at ${percent(h.utilisation)}`,
          ),
      );
      expect(problems, `a hot key:\n  ${problems.join("\n  ")}`).toEqual([]);
    });

  if (requirements.drills?.includes("zone-loss"))
    it("loses any one zone at peak and carries the load on what is left, under 100% of its capacity", () => {
      // in a problem served from several regions, each zone is a region
      const where = requirements.regions ? "region" : "zone";
      const problems = evaluated().zoneLoss.flatMap(({ zone, lost, overloaded }) => [
        ...lost.map((name) => `without ${where} ${zone}: ${name} is gone (every instance, or its majority, was there)`),
        ...overloaded.map((o) => `without ${where} ${zone}: ${o.name} at ${percent(o.utilisation)}`),
      ]);
      expect(problems, `a ${where} lost:\n  ${problems.join("\n  ")}`).toEqual([]);
    });
}

/** a pattern's p99 per window, one flow a line: the shape of the queue building and draining */
function timeline(run: PatternRun): string {
  const unit = run.pattern.window >= 3600 ? "hour" : run.pattern.window === 60 ? "minute" : `${run.pattern.window} s`;
  return [...run.slos.keys()]
    .map((flow) => `${flow} p99 by ${unit}: ${run.windows.map((w) => millis(w.p99.get(flow) ?? 0)).join(", ")}`)
    .join("\n    ");
}
