/**
 * Mutant of solutions/05-resilience/bulkhead.ts: queue-one-too-many.
 *
 * The bug: the queue is full only when more than maxQueue callers wait, not
 * maxQueue: one caller more than the limit is queued instead of turned away.
 * @caughtBy queues up to maxQueue callers and rejects the next at once with BulkheadFullError
 */

export interface BulkheadOptions {
  /** calls that may run at once */
  maxConcurrent: number;
  /** callers that may wait for a slot; one more is rejected at once */
  maxQueue: number;
}

/** a slot, held until release() (calling it again does nothing) */
export interface Permit {
  release(): void;
}

/** thrown (as a rejection) when every slot is taken and the queue is full */
export class BulkheadFullError extends Error {
  override readonly name = "BulkheadFullError";
}

interface Waiter {
  grant: (permit: Permit) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class Bulkhead {
  readonly #maxConcurrent: number;
  readonly #maxQueue: number;
  #active = 0;
  /** a Set keeps insertion order: the first waiter is the longest waiting, and a waiter that gives up leaves in O(1) */
  readonly #waiters = new Set<Waiter>();

  constructor({ maxConcurrent, maxQueue }: BulkheadOptions) {
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent >= 1)) {
      throw new RangeError(`maxConcurrent must be a whole number ≥ 1, got ${maxConcurrent}`);
    }
    if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) {
      throw new RangeError(`maxQueue must be a whole number ≥ 0, got ${maxQueue}`);
    }
    this.#maxConcurrent = maxConcurrent;
    this.#maxQueue = maxQueue;
  }

  /** calls holding a slot */
  get active(): number {
    return this.#active;
  }

  /** callers waiting for a slot */
  get queued(): number {
    return this.#waiters.size;
  }

  /** a slot now, or undefined; never queues, never passes anyone waiting */
  tryAcquire(): Permit | undefined {
    if (this.#active >= this.#maxConcurrent || this.#waiters.size > 0) return undefined;
    this.#active++;
    return this.#permit();
  }

  /** a slot now, or a place in the queue; rejects with BulkheadFullError when both are full */
  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    if (this.#waiters.size > this.#maxQueue) {
      return Promise.reject(
        new BulkheadFullError(`${this.#active} calls running and ${this.#waiters.size} waiting: the bulkhead is full`),
      );
    }
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        signal,
        onAbort: () => {
          if (this.#waiters.delete(waiter)) reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** runs fn in a slot, waiting for one if need be; the slot is released however fn ends */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const permit = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      permit.release();
    }
  }

  #permit(): Permit {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#handOver();
      },
    };
  }

  /** a released slot goes straight to the first waiter; with none, it is free again */
  #handOver(): void {
    const [next] = this.#waiters;
    if (next === undefined) {
      this.#active--;
      return;
    }
    this.#waiters.delete(next);
    next.signal?.removeEventListener("abort", next.onAbort);
    next.grant(this.#permit());
  }
}
