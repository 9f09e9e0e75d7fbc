// Traffic over time through a design: steady peak, a ramp, a diurnal wave and a 10× spike. Each
// component's queue is followed second by second as a fluid (arrivals join a backlog, instances work
// it off at capacity), and each window's p99 is drawn at its worst second, the backlog's wait
// included: a queue built by a spike is still there after it, until drained.
//
// Why a fluid and not one event per request on the simulator: a design's peak is 10^4–10^6 requests
// a second, and a diurnal wave a day of it, 10^10 events; the fluid is the limit those events tend
// to at such rates (queues build at arrivals − capacity, drain at capacity − arrivals), computed in
// a few milliseconds. The short-term randomness stays in each hop's M/M/k queue (queueing.ts).
import { loadsOf, type Model, sampleFlow } from "./evaluate.ts";

/** a quiet hour's traffic as a share of peak: the chapters' peak factors are about 3 */
export const TYPICAL = 1 / 3;
/** after the spike, every queue must be empty again within this many seconds */
export const RECOVERY_SECONDS = 300;
const SAMPLES_PER_WINDOW = 2_000;

export interface Pattern {
  name: "steady" | "ramp" | "wave" | "spike";
  title: string;
  /** the title in a few words, for the requirement table */
  label: string;
  seconds: number;
  /** seconds per reported point */
  window: number;
  /** the flows' rate at second t, as a share of their peak */
  share: (t: number) => number;
  /** the spike's own seconds, [from, to) */
  spike?: [number, number];
}

export const PATTERNS: readonly Pattern[] = [
  {
    name: "steady",
    label: "steady peak (10 min)",
    title: "steady peak, 10 minutes",
    seconds: 600,
    window: 60,
    share: () => 1,
  },
  {
    name: "ramp",
    label: "a ramp to peak (30 min)",
    title: "a ramp from a tenth of peak to peak, 30 minutes",
    seconds: 1_800,
    window: 120,
    share: (t) => 0.1 + (0.9 * t) / 1_800,
  },
  {
    name: "wave",
    label: "a diurnal wave (24 h)",
    title: "a diurnal wave, a day from a fifth of peak at night to peak at noon",
    seconds: 86_400,
    window: 3_600,
    share: (t) => 0.2 + 0.8 * ((1 - Math.cos((2 * Math.PI * t) / 86_400)) / 2),
  },
  {
    name: "spike",
    label: "a 10× spike (1 min)",
    title: "a 10× spike: a quiet hour's traffic (a third of peak) ten times over for a minute",
    seconds: 900,
    window: 60,
    share: (t) => (t >= 120 && t < 180 ? 10 * TYPICAL : TYPICAL),
    spike: [120, 180],
  },
];

export interface Window {
  /** the window's worst second */
  at: number;
  /** the traffic offered then, as a share of peak */
  share: number;
  /** each component's utilisation at the window's worst second (past 1: its queue grows) */
  utilisation: Map<string, number>;
  /** each component's backlog at that second: the wait, in seconds, for a request arriving then */
  backlog: Map<string, number>;
  /** each flow's share of its requests refused at the edge then (its `admits` limit) */
  refused: Map<string, number>;
  /** each flow's p99 at that second, ms, for the requests let in */
  p99: Map<string, number>;
}

export interface PatternRun {
  pattern: Pattern;
  /** each flow's p99 objective, ms */
  slos: Map<string, number>;
  windows: Window[];
  /** the spike's: seconds from its end until every queue is empty again (Infinity: not within the run) */
  drainedAfter?: number;
}

/** each flow's share of its peak let in when `share` of it is offered: all of it, up to its limit */
function admitted(model: Model, share: number): Map<string, number> {
  return new Map(
    [...model.rates].map(([flow, peak]) => {
      const limit = model.admits.get(flow);
      return [flow, limit === undefined || peak === 0 ? share : Math.min(share, limit / peak)];
    }),
  );
}

export function runPattern(model: Model, pattern: Pattern, seed = 1): PatternRun {
  const flows = [...model.rates.keys()];
  // the load is linear in each flow's traffic: a component's utilisation is the sum over flows of
  // the flow's share of its peak times what the flow alone puts on it at peak
  const alone = new Map(flows.map((flow) => [flow, loadsOf(model, { flows: new Map([[flow, 1]]) })]));
  const names = Object.keys(model.design.components);
  const backlog = new Map(names.map((name) => [name, 0]));
  const windows: Window[] = [];
  let drainedAt: number | undefined;
  for (let from = 0; from < pattern.seconds; from += pattern.window) {
    let worst: { at: number; weight: number; backlog: Map<string, number>; share: number } | undefined;
    for (let t = from; t < Math.min(from + pattern.window, pattern.seconds); t++) {
      const share = pattern.share(t);
      const scales = admitted(model, share);
      let weight = 0;
      for (const name of names) {
        let utilisation = 0;
        for (const flow of flows)
          utilisation += (scales.get(flow) ?? 0) * (alone.get(flow)?.get(name)?.utilisation ?? 0);
        const left = Math.max(0, (backlog.get(name) ?? 0) + utilisation - 1);
        backlog.set(name, left);
        weight += left + utilisation;
      }
      if (worst === undefined || weight > worst.weight) worst = { at: t, weight, backlog: new Map(backlog), share };
      if (
        pattern.spike &&
        t >= pattern.spike[1] &&
        drainedAt === undefined &&
        [...backlog.values()].every((b) => b === 0)
      )
        drainedAt = t;
    }
    if (!worst) continue;
    const scales = admitted(model, worst.share);
    const loads = loadsOf(model, { flows: scales });
    const held = worst.backlog;
    const p99 = new Map(
      flows.map((flow) => [
        flow,
        sampleFlow(model, flow, loads, {
          seed: seed + from,
          samples: SAMPLES_PER_WINDOW,
          backlog: (name) => (held.get(name) ?? 0) * 1000,
        }).p99,
      ]),
    );
    windows.push({
      at: worst.at,
      share: worst.share,
      utilisation: new Map([...loads].map(([name, load]) => [name, load.utilisation])),
      backlog: held,
      refused: new Map(flows.map((flow) => [flow, worst.share > 0 ? 1 - (scales.get(flow) ?? 0) / worst.share : 0])),
      p99,
    });
  }
  const run: PatternRun = { pattern, slos: model.slos, windows };
  if (pattern.spike)
    run.drainedAfter = drainedAt === undefined ? Number.POSITIVE_INFINITY : drainedAt - pattern.spike[1];
  return run;
}

export const runPatterns = (model: Model, seed = 1) => PATTERNS.map((pattern) => runPattern(model, pattern, seed));
