import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/health-aggregator";
import * as reference from "#ref/05-resilience/health-aggregator";
import { asyncProp, compareLoad, expectThrows, kataOf, loadTest, ManualClock } from "#spec";
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
    expect({ status: r.status, ready: r.ready }).toEqual({ status: "healthy", ready: true });
  });

  it("a failing critical check makes the instance unhealthy and not ready", async () => {
    const { timers, check, aggregator } = setup();
    const r = await report(timers, aggregator([check("db", { outcome: "fail" }), check("cache", { critical: false })]));
    expect({ status: r.status, ready: r.ready }).toEqual({ status: "unhealthy", ready: false });
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
    expect(r.status).toBe("unhealthy");
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
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
    expect(r.checks.map(({ name, critical, status, durationMs }) => ({ name, critical, status, durationMs }))).toEqual([
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
    expect({ status: r.status, ready: r.ready }).toEqual({ status: "unhealthy", ready: false });
  });

  it("runs every check at once: ten checks that hang take one timeout, not ten", async () => {
    const { timers, check, aggregator } = setup();
    const names = Array.from({ length: 10 }, (_, i) => `dep${i}`);
    const state = probe(aggregator(names.map((name) => check(name, { outcome: "hang", timeoutMs: 1000 }))));
    await timers.advance(1000);
    expect(state.report, "the report 1000 ms after the probe, every timeout 1000 ms").toBeDefined();
    expect(state.report?.checkedAt).toBe(1000);
    expect(state.report?.checks.map((c) => c.status)).toEqual(names.map(() => "timeout"));
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
    expect(probes.every((p) => p.report?.status === "healthy")).toBe(true);
  });

  it("answers from the last report for cacheMs, then runs the checks again", async () => {
    const { timers, runs, check, aggregator } = setup(5000);
    const health = aggregator([check("db")]);
    const first = await report(timers, health, 10);
    expect(first.checkedAt).toBe(10);
    await timers.advance(4999 - 10);
    await report(timers, health, 0);
    expect(runs.get("db"), "runs by 4999 ms: the report from 10 ms is fresh for 5000 ms").toBe(1);
    await timers.advance(11);
    await report(timers, health, 100);
    expect(runs.get("db"), "runs after 5010 ms").toBe(2);
  });

  it("liveness stays up while a critical dependency is down: a restart would not fix it", async () => {
    const { timers, check, aggregator } = setup();
    const health = aggregator([check("db", { outcome: "fail" })]);
    expect(health.live()).toBe(true);
    const r = await report(timers, health);
    expect(r.status).toBe("unhealthy");
    expect(health.live(), "alive, though not ready").toBe(true);
  });

  it("throws a RangeError for a timeout that is not positive, a repeated name or a negative cacheMs", () => {
    const { clock, timers } = setup();
    const run = () => Promise.resolve();
    const make =
      (checks: learner.HealthCheck[], cacheMs = 0) =>
      () =>
        new learner.HealthAggregator({ checks, clock, timers: { setTimer: timers.setTimer }, cacheMs });
    expectThrows(make([{ name: "db", critical: true, timeoutMs: 0, run }]), RangeError);
    expectThrows(
      make([
        { name: "db", critical: true, timeoutMs: 10, run },
        { name: "db", critical: false, timeoutMs: 10, run },
      ]),
      RangeError,
    );
    expectThrows(make([], -1), RangeError);
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
      expect(r.checks.map(({ status, durationMs }) => ({ status, durationMs }))).toEqual(expected);
      const failing = scripts.filter((_, i) => expected[i]?.status !== "pass");
      const status = failing.some((s) => s.critical) ? "unhealthy" : failing.length > 0 ? "degraded" : "healthy";
      expect(r.status).toBe(status);
      expect(r.ready).toBe(status !== "unhealthy");
      expect(r.checkedAt, "the report is done when its slowest check is").toBe(
        Math.max(...expected.map((e) => e.durationMs)),
      );
      expect(
        [...runs.values()].every((n) => n === 1),
        "each check ran once",
      ).toBe(true);
      expect(timers.pending(), "timers left behind").toBe(0);
    },
    { numRuns: 60 },
  );
});

describe("performance against the reference", () => {
  const noTimers: learner.Timers = { setTimer: () => () => undefined };
  const checks: learner.HealthCheck[] = ["db", "cache", "queue", "search", "payments"].map((name) => ({
    name,
    critical: name !== "search",
    timeoutMs: 1000,
    run: () => Promise.resolve(),
  }));
  type Prober = Pick<learner.HealthAggregator, "check">;
  // aggregators that have a fresh report already: the timed loop is a storm of probes answered from it
  const primed = { learner: [] as Prober[], reference: [] as Prober[] };
  beforeAll(async () => {
    for (let i = 0; i < 8; i++) {
      for (const [who, impl] of [
        ["learner", learner],
        ["reference", reference],
      ] as const) {
        const health = new impl.HealthAggregator({ checks, clock: new ManualClock(), timers: noTimers, cacheMs: 1e12 });
        await health.check();
        primed[who].push(health);
      }
    }
  });
  const next = (who: "learner" | "reference") => {
    let i = 0;
    return () => primed[who][i++ % primed[who].length] as Prober;
  };

  loadTest("keeps pace with the reference: 300k probes answered from a fresh report", budgets, () =>
    compareLoad<Prober>({
      learner: next("learner"),
      reference: next("reference"),
      ops: 300_000,
      run: (health, from, to) => {
        for (let i = from; i < to; i++) void health.check();
      },
    }),
  );
});
