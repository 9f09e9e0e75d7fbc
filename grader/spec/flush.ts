import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * Resolves once every promise callback queued so far has run: one macrotask
 * turn, so all pending microtasks go first. No timer and no clock: async
 * katas are stepped with it between moves of a ManualClock.
 */
export async function flush(): Promise<void> {
  await nextTurn();
}
