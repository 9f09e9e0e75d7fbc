import { deriveSeed, random } from "./random.ts";
import type { Simulation } from "./simulation.ts";

export type FaultKind = "partition" | "one-way" | "isolate" | "crash" | "pause";

export interface NemesisOptions {
  /** faults start at this time... */
  from: number;
  /** ...and everything is healed, restarted and resumed by this one */
  until: number;
  /** a new fault starts every so often, each lasting up to this long */
  everyMs: { min: number; max: number };
  faults: readonly FaultKind[];
  /** the nodes faults may hit (all when left out); one fault at a time, so at most one node is down or paused */
  nodes?: readonly string[];
}

/**
 * Schedules random faults on a simulation, drawn from the simulation's seed:
 * one fault at a time, each undone before the next, and a clean network at
 * `until`. The schedule is part of the history, so a failure shows it.
 */
export function nemesis<M>(sim: Simulation<M>, options: NemesisOptions): void {
  const rng = random(deriveSeed(sim.seed, "nemesis"));
  const targets = [...(options.nodes ?? sim.nodeIds)];
  const pick = () => targets[rng.int(0, targets.length - 1)] as string;
  const shuffled = () => {
    const copy = [...targets];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [copy[i], copy[j]] = [copy[j] as string, copy[i] as string];
    }
    return copy;
  };
  let t = options.from;
  while (t < options.until) {
    const length = options.everyMs.min + rng.float() * (options.everyMs.max - options.everyMs.min);
    const end = Math.min(t + length, options.until);
    const kind = options.faults[rng.int(0, options.faults.length - 1)] as FaultKind;
    switch (kind) {
      case "partition": {
        const order = shuffled();
        const cut = rng.int(1, Math.max(1, Math.floor((order.length - 1) / 2)));
        sim.at(t, () => sim.partition([order.slice(0, cut), order.slice(cut)]));
        sim.at(end, () => sim.heal());
        break;
      }
      case "one-way": {
        const order = shuffled();
        const [from, to] = [order[0] as string, order[1] as string];
        sim.at(t, () => sim.cut(from, to));
        sim.at(end, () => sim.heal());
        break;
      }
      case "isolate": {
        const id = pick();
        sim.at(t, () => sim.partition([[id], sim.nodeIds.filter((n) => n !== id)]));
        sim.at(end, () => sim.heal());
        break;
      }
      case "crash": {
        const id = pick();
        sim.at(t, () => sim.crash(id));
        sim.at(end, () => sim.restart(id));
        break;
      }
      case "pause": {
        const id = pick();
        sim.at(t, () => sim.pause(id));
        sim.at(end, () => sim.resume(id));
        break;
      }
    }
    t = end + rng.float() * options.everyMs.min;
  }
  sim.at(options.until, () => {
    sim.heal();
    for (const id of targets) {
      sim.resume(id);
      sim.restart(id);
    }
  });
}
