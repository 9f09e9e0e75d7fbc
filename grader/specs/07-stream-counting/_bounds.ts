// the seeded checks of the stream-counting specs, as plain functions of an implementation and a
// seed: the specs assert them, and grader/bench/false-failures.ts runs them over many seeds to
// measure how often a correct implementation fails each one. Nothing here imports vitest.
import { ManualClock } from "../../kit/clock.ts";
import { random, trialSeed, zipf } from "../../sim/random.ts";

export { trialSeed };

export interface CheckResult {
  ok: boolean;
  /** what was measured, for the failure message */
  detail: string;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space */
export function binomialTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let logCoefficient = 0;
  for (let i = 1; i <= k; i++) logCoefficient += Math.log((n - k + i) / i);
  let total = 0;
  for (let i = k; i <= n; i++) {
    total += Math.exp(logCoefficient + i * Math.log(p) + (n - i) * Math.log1p(-p));
    logCoefficient += Math.log((n - i) / (i + 1));
  }
  return Math.min(1, total);
}

/** P(|Z| > z) for a standard normal Z (Abramowitz–Stegun 7.1.26, good to 1e-7) */
export function normalTwoSided(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return poly * Math.exp(-x * x);
}

// ---------------------------------------------------------------------------------------------
// count-min sketch

export interface FrequencySketch {
  add(item: string, count?: number): void;
  estimate(item: string): number;
}

export type MakeCountMin = (options: { epsilon: number; delta: number; seed: number }) => FrequencySketch;

/**
 * The 1 − δ guarantee, over independent trials. Each trial builds a sketch with ε = 0.02 (width
 * 136) and δ = 0.05 (depth 3) under its own seed, counts N = 5,000 events (45 items × 101, each
 * just above εN = 100, and 455 singletons) and queries one item it never added. A row over-counts
 * the query by more than εN exactly when it shares a cell with one of the 45 heavy items, about
 * 1 − (1 − 1/136)^45 ≈ 28% of rows: close to the 1/e of the Markov bound, the worst a stream can
 * do. Independent rows fail together 0.28³ ≈ 2% of the time; rows that are one hash shifted fail
 * together 28% of the time, and the max of the rows 63%.
 */
export const OVERCOUNT = {
  epsilon: 0.02,
  delta: 0.05,
  trials: 1000,
  heavy: 45,
  heavyCount: 101,
  light: 455,
  /** 10% of the trials: twice δ */
  maxFailures: 100,
} as const;

export interface OvercountResult extends CheckResult {
  failures: number;
  trials: number;
}

export function overcountTrials(make: MakeCountMin, seed: number): OvercountResult {
  const { epsilon, delta, trials, heavy, heavyCount, light, maxFailures } = OVERCOUNT;
  const events = heavy * heavyCount + light;
  const bound = epsilon * events;
  let failures = 0;
  let first = "";
  for (let t = 0; t < trials; t++) {
    const sketch = make({ epsilon, delta, seed: trialSeed(seed, t) });
    // every trial has its own items too: trials stay independent even if the seed were ignored
    for (let h = 0; h < heavy; h++) sketch.add(`t${t}:heavy:${h}`, heavyCount);
    for (let l = 0; l < light; l++) sketch.add(`t${t}:light:${l}`);
    const estimate = sketch.estimate(`t${t}:probe`);
    if (estimate > bound) {
      failures++;
      if (!first) first = ` (first: trial ${t}, an item never added estimated at ${estimate})`;
    }
  }
  return {
    ok: failures <= maxFailures,
    failures,
    trials,
    detail:
      `${failures} of ${trials} trials over-counted an item by more than εN = ${bound} ` +
      `(δ = ${delta} allows about ${delta * trials}; the check fails above ${maxFailures})${first}`,
  };
}

/**
 * Rows hashed independently: with one item counted 1,000 times in a 272 × 7 sketch (ε = 0.01,
 * δ = 0.001), an item never added shares all 7 of its cells with it with probability 272^−7, about
 * 1e-17; 40,000 of them share all 7 essentially never. Rows that are one hash XORed or shifted per
 * row collide together: a shared cell in the first row is a shared cell in every row, for about
 * 1 in 272 of the items, 60 to 150 of the 40,000.
 */
export const INDEPENDENCE = {
  epsilon: 0.01,
  delta: 0.001,
  heavyCount: 1000,
  probes: 40_000,
  /** double hashing (h1 + i·h2), sound but weaker, shares all rows with probability 1/272²: ~0.5 expected */
  maxShared: 8,
} as const;

export interface IndependenceResult extends CheckResult {
  shared: number;
}

export function rowIndependence(make: MakeCountMin, seed: number): IndependenceResult {
  const { epsilon, delta, heavyCount, probes, maxShared } = INDEPENDENCE;
  const sketch = make({ epsilon, delta, seed });
  const heavy = `heavy:${seed}`;
  sketch.add(heavy, heavyCount);
  let shared = 0;
  const examples: string[] = [];
  for (let q = 0; q < probes; q++) {
    const probe = `probe:${seed}:${q}`;
    if (sketch.estimate(probe) >= heavyCount) {
      shared++;
      if (examples.length < 3) examples.push(`"${probe}"`);
    }
  }
  return {
    ok: shared <= maxShared,
    shared,
    detail:
      `${shared} of ${probes} items never added were estimated at ${heavyCount}: they share every row's ` +
      `cell with "${heavy}", the only item counted (independent rows: about 1e-17 each)` +
      (examples.length ? `, e.g. ${examples.join(", ")}` : ""),
  };
}

/**
 * The estimate is the smallest of an item's cells. 100 heavy items, 50 events each, fill a 272 × 5
 * sketch (ε = 0.01, δ = 0.01); an item never added shares its cell in one row with some heavy item
 * with probability p = 1 − (1 − 1/272)^100 ≈ 31%, and in all 5 rows, the only way its smallest cell
 * is above 0, with p^5 ≈ 0.28%: about 5.6 of 2,000 such items. The average of the cells is above 0
 * as soon as one row is shared (84% of them), the median once three are (17%), the maximum and the
 * sum like the average. Counted by how many are estimated above 0, so no bound on εN, which all of
 * them would meet on average, hides the difference.
 */
export const SMALLEST_CELL = {
  epsilon: 0.01,
  delta: 0.01,
  heavy: 100,
  heavyCount: 50,
  probes: 2000,
  /** P(Bin(2000, 0.0028) ≥ 26) ≈ 1e-9 for independent rows */
  maxOvercounted: 25,
} as const;

export interface SmallestCellResult extends CheckResult {
  overcounted: number;
}

export function smallestCell(make: MakeCountMin, seed: number): SmallestCellResult {
  const { epsilon, delta, heavy, heavyCount, probes, maxOvercounted } = SMALLEST_CELL;
  const sketch = make({ epsilon, delta, seed });
  for (let h = 0; h < heavy; h++) sketch.add(`heavy:${seed}:${h}`, heavyCount);
  let overcounted = 0;
  const examples: string[] = [];
  for (let q = 0; q < probes; q++) {
    const probe = `probe:${seed}:${q}`;
    const estimate = sketch.estimate(probe);
    if (estimate > 0) {
      overcounted++;
      if (examples.length < 3) examples.push(`"${probe}" at ${estimate}`);
    }
  }
  return {
    ok: overcounted <= maxOvercounted,
    overcounted,
    detail:
      `${overcounted} of ${probes} items never added were estimated above 0 by a 272 × 5 sketch holding ${heavy} ` +
      `items of ${heavyCount} events (at most ${maxOvercounted} may be: the smallest cell is above 0 only when ` +
      "every row's cell is shared, about 0.3% of items; an average or a median of the cells is above 0 far more often)" +
      (examples.length ? `, e.g. ${examples.join(", ")}` : ""),
  };
}

// ---------------------------------------------------------------------------------------------
// hyperloglog

export interface CardinalitySketch {
  add(item: string): void;
  count(): number;
}

export type MakeHyperLogLog = (options: { precision: number; seed: number }) => CardinalitySketch;

/**
 * 32 sketches of 4,096 registers (p = 12, σ = 1.04/√4096 = 1.625%), each under its own seed and
 * over its own 50,000 items (12 × m: the raw estimate's range, past the small-range bump).
 */
export const ACCURACY = {
  precision: 12,
  items: 50_000,
  trials: 32,
  /** seeds allowed outside 3σ: a normal error leaves 3σ with p = 0.27%, P(Bin(32, p) ≥ 4) ≈ 1.8e-6 */
  maxOutside: 3,
  /** the mean error's allowance, in σ/√trials: P(|Z| > 4.5) ≈ 6.8e-6 */
  meanSigmas: 4.5,
  /** the RMS error's range, in σ: 32·(RMS/σ)² is about χ² with 32 degrees of freedom */
  rms: { min: 0.4, max: 1.5 },
} as const;

export const sigmaOf = (precision: number) => 1.04 / Math.sqrt(2 ** precision);

/** the relative errors (estimate ÷ truth − 1) of the accuracy trials */
export function hyperLogLogErrors(make: MakeHyperLogLog, seed: number): number[] {
  const { precision, items, trials } = ACCURACY;
  const errors: number[] = [];
  for (let t = 0; t < trials; t++) {
    const sketch = make({ precision, seed: trialSeed(seed, t) });
    const prefix = `t${t}:`;
    for (let i = 0; i < items; i++) sketch.add(prefix + i);
    errors.push(sketch.count() / items - 1);
  }
  return errors;
}

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

export function withinThreeSigma(errors: readonly number[]): CheckResult {
  const sigma = sigmaOf(ACCURACY.precision);
  const outside = errors.filter((e) => Math.abs(e) > 3 * sigma);
  const worst = errors.reduce((a, e) => (Math.abs(e) > Math.abs(a) ? e : a), 0);
  return {
    ok: outside.length <= ACCURACY.maxOutside,
    detail:
      `${outside.length} of ${errors.length} seeds estimated ${ACCURACY.items.toLocaleString("en")} items more than 3σ = ` +
      `${percent(3 * sigma)} off (at most ${ACCURACY.maxOutside} may); the worst was ${percent(worst)} off`,
  };
}

export function unbiased(errors: readonly number[]): CheckResult {
  const sigma = sigmaOf(ACCURACY.precision);
  const mean = errors.reduce((a, e) => a + e, 0) / errors.length;
  const allowed = (ACCURACY.meanSigmas * sigma) / Math.sqrt(errors.length);
  return {
    ok: Math.abs(mean) <= allowed,
    detail: `the mean error over ${errors.length} seeds is ${percent(mean)}, allowed ±${percent(allowed)}`,
  };
}

export function spreadsLikeSigma(errors: readonly number[]): CheckResult {
  const sigma = sigmaOf(ACCURACY.precision);
  const rms = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length);
  const { min, max } = ACCURACY.rms;
  return {
    ok: rms >= min * sigma && rms <= max * sigma,
    detail: `the RMS error over ${errors.length} seeds is ${percent(rms)} = ${(rms / sigma).toFixed(2)}σ, expected ${min}σ to ${max}σ (σ = ${percent(sigma)})`,
  };
}

/**
 * Below 2.5·m the raw estimate is biased upwards (by about 0.7·m at n ≪ m) and linear counting,
 * m·ln(m / empty registers), takes over. With 4,096 registers its error at 100 to 5,000 items has
 * a standard deviation of 1.1% to 1.4%: 10% is 7 standard deviations, about 1e-12 per run.
 */
export const SMALL_RANGE = { precision: 12, sizes: [100, 1000, 5000], tolerance: 0.1 } as const;

export function smallRange(make: MakeHyperLogLog, seed: number): CheckResult {
  const problems: string[] = [];
  for (const n of SMALL_RANGE.sizes) {
    const sketch = make({ precision: SMALL_RANGE.precision, seed: trialSeed(seed, n) });
    for (let i = 0; i < n; i++) sketch.add(`small:${n}:${i}`);
    const estimate = sketch.count();
    if (!(Math.abs(estimate / n - 1) <= SMALL_RANGE.tolerance)) problems.push(`${n} items estimated at ${estimate}`);
  }
  return {
    ok: problems.length === 0,
    detail: problems.length
      ? `off by more than ${SMALL_RANGE.tolerance * 100}% with 4,096 registers: ${problems.join("; ")}`
      : "all within 10%",
  };
}

// ---------------------------------------------------------------------------------------------
// space-saving: deterministic guarantees, checked on a long seeded stream

export interface Counter {
  item: string;
  count: number;
  error: number;
}

export interface HeavyHitters {
  add(item: string): void;
  readonly total: number;
  top(n: number): Counter[];
}

/** every bound Space-Saving promises, against the exact counts of the stream so far */
export function spaceSavingBoundsHold(summary: HeavyHitters, exact: ReadonlyMap<string, number>, k: number): string {
  const n = summary.total;
  const counters = summary.top(k + 1);
  if (counters.length > k) return `${counters.length} counters in use, more than the capacity ${k}`;
  const sum = counters.reduce((a, c) => a + c.count, 0);
  if (sum !== n) return `the counts add up to ${sum}, but ${n} events were added`;
  const tracked = new Map(counters.map((c) => [c.item, c]));
  const smallest = counters.length === k ? Math.min(...counters.map((c) => c.count)) : 0;
  if (smallest > n / k) return `the smallest count is ${smallest}, above N/k = ${n / k}`;
  for (const c of counters) {
    const truth = exact.get(c.item) ?? 0;
    if (!(c.count - c.error <= truth && truth <= c.count)) {
      return `"${c.item}" has count ${c.count} and error ${c.error}, but occurred ${truth} times: count − error ≤ true ≤ count fails`;
    }
  }
  for (const [item, truth] of exact) {
    if (!tracked.has(item) && truth > smallest) {
      return `"${item}" occurred ${truth} times but is not tracked, while the smallest counter is ${smallest} (N/k = ${n / k})`;
    }
  }
  return "";
}

export const ZIPF_STREAM = { events: 100_000, universe: 10_000, exponent: 1.1, capacity: 100, checkEvery: 10_000 };

export function spaceSavingOnZipf(make: (capacity: number) => HeavyHitters, seed: number): CheckResult {
  const { events, universe, exponent, capacity, checkEvery } = ZIPF_STREAM;
  const draw = zipf(universe, exponent, random(seed).float);
  const summary = make(capacity);
  const exact = new Map<string, number>();
  for (let i = 1; i <= events; i++) {
    const item = `item:${draw()}`;
    summary.add(item);
    exact.set(item, (exact.get(item) ?? 0) + 1);
    if (i % checkEvery === 0) {
      const problem = spaceSavingBoundsHold(summary, exact, capacity);
      if (problem) return { ok: false, detail: `after ${i} events of a Zipf(${exponent}) stream: ${problem}` };
    }
  }
  return { ok: true, detail: "every bound held" };
}

// ---------------------------------------------------------------------------------------------
// sliding window: deterministic, checked against a replay of the events

export interface Trend {
  item: string;
  count: number;
}

export interface TrendCounter {
  record(item: string, count?: number): void;
  count(item: string): number;
  top(k: number): Trend[];
  size(): number;
}

export interface Played {
  at: number;
  item: string;
  count: number;
}

/** what the window holds at `now`: every event whose bucket is one of the newest windowMs/bucketMs */
export function windowModel(played: readonly Played[], now: number, windowMs: number, bucketMs: number) {
  const oldest = Math.floor(now / bucketMs) - windowMs / bucketMs + 1;
  const counts = new Map<string, number>();
  for (const p of played) {
    if (Math.floor(p.at / bucketMs) >= oldest) counts.set(p.item, (counts.get(p.item) ?? 0) + p.count);
  }
  const ranked = [...counts].map(([item, count]) => ({ item, count }));
  ranked.sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  return { counts, ranked };
}

/** compares count(), top(k) and size() with the model; "" when they agree */
export function compareWithModel(
  counter: TrendCounter,
  played: readonly Played[],
  now: number,
  options: { windowMs: number; bucketMs: number; items: readonly string[]; k: number },
): string {
  const { counts, ranked } = windowModel(played, now, options.windowMs, options.bucketMs);
  for (const item of options.items) {
    const got = counter.count(item);
    const want = counts.get(item) ?? 0;
    if (got !== want) return `at ${now} ms, count("${item}") is ${got}, expected ${want}`;
  }
  const top = counter.top(options.k);
  const want = ranked.slice(0, options.k);
  if (JSON.stringify(top) !== JSON.stringify(want)) {
    return `at ${now} ms, top(${options.k}) is ${JSON.stringify(top)}, expected ${JSON.stringify(want)}`;
  }
  if (counter.size() !== counts.size) return `at ${now} ms, size() is ${counter.size()}, expected ${counts.size}`;
  return "";
}

export const TIMELINE = { windowMs: 60_000, bucketMs: 10_000, events: 3_000, items: 12, k: 5 } as const;

export function slidingWindowReplay(
  make: (options: { windowMs: number; bucketMs: number; clock: ManualClock }) => TrendCounter,
  seed: number,
): CheckResult {
  const { windowMs, bucketMs, events, items: itemCount, k } = TIMELINE;
  const next = random(seed).float;
  const items = Array.from({ length: itemCount }, (_, i) => `song:${i}`);
  const clock = new ManualClock();
  const counter = make({ windowMs, bucketMs, clock });
  const played: Played[] = [];
  let now = 0;
  for (let i = 0; i < events; i++) {
    // mostly small steps, some exactly onto a bucket boundary, a few gaps longer than the window
    const roll = next();
    if (roll < 0.05) now = (Math.floor(now / bucketMs) + 1) * bucketMs;
    else if (roll < 0.07) now += Math.floor(next() * 3 * windowMs);
    else now += Math.floor(next() * 400);
    clock.set(now);
    // skewed: a few songs are played far more than the rest
    const item = items[Math.floor(itemCount * next() ** 2)] as string;
    const count = next() < 0.9 ? 1 : 1 + Math.floor(next() * 5);
    counter.record(item, count);
    played.push({ at: now, item, count });
    if (i % 25 === 0 || roll < 0.07) {
      const problem = compareWithModel(counter, played, now, { windowMs, bucketMs, items, k });
      if (problem) return { ok: false, detail: `after ${i + 1} events: ${problem}` };
    }
  }
  return { ok: true, detail: "every count and top-k matched" };
}
