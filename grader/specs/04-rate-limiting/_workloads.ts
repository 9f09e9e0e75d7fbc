// shared by the rate-limiting specs: bursts for examples, and the workloads of the load tests

import type { AnswersCheck } from "#spec";
import { compareGrowth, compareLoad, ManualClock, random, seedFor } from "#spec";
import type { Decision, Limiter } from "./_trace.ts";

/** calls tryAcquire(key) `tries` times at the clock's current time; returns how many were allowed */
export function burst(limiter: Limiter, key: string, tries: number): number {
  let allowed = 0;
  for (let i = 0; i < tries; i++) if (limiter.tryAcquire(key).allowed) allowed++;
  return allowed;
}

export type MakeLimiter = (clock: ManualClock) => Limiter;

type Subject = { clock: ManualClock; limiter: Limiter };

function subject(make: MakeLimiter): Subject {
  const clock = new ManualClock();
  return { clock, limiter: make(clock) };
}

/** what a decision adds to a load test's sum: 1 if admitted, plus the remaining it reported */
export function tally(decision: Decision): number {
  return (decision.allowed ? 1 : 0) + decision.remaining;
}

/**
 * The answers under load, summed: every decision is fixed by the contract, so the learner's sum
 * must be the reference's. `tolerance` is for katas whose decisions are fractional: a tie within
 * float error may go either way (the model checks accept both), and moves a later decision or two.
 */
export function answers(tolerance = 0): AnswersCheck {
  return { what: "requests admitted plus the remaining they reported", tolerance };
}

export interface WorkloadOptions {
  /** calls per round: a round must last long enough that a slice of it (1/50) is a millisecond or more */
  ops?: number;
  /** relative difference allowed between the learner's sum of answers and the reference's */
  tolerance?: number;
}

/** 100k calls (by default) on 10k keys, skewed so a few keys are hot, five calls per millisecond */
export function skewedKeys(
  name: string,
  learner: MakeLimiter,
  reference: MakeLimiter,
  { ops = 100_000, tolerance = 0 }: WorkloadOptions = {},
) {
  const rng = random(seedFor(name));
  const keys = Array.from({ length: ops }, () => `user:${Math.floor(10_000 * rng.float() ** 2)}`);
  const times = Float64Array.from({ length: ops }, (_, i) => Math.floor(i / 5));
  return compareLoad<Subject>({
    learner: () => subject(learner),
    reference: () => subject(reference),
    ops,
    run: (s, from, to) => {
      let sum = 0;
      for (let i = from; i < to; i++) {
        s.clock.set(times[i] as number);
        sum += tally(s.limiter.tryAcquire(keys[i] as string));
      }
      return sum;
    },
    answers: answers(tolerance),
  });
}

/**
 * 60k calls on random keys among 100, then among 5,000, keys held. A call that scans every key
 * grows about 40× from one to the other, an O(1) call about 1× (a little more, as 5,000 keys fit
 * the caches less well). With 4 busy loops on the 2 cores the references against themselves came
 * out between 0.6× and 1.6× (budget 3×), the mutants that sweep every key at 13× or more; three
 * rounds of 60k calls (7 ms or so each) hold that as well as five of 100k, at a third of the time.
 * The calls span 6 s: the limiters must be set up so no key goes idle that fast.
 */
export function keysHeld(
  name: string,
  learner: MakeLimiter,
  reference: MakeLimiter,
  { tolerance = 0 }: Pick<WorkloadOptions, "tolerance"> = {},
) {
  const rng = random(seedFor(name));
  const n = 100;
  const factor = 50;
  const ops = 60_000;
  const names = Array.from({ length: n * factor }, (_, i) => `user:${i}`);
  const picks = Float64Array.from({ length: ops }, () => rng.float());
  const holding = (make: MakeLimiter) => (size: number) => {
    const s = subject(make);
    for (let i = 0; i < size; i++) s.limiter.tryAcquire(names[i] as string);
    return { ...s, size };
  };
  return compareGrowth<Subject & { size: number }>({
    learner: holding(learner),
    reference: holding(reference),
    n,
    factor,
    ops,
    rounds: 3,
    run: (s, from, to) => {
      let sum = 0;
      for (let i = from; i < to; i++) {
        s.clock.set(Math.floor(i / 10));
        sum += tally(s.limiter.tryAcquire(names[Math.floor((picks[i] as number) * s.size)] as string));
      }
      return sum;
    },
    answers: answers(tolerance),
  });
}
