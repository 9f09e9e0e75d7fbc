// Learner against reference for code that works through a server (the labs): each round sets a
// subject up afresh (untimed), then its workers run at once and the round is timed by the wall
// clock, since the work is the server's as much as this process's. Rounds alternate A B, B A, ...
// so a busy machine weighs on both alike; the result has the shape of every other load test.
import type { LoadResult, SubjectStats } from "./harness.ts";
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

function summarize(rounds: Round[], ops: number): SubjectStats {
  const samples = rounds.flatMap((r) => r.samples);
  return {
    opsPerSec: median(rounds.map((r) => (ops / Math.max(r.ms, 1e-3)) * 1000)),
    p50Ns: percentile(samples, 0.5),
    p99Ns: percentile(samples, 0.99),
    rounds: rounds.length,
    stoppedEarly: false,
  };
}

export async function compareConcurrent<I>(options: ConcurrentOptions<I>): Promise<LoadResult> {
  const { rounds = 4, warmupRounds = 1 } = options;
  for (let i = 0; i < warmupRounds; i++) {
    await round(options, options.reference);
    await round(options, options.learner);
  }
  const timed: Record<"learner" | "reference", Round[]> = { learner: [], reference: [] };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (["reference", "learner"] as const) : (["learner", "reference"] as const);
    for (const who of order) timed[who].push(await round(options, options[who]));
  }
  const learner = summarize(timed.learner, options.ops);
  const reference = summarize(timed.reference, options.ops);
  return {
    kind: "load",
    ops: options.ops,
    learner,
    reference,
    ratios: {
      throughput: learner.opsPerSec / reference.opsPerSec,
      p50: learner.p50Ns / reference.p50Ns,
      p99: learner.p99Ns / reference.p99Ns,
    },
  };
}
