// How often does a correct implementation fail a seeded check of chapter 07's, 09's and 10's specs by bad
// luck? Runs each check, the very functions the specs assert (grader/specs/07-stream-counting/_bounds.ts,
// grader/specs/09-message-queues/_isr.ts, grader/specs/10-storage-engines/_bloom.ts, _lsm.ts),
// against the reference over many seeds, and prints per kata the failures, the wall time, what a
// single trial measured, and the analytical bound where there is one. With --mutants, it also runs
// the checks against the mutants they are meant to kill, and prints how often they do.
//
//   npx tsx grader/bench/false-failures.ts [--seeds 1000] [--kata hyperloglog] [--mutants]
//
// Not part of npm test: 1,000 seeds take several minutes.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import * as cms from "../../solutions/07-stream-counting/count-min-sketch.ts";
import * as hll from "../../solutions/07-stream-counting/hyperloglog.ts";
import * as slidingWindow from "../../solutions/07-stream-counting/sliding-window-top-k.ts";
import * as spaceSaving from "../../solutions/07-stream-counting/space-saving-top-k.ts";
import * as isr from "../../solutions/09-message-queues/isr-replication.ts";
import * as bloom from "../../solutions/10-storage-engines/bloom-filter.ts";
import * as lsm from "../../solutions/10-storage-engines/lsm-tree.ts";
import { importMutant } from "../matrix/mutant-module.ts";
import { Simulation, type SimulationOptions } from "../sim/index.ts";
import type { SimRun } from "../spec/sim.ts";
import {
  ACCURACY,
  binomialTail,
  type CheckResult,
  hyperLogLogErrors,
  INDEPENDENCE,
  type MakeCountMin,
  type MakeHyperLogLog,
  normalTwoSided,
  OVERCOUNT,
  overcountTrials,
  rowIndependence,
  SMALL_RANGE,
  SMALLEST_CELL,
  sigmaOf,
  slidingWindowReplay,
  smallestCell,
  smallRange,
  spaceSavingOnZipf,
  spreadsLikeSigma,
  unbiased,
  withinThreeSigma,
} from "../specs/07-stream-counting/_bounds.ts";
import { type IsrKata, keepsAcksAndReadsUnderFaults, servesAfterHeal } from "../specs/09-message-queues/_isr.ts";
import { FALSE_POSITIVES, falsePositiveTrials } from "../specs/10-storage-engines/_bloom.ts";
import {
  ABSENT_GETS,
  absentGetsCheck,
  standard as lsmOptions,
  tablesCheck,
  writeAmplificationCheck,
} from "../specs/10-storage-engines/_lsm.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mutant07 = <T>(kata: string, name: string) => importMutant<T>(root, "07-stream-counting", kata, name);
const cmsAverageOfRows = await mutant07<typeof cms>("count-min-sketch", "average-of-rows");
const cmsMaxOfRows = await mutant07<typeof cms>("count-min-sketch", "max-of-rows");
const cmsMedianOfRows = await mutant07<typeof cms>("count-min-sketch", "median-of-rows");
const cmsShiftedRows = await mutant07<typeof cms>("count-min-sketch", "shifted-rows");
const cmsXorRowNumber = await mutant07<typeof cms>("count-min-sketch", "xor-row-number");
const hllAlphaFor16 = await mutant07<typeof hll>("hyperloglog", "alpha-for-16");
const hllNoAlpha = await mutant07<typeof hll>("hyperloglog", "no-alpha");
const hllNoSmallRange = await mutant07<typeof hll>("hyperloglog", "no-small-range-correction");
const isrMutant = async (name: string): Promise<IsrKata> => {
  const { Controller, Replica } = await importMutant<typeof isr>(root, "09-message-queues", "isr-replication", name);
  return { Controller, Replica };
};
const isrMutants = await Promise.all(
  ["acks-one", "min-isr-acks", "hw-at-log-end", "no-truncation", "truncate-to-high-watermark", "unclean-election"].map(
    async (name) => ({
      name,
      kata: await isrMutant(name),
    }),
  ),
);
const mutant10 = <T>(kata: string, name: string) => importMutant<T>(root, "10-storage-engines", kata, name);
const lsmLog10FilterBits = await mutant10<typeof lsm>("lsm-tree", "log10-filter-bits");
const lsmNoCompaction = await mutant10<typeof lsm>("lsm-tree", "no-compaction");

// ---------------------------------------------------------------------------------------------
// the χ² tail, for the HyperLogLog spread check: P(χ²_k ≤ x) is the regularized gamma P(k/2, x/2)

function logGamma(x: number): number {
  // Lanczos, g = 7
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** the regularized lower incomplete gamma P(a, x), by its series or its continued fraction */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * front;
  }
  // Lentz's continued fraction for Q(a, x)
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return 1 - front * h;
}

const chiSquareBelow = (k: number, x: number) => gammaP(k / 2, x / 2);
const chiSquareAbove = (k: number, x: number) => 1 - gammaP(k / 2, x / 2);

// ---------------------------------------------------------------------------------------------
// the checks, per kata

interface Check {
  /** the spec's test name */
  name: string;
  /** runs the check under one seed; `sample` receives what one run measured, for the per-trial rate */
  run(seed: number): CheckResult & { sample?: number[] };
  /** the per-run false-failure probability from theory, given what the trials measured */
  analytic(samples: number[]): string;
  /** the mutants this check is meant to kill */
  mutants?: Array<{ name: string; run(seed: number): CheckResult }>;
}

interface Kata {
  id: string;
  checks: Check[];
}

const reference = {
  countMin: ((o) => new cms.CountMinSketch(o)) as MakeCountMin,
  hyperLogLog: ((o) => new hll.HyperLogLog(o)) as MakeHyperLogLog,
};

/** a simulation check as one seed's pass or fail: the run the spec's simTest builds, without vitest */
function simCheck(body: (run: SimRun, kata: IsrKata) => void, kata: IsrKata) {
  return (seed: number): CheckResult => {
    const run: SimRun = {
      seed,
      simulation: <M>(options: Omit<SimulationOptions<M>, "seed">) => new Simulation<M>({ ...options, seed }),
    };
    try {
      body(run, kata);
      return { ok: true, detail: "" };
    } catch (error) {
      return { ok: false, detail: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" };
    }
  };
}

const sci = (x: number) => (x === 0 ? "0" : x < 1e-300 ? "< 1e-300" : x.toExponential(1));

const ratePerTrial = (samples: number[]) => samples.reduce((a, s) => a + s, 0) / Math.max(1, samples.length);

function hllChecks(): Check[] {
  const sigma = sigmaOf(ACCURACY.precision);
  const trials = ACCURACY.trials;
  // the three accuracy checks share one set of 32 sketches per seed (each spec test builds its own:
  // the same distribution under another seed); 32 numbers per seed are cheap to keep
  const cache = new Map<string, number[]>();
  const errorsOf = (make: MakeHyperLogLog, who: string, seed: number) => {
    const key = `${who}:${seed}`;
    let errors = cache.get(key);
    if (!errors) {
      errors = hyperLogLogErrors(make, seed);
      cache.set(key, errors);
    }
    return errors;
  };
  const mutant = (name: string, make: MakeHyperLogLog, check: (errors: number[]) => CheckResult) => ({
    name,
    run: (seed: number) => check(errorsOf(make, name, seed)),
  });
  return [
    {
      name: "counts 50,000 items within 3σ on at least 29 of 32 seeds",
      run: (seed) => {
        const errors = errorsOf(reference.hyperLogLog, "reference", seed);
        return { ...withinThreeSigma(errors), sample: errors.map((e) => e / sigma) };
      },
      analytic: (samples) => {
        const p = samples.filter((z) => Math.abs(z) > 3).length / samples.length;
        const nominal = binomialTail(trials, normalTwoSided(3), ACCURACY.maxOutside + 1);
        return `normal errors of σ: P(Bin(32, ${normalTwoSided(3).toFixed(4)}) ≥ 4) = ${sci(nominal)}; measured ${(p * 100).toFixed(3)}% of sketches outside 3σ: ${sci(binomialTail(trials, p, ACCURACY.maxOutside + 1))}`;
      },
      mutants: [mutant("no-alpha", (o) => new hllNoAlpha.HyperLogLog(o), withinThreeSigma)],
    },
    {
      name: "has no bias: the mean error over 32 seeds is within 4.5σ/√32",
      run: (seed) => {
        const errors = errorsOf(reference.hyperLogLog, "reference", seed);
        return { ...unbiased(errors), sample: errors.map((e) => e / sigma) };
      },
      analytic: (samples) => {
        const mean = ratePerTrial(samples);
        const sd = Math.sqrt(samples.reduce((a, z) => a + (z - mean) ** 2, 0) / samples.length);
        const z = ACCURACY.meanSigmas / sd;
        return `normal errors of σ: P(|Z| > 4.5) = ${sci(normalTwoSided(ACCURACY.meanSigmas))}; measured sd ${sd.toFixed(3)}σ, bias ${mean.toFixed(3)}σ: P(|Z| > ${z.toFixed(2)}) = ${sci(normalTwoSided(z))}`;
      },
      mutants: [mutant("alpha-for-16", (o) => new hllAlphaFor16.HyperLogLog(o), unbiased)],
    },
    {
      name: "spreads like 1.04/√m: the RMS error over 32 seeds is between 0.4σ and 1.5σ",
      run: (seed) => {
        const errors = errorsOf(reference.hyperLogLog, "reference", seed);
        return { ...spreadsLikeSigma(errors), sample: errors.map((e) => e / sigma) };
      },
      analytic: (samples) => {
        const { min, max } = ACCURACY.rms;
        const tails = (v: number) =>
          chiSquareBelow(trials, (trials * min ** 2) / v) + chiSquareAbove(trials, (trials * max ** 2) / v);
        const variance = samples.reduce((a, z) => a + z * z, 0) / samples.length;
        return `normal errors of σ: P(χ²₃₂ outside [${(trials * min ** 2).toFixed(1)}, ${trials * max ** 2}]) = ${sci(tails(1))}; measured RMS ${Math.sqrt(variance).toFixed(3)}σ: ${sci(tails(variance))}`;
      },
    },
    {
      name: "uses linear counting below 2.5·m: 100, 1,000 and 5,000 items within 10% with 4,096 registers",
      run: (seed) => smallRange(reference.hyperLogLog, seed),
      analytic: () => {
        const m = 2 ** SMALL_RANGE.precision;
        const p = SMALL_RANGE.sizes.reduce((a, n) => {
          const t = n / m;
          const sd = Math.sqrt(m * (Math.exp(t) - t - 1)) / n;
          return a + normalTwoSided(SMALL_RANGE.tolerance / sd);
        }, 0);
        return `linear counting's normal approximation, summed over the three sizes: ${sci(p)}`;
      },
      mutants: [
        {
          name: "no-small-range-correction",
          run: (seed) => smallRange((o) => new hllNoSmallRange.HyperLogLog(o), seed),
        },
      ],
    },
  ];
}

const katas: Kata[] = [
  {
    id: "count-min-sketch",
    checks: [
      {
        name: "over-counts by more than εN in at most 100 of 1,000 independent trials (δ = 0.05)",
        run: (seed) => {
          const result = overcountTrials(reference.countMin, seed);
          return { ...result, sample: [result.failures / result.trials] };
        },
        analytic: (samples) => {
          const p = ratePerTrial(samples);
          const k = OVERCOUNT.maxFailures + 1;
          return `a sketch failing exactly δ of the trials: P(Bin(1000, 0.05) ≥ ${k}) = ${sci(binomialTail(OVERCOUNT.trials, OVERCOUNT.delta, k))}; measured ${(p * 100).toFixed(2)}% of trials: ${sci(binomialTail(OVERCOUNT.trials, p, k))}`;
        },
        mutants: [
          { name: "max-of-rows", run: (seed) => overcountTrials((o) => new cmsMaxOfRows.CountMinSketch(o), seed) },
          { name: "shifted-rows", run: (seed) => overcountTrials((o) => new cmsShiftedRows.CountMinSketch(o), seed) },
          {
            name: "xor-row-number",
            run: (seed) => overcountTrials((o) => new cmsXorRowNumber.CountMinSketch(o), seed),
          },
        ],
      },
      {
        name: "hashes rows independently: of 40,000 items never added, at most 8 share every cell with a heavy item",
        run: (seed) => {
          const result = rowIndependence(reference.countMin, seed);
          return { ...result, sample: [result.shared] };
        },
        analytic: (samples) => {
          const width = Math.ceil(Math.E / INDEPENDENCE.epsilon);
          const depth = Math.ceil(Math.log(1 / INDEPENDENCE.delta));
          const k = INDEPENDENCE.maxShared + 1;
          const independent = binomialTail(INDEPENDENCE.probes, width ** -depth, k);
          const doubleHashing = binomialTail(INDEPENDENCE.probes, width ** -2, k);
          return `independent rows: P(Bin(40000, ${width}^-${depth}) ≥ ${k}) = ${sci(independent)}; double hashing: ${sci(doubleHashing)}; measured ${ratePerTrial(samples).toFixed(3)} shared items a run`;
        },
        mutants: [
          {
            name: "xor-row-number",
            run: (seed) => rowIndependence((o) => new cmsXorRowNumber.CountMinSketch(o), seed),
          },
          { name: "shifted-rows", run: (seed) => rowIndependence((o) => new cmsShiftedRows.CountMinSketch(o), seed) },
        ],
      },
      {
        name: "estimates with the smallest cell: of 2,000 items never added, at most 25 read above 0 beside 100 heavy items",
        run: (seed) => {
          const result = smallestCell(reference.countMin, seed);
          return { ...result, sample: [result.overcounted] };
        },
        analytic: (samples) => {
          const width = Math.ceil(Math.E / SMALLEST_CELL.epsilon);
          const depth = Math.ceil(Math.log(1 / SMALLEST_CELL.delta));
          const row = 1 - (1 - 1 / width) ** SMALLEST_CELL.heavy;
          const k = SMALLEST_CELL.maxOvercounted + 1;
          return `independent rows: P(Bin(${SMALLEST_CELL.probes}, ${row.toFixed(3)}^${depth}) ≥ ${k}) = ${sci(binomialTail(SMALLEST_CELL.probes, row ** depth, k))}; measured ${ratePerTrial(samples).toFixed(2)} over-counted items a run`;
        },
        mutants: [
          { name: "average-of-rows", run: (seed) => smallestCell((o) => new cmsAverageOfRows.CountMinSketch(o), seed) },
          { name: "median-of-rows", run: (seed) => smallestCell((o) => new cmsMedianOfRows.CountMinSketch(o), seed) },
        ],
      },
    ],
  },
  { id: "hyperloglog", checks: hllChecks() },
  {
    id: "space-saving-top-k",
    checks: [
      {
        name: "holds every bound on a 100,000-event Zipf stream with 100 counters",
        run: (seed) => spaceSavingOnZipf((k) => new spaceSaving.SpaceSaving(k), seed),
        analytic: () => "0: the bounds are deterministic, a correct summary meets them on every stream",
      },
    ],
  },
  {
    id: "sliding-window-top-k",
    checks: [
      {
        name: "matches the replay over 3,000 skewed plays, with bucket-boundary steps and long gaps",
        run: (seed) => slidingWindowReplay((o) => new slidingWindow.SlidingWindowTopK(o), seed),
        analytic: () => "0: the counts are exact, a correct counter matches the replay on every timeline",
      },
    ],
  },
  {
    id: "isr-replication",
    checks: [
      {
        name: "no acknowledged record is lost and no consumer reads above the high watermark, whatever the network and crashes do",
        run: simCheck(keepsAcksAndReadsUnderFaults, { Controller: isr.Controller, Replica: isr.Replica }),
        analytic: () =>
          "0: the checks are invariants of a correct implementation on every fault schedule, not statistics; a failure is a bug in the reference or the check",
        mutants: isrMutants.map(({ name, kata }) => ({ name, run: simCheck(keepsAcksAndReadsUnderFaults, kata) })),
      },
      {
        name: "takes produces again within 2 s once the network heals and every replica is back",
        run: simCheck(servesAfterHeal, { Controller: isr.Controller, Replica: isr.Replica }),
        analytic: () =>
          "0 expected: after the heal a leader is elected within the 300 ms session timeout and the ISR regrows within a few fetches, far inside 2 s",
      },
    ],
  },
  {
    id: "bloom-filter",
    checks: [
      {
        name: "keeps the false-positive rate near p: 10 full filters (n = 5,000, p = 1%) find at most 2,400 of 200,000 items never added",
        run: (seed) => {
          const result = falsePositiveTrials((o) => new bloom.BloomFilter(o), seed);
          return { ...result, sample: [result.found] };
        },
        analytic: (samples) => {
          const { expectedItems: n, rate, trials, probes, maxFound } = FALSE_POSITIVES;
          const { bits: m, hashes: k } = new bloom.BloomFilter({ expectedItems: n, falsePositiveRate: rate, seed: 1 });
          const p = (1 - Math.exp((-k * n) / m)) ** k;
          const measured = ratePerTrial(samples) / (trials * probes);
          return `independent indexes: P(Bin(${trials * probes}, ${p.toFixed(5)}) ≥ ${maxFound + 1}) = ${sci(binomialTail(trials * probes, p, maxFound + 1))}; measured ${(measured * 100).toFixed(3)}% of probes: ${sci(binomialTail(trials * probes, measured, maxFound + 1))}`;
        },
      },
    ],
  },
  {
    id: "lsm-tree",
    checks: [
      {
        name: "a get of a key no table holds reads a data block from few tables: the Bloom filters skip the rest",
        run: (seed) => {
          const result = absentGetsCheck(lsm, seed);
          return { ...result, sample: [result.tables] };
        },
        analytic: (samples) => {
          // each probe a filter lets through reads at most one interval, so failing takes more than
          // slack × p of the probes through the filters
          const probes = ABSENT_GETS.gets * Math.min(...samples);
          const p = lsmOptions.falsePositiveRate;
          const k = Math.floor(ABSENT_GETS.slack * p * probes) + 1;
          return `filters at p = ${p}, the fewest tables seen (${Math.min(...samples)}): P(Bin(${probes}, ${p}) ≥ ${k}) = ${sci(binomialTail(probes, p, k))}`;
        },
        mutants: [{ name: "log10-filter-bits", run: (seed) => absentGetsCheck(lsmLog10FilterBits, seed) }],
      },
      {
        name: "keeps the tables few: at most T · (⌈log_T W⌉ + 1) after each of 20,000 random writes, W flushes in",
        run: (seed) => {
          const result = tablesCheck(lsm, seed);
          return { ...result, sample: [result.most] };
        },
        analytic: (samples) =>
          `0: size-tiered holds at most T − 1 tables a tier whatever the keys; the most seen was ${Math.max(...samples)}`,
        mutants: [{ name: "no-compaction", run: (seed) => tablesCheck(lsmNoCompaction, seed) }],
      },
      {
        name: "write amplification after 20,000 random writes is within the size-tiered bound: 1.5 × (1 + ⌈log_T W⌉)",
        run: (seed) => {
          const result = writeAmplificationCheck(lsm, seed);
          return { ...result, sample: [result.measured] };
        },
        analytic: (samples) =>
          `0: each byte is written once a tier; measured ${Math.min(...samples).toFixed(2)} to ${Math.max(...samples).toFixed(2)}`,
      },
    ],
  },
];

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function main(): void {
  const options = new Command()
    .option("--seeds <n>", "seeds per check", (v) => Number.parseInt(v, 10), 1000)
    .option("--kata <id>", "only this kata")
    .option("--mutants", "also run the checks against the mutants they are meant to kill")
    .parse()
    .opts<{ seeds: number; kata?: string; mutants?: boolean }>();
  const chosen = katas.filter((k) => !options.kata || k.id === options.kata);
  if (chosen.length === 0) throw new Error(`no kata "${options.kata}" here: ${katas.map((k) => k.id).join(", ")}`);
  console.log(
    `false failures of the seeded checks of 07-stream-counting, 09-message-queues and 10-storage-engines, against the reference, seeds 1..${options.seeds}\n`,
  );
  for (const kata of chosen) {
    const started = performance.now();
    let failedSeeds = 0;
    const lines: string[] = [];
    const failedAt = new Set<number>();
    for (const check of kata.checks) {
      const t0 = performance.now();
      const samples: number[] = [];
      let failures = 0;
      let first = "";
      for (let seed = 1; seed <= options.seeds; seed++) {
        const result = check.run(seed);
        if (result.sample) samples.push(...result.sample);
        if (!result.ok) {
          failures++;
          failedAt.add(seed);
          if (!first) first = `\n      first failure, seed ${seed}: ${result.detail}`;
        }
      }
      lines.push(
        `  ${failures} / ${options.seeds}  ${seconds(performance.now() - t0).padStart(7)}  ${check.name}`,
        `      analytic: ${check.analytic(samples)}${first}`,
      );
      if (options.mutants) {
        for (const mutant of check.mutants ?? []) {
          const m0 = performance.now();
          let killed = 0;
          for (let seed = 1; seed <= options.seeds; seed++) if (!mutant.run(seed).ok) killed++;
          lines.push(
            `      mutant ${mutant.name}: fails ${killed} / ${options.seeds} (${seconds(performance.now() - m0)})`,
          );
        }
      }
    }
    failedSeeds = failedAt.size;
    console.log(
      `${kata.id}: ${failedSeeds} / ${options.seeds} seeds failed some check, ${seconds(performance.now() - started)}`,
    );
    console.log(lines.join("\n"));
    console.log("");
  }
}

main();
