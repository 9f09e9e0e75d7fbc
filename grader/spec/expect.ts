import { expect } from "vitest";
import { isNotImplemented } from "../kit/todo.ts";

/**
 * Expects `fn` to throw an instance of `type`, and returns it for a look at
 * its message. Unlike `expect(fn).toThrow`, a stub's "not implemented"
 * propagates, so an unwritten kata reads as todo.
 */
export function expectThrows<E extends Error>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => E,
  what?: string,
): E {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (isNotImplemented(thrown)) throw thrown;
  expect(thrown, what ? `${what} should throw a ${type.name}` : `expected a ${type.name}`).toBeInstanceOf(type);
  return thrown as E;
}
