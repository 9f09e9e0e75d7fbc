import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** the run's base seed: `npm run grade -- --seed N` */
    seed: number;
  }
}

export const DEFAULT_SEED = 1;

export function baseSeed(): number {
  const seed = inject("seed");
  return Number.isSafeInteger(seed) ? seed : DEFAULT_SEED;
}

/** a per-test seed: the same base seed and test name always give the same inputs */
export function seedFor(name: string, base = baseSeed()): number {
  // FNV-1a over "base:name"
  let hash = 0x811c9dc5;
  const text = `${base}:${name}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
