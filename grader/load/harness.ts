import { isLoadSmoke } from "./smoke.ts";
import { median, percentile } from "./stats.ts";
import { nowNs, settle } from "./timer.ts";

/**
 * Runs operations [from, to) of a workload on one instance. It may return a
 * number that sums up the answers it got (requests admitted, hits, a checksum):
 * with `answers` set, the harness holds the learner's sum for each round to the
 * reference's on the same calls.
 */
export type Step<I> = (instance: I, from: number, to: number) => unknown;

/** what the answers under load are, and how far the learner's sum may be from the reference's */
export interface AnswersCheck {
  /** what `run` sums, for the message: "requests admitted" */
  what: string;
  /** relative difference allowed (0, the default, means equal) */
  tolerance?: number;
}

/** the learner's answers under load against the reference's, round by round on the same calls */
export interface AnswersResult {
  what: string;
  tolerance: number;
  ok: boolean;
  /** the first round whose sums differ, or the last that agreed: "100000 calls" */
  round: string;
  learner: number;
  reference: number;
}

export interface SubjectStats {
  /** operations per second, median over measured rounds */
  opsPerSec: number;
  /** median and 99th percentile of ns per operation, over timed batches */
  p50Ns: number;
  p99Ns: number;
  rounds: number;
  /** the subject was so much slower than the reference that timing stopped early */
  stoppedEarly: boolean;
}

export interface LoadResult {
  kind: "load";
  ops: number;
  learner: SubjectStats;
  reference: SubjectStats;
  /** learner ÷ reference: throughput (higher is better), p50 and p99 (lower is better) */
  ratios: { throughput: number; p50: number; p99: number };
  /** the learner's answers against the reference's, when the spec sums them */
  answers?: AnswersResult;
}

export interface LoadOptions<I> {
  learner: () => I;
  reference: () => I;
  /** operations per round; each round gets a fresh instance */
  ops: number;
  run: Step<I>;
  /** timed slices per round; their ns/op give the latency percentiles */
  batches?: number;
  rounds?: number;
  /** untimed rounds on a quarter of the workload, A B A B, so the JIT has seen both subjects */
  warmupRounds?: number;
  /**
   * stop timing the learner once it is this many times slower than the reference: by default 1.5
   * times the slowdown its kata's throughput budget allows (loadTest sets it), at most 10
   */
  maxSlowdown?: number;
  /** hold the sums `run` returns to the reference's, round by round */
  answers?: AnswersCheck;
}

interface Round {
  ns: number;
  done: number;
  samples: number[];
  stoppedEarly: boolean;
  /** the sum of what run returned over the round */
  answers: number;
}

// warm-up runs a quarter of the workload; code shared by both subjects (the spec's loop) is
// re-optimized when the second subject arrives, so warm-up is allowed to be this much slower
const WARMUP_SHARE = 0.25;
const WARMUP_SLACK = 3;

function timeRound<I>(instance: I, ops: number, batches: number, run: Step<I>, deadlineNs: number): Round {
  const size = Math.max(1, Math.ceil(ops / batches));
  const samples: number[] = [];
  let ns = 0;
  let done = 0;
  let answers = 0;
  while (done < ops) {
    const to = Math.min(ops, done + size);
    const start = nowNs();
    const answered = run(instance, done, to);
    const spent = nowNs() - start;
    if (typeof answered === "number") answers += answered;
    samples.push(spent / (to - done));
    ns += spent;
    done = to;
    if (ns > deadlineNs && done < ops) return { ns, done, samples, stoppedEarly: true, answers };
  }
  return { ns, done, samples, stoppedEarly: false, answers };
}

/** a round's answers, keyed by the calls it made, to set against the reference's for the same calls */
interface Answered {
  round: string;
  answers: number;
}

/**
 * Holds every whole learner round's sum of answers to the reference's for the
 * same calls: a kata that answers rightly in the behaviour tests and takes a
 * shortcut when it is called fast or often shows up here. The reference must
 * agree with itself, or the spec's sums are not deterministic.
 */
export function checkAnswers(check: AnswersCheck, learner: Answered[], reference: Answered[]): AnswersResult {
  const tolerance = check.tolerance ?? 0;
  const expected = new Map<string, number>();
  for (const round of reference) {
    const seen = expected.get(round.round);
    if (seen !== undefined && seen !== round.answers)
      throw new Error(
        `the reference summed ${check.what} to ${seen} and then ${round.answers} in rounds of ${round.round}: the spec's sums are not deterministic`,
      );
    expected.set(round.round, round.answers);
  }
  const close = (a: number, b: number) => Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  let agreed: AnswersResult | undefined;
  for (const round of learner) {
    const want = expected.get(round.round);
    if (want === undefined) continue;
    const result = { what: check.what, tolerance, round: round.round, learner: round.answers, reference: want };
    if (!close(round.answers, want)) return { ...result, ok: false };
    agreed = { ...result, ok: true };
  }
  return agreed ?? { what: check.what, tolerance, ok: true, round: "no whole round", learner: 0, reference: 0 };
}

// one round cut short may be a hiccup (a collection, another process); two are a pattern
const STOPS_TO_GIVE_UP = 2;

function hopeless(rounds: ReadonlyArray<{ stoppedEarly: boolean }>): boolean {
  return rounds.filter((r) => r.stoppedEarly).length >= STOPS_TO_GIVE_UP;
}

function summarize(rounds: Round[]): SubjectStats {
  const samples = rounds.flatMap((r) => r.samples);
  return {
    opsPerSec: median(rounds.map((r) => (r.done / Math.max(r.ns, 1)) * 1e9)),
    p50Ns: percentile(samples, 0.5),
    p99Ns: percentile(samples, 0.99),
    rounds: rounds.length,
    stoppedEarly: rounds.some((r) => r.stoppedEarly),
  };
}

/** learner and reference measured alike, with their ratios: every load comparison's result */
export function loadResultOf(ops: number, learner: SubjectStats, reference: SubjectStats): LoadResult {
  return {
    kind: "load",
    ops,
    learner,
    reference,
    ratios: {
      throughput: learner.opsPerSec / reference.opsPerSec,
      p50: learner.p50Ns / reference.p50Ns,
      p99: learner.p99Ns / reference.p99Ns,
    },
  };
}

/**
 * Runs learner and reference on the identical workload in one process:
 * warm-up rounds for both, then measured rounds interleaved A B, B A, A B, ...
 * so drift in machine load falls on both alike. A learner far slower than the
 * reference is timed only until that is clear.
 */
const MAX_SLOWDOWN = 10;
let budgetSlowdown: number | undefined;

/**
 * The throughput budget of the load test about to run (loadTest says it). A round past 1.5 times
 * the slowdown it allows fails it however the other rounds go: timing that round to its end only
 * makes a learner wait (and the matrix, for a slow mutant). A cut round still counts what it did.
 */
export function setThroughputBudget(min: number | undefined): void {
  budgetSlowdown = min === undefined || !(min > 0) ? undefined : Math.min(MAX_SLOWDOWN, 1.5 / min);
}

export function compareLoad<I>(options: LoadOptions<I>): LoadResult {
  const { ops, run, batches = 50, maxSlowdown = budgetSlowdown ?? MAX_SLOWDOWN } = options;
  const { rounds = 5, warmupRounds = 2 } = isLoadSmoke() ? { rounds: 1, warmupRounds: 0 } : options;
  const subjects = { learner: options.learner, reference: options.reference };
  const timed: Record<"learner" | "reference", Round[]> = { learner: [], reference: [] };
  // every whole round's answers, warm-up included: a shortcut may wait for the timed rounds
  const answered: Record<"learner" | "reference", Answered[]> = { learner: [], reference: [] };
  const keep = (who: "learner" | "reference", round: Round) => {
    if (!round.stoppedEarly) answered[who].push({ round: `${round.done} calls`, answers: round.answers });
    return round;
  };

  const warmOps = Math.min(ops, Math.max(Math.ceil(ops / batches), Math.ceil(ops * WARMUP_SHARE)));
  let warmReferenceNs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < warmupRounds; i++) {
    const reference = keep(
      "reference",
      timeRound(subjects.reference(), warmOps, batches, run, Number.POSITIVE_INFINITY),
    );
    warmReferenceNs = Math.min(warmReferenceNs, reference.ns);
    const learner = keep(
      "learner",
      timeRound(subjects.learner(), warmOps, batches, run, warmReferenceNs * maxSlowdown * WARMUP_SLACK),
    );
    if (learner.stoppedEarly) {
      // slow even allowing for warm-up: it counts as one round cut short
      timed.learner.push(learner);
      break;
    }
  }

  let referenceNs = Number.POSITIVE_INFINITY;
  const once = (who: "learner" | "reference"): Round => {
    const instance = subjects[who]();
    settle();
    const deadline = who === "reference" ? Number.POSITIVE_INFINITY : referenceNs * maxSlowdown;
    const round = keep(who, timeRound(instance, ops, batches, run, deadline));
    if (who === "reference") referenceNs = Math.min(referenceNs, round.ns);
    return round;
  };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (["reference", "learner"] as const) : (["learner", "reference"] as const);
    for (const who of order) {
      if (who === "learner" && hopeless(timed.learner)) continue;
      timed[who].push(once(who));
    }
  }
  return {
    ...loadResultOf(ops, summarize(timed.learner), summarize(timed.reference)),
    ...(options.answers ? { answers: checkAnswers(options.answers, answered.learner, answered.reference) } : {}),
  };
}

export interface GrowthStats {
  /** ns per operation with a state of size n, and of size factor·n */
  smallNsPerOp: number;
  largeNsPerOp: number;
  /** time at factor·n ÷ time at n, for the same number of operations */
  growth: number;
  stoppedEarly: boolean;
}

export interface GrowthResult {
  kind: "growth";
  n: number;
  factor: number;
  ops: number;
  learner: GrowthStats;
  reference: GrowthStats;
  /** learner growth ÷ reference growth: about 1 for the same complexity class */
  ratio: number;
  /** the learner's answers against the reference's, when the spec sums them */
  answers?: AnswersResult;
}

export interface GrowthOptions<I> {
  /** build an instance holding a state of the given size (not timed) */
  learner: (size: number) => I;
  reference: (size: number) => I;
  n: number;
  factor?: number;
  /** timed operations at each size */
  ops: number;
  run: Step<I>;
  rounds?: number;
  /** stop timing the learner once it is this many times slower than the reference (default 10) */
  maxSlowdown?: number;
  /** hold the sums `run` returns to the reference's, size by size */
  answers?: AnswersCheck;
}

/**
 * Times the same number of operations against a state of size n and of size
 * factor·n. An O(1) operation grows about 1×, an O(n) one about factor×; the
 * reference's growth in the same run is the yardstick.
 */
export function compareGrowth<I>(options: GrowthOptions<I>): GrowthResult {
  const { n, factor = 10, ops, run, maxSlowdown = 10 } = options;
  const rounds = isLoadSmoke() ? 1 : (options.rounds ?? 5);
  const sizes = [n, n * factor] as const;
  const build = { learner: options.learner, reference: options.reference };
  type Run = { ns: number; stoppedEarly: boolean };
  const runs = {
    learner: [[], []] as [Run[], Run[]],
    reference: [[], []] as [Run[], Run[]],
  };
  const referenceBest = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  // the two sizes answer differently: each is a round of its own
  const answered: Record<"learner" | "reference", Answered[]> = { learner: [], reference: [] };

  const once = (who: "learner" | "reference", which: 0 | 1): Run => {
    const instance = build[who](sizes[which]);
    settle();
    const limit = who === "reference" ? Number.POSITIVE_INFINITY : (referenceBest[which] as number) * maxSlowdown;
    // fine slices, so a call that is exponentially slow is cut off soon after the limit
    const round = timeRound(instance, ops, Math.min(ops, 200), run, limit);
    if (!round.stoppedEarly)
      answered[who].push({ round: `${ops} calls against a state of ${sizes[which]}`, answers: round.answers });
    // a round cut short is extrapolated to the whole workload
    const ns = (round.ns / round.done) * ops;
    if (who === "reference") referenceBest[which] = Math.min(referenceBest[which] as number, ns);
    return { ns, stoppedEarly: round.stoppedEarly };
  };

  // warm-up: both subjects once at the small size, so shared code has seen both
  once("reference", 0);
  once("learner", 0);
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (["reference", "learner"] as const) : (["learner", "reference"] as const);
    for (const who of order) {
      for (const which of [0, 1] as const) {
        if (who === "learner" && hopeless(runs.learner[which])) continue;
        runs[who][which].push(once(who, which));
      }
    }
  }
  const stats = (who: "learner" | "reference"): GrowthStats => {
    const small = median(runs[who][0].map((r) => r.ns));
    const large = median(runs[who][1].map((r) => r.ns));
    return {
      smallNsPerOp: small / ops,
      largeNsPerOp: large / ops,
      growth: large / small,
      stoppedEarly: runs[who].some((list) => list.some((r) => r.stoppedEarly)),
    };
  };
  const learner = stats("learner");
  const reference = stats("reference");
  return {
    kind: "growth",
    n,
    factor,
    ops,
    learner,
    reference,
    ratio: learner.growth / reference.growth,
    ...(options.answers ? { answers: checkAnswers(options.answers, answered.learner, answered.reference) } : {}),
  };
}
