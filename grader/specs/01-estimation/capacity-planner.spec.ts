import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CapacityPlan, planCapacity, type TrafficProfile } from "#kata/01-estimation/capacity-planner";
import { expectThrows, prop } from "#spec";
import { evaluate, type Value, valueIn } from "../../units/engine.ts";

const example: TrafficProfile = {
  dailyActiveUsers: 10e6,
  requestsPerUserPerDay: 20,
  peakFactor: 3,
  writeShare: 0.1,
  bytesPerWrite: 1000,
  bytesPerResponse: 10_000,
  retentionDays: 365,
  replicationFactor: 3,
  serverPeakQps: 1000,
  targetUtilization: 0.7,
  secondsPerRequest: 0.05,
};

/** the same plan, computed by the units engine from the profile written with its units */
function engine(p: TrafficProfile): CapacityPlan {
  const scope: Record<string, Value> = {};
  const given = (name: string, expression: string) => {
    scope[name] = evaluate(expression, scope);
  };
  given("dau", `${p.dailyActiveUsers} user`);
  given("per_user", `${p.requestsPerUserPerDay} req/day`);
  given("peak_factor", `${p.peakFactor}`);
  given("write_share", `${p.writeShare}`);
  given("write_size", `${p.bytesPerWrite} B/req`);
  given("response_size", `${p.bytesPerResponse} B/req`);
  given("retention", `${p.retentionDays} day`);
  given("copies", `${p.replicationFactor}`);
  given("capacity", `${p.serverPeakQps} req/s`);
  given("utilization", `${p.targetUtilization}`);
  given("hold", `${p.secondsPerRequest} s`);
  const at = (expression: string, unit: string) => valueIn(evaluate(expression, scope), unit);
  return {
    averageQps: at("dau * per_user", "req/s"),
    peakQps: at("dau * per_user * peak_factor", "req/s"),
    peakWriteQps: at("dau * per_user * peak_factor * write_share", "req/s"),
    storageBytes: at("dau * per_user * write_share * write_size * retention * copies", "B"),
    peakEgressBitsPerSecond: at("dau * per_user * peak_factor * response_size", "bit/s"),
    servers: at("dau * per_user * peak_factor / (capacity * utilization)", ""),
    peakConcurrency: at("dau * per_user * peak_factor * hold", ""),
  };
}

/** `expected.servers` is the exact ratio: a whole number of servers within 1e-9 of it may round either way */
function expectPlan(actual: CapacityPlan, expected: CapacityPlan): void {
  const ratio = expected.servers;
  const whole = [Math.ceil(ratio - 1e-9 * ratio), Math.ceil(ratio + 1e-9 * ratio)];
  expect(whole, `servers: yours ${actual.servers}, the units engine's ⌈${ratio}⌉`).toContain(actual.servers);
  for (const key of Object.keys(expected) as Array<keyof CapacityPlan>) {
    if (key === "servers") continue;
    const want = expected[key];
    const tolerance = Math.max(1e-9 * Math.abs(want), 1e-12);
    expect(
      Math.abs(actual[key] - want),
      `${key}: yours ${actual[key]}, the units engine's ${want}`,
    ).toBeLessThanOrEqual(tolerance);
  }
}

describe("the plan", () => {
  it("matches the units engine on the chapter's example", () => {
    expectPlan(planCapacity(example), engine(example));
  });

  it("averages over a day of 86,400 s: 10M users × 20 requests is 2,315 req/s", () => {
    expect(planCapacity(example).averageQps, "averageQps for 10M users × 20 requests a day").toBeCloseTo(2314.8148, 3);
  });

  it("stores every replica for the whole retention: 21.9 TB", () => {
    expect(
      planCapacity(example).storageBytes,
      "storageBytes for 20M writes a day of 1,000 B, kept 365 days, 3 copies",
    ).toBeCloseTo(2.19e13, -8);
  });

  it("gives egress in bits a second, not bytes: 556 Mbit/s", () => {
    expect(
      planCapacity(example).peakEgressBitsPerSecond,
      "peakEgressBitsPerSecond for 6,944 req/s at peak, 10,000 B each",
    ).toBeCloseTo(555.5556e6, -3);
  });

  it("rounds servers up, with the headroom: 6,944 req/s at 700 a server is 10 servers", () => {
    expect(planCapacity(example).servers, "servers for 6,944 req/s at peak, 1,000 req/s a server run at 70%").toBe(10);
  });

  it("sizes concurrency by Little's law at peak: 347 requests in flight", () => {
    expect(planCapacity(example).peakConcurrency, "peakConcurrency for 6,944 req/s at peak, 50 ms each").toBeCloseTo(
      347.2222,
      3,
    );
  });

  it("takes the edges of every range: shares of 1, factors of 1, and zero traffic", () => {
    const edges: TrafficProfile = {
      ...example,
      writeShare: 1,
      targetUtilization: 1,
      peakFactor: 1,
      replicationFactor: 1,
    };
    expectPlan(planCapacity(edges), engine(edges));
    const idle: TrafficProfile = { ...example, dailyActiveUsers: 0, writeShare: 0, secondsPerRequest: 0 };
    expectPlan(planCapacity(idle), engine(idle));
  });
});

describe("bad input", () => {
  it("throws a RangeError for a negative or non-finite number", () => {
    for (const key of Object.keys(example) as Array<keyof TrafficProfile>) {
      for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expectThrows(() => planCapacity({ ...example, [key]: bad }), RangeError, `a profile with ${key} ${bad}`);
      }
    }
  });

  it("throws a RangeError for shares and factors out of range", () => {
    for (const bad of [
      { writeShare: 1.5 },
      { targetUtilization: 0 },
      { targetUtilization: 1.2 },
      { peakFactor: 0.5 },
      { replicationFactor: 0 },
      { serverPeakQps: 0 },
    ]) {
      expectThrows(() => planCapacity({ ...example, ...bad }), RangeError, `a profile with ${JSON.stringify(bad)}`);
    }
  });
});

const profiles: fc.Arbitrary<TrafficProfile> = fc.record({
  dailyActiveUsers: fc.integer({ min: 1, max: 2e9 }),
  requestsPerUserPerDay: fc.integer({ min: 1, max: 1000 }),
  peakFactor: fc.double({ min: 1, max: 10, noNaN: true }),
  writeShare: fc.double({ min: 0, max: 1, noNaN: true }),
  bytesPerWrite: fc.integer({ min: 1, max: 10e6 }),
  bytesPerResponse: fc.integer({ min: 1, max: 10e6 }),
  retentionDays: fc.integer({ min: 1, max: 3650 }),
  replicationFactor: fc.integer({ min: 1, max: 5 }),
  serverPeakQps: fc.integer({ min: 1, max: 100_000 }),
  targetUtilization: fc.double({ min: 0.05, max: 1, noNaN: true }),
  secondsPerRequest: fc.double({ min: 0.001, max: 30, noNaN: true }),
});

describe("properties", () => {
  prop("agrees with the units engine on any profile", profiles, (profile) => {
    expectPlan(planCapacity(profile), engine(profile));
  });

  prop("gives the fewest whole servers that carry the peak at the target utilization", profiles, (profile) => {
    const { servers, peakQps } = planCapacity(profile);
    const perServer = profile.serverPeakQps * profile.targetUtilization;
    const what = `${servers} servers of ${perServer} req/s each (${profile.serverPeakQps} at ${profile.targetUtilization}) for ${peakQps} req/s at peak`;
    expect(Number.isInteger(servers), `${what}: a whole number`).toBe(true);
    expect(servers * perServer, `${what}: they must carry the peak`).toBeGreaterThanOrEqual(peakQps * (1 - 1e-12));
    expect((servers - 1) * perServer, `${what}: one fewer must not`).toBeLessThan(peakQps * (1 + 1e-9));
  });
});
