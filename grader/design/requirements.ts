// What a design problem asks of a design: data in its kata's entry of the chapter manifest, read
// with the manifest (zod, no units engine: the expressions are evaluated when a design is graded).
import { z } from "zod";

export const DRILLS = ["zone-loss", "cold-cache", "hot-key"] as const;

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: "expected a short kebab-case name such as redirect" });

/** what a problem asks of a design: data in its kata's entry in the chapter manifest */
export const RequirementsSchema = z
  .object({
    /** named values the other fields use, evaluated in order: "100M url/day" */
    workload: z.record(z.string(), z.string()).default({}),
    /** each flow a design must have: its peak rate and its p99 latency at that rate */
    flows: z.record(
      name,
      z
        .object({
          rate: z.string(),
          p99: z.string(),
          /**
           * what a read of this flow must see: "strong", the latest acknowledged write (its store
           * reads overlap the writes' replicas, its writes wait for a majority, no cache on its
           * path); "eventual", any replica's value, converging. Unsaid: not checked
           */
          consistency: z.enum(["strong", "eventual"]).optional(),
        })
        .strict(),
    ),
    /**
     * a problem served from several regions: each region's share of every flow's requests, and the
     * round trip to the others (each pair once, either way round: "70 ms"). A design's zones are
     * then its regions, and the zone-loss drill loses a region
     */
    regions: z
      .record(name, z.object({ share: z.string(), rtt: z.record(name, z.string()).default({}) }).strict())
      .optional(),
    /** every flow's availability at least this: "99.9%" */
    availability: z.string(),
    /** the data the stores keep for the retention period, before replication */
    storage: z.string().optional(),
    /** how long the stores keep it: storage is that long's data, and grows by storage ÷ retention a year (kept under a year, as a log's days: rolls over, steady) */
    retention: z.string().optional(),
    /** the most the design may cost a month, at the list prices of design/cost.ts: "120k USD/month" */
    budget: z.string().optional(),
    /** the distinct hot data a cache must hold to reach its hit ratio */
    workingSet: z.string().optional(),
    /**
     * the hottest key's usual share of a flow's requests, per flow: "0.1%". The hot-key drill makes
     * it ten times that (a link gone viral, a celebrity's profile, one heavy API client)
     */
    hotKeys: z.record(name, z.string()).optional(),
    /**
     * what the design must survive at peak: losing any one zone; one cache node restarting empty;
     * one key's traffic growing tenfold (needs hotKeys)
     */
    drills: z.array(z.enum(DRILLS)).default([]),
  })
  .strict()
  .superRefine((requirements, ctx) => {
    if (requirements.drills.includes("hot-key") && !requirements.hotKeys)
      ctx.addIssue({
        code: "custom",
        path: ["hotKeys"],
        message: "the hot-key drill needs hotKeys: a flow's hottest key's share",
      });
    const regions = Object.keys(requirements.regions ?? {});
    for (const a of regions)
      for (const b of regions)
        if (a < b && !requirements.regions?.[a]?.rtt[b] && !requirements.regions?.[b]?.rtt[a])
          ctx.addIssue({
            code: "custom",
            path: ["regions", a, "rtt"],
            message: `no round trip between ${a} and ${b}: give each pair of regions once`,
          });
    for (const flow of Object.keys(requirements.hotKeys ?? {}))
      if (!(flow in requirements.flows))
        ctx.addIssue({
          code: "custom",
          path: ["hotKeys", flow],
          message: `"${flow}" is not one of the problem's flows`,
        });
  });

export type Requirements = z.input<typeof RequirementsSchema>;
