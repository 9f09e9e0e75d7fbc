/**
 * Worksheet for chapter 07, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "exact-memory": "distinct * per_key to GB",
  "cms-width": "ceil(e / eps) * 1 entry",
  "cms-memory": `
    width = ceil(e / eps)
    depth = ceil(log(1 / delta))
    width * depth * cell to kB
  `,
  "cms-overcount": "eps * plays to event",
  "cms-accurate-above": `
    overcount = eps * plays
    overcount / share to event
  `,
  "space-saving-counters": "ceil(1 / share) * 1 entry",
  "space-saving-error": "plays / counters to event",
  "trending-memory": `
    buckets = window / bucket_length
    buckets * per_bucket * entry_size to MB
  `,
  "hll-memory": "registers * register_size to kB",
  "hll-error": "1.04 / sqrt(registers) * visitors to user",
});
