import { expect } from "vitest";
import { isNotImplemented } from "../kit/todo.ts";

/**
 * Expects `fn` to throw an instance of `type`. Unlike `expect(fn).toThrow`,
 * a stub's "not implemented" propagates, so an unwritten kata reads as todo.
 */
export function expectThrows(fn: () => unknown, type: abstract new (...args: never[]) => Error): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (isNotImplemented(thrown)) throw thrown;
  expect(thrown, `expected a ${type.name}`).toBeInstanceOf(type);
}
