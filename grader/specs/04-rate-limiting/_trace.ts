// shared by the rate-limiting specs: random call traces, and a check of every
// decision against an exact model of the algorithm
import fc from "fast-check";
import { ManualClock } from "#spec";

export interface Decision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}

export interface Limiter {
  tryAcquire(key: string, cost?: number): Decision;
  size(): number;
}

export interface Call {
  key: string;
  /** ms since the previous call */
  gap: number;
  cost: number;
}

export interface Admitted {
  at: number;
  cost: number;
}

/** the exact algorithm, as a function of one key's admitted history */
export interface Model {
  /** units a request may take at time `at` */
  headroom(history: readonly Admitted[], at: number): number;
  /** the largest cost that can ever be allowed */
  maxCost: number;
  /** what the headroom means, for a failure message: "3.5 tokens in the bucket" */
  explain(headroom: number): string;
}

export interface TraceOptions {
  /** typical gap between calls, in ms */
  gapMs: number;
  maxCost: number;
  keys?: readonly string[];
  maxLength?: number;
}

/** calls on a few keys, with bursts (gap 0), typical gaps and long idle stretches */
export function calls({ gapMs, maxCost, keys = ["a", "b", "c"], maxLength = 60 }: TraceOptions): fc.Arbitrary<Call[]> {
  const gap = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 6, arbitrary: fc.integer({ min: 1, max: gapMs }) },
    { weight: 1, arbitrary: fc.integer({ min: gapMs, max: gapMs * 20 }) },
  );
  return fc.array(fc.record({ key: fc.constantFrom(...keys), gap, cost: fc.integer({ min: 1, max: maxCost }) }), {
    minLength: 1,
    maxLength,
  });
}

export interface Outcome {
  call: Call;
  at: number;
  decision: Decision;
}

/** runs the calls on a fresh limiter with a manual clock; returns every decision */
export function replay(calls: readonly Call[], make: (clock: ManualClock) => Limiter, start = 0): Outcome[] {
  const clock = new ManualClock(start);
  const limiter = make(clock);
  let at = start;
  return calls.map((call) => {
    at += call.gap;
    clock.set(at);
    return { call, at, decision: limiter.tryAcquire(call.key, call.cost) };
  });
}

// decisions within this many units of a tie may go either way: float rounding
const TOLERANCE = 1e-6;

function story(outcomes: readonly Outcome[], upTo: number, key: string): string {
  const mine = outcomes.slice(0, upTo).filter((o) => o.call.key === key);
  const shown = mine
    .slice(-6)
    .map((o) => `${o.decision.allowed ? "allowed" : "rejected"} cost ${o.call.cost} at ${o.at}`);
  return mine.length === 0
    ? `  (first call on "${key}")`
    : `  earlier calls on "${key}"${mine.length > 6 ? " (last 6)" : ""}: ${shown.join("; ")}`;
}

/**
 * Checks each decision against the model, replaying the learner's own
 * admitted history: allowed exactly when the request fits, remaining as the
 * whole units left, retryAfterMs as the first whole millisecond it would fit.
 */
export function checkAgainstModel(outcomes: readonly Outcome[], model: Model): void {
  const histories = new Map<string, Admitted[]>();
  outcomes.forEach(({ call, at, decision }, index) => {
    const history = histories.get(call.key) ?? [];
    histories.set(call.key, history);
    const room = model.headroom(history, at);
    const where = `call ${index + 1}, at ${at} ms, key "${call.key}", cost ${call.cost}`;
    const fail = (what: string): never => {
      throw new Error(`${where}: ${what}\n${story(outcomes, index, call.key)}`);
    };
    if (decision.allowed && room < call.cost - TOLERANCE) {
      fail(`you allowed it, but there were only ${model.explain(room)}: that is over the limit`);
    }
    if (!decision.allowed && room >= call.cost + TOLERANCE) {
      fail(`you rejected it, but there were ${model.explain(room)}: enough for it`);
    }
    const left = decision.allowed ? room - call.cost : room;
    const expected = [Math.floor(left - TOLERANCE), Math.floor(left + TOLERANCE)].map((n) => Math.max(0, n));
    if (!expected.includes(decision.remaining)) {
      fail(`remaining was ${decision.remaining}; ${model.explain(left)} were left, so expected ${expected[1]}`);
    }
    if (decision.allowed) {
      if (decision.retryAfterMs !== 0) fail(`allowed, so retryAfterMs should be 0, not ${decision.retryAfterMs}`);
      history.push({ at, cost: call.cost });
      return;
    }
    const wait = decision.retryAfterMs;
    if (call.cost > model.maxCost) {
      if (wait !== Number.POSITIVE_INFINITY) {
        fail(
          `cost ${call.cost} is above ${model.maxCost} and can never be allowed: retryAfterMs should be Infinity, not ${wait}`,
        );
      }
      return;
    }
    if (!Number.isInteger(wait) || wait < 1) fail(`retryAfterMs should be a whole number of ms ≥ 1, not ${wait}`);
    if (model.headroom(history, at + wait) < call.cost - TOLERANCE) {
      fail(
        `retryAfterMs was ${wait}, but at ${at + wait} ms there are only ${model.explain(model.headroom(history, at + wait))}: retrying then fails`,
      );
    }
    if (wait > 1 && model.headroom(history, at + wait - 1) >= call.cost + TOLERANCE) {
      fail(
        `retryAfterMs was ${wait}, but at ${at + wait - 1} ms there are already ${model.explain(model.headroom(history, at + wait - 1))}: the wait is longer than needed`,
      );
    }
  });
}

/** allowed outcomes of each key, in time order */
export function admittedByKey(outcomes: readonly Outcome[]): Map<string, Admitted[]> {
  const byKey = new Map<string, Admitted[]>();
  for (const { call, at, decision } of outcomes) {
    if (!decision.allowed) continue;
    const list = byKey.get(call.key) ?? [];
    list.push({ at, cost: call.cost });
    byKey.set(call.key, list);
  }
  return byKey;
}
