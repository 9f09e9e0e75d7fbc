// A design read as a reviewer would: every requirement in a table with its number, and the two or
// three problems that matter most first, each with what would fix it.
import { type ColdCache, coldCache, type DrillOutcome, type HotKey, hotKey } from "./drills.ts";
import { type Evaluation, HEADROOM } from "./evaluate.ts";
import type { Requirements } from "./requirements.ts";
import { isLog, STORES } from "./schema.ts";
import { type PatternRun, RECOVERY_SECONDS, runPatterns } from "./traffic.ts";

export interface Row {
  requirement: string;
  holds: boolean;
  figure: string;
}

export interface Problem {
  /**
   * what to fix first: a design broken at peak (a queue that only grows, a zone that takes a
   * component with it) before a requirement missed, before what a traffic pattern shows; within
   * each, how far past its line
   */
  severity: number;
  text: string;
}

export interface Review {
  rows: Row[];
  /** worst first */
  problems: Problem[];
}

/** everything the tests and the review read, worked out once */
export interface Findings {
  evaluation: Evaluation;
  patterns: PatternRun[];
  coldCaches: ColdCache[];
  hotKeys: HotKey[];
}

export function findingsOf(evaluation: Evaluation, requirements: Requirements, seed = 1): Findings {
  const drills = requirements.drills ?? [];
  return {
    evaluation,
    patterns: runPatterns(evaluation.model, seed),
    coldCaches: drills.includes("cold-cache") ? coldCache(evaluation.model, seed) : [],
    hotKeys: drills.includes("hot-key")
      ? Object.entries(requirements.hotKeys ?? {}).map(([flow, share]) =>
          hotKey(evaluation.model, flow, shareOf(share), seed),
        )
      : [],
  };
}

/** tiers of what to fix first (Problem.severity): the tier, then how far past its line, capped below the next tier */
const BROKEN = 30;
const MISSED = 20;
const PATTERN = 10;
const rank = (tier: number, ratio: number) => tier + Math.min(Number.isFinite(ratio) ? ratio : 9.99, 9.99);

/** "0.1%" as 0.001 */
export function shareOf(text: string): number {
  const match = /^\s*([0-9.]+)\s*%\s*$/.exec(text);
  const value = match ? Number(match[1]) / 100 : Number(text);
  if (!(value > 0 && value <= 1)) throw new Error(`expected a share such as "0.1%", got "${text}"`);
  return value;
}

export const percent = (share: number) =>
  Number.isFinite(share) ? `${share >= 0.1 ? Math.round(share * 100) : Number((share * 100).toPrecision(2))}%` : "∞";
export const millis = (ms: number) =>
  !Number.isFinite(ms)
    ? "unbounded"
    : ms >= 1_000
      ? `${Number((ms / 1000).toPrecision(2))} s`
      : `${Number(ms.toPrecision(3))} ms`;
/** "$80.7k" */
export const dollars = (usd: number) =>
  usd >= 1e6
    ? `$${Number((usd / 1e6).toPrecision(3))}M`
    : usd >= 1e3
      ? `$${Number((usd / 1e3).toPrecision(3))}k`
      : `$${Math.round(usd)}`;
/** "1.81 PB": terabytes, in the largest decimal unit that leaves a figure of at least 1 */
export const bytes = (tb: number) =>
  tb >= 1e6
    ? `${Number((tb / 1e6).toPrecision(3))} EB`
    : tb >= 1e3
      ? `${Number((tb / 1e3).toPrecision(3))} PB`
      : `${Number(tb.toPrecision(3))} TB`;
const availability = (share: number) => `${Number((share * 100).toPrecision(6))}%`;

/** what fixes a component past its line, by what it is */
function remedy(evaluation: Evaluation, name: string): string {
  const c = evaluation.design.components[name];
  if (!c) return "";
  if (c.kind === "cache") return "add cache nodes";
  if (STORES.has(c.kind)) return "add shards (writes), replicas (reads) or a cache in front";
  const partition = evaluation.components.get(name)?.partition;
  if (partition && partition.utilisation > HEADROOM) return "add partitions (and consumers to read them)";
  if (isLog(c)) return "add brokers";
  const load = evaluation.components.get(name);
  if (load?.working !== undefined)
    return `add partitions: only ${load.working} of its ${load.instances} consumers have a partition to read`;
  if (c.kind === "queue" || c.kind === "stream-processor") return "add partitions and consumers";
  return "add instances";
}

/** which flows still meet their p99 under a drill, and which do not */
function stillHolds(outcome: DrillOutcome): string {
  const held = outcome.flows.filter((f) => f.p99 <= f.slo).map((f) => `${f.name} p99 ${millis(f.p99)}`);
  const broke = outcome.flows.filter((f) => !(f.p99 <= f.slo)).map((f) => `${f.name} p99 ${millis(f.p99)}`);
  return [held.length ? `holds: ${held.join(", ")}` : "", broke.length ? `breaks: ${broke.join(", ")}` : ""]
    .filter(Boolean)
    .join("; ");
}

export function reviewDesign(findings: Findings, requirements: Requirements): Review {
  const { evaluation, patterns, coldCaches, hotKeys } = findings;
  const rows: Row[] = [];
  const problems: Problem[] = [];
  const loads = [...evaluation.components.values()].sort((a, b) => b.utilisation - a.utilisation);
  const busiest = loads[0];
  rows.push({
    requirement: `every component at ${percent(HEADROOM)} of capacity or less at peak`,
    holds: loads.every((load) => load.utilisation <= HEADROOM),
    figure: busiest ? `busiest: ${busiest.name} at ${percent(busiest.utilisation)}` : "",
  });
  for (const load of loads.filter((l) => l.utilisation > HEADROOM))
    problems.push({
      severity: rank(load.utilisation >= 1 ? BROKEN : MISSED, load.utilisation / HEADROOM),
      text: `${load.name} (${load.kind}) at ${percent(load.utilisation)} of its capacity at peak: ${remedy(evaluation, load.name)}`,
    });

  for (const flow of evaluation.flows) {
    rows.push({
      requirement: `${flow.name}: p99 ≤ ${millis(flow.p99Slo)} at peak`,
      holds: flow.p99 <= flow.p99Slo,
      figure: millis(flow.p99),
    });
    if (!(flow.p99 <= flow.p99Slo)) {
      const worst = [...flow.slowest].sort((a, b) => b.ms - a.ms)[0];
      problems.push({
        severity: rank(Number.isFinite(flow.p99) ? MISSED : BROKEN, flow.p99 / flow.p99Slo),
        text: `${flow.name}'s p99 is ${millis(flow.p99)}, ${millis(flow.p99Slo)} asked${worst ? `: its slowest requests spend most at ${worst.step}` : ""}`,
      });
    }
  }
  for (const flow of evaluation.flows) {
    const enough = flow.availability >= evaluation.availability;
    rows.push({
      requirement: `${flow.name}: up ${availability(evaluation.availability)}, no single point of failure`,
      holds: enough && flow.singlePoints.length === 0,
      figure: `${availability(flow.availability)}${flow.singlePoints.length ? `; single points: ${flow.singlePoints.join(", ")}` : ""}`,
    });
    if (!enough || flow.singlePoints.length)
      problems.push({
        severity: rank(MISSED, (1 - flow.availability) / (1 - evaluation.availability) + flow.singlePoints.length),
        text: `${flow.name} is up ${availability(flow.availability)} of the time${flow.singlePoints.length ? `; one failure stops ${flow.singlePoints.join(", ")}: spread it over zones, with a spare` : ""}`,
      });
  }
  for (const flow of evaluation.flows.filter((f) => f.consistency !== undefined)) {
    const stale = flow.consistency ?? [];
    rows.push({
      requirement: `${flow.name}: strong, a read sees the latest acknowledged write`,
      holds: stale.length === 0,
      figure: stale.length ? stale.join("; ") : "quorums overlap on every store it reads, no cache on its path",
    });
    for (const text of stale) problems.push({ severity: rank(MISSED, 2), text });
  }
  for (const s of evaluation.storage ?? []) {
    const share = s.needTb / s.haveTb;
    rows.push({
      requirement: `${s.store} keeps the retained data in ${percent(HEADROOM)} of its disks`,
      holds: share <= HEADROOM,
      figure: `${bytes(s.needTb)} on ${bytes(s.haveTb)} (${percent(share)})${s.yearlyTb ? `; grows ${Number(s.yearlyTb.toPrecision(3))} TB a year` : ""}${s.rollingDays ? `; kept ${Number(s.rollingDays.toPrecision(3))} days, then deleted: steady` : ""}`,
    });
    if (share > HEADROOM)
      problems.push({
        severity: rank(share > 1 ? BROKEN : MISSED, share / HEADROOM),
        text: `${s.store} needs ${bytes(s.needTb)} and has ${bytes(s.haveTb)} of disk: add ${isLog(evaluation.design.components[s.store] ?? { kind: "" }) ? "brokers" : "shards"} or bigger disks`,
      });
  }
  const { cost, budget } = evaluation;
  const dearest = cost.components
    .slice(0, 3)
    .map((c) => `${c.name} ${dollars(c.compute + c.storage)}`)
    .join(", ");
  rows.push({
    requirement: budget === undefined ? "monthly cost (no budget asked)" : `monthly cost within ${dollars(budget)}`,
    holds: budget === undefined || cost.total <= budget,
    figure: `${dollars(cost.total)}: ${dearest}`,
  });
  if (budget !== undefined && cost.total > budget) {
    const [top] = cost.components;
    problems.push({
      severity: rank(MISSED, cost.total / budget),
      text: `the design costs ${dollars(cost.total)} a month, ${dollars(budget)} allowed${top ? `: ${top.name} takes ${dollars(top.compute)} of instances and ${dollars(top.storage)} of disk` : ""}`,
    });
  }
  if (requirements.drills?.includes("zone-loss")) {
    // in a problem served from several regions, each zone is a region
    const where = evaluation.model.regions ? "region" : "zone";
    const broken = evaluation.zoneLoss.flatMap(({ zone, lost, overloaded }) => [
      ...lost.map((name) => ({ text: `without ${where} ${zone}, ${name} is gone`, severity: rank(BROKEN, 1) })),
      ...overloaded.map((o) => ({
        text: `without ${where} ${zone}, ${o.name} at ${percent(o.utilisation)}`,
        severity: rank(MISSED, o.utilisation),
      })),
    ]);
    rows.push({
      requirement: `any one ${where} lost at peak: everything left under 100%`,
      holds: broken.length === 0,
      figure: broken.length
        ? broken.map((b) => b.text).join("; ")
        : `carried by the other ${evaluation.design.zones.length - 1} ${where}(s)`,
    });
    for (const b of broken)
      problems.push({
        severity: b.severity,
        text: `${b.text}: spread it over the ${where}s with room for a ${where}'s share`,
      });
  }
  for (const cold of coldCaches) {
    const over = cold.oneNode.overloaded;
    rows.push({
      requirement: `one ${cold.cache} node of ${cold.nodes} restarts empty at peak: everything under 100%`,
      holds: over.length === 0,
      figure: `${over.length ? over.map((o) => `${o.name} at ${percent(o.utilisation)}`).join(", ") : "carried"}; ${stillHolds(cold.oneNode)}${cold.wholeTier.overloaded.length ? ` (every node empty at once: ${cold.wholeTier.overloaded.map((o) => `${o.name} at ${percent(o.utilisation)}`).join(", ")})` : ""}`,
    });
    for (const o of over)
      problems.push({
        severity: rank(MISSED, o.utilisation),
        text: `with one ${cold.cache} node empty, ${o.name} takes its misses at ${percent(o.utilisation)}: more, smaller cache nodes, or room in ${o.name}`,
      });
  }
  for (const hot of hotKeys) {
    const over = hot.holders.filter((h) => h.utilisation >= 1);
    rows.push({
      requirement: `${hot.flow}'s hottest key at ten times its share (${percent(hot.share)}): its holders under 100%`,
      holds: over.length === 0,
      figure: `${hot.holders.map((h) => `${h.name}${h.what === "partition" ? "'s partition" : ""} ${percent(h.utilisation)}`).join(", ")}; ${stillHolds(hot.outcome)}`,
    });
    for (const o of over)
      problems.push({
        severity: rank(MISSED, o.utilisation),
        text:
          o.what === "partition"
            ? `a hot key in ${hot.flow} puts the ${o.name} partition holding it at ${percent(o.utilisation)}: salt the key over several partitions (keySpread), or send it without a key if nothing needs its order`
            : `a hot key in ${hot.flow} puts the ${o.name} instance holding it at ${percent(o.utilisation)}: cache it in front (replicated), or split the key`,
      });
  }
  for (const run of patterns) {
    const verdict = patternVerdict(run);
    const refused = mostRefused(run);
    rows.push({
      requirement: run.pattern.spike
        ? `${run.pattern.label}: p99s met, queues empty ${RECOVERY_SECONDS / 60} min after`
        : `${run.pattern.label}: p99s met, nothing refused`,
      holds: verdict.length === 0,
      figure: `worst p99: ${worstP99(run)}${refused ? `; refused at most ${refused}` : ""}${run.drainedAfter !== undefined && run.drainedAfter > 0 ? `; queues empty ${Number.isFinite(run.drainedAfter) ? `${run.drainedAfter} s after` : "only after the run"}` : ""}`,
    });
    const first = verdict[0];
    if (first) problems.push(first);
  }
  problems.sort((a, b) => b.severity - a.severity);
  return { rows, problems };
}

/**
 * What a traffic pattern breaks, worst first: a p99 past its objective in some window, traffic
 * refused at or below peak (a limit below what the problem asks), a spike's queues still full
 * five minutes after it.
 */
export function patternVerdict(run: PatternRun): Problem[] {
  const problems: Problem[] = [];
  const late = lateWindows(run);
  const worst = [...late].sort((a, b) => b.p99 - a.p99)[0];
  if (worst) {
    const slo = run.slos.get(worst.flow) ?? 0;
    problems.push({
      severity: rank(PATTERN, worst.p99 / slo),
      text: `${run.pattern.label}: ${worst.flow}'s p99 reaches ${millis(worst.p99)} at ${worst.at} s (${millis(slo)} asked)${run.pattern.spike ? ": a queue builds behind the spike; refuse what is past capacity at the edge (the flow's admits)" : ""}`,
    });
  }
  for (const w of run.windows) {
    if (w.share > 1 + 1e-9) continue;
    const refused = [...w.refused].find(([, share]) => share > 1e-9);
    if (refused) {
      problems.push({
        severity: rank(MISSED, 1 + refused[1]),
        text: `${run.pattern.label}: ${refused[0]} refuses ${percent(refused[1])} of its requests at ${percent(w.share)} of peak: its admits is below the peak the problem asks for`,
      });
      break;
    }
  }
  const drained = run.drainedAfter;
  if (drained !== undefined && drained > RECOVERY_SECONDS)
    problems.push({
      severity: rank(PATTERN, drained / RECOVERY_SECONDS),
      text: `${run.pattern.label}: the queues are ${Number.isFinite(drained) ? `empty only ${drained} s after it` : "not empty by the end of the run"}`,
    });
  return problems.sort((a, b) => b.severity - a.severity);
}

/** the largest share of a flow refused in a run, with the flow's name */
function mostRefused(run: PatternRun): string {
  let most: [string, number] = ["", 0];
  for (const w of run.windows) for (const [flow, share] of w.refused) if (share > most[1]) most = [flow, share];
  return most[1] > 1e-9 ? `${percent(most[1])} of ${most[0]}` : "";
}

/** the windows of a run where some flow's p99 is past its objective */
export function lateWindows(run: PatternRun): { at: number; flow: string; p99: number }[] {
  return run.windows.flatMap((w) =>
    [...w.p99]
      .filter(([flow, p99]) => !(p99 <= (run.slos.get(flow) ?? 0)))
      .map(([flow, p99]) => ({ at: w.at, flow, p99 })),
  );
}

/** each flow's highest p99 in any window of a run */
function worstP99(run: PatternRun): string {
  const worst = [...run.slos.keys()].map(
    (flow) => `${flow} ${millis(Math.max(...run.windows.map((w) => w.p99.get(flow) ?? 0)))}`,
  );
  return worst.join(", ");
}
