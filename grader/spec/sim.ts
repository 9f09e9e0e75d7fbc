import path from "node:path";
import { inject, it } from "vitest";
import { isNotImplemented } from "../kit/todo.ts";
import { Simulation, type SimulationOptions } from "../sim/simulation.ts";
import { type TraceOptions, writeTrace } from "../sim/trace.ts";
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

/**
 * A simulation test: runs `body` once per seed of the sweep and stops at the
 * first seed that fails. The failure names the seed (the report's reproduce
 * command replays just that one) and writes the seed's history to
 * .grade/traces as a text log and a mermaid sequence diagram.
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
      const traced: Array<{ sim: Simulation<unknown>; trace: TraceOptions }> = [];
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
        const files = traced.map(({ sim, trace }, index) => {
          const suffix = traced.length > 1 ? `-${index + 1}` : "";
          const base = path.join(traceDir(), traceFolder(task.file.filepath), `${slug(name)}.seed-${seed}${suffix}`);
          const header = `${testName(task)} · seed ${seed} · ${sim.history.length} events`;
          const written = writeTrace(base, sim.history, sim.nodeIds, header, trace);
          return path.relative(process.cwd(), written.text).replace(/\.txt$/, ".{txt,mmd}");
        });
        const prefix = `seed ${seed} fails (of ${which}):`;
        const where = files.length > 0 ? `\ntrace: ${files.join(", ")}` : "";
        if (error instanceof Error) {
          error.message = `${prefix} ${error.message}${where}`;
          throw error;
        }
        throw new Error(`${prefix} ${String(error)}${where}`);
      }
    }
  });
}
