// shared by the id specs: checks on what a thrown error says
import { expect } from "vitest";
import { isNotImplemented } from "#kit";

/** expects `fn` to throw a RangeError whose message contains `fragment`; a stub's todo passes through */
export function expectRangeErrorNaming(fn: () => unknown, fragment: string, what: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (isNotImplemented(thrown)) throw thrown;
  expect(thrown, `${what} should throw a RangeError`).toBeInstanceOf(RangeError);
  expect((thrown as Error).message, `the message of ${what} should name "${fragment}"`).toContain(fragment);
}
