import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/health-aggregator";
import * as reference from "#ref/05-resilience/health-aggregator";
import { asyncProp, compareGrowth, expectThrows, kataOf, loadTest, ManualClock } from "#spec";
import chapter from "../../../chapters/05-resilience/chapter.ts";
import { FakeTimers } from "./_timers.ts";

const { budgets } = kataOf(chapter, "05-resilience", "health-aggregator");

type Outcome = "pass" | "fail" | "hang" | "throw";

interface Script {
  critical?: boolean;
  timeoutMs?: number;
  outcome?: Outcome;
  /** when the dependency answers, ms after the check starts */
  afterMs?: number;
}

/** a fake clock and timers, and checks whose answers the test scripts */
function setup(cacheMs = 0) {
  const clock = new ManualClock();
  const timers = new FakeTimers(clock);
  const runs = new Map<string, number>();
  const check = (name: string, { critical = true, timeoutMs = 1000, outcome = "pass", afterMs = 10 }: Script = {}) => ({
    name,
    critical,
    timeoutMs,
    run: (): Promise<void> => {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      if (outcome === "throw") throw new Error(`${name} threw`);
      return new Promise<void>((resolve, reject) => {
        if (outcome === "hang") return;
        timers.after(afterMs, () => (outcome === "pass" ? resolve() : reject(new Error(`${name} is down`))));
      });
    },
  });
  const aggregator = (checks: learner.HealthCheck[]) =>
    new learner.HealthAggregator({ checks, clock, timers: { setTimer: timers.setTimer }, cacheMs });
  return { clock, timers, runs, check, aggregator };
}

/** starts a probe; `report` is there once it has answered */
function probe(aggregator: learner.HealthAggregator) {
  const state: { report?: learner.HealthReport; error?: unknown } = {};
  aggregator.check().then(
    (report) => {
      state.report = report;
    },
    (error: unknown) => {
      state.error = error;
    },
  );
  return state;
}

/** runs one probe to its end: every scripted answer and timeout within `ms` */
async function report(timers: FakeTimers, aggregator: learner.HealthAggregator, ms = 5000) {
  const state = probe(aggregator);
  await timers.advance(ms);
  if (state.error !== undefined) throw state.error;
  expect(state.report, `no report ${ms} ms after the probe`).toBeDefined();
  return state.report as learner.HealthReport;
}

describe("status", () => {
  it("reports healthy, and ready, when every check passes", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(timers, aggregator([check("db"), check("cache", { critical: false })]));
    expect({ status: r.status, ready: r.ready }, "db (critical) and cache both pass").toEqual({
      status: "healthy",
      ready: true,
    });
  });

  it("a failing critical check makes the instance unhealthy and not ready", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(timers, aggregator([check("db", { outcome: "fail" }), check("cache", { critical: false })]));
    expect({ status: r.status, ready: r.ready }, "db (critical) fails, cache passes").toEqual({
      status: "unhealthy",
      ready: false,
    });
  });

  it("a failing non-critical check makes the instance degraded", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(
      timers,
      aggregator([check("db"), check("recommendations", { critical: false, outcome: "fail" })]),
    );
    expect(r.status, "status with the database up and the recommendations service down").toBe("degraded");
  });

  it("degraded is still ready: a non-critical failure keeps the instance in rotation", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(
      timers,
      aggregator([check("db"), check("recommendations", { critical: false, outcome: "fail" })]),
    );
    expect(r.ready, "ready with only a non-critical check failing").toBe(true);
  });

  it("a check that throws instead of returning a rejected promise counts as failed", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(timers, aggregator([check("db", { outcome: "throw" }), check("cache")]));
    expect(r.status, "status when db (critical) throws and cache passes").toBe("unhealthy");
    expect(
      r.checks.map((c) => [c.name, c.status]),
      "each check's status: db's run() throws before returning a promise",
    ).toEqual([
      ["db", "fail"],
      ["cache", "pass"],
    ]);
  });

  it("reports each check with its status, duration and error, in the order given", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(
      timers,
      aggregator([
        check("db", { afterMs: 30 }),
        check("queue", { outcome: "fail", afterMs: 5, critical: false }),
        check("search", { outcome: "hang", timeoutMs: 200, critical: false }),
      ]),
    );
    expect(
      r.checks.map(({ name, critical, status, durationMs }) => ({ name, critical, status, durationMs })),
      "db passes after 30 ms, queue fails after 5 ms, search hangs past its 200 ms timeout",
    ).toEqual([
      { name: "db", critical: true, status: "pass", durationMs: 30 },
      { name: "queue", critical: false, status: "fail", durationMs: 5 },
      { name: "search", critical: false, status: "timeout", durationMs: 200 },
    ]);
    expect(r.checks[0]?.error, "a check that passed has no error").toBeUndefined();
    expect(r.checks[1]?.error, "the failed check's error").toContain("queue is down");
    expect(r.checks[2]?.error, "the timed-out check says so").toBeTruthy();
    expect(r.checkedAt, "checkedAt: when the last check ended").toBe(200);
  });
});

describe("timeouts", () => {
  it("a critical check that times out makes the instance unhealthy", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(timers, aggregator([check("db", { outcome: "hang", timeoutMs: 500 }), check("cache")]));
    expect(r.checks[0]?.status, "a database that never answers").toBe("timeout");
    expect({ status: r.status, ready: r.ready }, "db (critical) times out, cache passes").toEqual({
      status: "unhealthy",
      ready: false,
    });
  });

  it("runs every check at once: ten checks that hang take one timeout, not ten", async () => {
    const { timers, check, aggregator } = setup();
    const names = Array.from({ length: 10 }, (_, i) => `dep${i}`);
    const state = probe(aggregator(names.map((name) => check(name, { outcome: "hang", timeoutMs: 1000 }))));
    await timers.advance(1000);
    expect(state.report, "the report 1000 ms after the probe, every timeout 1000 ms").toBeDefined();
    expect(state.report?.checkedAt, "checkedAt of the report: ten checks started together, each timing out").toBe(1000);
    expect(
      state.report?.checks.map((c) => c.status),
      "each check's status",
    ).toEqual(names.map(() => "timeout"));
  });

  it("cancels the timeout of a check that finishes in time", async () => {
    const { timers, check, aggregator } = setup();
    await report(timers, aggregator([check("db"), check("cache", { critical: false })]), 100);
    expect(timers.pending(), "timers still set after both checks answered within 10 ms").toBe(0);
  });
});

describe("probes", () => {
  it("concurrent probes share one run of the checks", async () => {
    const { timers, runs, check, aggregator } = setup();
    const health = aggregator([check("db"), check("cache")]);
    const probes = Array.from({ length: 5 }, () => probe(health));
    await timers.advance(100);
    expect(Object.fromEntries(runs), "runs of each check for 5 probes at once").toEqual({ db: 1, cache: 1 });
    expect(
      probes.map((p) => p.report?.status),
      "what each of the 5 probes was answered",
    ).toEqual(["healthy", "healthy", "healthy", "healthy", "healthy"]);
  });

  it("answers from the last report for cacheMs, then runs the checks again", async () => {
    const { timers, runs, check, aggregator } = setup(5000);
    const health = aggregator([check("db")]);
    const first = await report(timers, health, 10);
    expect(first.checkedAt, "checkedAt of the first report, its check answering after 10 ms").toBe(10);
    await timers.advance(4999 - 10);
    const cached = await report(timers, health, 0);
    expect(runs.get("db"), "runs by 4999 ms: the report from 10 ms is fresh for 5000 ms").toBe(1);
    expect(cached.checkedAt, "checkedAt of the report answered at 4999 ms").toBe(10);
    await timers.advance(11);
    const next = await report(timers, health, 100);
    expect(
      runs.get("db"),
      "runs after a probe at 5010 ms: the report from 10 ms is exactly cacheMs old, so stale",
    ).toBe(2);
    expect(next.checkedAt, "checkedAt of the report run at 5010 ms, its check answering after 10 ms").toBe(5020);
  });

  it("liveness stays up while a critical dependency is down: a restart would not fix it", async () => {
    const { timers, check, aggregator } = setup();
    const health = aggregator([check("db", { outcome: "fail" })]);
    expect(health.live(), "live() before any report").toBe(true);
    const r = await report(timers, health);
    expect(r.status, "status with db (critical) failing").toBe("unhealthy");
    expect(health.live(), "alive, though not ready").toBe(true);
  });

  it("throws a RangeError for a timeout that is not positive, a repeated name or a negative cacheMs", () => {
    const { clock, timers } = setup();
    const run = () => Promise.resolve();
    const make =
      (checks: learner.HealthCheck[], cacheMs = 0) =>
      () =>
        new learner.HealthAggregator({ checks, clock, timers: { setTimer: timers.setTimer }, cacheMs });
    for (const timeoutMs of [0, -5, Number.NaN]) {
      expectThrows(
        make([{ name: "db", critical: true, timeoutMs, run }]),
        RangeError,
        `a check of timeoutMs ${timeoutMs}`,
      );
    }
    expectThrows(
      make([
        { name: "db", critical: true, timeoutMs: 10, run },
        { name: "db", critical: false, timeoutMs: 10, run },
      ]),
      RangeError,
      "two checks named db",
    );
    expectThrows(make([], -1), RangeError, "cacheMs -1");
  });
});

describe("properties", () => {
  asyncProp(
    "every report follows the rules: status per check, overall status, one run as long as the slowest check",
    fc.array(
      fc.record({
        critical: fc.boolean(),
        outcome: fc.constantFrom<Outcome>("pass", "fail", "hang", "throw"),
        // answers land on odd ms and timeouts on even ones: never at the same moment
        afterMs: fc.integer({ min: 0, max: 1000 }).map((n) => 2 * n + 1),
        timeoutMs: fc.integer({ min: 1, max: 1000 }).map((n) => 2 * n),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    async (scripts) => {
      const { timers, runs, check, aggregator } = setup();
      const health = aggregator(scripts.map((s, i) => check(`c${i}`, s)));
      const r = await report(timers, health, 2100);
      const expected = scripts.map((s) => {
        if (s.outcome === "throw") return { status: "fail", durationMs: 0 };
        if (s.outcome === "hang" || s.afterMs > s.timeoutMs) return { status: "timeout", durationMs: s.timeoutMs };
        return { status: s.outcome, durationMs: s.afterMs };
      });
      const where = scripts
        .map(
          (s, i) =>
            `c${i}${s.critical ? " (critical)" : ""}: ${s.outcome} at ${s.afterMs} ms, timeout ${s.timeoutMs} ms`,
        )
        .join("; ");
      expect(
        r.checks.map(({ status, durationMs }) => ({ status, durationMs })),
        `each check's status and duration (${where})`,
      ).toEqual(expected);
      const failing = scripts.filter((_, i) => expected[i]?.status !== "pass");
      const status = failing.some((s) => s.critical) ? "unhealthy" : failing.length > 0 ? "degraded" : "healthy";
      expect(r.status, `the overall status (${where})`).toBe(status);
      expect(r.ready, `ready (${where})`).toBe(status !== "unhealthy");
      expect(r.checkedAt, `checkedAt: the report is done when its slowest check is (${where})`).toBe(
        Math.max(...expected.map((e) => e.durationMs)),
      );
      expect(
        [...runs.values()].every((n) => n === 1),
        "each check ran once",
      ).toBe(true);
      expect(timers.pending(), `timers left behind (${where})`).toBe(0);
    },
    { numRuns: 60 },
  );
});

describe("performance against the reference", () => {
  const noTimers: learner.Timers = { setTimer: () => () => undefined };
  const checksOf = (count: number): learner.HealthCheck[] =>
    Array.from({ length: count }, (_, i) => ({
      name: `dependency-${i}`,
      critical: i % 5 !== 4,
      timeoutMs: 1000,
      run: () => Promise.resolve(),
    }));
  type Prober = Pick<learner.HealthAggregator, "check">;
  type Subject = { probers: Prober[] };
  const sizes = [20, 200];
  // aggregators that have a fresh report already, and keep it (cacheMs 1e12): the timed loop is a
  // storm of probes answered from it. Priming awaits a run, so it happens before the (synchronous) builds
  const primed = new Map<string, Prober[]>();
  beforeAll(async () => {
    for (const size of sizes) {
      for (const [who, impl] of [
        ["learner", learner],
        ["reference", reference],
      ] as const) {
        const probers: Prober[] = [];
        for (let i = 0; i < 4; i++) {
          const health = new impl.HealthAggregator({
            checks: checksOf(size),
            clock: new ManualClock(),
            timers: noTimers,
            cacheMs: 1e12,
          });
          await health.check();
          probers.push(health);
        }
        primed.set(`${who} ${size}`, probers);
      }
    }
  });
  const subject = (who: "learner" | "reference") => (size: number) => ({
    probers: primed.get(`${who} ${size}`) as Prober[],
  });

  // a cached answer takes a few ns, and correct ones differ in kind (an async function's return,
  // Promise.resolve, a promise kept from the run): timed against the reference it measured the JIT.
  // Timed against itself with 10× the checks, it measures what matters: no work per check per probe.
  // One operation is a probe of each of 4 aggregators. The answers are promises, read only after
  // the loop: the behaviour tests check what they hold
  loadTest("a probe answered from a fresh report costs the same with 20 checks or 200", budgets, () =>
    compareGrowth<Subject>({
      learner: subject("learner"),
      reference: subject("reference"),
      n: 20,
      ops: 500_000,
      run: (s, from, to) => {
        const [a, b, c, d] = s.probers as [Prober, Prober, Prober, Prober];
        for (let i = from; i < to; i++) {
          void a.check();
          void b.check();
          void c.check();
          void d.check();
        }
      },
    }),
  );
});
