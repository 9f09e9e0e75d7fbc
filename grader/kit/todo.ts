/**
 * Thrown by the stubs in katas/. The grader reads it as "todo: not implemented
 * yet", not as a failure with a stack trace.
 */
export class NotImplementedError extends Error {
  override readonly name = "NotImplementedError";

  constructor(readonly what: string) {
    super(`todo: not implemented yet (${what})`);
  }
}

/**
 * Marks the place a learner fills in. The extra arguments are ignored; passing
 * the parameters keeps them "used" until the real code replaces the call.
 */
export function todo(what: string, ..._unused: unknown[]): never {
  throw new NotImplementedError(what);
}

export function isNotImplemented(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "NotImplementedError";
}
