// shared by the resilience specs: a way to let pending promise callbacks run without any clock

/** resolves once every promise callback queued so far has run (one macrotask turn; no timer, no clock) */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
