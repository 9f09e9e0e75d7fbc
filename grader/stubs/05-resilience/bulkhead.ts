/**
 * Kata: bulkhead (difficulty 1, about 30 minutes)
 * Read:  chapters/05-resilience/README.md#deep-dive-bulkheads
 * Grade: npm run grade -- bulkhead
 * Hint:  npm run hint -- bulkhead (one more hint each time you ask)
 *
 * Build a bulkhead: a cap on the calls one dependency may tie up at once.
 * - [ ] At most `maxConcurrent` permits are held at once (`active`).
 * - [ ] tryAcquire(): a permit now, or undefined. It never queues, and never
 *       takes a slot while anyone is waiting for one.
 * - [ ] acquire(signal): a permit now if a slot is free and nobody waits; else
 *       a place in the queue if fewer than `maxQueue` wait (`queued`); else a
 *       rejection with BulkheadFullError, at once.
 * - [ ] Waiters get slots in arrival order. release() hands the slot straight
 *       to the first waiter (active stays the same), so no newcomer can take
 *       it in the moment before the waiter wakes up. A second release() of the
 *       same permit does nothing.
 * - [ ] A waiter whose signal aborts leaves the queue (`queued` drops, its
 *       place is free for the next caller) and is rejected with
 *       signal.reason; it never gets a slot. A signal that has already fired
 *       is rejected at once.
 * - [ ] run(fn, signal): acquire, run fn, release however fn ends: resolved,
 *       rejected, or thrown before it returned a promise.
 * - [ ] Limits that are not whole numbers (maxConcurrent ≥ 1, maxQueue ≥ 0): RangeError.
 * No timers: a queue timeout is the caller's AbortSignal (AbortSignal.timeout(ms) in production).
 */
import { todo } from "#kit";

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

export class Bulkhead {
  constructor(options: BulkheadOptions) {
    // TODO: check the limits and keep them.
    todo("Bulkhead constructor", options);
  }

  /** calls holding a slot */
  get active(): number {
    // TODO: the permits held now.
    return todo("Bulkhead.active");
  }

  /** callers waiting for a slot */
  get queued(): number {
    // TODO: the waiters still waiting (not those that gave up).
    return todo("Bulkhead.queued");
  }

  /** a slot now, or undefined; never queues, never passes anyone waiting */
  tryAcquire(): Permit | undefined {
    // TODO: take a free slot if nobody is waiting for it.
    return todo("Bulkhead.tryAcquire");
  }

  /** a slot now, or a place in the queue; rejects with BulkheadFullError when both are full */
  acquire(signal?: AbortSignal): Promise<Permit> {
    // TODO: a slot, a place in the queue that listens to the signal, or a BulkheadFullError.
    return todo("Bulkhead.acquire", signal);
  }

  /** runs fn in a slot, waiting for one if need be; the slot is released however fn ends */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // TODO: acquire, run fn, release in a finally.
    return todo("Bulkhead.run", fn, signal);
  }
}
