// shared by the id specs: checks on what a thrown error says
import { expect } from "vitest";
import { expectThrows } from "#spec";

/** expects `fn` to throw a RangeError whose message contains `fragment`; a stub's todo passes through */
export function expectRangeErrorNaming(fn: () => unknown, fragment: string, what: string): void {
  const thrown = expectThrows(fn, RangeError, what);
  expect(thrown.message, `the message of ${what} should name "${fragment}"`).toContain(fragment);
}
