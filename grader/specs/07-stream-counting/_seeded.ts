// the seed a seeded check runs under: the run's seed (npm run grade -- --seed N) and the test's
// name, recorded on the test so the report can print it with the reproduce command
import { assert } from "vitest";
import { baseSeed, random, seedFor, testName, zipf } from "#spec";
import type { CheckResult } from "./_bounds.ts";

export function seedOf(task: { fullName: string; fullTestName?: string; meta: { seed?: number } }): number {
  const base = baseSeed();
  task.meta.seed = base;
  return seedFor(testName(task), base);
}

/** a check's verdict as an assertion, its measurements as the message */
export function expectCheck(result: CheckResult): void {
  if (!result.ok) assert.fail(result.detail);
}

/** `count` item names drawn from `universe` with Zipf(exponent) skew, seeded by `name` */
export function skewedItems(name: string, count: number, universe: number, exponent = 1.1): string[] {
  const rng = random(seedFor(name));
  const draw = zipf(universe, exponent, rng.float);
  return Array.from({ length: count }, () => `item:${draw()}`);
}
