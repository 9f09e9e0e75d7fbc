// the bloom-filter spec's seeded checks, as plain functions of an implementation and a seed: the spec
// asserts them, and a scratch loop over seeds 1..1000 measures how often a correct filter fails them.
// Nothing here imports vitest.
import { trialSeed } from "../../sim/random.ts";

export interface Filter {
  add(item: string): void;
  mightContain(item: string): boolean;
}

export type MakeFilter = (options: { expectedItems: number; falsePositiveRate: number; seed: number }) => Filter;

export interface CheckResult {
  ok: boolean;
  /** what was measured, for the failure message */
  detail: string;
}

/**
 * The false-positive rate over 10 filters, each under its own seed, sized for n = 5,000 at
 * p = 0.01 (m = 47,926, k = 7), each holding its 5,000 items and asked about 20,000 it never held.
 * The rate with independent indexes is (1 − e^(−kn/m))^k = 1.003%: about 2,006 of the 200,000
 * probes, a standard deviation of 45. The check allows 2,400 (8.8 standard deviations): a correct
 * filter essentially never fails it, while one that takes k neighbouring bits or one hash k times
 * finds thousands more, and one sized with log10 finds 13% of the probes.
 */
export const FALSE_POSITIVES = { expectedItems: 5000, rate: 0.01, trials: 10, probes: 20_000, maxFound: 2400 } as const;

export interface RateResult extends CheckResult {
  found: number;
}

export function falsePositiveTrials(make: MakeFilter, seed: number): RateResult {
  const { expectedItems, rate, trials, probes, maxFound } = FALSE_POSITIVES;
  let found = 0;
  const examples: string[] = [];
  for (let t = 0; t < trials; t++) {
    const filter = make({ expectedItems, falsePositiveRate: rate, seed: trialSeed(seed, t) });
    // every trial has its own items: trials stay independent even if the seed were ignored
    for (let i = 0; i < expectedItems; i++) filter.add(`t${t}:${seed}:in:${i}`);
    for (let q = 0; q < probes; q++) {
      const probe = `t${t}:${seed}:out:${q}`;
      if (filter.mightContain(probe)) {
        found++;
        if (examples.length < 3) examples.push(`"${probe}"`);
      }
    }
  }
  const total = trials * probes;
  return {
    ok: found <= maxFound,
    found,
    detail:
      `${trials} filters sized for ${expectedItems} items at p = ${rate}, each full, found ${found} of ${total} items ` +
      `never added (${((found / total) * 100).toFixed(2)}%; about ${rate * total} expected, at most ${maxFound} allowed)` +
      (examples.length ? `, e.g. ${examples.join(", ")}` : ""),
  };
}
