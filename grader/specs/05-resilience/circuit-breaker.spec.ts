import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/circuit-breaker";
import * as reference from "#ref/05-resilience/circuit-breaker";
import { compareGrowth, compareLoad, expectThrows, kataOf, loadTest, ManualClock, prop } from "#spec";
import chapter from "../../../chapters/05-resilience/chapter.ts";
import { BreakerModel, type ModelOptions } from "./_breaker-model.ts";

const { budgets } = kataOf(chapter, "05-resilience", "circuit-breaker");

type Options = Omit<learner.CircuitBreakerOptions, "clock">;
type Breaker = Pick<learner.CircuitBreaker, "state" | "tryAcquire">;

const defaults: Options = {
  failureRateThreshold: 0.5,
  windowMs: 10_000,
  minimumCalls: 10,
  openMs: 5_000,
  halfOpenProbes: 3,
};

function breaker(clock: ManualClock, options: Partial<Options> = {}) {
  const transitions: learner.Transition[] = [];
  const instance = new learner.CircuitBreaker({
    ...defaults,
    onTransition: (t) => transitions.push(t),
    ...options,
    clock,
  });
  return { breaker: instance, transitions };
}

/** one call through the breaker that ends at once; returns whether it was let through */
function callThen(b: Breaker, failed: boolean): boolean {
  const permit = b.tryAcquire();
  if (permit === undefined) return false;
  if (failed) permit.failure();
  else permit.success();
  return true;
}

/** `pattern` of F (failure) and S (success), one call each; returns the calls let through */
function calls(b: Breaker, pattern: string): number {
  let through = 0;
  for (const c of pattern.replace(/\s/g, "")) if (callThen(b, c === "F")) through++;
  return through;
}

/** opens the breaker at the clock's time: minimumCalls failures with the defaults */
function tripped(clock: ManualClock, options: Partial<Options> = {}) {
  const subject = breaker(clock, options);
  calls(subject.breaker, "F".repeat(options.minimumCalls ?? defaults.minimumCalls));
  expect(subject.breaker.state(), "state after minimumCalls failures in a row").toBe("open");
  return subject;
}

const LEGAL = new Set(["closed>open", "open>half-open", "half-open>open", "half-open>closed"]);

function checkLegal(transitions: readonly learner.Transition[]): void {
  let current: learner.BreakerState = "closed";
  let last = Number.NEGATIVE_INFINITY;
  transitions.forEach(({ from, to, at }, i) => {
    const where = `transition ${i + 1} (${from} → ${to} at ${at} ms)`;
    expect(from, `${where}: the breaker was ${current}, not ${from}`).toBe(current);
    expect(LEGAL.has(`${from}>${to}`), `${where} is not a legal transition`).toBe(true);
    expect(at, `${where}: time went backwards`).toBeGreaterThanOrEqual(last);
    current = to;
    last = at;
  });
}

describe("closed: a rolling failure rate", () => {
  it("lets every call through while closed", () => {
    const { breaker: b } = breaker(new ManualClock());
    expect(calls(b, "S".repeat(100)), "successful calls let through").toBe(100);
    expect(b.state(), "state after 100 successes").toBe("closed");
  });

  it("opens when a failure brings the failure rate to the threshold over at least minimumCalls calls", () => {
    const clock = new ManualClock();
    const { breaker: b, transitions } = breaker(clock);
    calls(b, "SSSSS FFFF");
    expect(b.state(), "after 4 failures of 9 calls (44%, threshold 50%)").toBe("closed");
    clock.set(10);
    calls(b, "F");
    expect(b.state(), "after 5 failures of 10 calls (50%, threshold 50%), minimumCalls 10").toBe("open");
    expect(transitions, "transitions after the 10th call, a failure at 10 ms").toEqual([
      { from: "closed", to: "open", at: 10 },
    ]);
  });

  it("never opens on fewer than minimumCalls calls in the window, even all failures", () => {
    const { breaker: b } = breaker(new ManualClock());
    calls(b, "F".repeat(9));
    expect(b.state(), "after 9 failures of 9 calls, minimumCalls 10").toBe("closed");
  });

  it("opens on a failure rate above the threshold even when failures never come in a row", () => {
    // 80% failures, never five in a row: a counter of consecutive failures never trips
    const { breaker: b } = breaker(new ManualClock());
    const through = calls(b, "FFFFS FFFFS FFFFS FFFFS");
    expect(b.state(), "after FFFFS × 4, threshold 50%, minimumCalls 10").toBe("open");
    expect(through, "calls let through before it opened").toBe(11);
  });

  it("counts only outcomes from the last windowMs", () => {
    const clock = new ManualClock();
    const { breaker: b } = breaker(clock, { windowMs: 1000 });
    calls(b, "F".repeat(9));
    clock.set(1000);
    calls(b, "F");
    expect(b.state(), "9 failures at 0 ms have left a 1000 ms window at 1000 ms: 1 call counts").toBe("closed");

    const edgeClock = new ManualClock();
    const edge = breaker(edgeClock, { windowMs: 1000 });
    calls(edge.breaker, "F".repeat(9));
    edgeClock.set(999);
    calls(edge.breaker, "F");
    expect(edge.breaker.state(), "9 failures at 0 ms still count at 999 ms: 10 of 10 failed").toBe("open");
  });

  it("counts an outcome from the time it is reported, not the time its call was let through", () => {
    const clock = new ManualClock();
    const { breaker: b } = breaker(clock, { windowMs: 1000, minimumCalls: 4 });
    const slow = [b.tryAcquire(), b.tryAcquire(), b.tryAcquire()];
    clock.set(900);
    for (const permit of slow) permit?.failure();
    expect(b.state(), "3 calls let through at 0 ms failed at 900 ms: 3 of minimumCalls 4").toBe("closed");
    clock.set(1500);
    calls(b, "F");
    expect(
      b.state(),
      "a failure at 1500 ms, with the 3 failures reported at 900 ms still in the 1000 ms window: 4 of 4 failed",
    ).toBe("open");
  });

  it("does not open on successes", () => {
    const clock = new ManualClock();
    const { breaker: b } = breaker(clock, { minimumCalls: 4 });
    calls(b, "FFF");
    clock.set(100);
    calls(b, "SSSSSS");
    expect(b.state(), "3 failures then 6 successes").toBe("closed");
  });
});

describe("open: failing fast", () => {
  it("rejects every call while open, without reaching the dependency", async () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock);
    let reached = 0;
    for (const at of [0, 1000, 4999]) {
      clock.set(at);
      expect(b.tryAcquire(), `tryAcquire at ${at} ms, open since 0 ms for 5000 ms`).toBeUndefined();
      await expect(
        b.call(async () => {
          reached++;
        }),
        `call() at ${at} ms, open since 0 ms for 5000 ms`,
      ).rejects.toBeInstanceOf(learner.BreakerOpenError);
    }
    expect(reached, "calls that reached the dependency while open").toBe(0);
  });

  it("moves to half-open openMs after opening, though callers keep knocking", () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock);
    for (let at = 100; at < 5000; at += 100) {
      clock.set(at);
      b.tryAcquire();
    }
    clock.set(5000);
    expect(b.state(), "state 5000 ms after opening with openMs 5000, rejected calls every 100 ms").toBe("half-open");
  });

  it("goes from open to half-open, never straight to closed", () => {
    const clock = new ManualClock();
    const { breaker: b, transitions } = tripped(clock);
    clock.set(60_000);
    expect(b.state(), "state at 60000 ms, opened at 0 ms with openMs 5000, first looked at since").toBe("half-open");
    expect(
      transitions.map((t) => `${t.from} → ${t.to} at ${t.at} ms`),
      "transitions: half-open is announced at the clock time state() found openMs had passed",
    ).toEqual(["closed → open at 0 ms", "open → half-open at 60000 ms"]);
  });
});

describe("half-open: probing", () => {
  it("lets at most halfOpenProbes calls through while half-open, however many callers arrive", async () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock);
    clock.set(5000);
    const permits = Array.from({ length: 100 }, () => b.tryAcquire()).filter((p) => p !== undefined);
    expect(permits.length, "calls let through by a half-open breaker with halfOpenProbes 3, 100 waiting").toBe(3);
    permits[0]?.success();
    expect(b.tryAcquire(), "a probe succeeded, but all 3 have been let through: the rest wait").toBeUndefined();
    let ran = false;
    await expect(
      b.call(async () => {
        ran = true;
      }),
      "call() on a half-open breaker whose 3 probes are out",
    ).rejects.toBeInstanceOf(learner.BreakerOpenError);
    expect(ran, "call() ran fn though the breaker let no more probes through").toBe(false);
  });

  it("closes after halfOpenProbes probes succeed", () => {
    const clock = new ManualClock();
    const { breaker: b, transitions } = tripped(clock);
    clock.set(5000);
    const probes = [b.tryAcquire(), b.tryAcquire(), b.tryAcquire()];
    clock.set(5020);
    probes[0]?.success();
    probes[1]?.success();
    expect(b.state(), "after 2 successful probes of halfOpenProbes 3: the third decides").toBe("half-open");
    probes[2]?.success();
    expect(b.state(), "after 3 successful probes of 3").toBe("closed");
    expect(transitions.at(-1), "the last transition").toEqual({ from: "half-open", to: "closed", at: 5020 });
    expect(calls(b, "S".repeat(50)), "calls let through once closed").toBe(50);
  });

  it("reopens on a failed probe, and waits openMs again", () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock);
    clock.set(5000);
    const probe = b.tryAcquire();
    clock.set(5030);
    probe?.failure();
    expect(b.state(), "after a failed probe at 5030 ms").toBe("open");
    clock.set(10_029);
    expect(b.tryAcquire(), "at 10029 ms, 4999 ms after reopening").toBeUndefined();
    clock.set(10_030);
    expect(b.state(), "at 10030 ms, openMs after reopening").toBe("half-open");
  });

  it("reopens on any probe failure, even after a successful probe", () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock);
    clock.set(5000);
    const [first, second] = [b.tryAcquire(), b.tryAcquire()];
    first?.success();
    second?.failure();
    expect(b.state(), "probes: one success, then one failure").toBe("open");
  });

  it("starts closed with an empty window after recovering", () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock, { minimumCalls: 4, windowMs: 60_000, openMs: 1000, halfOpenProbes: 1 });
    clock.set(1000);
    calls(b, "S");
    expect(b.state(), "after the one probe succeeded").toBe("closed");
    clock.set(1001);
    calls(b, "FFF");
    expect(b.state(), "3 failures since closing, minimumCalls 4: the failures before opening are history").toBe(
      "closed",
    );
  });

  it("ignores the outcome of a call admitted before the breaker changed state", () => {
    const clock = new ManualClock();
    const { breaker: b } = breaker(clock, { minimumCalls: 4, halfOpenProbes: 1 });
    const slow = b.tryAcquire();
    calls(b, "FFFF");
    expect(b.state(), "after 4 failures of 5 calls let in (one still out), minimumCalls 4").toBe("open");
    clock.set(5000);
    const probe = b.tryAcquire();
    slow?.success();
    expect(b.state(), "a call let in while closed succeeded during half-open: it is not the probe").toBe("half-open");
    probe?.failure();
    expect(b.state(), "the probe failed").toBe("open");
  });

  it("counts each permit once, whatever the caller reports after", () => {
    const { breaker: b } = breaker(new ManualClock(), { minimumCalls: 4 });
    const permit = b.tryAcquire();
    permit?.failure();
    permit?.failure();
    permit?.success();
    calls(b, "SF");
    expect(b.state(), "3 calls (one of them reported three times), minimumCalls 4").toBe("closed");
    calls(b, "F");
    expect(b.state(), "3 failures of 4 calls: the first report of the first call counts").toBe("open");
  });
});

describe("call()", () => {
  it("records a rejected call as a failure and passes its error on", async () => {
    const clock = new ManualClock();
    const { breaker: b } = breaker(clock, { minimumCalls: 2 });
    const boom = new Error("boom");
    for (let i = 0; i < 2; i++) {
      await expect(
        b.call(() => Promise.reject(boom)),
        `call ${i + 1}, rejected with boom`,
      ).rejects.toBe(boom);
    }
    expect(b.state(), "after 2 rejected calls, minimumCalls 2").toBe("open");
    await expect(
      b.call(async () => "never"),
      "call() on an open breaker",
    ).rejects.toBeInstanceOf(learner.BreakerOpenError);
  });

  it("counts errors that isFailure says are the caller's fault as successes", async () => {
    class NotFound extends Error {}
    const isFailure = (error: unknown) => !(error instanceof NotFound);
    const { breaker: b } = breaker(new ManualClock(), { minimumCalls: 2, isFailure });
    for (let i = 0; i < 5; i++) {
      await expect(
        b.call(() => Promise.reject(new NotFound())),
        "a not-found answer",
      ).rejects.toThrow(NotFound);
    }
    await expect(
      b.call(() => Promise.reject(new Error("down"))),
      "a real failure",
    ).rejects.toThrow("down");
    expect(b.state(), "5 not-found answers and 1 real failure: 17%, threshold 50%").toBe("closed");
    await expect(
      b.call(async () => 42),
      "a call that resolves",
    ).resolves.toBe(42);

    // the caller's errors are calls the dependency answered: they count toward minimumCalls too
    const { breaker: quiet } = breaker(new ManualClock(), { minimumCalls: 4, failureRateThreshold: 0.25, isFailure });
    for (let i = 0; i < 3; i++) {
      await expect(
        quiet.call(() => Promise.reject(new NotFound())),
        "a not-found answer",
      ).rejects.toThrow(NotFound);
    }
    await expect(
      quiet.call(() => Promise.reject(new Error("down"))),
      "a real failure",
    ).rejects.toThrow("down");
    expect(
      quiet.state(),
      "3 not-found answers (successes) and 1 real failure: 1 of 4 calls failed, threshold 25%, minimumCalls 4",
    ).toBe("open");
  });

  it("records a call whose fn throws before returning a promise as a failure, and passes its error on", async () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock, { halfOpenProbes: 1 });
    clock.set(5000);
    const boom = new Error("sync boom");
    const throwsAtOnce = (): Promise<never> => {
      throw boom;
    };
    await expect(b.call(throwsAtOnce), "the probe's call(), whose fn throws").rejects.toBe(boom);
    expect(b.state(), "half-open with halfOpenProbes 1, after the one probe threw: it failed").toBe("open");
  });

  it("records a call that resolves as a success: probes made through call() close the breaker", async () => {
    const clock = new ManualClock();
    const { breaker: b } = tripped(clock, { halfOpenProbes: 2 });
    clock.set(5000);
    for (let i = 1; i <= 2; i++) {
      await expect(
        b.call(async () => `answer ${i}`),
        `probe ${i} of 2, through call()`,
      ).resolves.toBe(`answer ${i}`);
    }
    expect(b.state(), "half-open with halfOpenProbes 2, after both probes resolved").toBe("closed");
  });
});

describe("options", () => {
  it("throws a RangeError for options out of range", () => {
    const clock = new ManualClock();
    for (const bad of [
      { failureRateThreshold: 0 },
      { failureRateThreshold: 1.5 },
      { failureRateThreshold: Number.NaN },
      { windowMs: 0 },
      { windowMs: Number.NaN },
      { minimumCalls: 0 },
      { minimumCalls: 2.5 },
      { openMs: -1 },
      { openMs: 0 },
      { openMs: Number.NaN },
      { halfOpenProbes: 0 },
      { halfOpenProbes: 1.5 },
    ]) {
      expectThrows(
        () => new learner.CircuitBreaker({ ...defaults, ...bad, clock }),
        RangeError,
        `options ${Object.entries(bad).map(([name, value]) => `${name}: ${value}`)}`,
      );
    }
  });

  it("accepts the edges of every range: threshold 1, one call, one probe, 1 ms windows", () => {
    const clock = new ManualClock();
    const edges = { failureRateThreshold: 1, windowMs: 1, minimumCalls: 1, openMs: 1, halfOpenProbes: 1 };
    const { breaker: b } = breaker(clock, edges);
    expect(calls(b, "S"), `calls let through with options ${JSON.stringify(edges)}`).toBe(1);
    calls(b, "F");
    expect(b.state(), "after a success then a failure at 0 ms: 1 of 2 failed, threshold 1").toBe("closed");
    clock.set(1);
    calls(b, "F");
    expect(b.state(), "a failure at 1 ms, the others gone from a 1 ms window: 1 of 1 failed").toBe("open");
  });
});

type Op = { kind: "wait"; ms: number } | { kind: "call" } | { kind: "settle"; pick: number; failed: boolean };

const histories = fc.record({
  options: fc.record({
    failureRateThreshold: fc.constantFrom(0.25, 0.5, 0.75, 1),
    windowMs: fc.constantFrom(100, 1000),
    minimumCalls: fc.integer({ min: 1, max: 6 }),
    openMs: fc.constantFrom(50, 500),
    halfOpenProbes: fc.integer({ min: 1, max: 3 }),
  }),
  ops: fc.array(
    fc.oneof(
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 600 }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("call" as const) }) },
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant("settle" as const),
          pick: fc.nat({ max: 7 }),
          failed: fc.boolean(),
        }),
      },
    ),
    { minLength: 1, maxLength: 120 },
  ),
});

/** replays ops on the learner's breaker and the model side by side; throws at the first disagreement */
function replay(options: ModelOptions, ops: readonly Op[]) {
  const clock = new ManualClock();
  const { breaker: b, transitions } = breaker(clock, options);
  const model = new BreakerModel(options);
  const outstanding: Array<{ permit: learner.Permit; generation: number; state: string }> = [];
  const log: string[] = [];
  const fail = (what: string): never => {
    throw new Error(
      `${what}\n  after: ${log.slice(-8).join("; ") || "(nothing)"}\n  model: ${model.window(clock.now())}`,
    );
  };
  for (const op of ops) {
    const now = clock.now();
    if (op.kind === "wait") {
      clock.advance(op.ms);
      log.push(`wait ${op.ms} ms`);
    } else if (op.kind === "call") {
      const expected = model.acquire(now);
      const permit = b.tryAcquire();
      if ((permit !== undefined) !== (expected !== undefined)) {
        fail(
          `at ${now} ms, ${model.state}: tryAcquire ${permit ? "let the call through" : "rejected the call"}, expected the opposite`,
        );
      }
      if (permit !== undefined && expected !== undefined) {
        outstanding.push({ permit, generation: expected, state: model.state });
      }
      log.push(`call at ${now} ms ${permit ? "let through" : "rejected"}`);
    } else if (outstanding.length > 0) {
      const [call] = outstanding.splice(op.pick % outstanding.length, 1);
      if (call === undefined) continue;
      model.settle(call.generation, op.failed, now);
      if (op.failed) call.permit.failure();
      else call.permit.success();
      log.push(`${op.failed ? "failure" : "success"} at ${now} ms of a call let in while ${call.state}`);
    }
    const expected = model.observe(clock.now());
    const actual = b.state();
    if (actual !== expected) fail(`at ${clock.now()} ms the breaker is ${actual}, expected ${expected}`);
  }
  return { transitions, model };
}

describe("properties", () => {
  prop("agrees with the model on every call and every state over random histories", histories, ({ options, ops }) => {
    const { transitions, model } = replay(options, ops);
    expect(transitions, "the transitions announced").toEqual(model.transitions);
  });

  prop("only makes legal transitions, each announced once, in order", histories, ({ options, ops }) => {
    const clock = new ManualClock();
    const { breaker: b, transitions } = breaker(clock, options);
    const permits: learner.Permit[] = [];
    for (const op of ops) {
      if (op.kind === "wait") clock.advance(op.ms);
      else if (op.kind === "call") {
        const permit = b.tryAcquire();
        if (permit) permits.push(permit);
      } else if (permits.length > 0) {
        const [permit] = permits.splice(op.pick % permits.length, 1);
        if (op.failed) permit?.failure();
        else permit?.success();
      }
      b.state();
    }
    checkLegal(transitions);
  });
});

describe("fault: a dependency down for a minute", () => {
  // 200 calls a second, each taking 20 ms; healthy for 10 s, dead for 60 s, healthy again
  function outage() {
    const clock = new ManualClock();
    const { breaker: b, transitions } = breaker(clock, {
      failureRateThreshold: 0.5,
      windowMs: 1000,
      minimumCalls: 20,
      openMs: 5000,
      halfOpenProbes: 3,
    });
    const down = (at: number) => at >= 10_000 && at < 70_000;
    const inFlight: Array<{ permit: learner.Permit; endsAt: number; failed: boolean }> = [];
    let reachedWhileDown = 0;
    let offered = 0;
    let firstAfterRecovery: number | undefined;
    for (let at = 0; at < 90_000; at += 5) {
      clock.set(at);
      while (inFlight.length > 0 && (inFlight[0] as { endsAt: number }).endsAt <= at) {
        const call = inFlight.shift();
        if (call?.failed) call.permit.failure();
        else call?.permit.success();
      }
      if (down(at)) offered++;
      const permit = b.tryAcquire();
      if (permit === undefined) continue;
      if (down(at)) reachedWhileDown++;
      if (at >= 70_000 && firstAfterRecovery === undefined && b.state() === "closed") firstAfterRecovery = at;
      inFlight.push({ permit, endsAt: at + 20, failed: down(at) });
    }
    return { reachedWhileDown, offered, firstAfterRecovery, transitions };
  }

  it("lets fewer than 150 of the 12,000 calls of a 60 s outage reach the dead dependency", () => {
    const { reachedWhileDown, offered } = outage();
    expect(offered, "calls offered during the 60 s outage, one every 5 ms").toBe(12_000);
    expect(reachedWhileDown, "calls that reached the dependency while it was down").toBeLessThan(150);
  });

  it("closes within openMs (and its probes' 20 ms) of the dependency's recovery", () => {
    const { firstAfterRecovery, transitions } = outage();
    checkLegal(transitions);
    expect(firstAfterRecovery, "first call let through closed after the dependency recovered at 70 s").toBeDefined();
    // the last probe to fail may have started just before 70 s: it ends 20 ms later, the breaker
    // reopens for 5 s, then 3 probes start 5 ms apart and take 20 ms each
    expect(
      firstAfterRecovery as number,
      `first call let through closed after the recovery at 70 s; transitions from 65 s: ${transitions
        .filter((t) => t.at >= 65_000)
        .map((t) => `${t.from} → ${t.to} at ${t.at} ms`)
        .join(", ")}`,
    ).toBeLessThanOrEqual(70_000 + 20 + 5000 + 10 + 20 + 5);
  });
});

describe("performance against the reference", () => {
  type Subject = { clock: ManualClock; breaker: Breaker };
  // a 1 s window holds 4,000 calls; a burst of 3,000 failures opens the breaker for 500 ms, then 3 probes close it
  const make = (impl: typeof learner | typeof reference) => () => {
    const clock = new ManualClock();
    return { clock, breaker: new impl.CircuitBreaker({ ...defaults, windowMs: 1000, openMs: 500, clock }) };
  };

  // the contract decides every call of this history, so both must let the same calls through
  loadTest(
    "keeps pace with the reference: 200k calls, 1 in 10 failing, and four bursts of failures that open it",
    budgets,
    () =>
      compareLoad<Subject>({
        learner: make(learner),
        reference: make(reference),
        ops: 200_000,
        run: (s, from, to) => {
          let through = 0;
          for (let i = from; i < to; i++) {
            s.clock.set(i >> 2);
            const burst = i % 50_000 >= 20_000 && i % 50_000 < 23_000;
            if (callThen(s.breaker, burst || i % 10 === 0)) through++;
          }
          return through;
        },
        answers: { what: "calls let through" },
      }),
  );

  // outcomes arrive as fast as they leave the window: the window holds `size` of them throughout
  const holding = (impl: typeof learner | typeof reference) => (size: number) => {
    const clock = new ManualClock();
    const b = new impl.CircuitBreaker({ ...defaults, windowMs: 10_000, clock });
    const gap = 10_000 / size;
    for (let i = 0; i < size; i++) {
      clock.set(i * gap);
      callThen(b, i % 10 === 0);
    }
    return { clock, breaker: b, gap, start: size * gap };
  };

  // 500 and 5k outcomes: a window rescanned on every call makes even building 50k outcomes O(n²)
  loadTest("a call costs the same with 500 or 5k outcomes in the window", budgets, () =>
    compareGrowth<Subject & { gap: number; start: number }>({
      learner: holding(learner),
      reference: holding(reference),
      n: 500,
      ops: 200_000,
      rounds: 7,
      run: (s, from, to) => {
        let through = 0;
        for (let i = from; i < to; i++) {
          s.clock.set(s.start + i * s.gap);
          if (callThen(s.breaker, i % 10 === 0)) through++;
        }
        return through;
      },
      answers: { what: "calls let through (10% fail: the breaker stays closed)" },
    }),
  );
});
