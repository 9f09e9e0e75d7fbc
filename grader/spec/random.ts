import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import "./meta.ts";
import { baseSeed, seedFor } from "./seed.ts";

/** a seeded source of workload data; the same seed gives the same sequence */
export interface Random {
  /** an integer in [from, to] */
  int(from: number, to: number): number;
  /** a float in [0, 1) */
  float(): number;
  /** an exponentially distributed gap with the given mean: Poisson arrivals */
  exponential(mean: number): number;
}

export function random(seed: number): Random {
  const generator = xoroshiro128plus(seed);
  return {
    int: (from, to) => uniformInt(generator, from, to),
    float: () => uniformFloat64(generator),
    exponential: (mean) => -Math.log(1 - uniformFloat64(generator)) * mean,
  };
}

/** a test's own seeded source: seeded by the run's seed and the test's name, which the report shows */
export function randomFor(task: { fullName: string; meta: { seed?: number } }): Random {
  const base = baseSeed();
  task.meta.seed = base;
  return random(seedFor(task.fullName, base));
}
