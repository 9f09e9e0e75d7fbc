/**
 * Worksheet for chapter 10, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "object-storage-total": "stored * object_size to PB",
  "object-storage-raw": "logical * copies to PB",
  "erasure-coded-raw": `
    overhead = (data_fragments + parity_fragments) / data_fragments
    logical * overhead to PB
  `,
  "repair-read": "disk * data_fragments to TB",
  "objects-per-day": "puts * 1 day to object",
  "log-volume-day": "lines * line_size * 1 day to TB",
  "log-volume-year": "lines * line_size * 365 day to PB",
  "bloom-bits": `
    bits_per_url = -log(fp_rate) / log(2)^2 * 1 b/url
    seen * bits_per_url to GB
  `,
  "bloom-hashes": `
    bits_per_item = -log(fp_rate) / log(2)^2
    round(bits_per_item * log(2)) * 1 op
  `,
  "group-commit-batch": "commits * fsync_time to txn",
});
