import { mergeOutcomes } from "./merge.ts";
import type { SpecOutcome } from "./outcome.ts";
import type { RunOptions, RunResult } from "./run-specs.ts";
import { kataStatus } from "./status.ts";
import { RunnerPool, superviseSpecs } from "./supervise.ts";

/**
 * Grades in two passes, each in fresh workers: first every test but the load
 * tests, then the load tests of the katas that got that far. A load test that
 * ran after the property tests would measure a learner's code the JIT had
 * already shaped to other inputs, and the reference's not: 0.13× for the same
 * code, measured. Stubs and broken katas skip the load pass altogether.
 * With a test filter (-t), one pass runs just those tests.
 */
export async function gradeSpecs(options: RunOptions, more: PassOptions = {}): Promise<RunResult> {
  if (options.testNamePattern || options.tests) return superviseSpecs(options, more.pool);
  // the load pass runs in fresh Vitest workers, started by the runner the first pass used
  const pool = more.pool ?? new RunnerPool();
  try {
    return await twoPasses(options, pool, more);
  } finally {
    // a pool of the caller's is the caller's to close (--watch keeps a runner warm between saves)
    if (!more.pool) pool.close();
  }
}

export interface PassOptions {
  /** runners to take from and give back to; by default, one for this grade alone */
  pool?: RunnerPool;
  /** told what the first pass found, and which outcomes the load pass will add to, before it starts */
  onFirstPass?: (first: RunResult, loadPending: SpecOutcome[]) => void;
  /** measure a kata whose behaviour tests fail too (by default, only one whose behaviour tests pass) */
  loadWhenFailing?: boolean;
}

async function twoPasses(options: RunOptions, pool: RunnerPool, more: PassOptions): Promise<RunResult> {
  // the load pass's worker is forked while the first pass runs (its fork would otherwise wait for it)
  const first = await superviseSpecs({ ...options, tests: "no-load", workersForNext: 1, keepOpen: true }, pool);
  // a kata is measured once it is right: the load tests take longer than all the others together,
  // and a learner fixing a failing requirement wants that verdict, not the timings, back first
  const worth = (outcome: SpecOutcome) => {
    const status = kataStatus(outcome);
    const ready = status === "passing" || (more.loadWhenFailing === true && status === "failing");
    return ready && outcome.tests.some((t) => t.state === "skipped");
  };
  const measure = new Set(first.outcomes.filter(worth).map((o) => `${o.kataId}\u0000${o.target}`));
  const jobs = options.jobs.filter((job) =>
    measure.has(`${job.kata.id}\u0000${first.outcomes.find((o) => o.kataId === job.kata.id)?.target}`),
  );
  more.onFirstPass?.(
    first,
    first.outcomes.filter((o) => measure.has(`${o.kataId}\u0000${o.target}`)),
  );
  if (jobs.length === 0) return first;
  // in the first pass's Vitest instance, if the same runner takes it: nothing is transformed again
  const second = await superviseSpecs({ ...options, jobs, tests: "load-only", reuseKept: true }, pool);
  const later = new Map(second.outcomes.map((o) => [`${o.kataId}\u0000${o.target}`, o]));
  return {
    outcomes: first.outcomes.map((outcome) => {
      const load = later.get(`${outcome.kataId}\u0000${outcome.target}`);
      return load ? mergeOutcomes([outcome, load]) : outcome;
    }),
    unhandled: [...first.unhandled, ...second.unhandled],
  };
}
