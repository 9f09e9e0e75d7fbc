// Learner against reference for code that works through a server (the labs): each round sets a
// subject up afresh (untimed), then its workers run at once and the round is timed by the wall
// clock, since the work is the server's as much as this process's. Rounds alternate A B, B A, ...
// so a busy machine weighs on both alike; the result has the shape of every other load test.
import { type LoadResult, loadResultOf, type SubjectStats } from "./harness.ts";
import { isLoadSmoke } from "./smoke.ts";
import { median, percentile } from "./stats.ts";

// captured when the grader loads, before any kata does
const clock = performance.now.bind(performance);

export interface ConcurrentOptions<I> {
  /** a subject ready for a round: its schema made and filled (not timed) */
  learner: () => Promise<I>;
  reference: () => Promise<I>;
  /** what a round does in all, for ops a second: jobs drained, requests made */
  ops: number;
  workers: number;
  /**
   * One worker's share of a round. `timed` wraps each operation whose latency counts (a claim):
   * it returns what the operation returns and records how long it took.
   */
  work: (instance: I, worker: number, timed: <T>(operation: () => Promise<T>) => Promise<T>) => Promise<void>;
  /** after a round, timed or not: drop what it made */
  close: (instance: I) => Promise<void>;
  rounds?: number;
  warmupRounds?: number;
}

interface Round {
  ms: number;
  samples: number[];
}

async function round<I>(options: ConcurrentOptions<I>, make: () => Promise<I>): Promise<Round> {
  const instance = await make();
  const samples: number[] = [];
  const timed = async <T>(operation: () => Promise<T>): Promise<T> => {
    const start = clock();
    try {
      return await operation();
    } finally {
      samples.push((clock() - start) * 1e6);
    }
  };
  try {
    const start = clock();
    await Promise.all(Array.from({ length: options.workers }, (_, worker) => options.work(instance, worker, timed)));
    return { ms: clock() - start, samples };
  } finally {
    await options.close(instance);
  }
}

// a learner round this many times the reference's is far past any budget (a throughput ratio of
// 1/6); two of them are a pattern, not a hiccup, and the rest of the rounds would only cost time
const HOPELESS_FACTOR = 6;
const SLOW_ROUNDS_TO_STOP = 2;

function summarize(rounds: Round[], ops: number, stoppedEarly = false): SubjectStats {
  const samples = rounds.flatMap((r) => r.samples);
  return {
    opsPerSec: median(rounds.map((r) => (ops / Math.max(r.ms, 1e-3)) * 1000)),
    p50Ns: percentile(samples, 0.5),
    p99Ns: percentile(samples, 0.99),
    rounds: rounds.length,
    stoppedEarly,
  };
}

export async function compareConcurrent<I>(options: ConcurrentOptions<I>): Promise<LoadResult> {
  // no warm-up by default: a lab's time is the server's, and every round sets up a fresh schema or
  // key prefix, so the first timed round pays nothing the others do not
  const { rounds = 4, warmupRounds = 0 } = isLoadSmoke() ? { rounds: 1, warmupRounds: 0 } : options;
  for (let i = 0; i < warmupRounds; i++) {
    await round(options, options.reference);
    await round(options, options.learner);
  }
  const timed: Record<"learner" | "reference", Round[]> = { learner: [], reference: [] };
  let slowRounds = 0;
  for (let i = 0; i < rounds && slowRounds < SLOW_ROUNDS_TO_STOP; i++) {
    const order = i % 2 === 0 ? (["reference", "learner"] as const) : (["learner", "reference"] as const);
    for (const who of order) timed[who].push(await round(options, options[who]));
    const reference = median(timed.reference.map((r) => r.ms));
    if ((timed.learner.at(-1)?.ms ?? 0) > HOPELESS_FACTOR * reference) slowRounds++;
  }
  return loadResultOf(
    options.ops,
    summarize(timed.learner, options.ops, slowRounds >= SLOW_ROUNDS_TO_STOP),
    summarize(timed.reference, options.ops),
  );
}
