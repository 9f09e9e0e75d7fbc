import path from "node:path";
import { inject, it } from "vitest";
import { isNotImplemented } from "../kit/todo.ts";
import { violationEvents } from "../sim/history.ts";
import { Simulation, type SimulationOptions } from "../sim/simulation.ts";
import { MARK, type TraceMark, type TraceOptions, writeTrace } from "../sim/trace.ts";
import "./meta.ts";
import { NOMINAL_SWEEP, seedRange, testName } from "./seed.ts";

export interface Sweep {
  /** the seeds a run tries when it is given none: 1..seeds */
  seeds: number;
}

/** one seed's world: the simulations it builds are traced if the seed fails */
export interface SimRun {
  readonly seed: number;
  simulation<M>(options: Omit<SimulationOptions<M>, "seed">, trace?: TraceOptions): Simulation<M>;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

// "raft-election.spec.ts" or a matrix wrapper "raft-election.mutant_two-votes.test.ts"
function traceFolder(file: string): string {
  return path.basename(file).replace(/\.(spec|test)\.ts$/, "");
}

function traceDir(): string {
  const dir = inject("traceDir");
  return typeof dir === "string" && dir ? dir : path.resolve(".grade", "traces");
}

/** a simulation a seed built, with how to draw its trace */
export interface Traced {
  sim: Simulation<unknown>;
  trace: TraceOptions;
}

export interface FailureTraces {
  /** the traces written, each as "<base>.{txt,mmd}" relative to the working directory */
  files: string[];
  /** where the run broke, when the error is a Violation: "the violation is event N at T ms: marked >>> in the .txt, ..." */
  where: string | undefined;
}

/**
 * Writes the traces of a failing seed: a text log and a diagram for each
 * simulation it built (`base("")`, or `base("-1")`, `base("-2")`, ... when
 * there are several). If the error is a Violation, each simulation whose
 * history holds one of its events gets that event marked, and its diagram
 * shows the events around it rather than the last ones.
 */
export function traceFailure(
  error: unknown,
  traced: readonly Traced[],
  base: (suffix: string) => string,
  header: (sim: Simulation<unknown>) => string,
): FailureTraces {
  const events = violationEvents(error);
  const what = error instanceof Error ? error.message : String(error);
  const marked: string[] = [];
  const files = traced.map(({ sim, trace }, i) => {
    const event = events.find((e) => sim.history.includes(e));
    const index = event ? sim.history.indexOf(event) : -1;
    const mark: TraceMark | undefined = index >= 0 ? { index, what } : undefined;
    const written = writeTrace(
      base(traced.length > 1 ? `-${i + 1}` : ""),
      sim.history,
      sim.nodeIds,
      header(sim),
      trace,
      mark,
    );
    const file = path.relative(process.cwd(), written.text);
    if (mark && event) {
      const of = traced.length > 1 ? ` in trace -${i + 1}` : "";
      marked.push(`event ${index + 1} at ${event.t.toFixed(1)} ms${of}`);
    }
    return file.replace(/\.txt$/, ".{txt,mmd}");
  });
  const where =
    marked.length === 0
      ? undefined
      : marked.length === 1 && traced.length === 1
        ? `the violation is ${marked[0]}: marked ${MARK} in the .txt, centred in the .mmd`
        : `the violation is ${marked.join(" and ")}: marked ${MARK} in ${marked.length > 1 ? "each" : "its"} .txt, centred in its .mmd`;
  return { files, where };
}

/**
 * A simulation test: runs `body` once per seed of the sweep and stops at the
 * first seed that fails. The failure names the seed (the report's reproduce
 * command replays just that one) and writes the seed's history to
 * .grade/traces as a text log and a mermaid sequence diagram. An invariant
 * check that throws a Violation (#sim) names the event where the run broke:
 * the trace marks it, and the diagram shows the events around it.
 */
export function simTest(name: string, sweep: Sweep, body: (run: SimRun) => void): void {
  if (!(Number.isSafeInteger(sweep.seeds) && sweep.seeds >= 1 && sweep.seeds <= NOMINAL_SWEEP)) {
    throw new RangeError(
      `"${name}": a default sweep has 1 to ${NOMINAL_SWEEP} seeds (the time limits assume it), not ${sweep.seeds}`,
    );
  }
  it(name, ({ task }) => {
    const given = seedRange();
    const from = given?.from ?? 1;
    const to = given?.to ?? sweep.seeds;
    const which = given ? (from === to ? `seed ${from}` : `seeds ${from}..${to}`) : `the default sweep, seeds 1..${to}`;
    for (let seed = from; seed <= to; seed++) {
      const traced: Traced[] = [];
      const run: SimRun = {
        seed,
        simulation: <M>(options: Omit<SimulationOptions<M>, "seed">, trace: TraceOptions = {}) => {
          const sim = new Simulation<M>({ ...options, seed });
          traced.push({ sim: sim as Simulation<unknown>, trace });
          return sim;
        },
      };
      try {
        body(run);
      } catch (error) {
        if (isNotImplemented(error)) throw error;
        task.meta.seed = seed;
        const folder = path.join(traceDir(), traceFolder(task.file.filepath));
        const { files, where } = traceFailure(
          error,
          traced,
          (suffix) => path.join(folder, `${slug(name)}.seed-${seed}${suffix}`),
          (sim) => `${testName(task)} · seed ${seed} · ${sim.history.length} events`,
        );
        const prefix = `seed ${seed} fails (of ${which}):`;
        const trace = files.length > 0 ? `\ntrace: ${files.join(", ")}${where ? ` (${where})` : ""}` : "";
        if (error instanceof Error) {
          error.message = `${prefix} ${error.message}${trace}`;
          throw error;
        }
        throw new Error(`${prefix} ${String(error)}${trace}`);
      }
    }
  });
}
