import { type Random, random } from "../sim/random.ts";
import "./meta.ts";
import { baseSeed, seedFor, testName } from "./seed.ts";

export { type Random, random, zipf } from "../sim/random.ts";

/** a test's own seeded source: seeded by the run's seed and the test's name, which the report shows */
export function randomFor(task: { fullName: string; fullTestName?: string; meta: { seed?: number } }): Random {
  const base = baseSeed();
  task.meta.seed = base;
  return random(seedFor(testName(task), base));
}
