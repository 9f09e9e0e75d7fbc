// shared by the async caching specs: a backend the test answers by hand, and a look at promises
// without waiting on them
import { flush } from "#spec";

/** one call the code under test made, still waiting for the test to answer it */
export interface Call<T> {
  key: string;
  /** the clock time of the call */
  at: number;
  settled: boolean;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A fake backend that answers only when the test says so: every call returns
 * a deferred promise the test resolves or rejects, in any order. No timers.
 */
export class DeferredBackend<T> {
  readonly calls: Call<T>[] = [];

  constructor(readonly now: () => number = () => 0) {}

  readonly load = (key: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const call: Call<T> = {
        key,
        at: this.now(),
        settled: false,
        resolve: (value) => {
          call.settled = true;
          resolve(value);
        },
        reject: (error) => {
          call.settled = true;
          reject(error);
        },
      };
      this.calls.push(call);
    });

  /** calls not answered yet, oldest first */
  pending(key?: string): Call<T>[] {
    return this.calls.filter((c) => !c.settled && (key === undefined || c.key === key));
  }

  /** the one pending call, for tests where exactly one is expected */
  only(key?: string): Call<T> {
    const pending = this.pending(key);
    if (pending.length !== 1) {
      throw new Error(
        `expected exactly 1 backend call in flight${key ? ` for "${key}"` : ""}, found ${pending.length}`,
      );
    }
    return pending[0] as Call<T>;
  }
}

export type Peek<T> = { state: "pending" } | { state: "fulfilled"; value: T } | { state: "rejected"; reason: unknown };

/**
 * Where each promise stands once everything that can settle has: never waits
 * on a promise that does not settle, so a wrong implementation fails the test
 * instead of hanging it.
 */
export async function peek<T>(promises: ReadonlyArray<Promise<T>>): Promise<Peek<T>[]> {
  const states: Peek<T>[] = promises.map(() => ({ state: "pending" }));
  promises.forEach((promise, i) => {
    promise.then(
      (value) => {
        states[i] = { state: "fulfilled", value };
      },
      (reason: unknown) => {
        states[i] = { state: "rejected", reason };
      },
    );
  });
  await flush();
  return states;
}

/** like peek, for one promise */
export async function peekOne<T>(promise: Promise<T>): Promise<Peek<T>> {
  const [state] = await peek([promise]);
  return state as Peek<T>;
}

/**
 * Runs `body` and returns the promise rejections nobody handled while it ran,
 * instead of letting them reach the test runner as errors of no test. A kata's
 * background work (a flush, a refresh) must never leave one behind.
 */
export async function unhandledRejections(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => {
    seen.push(reason);
  };
  // the runner's own listeners would report the rejection as an error of the whole run
  const runners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", listener);
  try {
    await body();
    // Node reports a rejection as unhandled once the microtasks of the turn have run
    await flush();
    await flush();
  } finally {
    process.off("unhandledRejection", listener);
    for (const runner of runners) process.on("unhandledRejection", runner);
  }
  return seen;
}
