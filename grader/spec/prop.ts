import fc from "fast-check";
import { it } from "vitest";
import { isNotImplemented } from "../kit/todo.ts";
import "./meta.ts";
import { baseSeed, seedFor, testName } from "./seed.ts";

/** a property that did not hold: the shrunk counterexample and what went wrong with it */
export class PropertyFailure extends Error {
  override readonly name = "PropertyFailure";
}

export interface PropOptions {
  numRuns?: number;
}

/**
 * A fast-check property as a test, seeded from the run's seed and the test's
 * name. A failure shows the shrunk counterexample; a stub's "not implemented"
 * passes through untouched so the grader reads it as todo.
 */
export function prop<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => boolean | undefined,
  options: PropOptions = {},
): void {
  it(name, ({ task }) => {
    const base = baseSeed();
    task.meta.seed = base;
    const details = fc.check(
      fc.property(arbitrary, (value) => predicate(value) !== false),
      { seed: seedFor(testName(task), base), numRuns: options.numRuns ?? 100 },
    );
    report(details);
  });
}

/** `prop` for a predicate that awaits (a loader, a bulkhead, an allocator on a fake disk) */
export function asyncProp<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<unknown>,
  options: PropOptions = {},
): void {
  it(name, async ({ task }) => {
    const base = baseSeed();
    task.meta.seed = base;
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (value) => (await predicate(value)) !== false),
      { seed: seedFor(testName(task), base), numRuns: options.numRuns ?? 100 },
    );
    report(details);
  });
}

function report<T>(details: fc.RunDetails<[T]>): void {
  if (!details.failed) return;
  const cause = details.errorInstance;
  if (isNotImplemented(cause)) throw cause;
  const why = cause instanceof Error ? cause.message : "the property returned false";
  const example = details.counterexample ? fc.stringify(details.counterexample[0]) : "(none)";
  throw new PropertyFailure(`${why}\ncounterexample after ${details.numShrinks} shrinks: ${example}`, { cause });
}
