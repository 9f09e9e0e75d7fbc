import { readFileSync } from "node:fs";
import path from "node:path";
import type { Kata } from "../manifest/load.ts";
import { escapeRegExp } from "../report/text.ts";
import type { ErrorInfo, SpecOutcome } from "../run/outcome.ts";
import type { SpecJob } from "../run/run-specs.ts";
import { superviseSpecs } from "../run/supervise.ts";
import { REFERENCE, STUB, type Target, targetId } from "../run/targets.ts";
import { judgeMutant, judgeReference, judgeStub, mergeOutcomes, type TargetVerdict } from "./judge.ts";
import { caughtByOf, readMutantPatch } from "./mutant-patch.ts";

export type Role = "reference" | "stub" | "mutant";

export interface MatrixRow {
  kata: Kata;
  role: Role;
  /** the mutant's name, or the role */
  label: string;
  verdict: TargetVerdict;
  /** what the target reported, all passes merged */
  outcome?: SpecOutcome;
}

export interface MatrixReport {
  seed: number;
  rows: MatrixRow[];
  unhandled: ErrorInfo[];
  /** tests per kata: what its spec holds */
  testsPerKata: Map<string, number>;
}

const key = (kataId: string, target: string) => `${kataId}\u0000${target}`;

function byKey(outcomes: SpecOutcome[]): Map<string, SpecOutcome> {
  return new Map(outcomes.map((o) => [key(o.kataId, o.target), o]));
}

/**
 * Every spec against its reference (must pass), its stub (must read as todo)
 * and each mutant (must fail a requirement, the one its header names if it
 * names one). Phase one runs everything but load tests, and of a mutant only
 * the test its header names: a mutant's verdict needs no other. Phase two runs
 * the load tests of the mutants whose named test is a load test or that are
 * still alive, in full, and the references' once, in one short round that
 * proves each runs and sums right (load/smoke.ts): a reference timed against
 * itself measures only the machine's noise. Phase three runs in full, to explain it,
 * any mutant its named test did not kill.
 */
export async function runMatrix(root: string, katas: Kata[], seed: number): Promise<MatrixReport> {
  const mutantTarget = (name: string): Target => ({ kind: "mutant", name });
  const caughtBy = new Map<string, string | undefined>();
  const jobs: Array<SpecJob & { kata: Kata; role: Role; label: string }> = [];
  for (const kata of katas) {
    jobs.push({ kata, target: REFERENCE, role: "reference", label: "reference" });
    jobs.push({ kata, target: STUB, role: "stub", label: "stub" });
    for (const mutant of kata.paths.mutants) {
      jobs.push({ kata, target: mutantTarget(mutant.name), role: "mutant", label: mutant.name });
      caughtBy.set(
        key(kata.id, mutant.name),
        caughtByOf(readMutantPatch(readFileSync(path.join(root, mutant.file), "utf8"), mutant.file).preamble),
      );
    }
  }
  const namedOf = (job: (typeof jobs)[number]) => caughtBy.get(key(job.kata.id, job.label));
  const onlyNamed = (job: (typeof jobs)[number]): SpecJob => {
    const named = job.role === "mutant" ? namedOf(job) : undefined;
    return named ? { ...job, only: `${escapeRegExp(named)}$` } : job;
  };

  const first = await superviseSpecs({
    root,
    jobs: jobs.map(onlyNamed),
    seed,
    tests: "no-load",
    defaultTarget: REFERENCE,
  });
  const firstByKey = byKey(first.outcomes);

  /** what a job still needs from the load tests: all of them, the one its header names, or none */
  const phaseTwo = (job: (typeof jobs)[number]): SpecJob | undefined => {
    if (job.role === "reference") return job;
    if (job.role === "stub") return undefined;
    const outcome = firstByKey.get(key(job.kata.id, targetId(job.target)));
    if (!outcome) return undefined;
    const named = namedOf(job);
    if (named && outcome.tests.some((t) => t.state === "skipped" && t.fullName.endsWith(named))) {
      return onlyNamed(job);
    }
    return judgeMutant(outcome, named).killers.length === 0 ? job : undefined;
  };
  const secondJobs = jobs.map(phaseTwo).filter((job): job is SpecJob => job !== undefined);
  const isReference = (job: SpecJob) => job.target.kind === "reference";
  const timedJobs = secondJobs.filter((job) => !isReference(job));
  const smokeJobs = secondJobs.filter(isReference);
  const timed = timedJobs.length
    ? await superviseSpecs({ root, jobs: timedJobs, seed, tests: "load-only", defaultTarget: REFERENCE })
    : { outcomes: [], unhandled: [] };
  const smoked = smokeJobs.length
    ? await superviseSpecs({
        root,
        jobs: smokeJobs,
        seed,
        tests: "load-only",
        loadSmoke: true,
        defaultTarget: REFERENCE,
      })
    : { outcomes: [], unhandled: [] };
  const second = {
    outcomes: [...timed.outcomes, ...smoked.outcomes],
    unhandled: [...timed.unhandled, ...smoked.unhandled],
  };
  const secondByKey = byKey(second.outcomes);
  const partsOf = (job: (typeof jobs)[number], ...phases: Array<Map<string, SpecOutcome>>) => {
    const id = targetId(job.target);
    return phases.map((phase) => phase.get(key(job.kata.id, id))).filter((o): o is SpecOutcome => o !== undefined);
  };

  // a mutant its named test let through: run every test, to say what did kill it, if anything
  const unexplained = jobs.filter((job) => {
    if (job.role !== "mutant" || !namedOf(job)) return false;
    const parts = partsOf(job, firstByKey, secondByKey);
    return parts.length > 0 && !judgeMutant(mergeOutcomes(parts), namedOf(job)).ok;
  });
  const third = unexplained.length
    ? await superviseSpecs({ root, jobs: unexplained, seed, tests: "all", defaultTarget: REFERENCE })
    : { outcomes: [], unhandled: [] };
  const thirdByKey = byKey(third.outcomes);

  const rows: MatrixRow[] = [];
  const testsPerKata = new Map<string, number>();
  for (const job of jobs) {
    // the full third run, where there is one, says everything: earlier parts only filled in for it
    const full = partsOf(job, thirdByKey);
    const outcome = mergeOutcomes(full.length > 0 ? full : partsOf(job, firstByKey, secondByKey));
    let verdict: TargetVerdict;
    if (job.role === "reference") {
      verdict = judgeReference(outcome);
      testsPerKata.set(job.kata.id, outcome.tests.length);
    } else if (job.role === "stub") {
      verdict = judgeStub(outcome);
    } else {
      verdict = judgeMutant(outcome, caughtBy.get(key(job.kata.id, job.label)));
    }
    rows.push({ kata: job.kata, role: job.role, label: job.label, verdict, outcome });
  }
  return { seed, rows, unhandled: [...first.unhandled, ...second.unhandled, ...third.unhandled], testsPerKata };
}
