// What a design problem's requirements and a learner's design may say, checked with zod: a mistake
// is named by its path (components.cache.memory) and what was expected, never a stack trace.
import { z } from "zod";
import type { ComponentKind } from "../kit/design.ts";
import { evaluate, UnitsError, type Value, valueIn } from "../units/engine.ts";

export const KINDS = [
  "load-balancer",
  "service",
  "cache",
  "kv-store",
  "sql-store",
  "object-store",
  "queue",
  "cdn",
  "search-index",
  "stream-processor",
] as const satisfies readonly ComponentKind[];

export const STORES: ReadonlySet<ComponentKind> = new Set(["kv-store", "sql-store", "object-store", "search-index"]);

/** a queue with partitions: a partitioned, replicated log (Kafka), whose brokers keep what it retains */
export const isLog = (component: { kind: string; partitions?: number | undefined }) =>
  component.kind === "queue" && component.partitions !== undefined;

/** a quantity in `unit`'s dimension, as a number of that unit; why not, when it is not one */
export function quantity(text: string, unit: string, scope: Record<string, Value> = {}): number | string {
  let value: Value;
  try {
    value = evaluate(text, scope);
  } catch (error) {
    return error instanceof UnitsError ? error.message : String(error);
  }
  const number = valueIn(value, unit);
  return Number.isFinite(number) ? number : `expected a quantity in ${unit}`;
}

/** text the units engine reads as a positive quantity in `unit` (an example shows the form) */
const measured = (unit: string, example: string) =>
  z.string({ error: `expected text such as "${example}"` }).superRefine((text, ctx) => {
    const value = quantity(text, unit);
    if (typeof value === "string")
      ctx.addIssue({ code: "custom", message: `expected a quantity such as "${example}"; "${text}": ${value}` });
    else if (value <= 0) ctx.addIssue({ code: "custom", message: `expected more than 0 ${unit}, got "${text}"` });
  });

// the most a whiteboard design has of each: past these it is a typo, and the grader's work (2^zones
// cases of zones, a sample per replica and per fan-out) would grow without end
const MOST = {
  instances: 100_000,
  shards: 10_000,
  partitions: 100_000,
  replicas: 15,
  fanout: 1_000,
  zones: 8,
  components: 40,
  flows: 20,
  hops: 40,
} as const;

const count = (what: string, most: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int({ error: `expected a whole number of ${what}` })
    .min(1, { error: `expected at least 1 ${what}` })
    .max(most, { error: `expected at most ${most.toLocaleString("en-US")} ${what}` });

const name = z
  .string()
  .max(40, { error: "expected a name of 40 characters or fewer" })
  .regex(/^[a-z][a-z0-9-]*$/, { error: "expected a short kebab-case name such as api" });

const ComponentSchema = z
  .object({
    kind: z.enum(KINDS, { error: `expected one of ${KINDS.join(", ")}` }),
    count: count("instances", MOST.instances).optional(),
    shards: count("shards", MOST.shards).optional(),
    partitions: count("partitions", MOST.partitions).optional(),
    partitionCapacity: measured("req/s", "50k req/s").optional(),
    replicas: count("replicas", MOST.replicas).optional(),
    quorum: z.boolean().optional(),
    capacity: measured("req/s", "15k req/s"),
    latency: measured("ms", "2 ms"),
    memory: measured("GB", "64 GB").optional(),
    storage: measured("TB", "8 TB").optional(),
    zones: z.array(z.string(), { error: "expected the zones its instances are in" }).min(1, {
      error: "expected at least one zone",
    }),
  })
  .strict()
  .superRefine((component, ctx) => {
    const store = STORES.has(component.kind);
    const log = isLog(component);
    if (store && component.count !== undefined)
      ctx.addIssue({ code: "custom", path: ["count"], message: "a store counts shards and replicas, not count" });
    if (!store && !log && component.quorum !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["quorum"],
        message: "only a store, or a queue with partitions, agrees by quorum",
      });
    if (!store && component.shards !== undefined)
      ctx.addIssue({ code: "custom", path: ["shards"], message: `a ${component.kind} has a count, not shards` });
    if (!store && !log && component.replicas !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["replicas"],
        message: `a ${component.kind} has a count, not replicas${component.kind === "queue" ? " (a queue with partitions has replicas of each)" : ""}`,
      });
    if (component.kind !== "queue" && component.partitions !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["partitions"],
        message: `only a queue has partitions (a ${component.kind === "cache" ? "cache" : component.kind} has ${store ? "shards" : "a count"})`,
      });
    if (log && (component.replicas ?? 1) > (component.count ?? 1))
      ctx.addIssue({
        code: "custom",
        path: ["replicas"],
        message: `${component.replicas} replicas of each partition need as many brokers (count), one each; it has ${component.count ?? 1}`,
      });
    if (!log && component.partitionCapacity !== undefined)
      ctx.addIssue({ code: "custom", path: ["partitionCapacity"], message: "a partition's capacity needs partitions" });
    if (component.kind === "cache" && component.memory === undefined)
      ctx.addIssue({ code: "custom", path: ["memory"], message: 'a cache needs its memory, such as "64 GB"' });
  });

const HopSchema = z.union(
  [
    name,
    z
      .object({
        to: name,
        hitRatio: z
          .number()
          .min(0)
          .lt(1, { error: "expected a hit ratio below 1: some requests always miss" })
          .optional(),
        onMiss: name.optional(),
        fanout: count("instances to ask", MOST.fanout).optional(),
        write: z.boolean().optional(),
        async: z.boolean().optional(),
        keySpread: count("shards or partitions a key spreads over", MOST.partitions).optional(),
        consistency: z
          .enum(["one", "quorum"], { error: 'expected "one" (the nearest replica) or "quorum" (a majority)' })
          .optional(),
      })
      .strict(),
  ],
  { error: 'expected a component\'s name, or { to: "name", ... }' },
);

export const DesignSchema = z
  .object({
    zones: z
      .array(name)
      .min(1, { error: "expected at least one zone" })
      .max(MOST.zones, { error: `expected at most ${MOST.zones} zones: a region has three or so` }),
    components: z
      .record(name, ComponentSchema)
      .refine((components) => Object.keys(components).length <= MOST.components, {
        error: `expected at most ${MOST.components} components: a whiteboard holds a dozen`,
      }),
    flows: z
      .record(
        name,
        z
          .object({
            hops: z
              .array(HopSchema)
              .min(1, { error: "expected at least one hop" })
              .max(MOST.hops, { error: `expected at most ${MOST.hops} hops` }),
            admits: measured("req/s", "420k req/s").optional(),
          })
          .strict(),
      )
      .refine((flows) => Object.keys(flows).length <= MOST.flows, {
        error: `expected at most ${MOST.flows} flows`,
      }),
  })
  .strict();

export type CheckedDesign = z.output<typeof DesignSchema>;

type Issue = { path: (string | number)[]; message: string };

/**
 * What a design's parts say of each other: its components' zones among its zones, its hops to its
 * own components, a hit ratio with somewhere for the misses. Read from the design as it is, even
 * where the rest does not parse, so a learner sees every problem at once.
 */
export function crossProblems(raw: unknown): Issue[] {
  const design = (raw ?? {}) as { zones?: unknown; components?: unknown; flows?: unknown };
  const zones = Array.isArray(design.zones) ? design.zones : [];
  const components = typeof design.components === "object" && design.components ? design.components : {};
  const flows = typeof design.flows === "object" && design.flows ? design.flows : {};
  const issues: Issue[] = [];
  for (const [id, component] of Object.entries(components)) {
    const own = (component as { zones?: unknown }).zones;
    for (const zone of Array.isArray(own) ? own : [])
      if (!zones.includes(zone))
        issues.push({
          path: ["components", id, "zones"],
          message: `"${String(zone)}" is not one of the design's zones (${zones.join(", ")})`,
        });
  }
  for (const [flow, body] of Object.entries(flows)) {
    const hops = (body as { hops?: unknown }).hops;
    (Array.isArray(hops) ? hops : []).forEach((hop: unknown, index) => {
      const step = (typeof hop === "string" ? { to: hop } : (hop ?? {})) as {
        to?: unknown;
        onMiss?: unknown;
        hitRatio?: unknown;
        keySpread?: unknown;
        consistency?: unknown;
        write?: unknown;
      };
      for (const target of [step.to, step.onMiss])
        if (typeof target === "string" && !(target in components))
          issues.push({
            path: ["flows", flow, "hops", index],
            message: `"${target}" is not a component of the design`,
          });
      const target = typeof step.to === "string" ? (components as Record<string, unknown>)[step.to] : undefined;
      const { partitions, shards } = (target ?? {}) as { partitions?: unknown; shards?: unknown };
      const most = typeof partitions === "number" ? partitions : typeof shards === "number" ? shards : 1;
      if (typeof step.keySpread === "number" && target !== undefined && step.keySpread > most)
        issues.push({
          path: ["flows", flow, "hops", index, "keySpread"],
          message: `a key spread over ${step.keySpread}, where "${String(step.to)}" has ${most} ${typeof partitions === "number" ? "partitions" : "shards"}`,
        });
      const kind = (target as { kind?: unknown } | undefined)?.kind;
      if (step.consistency !== undefined && (step.write === true || !STORES.has(kind as ComponentKind)))
        issues.push({
          path: ["flows", flow, "hops", index, "consistency"],
          message:
            step.write === true
              ? "a write's replicas are the store's quorum (quorum: true waits for a majority); consistency is a read's"
              : `consistency is a store read's: how many of its replicas it asks, and "${String(step.to)}" is not a store`,
        });
      if (step.hitRatio !== undefined && step.onMiss === undefined)
        issues.push({
          path: ["flows", flow, "hops", index, "onMiss"],
          message: "a hit ratio needs onMiss: where the misses go",
        });
    });
  }
  return issues;
}
