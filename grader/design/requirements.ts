// What a design problem asks of a design: data in its kata's entry of the chapter manifest, read
// with the manifest (zod, no units engine: the expressions are evaluated when a design is graded).
import { z } from "zod";

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: "expected a short kebab-case name such as redirect" });

/** what a problem asks of a design: data in its kata's entry in the chapter manifest */
export const RequirementsSchema = z
  .object({
    /** named values the other fields use, evaluated in order: "100M url/day" */
    workload: z.record(z.string(), z.string()).default({}),
    /** each flow a design must have: its peak rate and its p99 latency at that rate */
    flows: z.record(name, z.object({ rate: z.string(), p99: z.string() }).strict()),
    /** every flow's availability at least this: "99.9%" */
    availability: z.string(),
    /** the data the stores keep for the retention period, before replication */
    storage: z.string().optional(),
    /** the distinct hot data a cache must hold to reach its hit ratio */
    workingSet: z.string().optional(),
    /** what the design must survive: losing any one zone at peak */
    drills: z.array(z.enum(["zone-loss"])).default([]),
  })
  .strict();

export type Requirements = z.input<typeof RequirementsSchema>;
