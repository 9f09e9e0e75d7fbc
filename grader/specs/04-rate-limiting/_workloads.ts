// shared by the rate-limiting specs: bursts for examples, and the workloads of the load tests
import { compareGrowth, compareLoad, ManualClock, random, seedFor } from "#spec";
import type { Limiter } from "./_trace.ts";

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

/** 100k calls on 10k keys, skewed so a few keys are hot, five calls per millisecond */
export function skewedKeys(name: string, learner: MakeLimiter, reference: MakeLimiter) {
  const rng = random(seedFor(name));
  const ops = 100_000;
  const keys = Array.from({ length: ops }, () => `user:${Math.floor(10_000 * rng.float() ** 2)}`);
  const times = Float64Array.from({ length: ops }, (_, i) => Math.floor(i / 5));
  return compareLoad<Subject>({
    learner: () => subject(learner),
    reference: () => subject(reference),
    ops,
    run: (s, from, to) => {
      for (let i = from; i < to; i++) {
        s.clock.set(times[i] as number);
        s.limiter.tryAcquire(keys[i] as string);
      }
    },
  });
}

/**
 * 50k calls on random keys among 1k, then among 10k, keys held. The calls span
 * 10 s: the limiters must be set up so no key goes idle that fast.
 */
export function keysHeld(name: string, learner: MakeLimiter, reference: MakeLimiter) {
  const rng = random(seedFor(name));
  const ops = 50_000;
  const names = Array.from({ length: 10_000 }, (_, i) => `user:${i}`);
  const picks = Float64Array.from({ length: ops }, () => rng.float());
  const holding = (make: MakeLimiter) => (size: number) => {
    const s = subject(make);
    for (let i = 0; i < size; i++) s.limiter.tryAcquire(names[i] as string);
    return { ...s, size };
  };
  return compareGrowth<Subject & { size: number }>({
    learner: holding(learner),
    reference: holding(reference),
    n: 1_000,
    ops,
    run: (s, from, to) => {
      for (let i = from; i < to; i++) {
        s.clock.set(Math.floor(i / 5));
        s.limiter.tryAcquire(names[Math.floor((picks[i] as number) * s.size)] as string);
      }
    },
  });
}
