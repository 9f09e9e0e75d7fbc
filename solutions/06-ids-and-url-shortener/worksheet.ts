/**
 * Worksheet for chapter 06, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "write-rate": "created to url/s",
  "read-rate": "created * read_ratio to req/s",
  "storage-five-years": `
    per_day = created * link_size * 1 day to GB
    per_day / (1 day) * horizon to TB
  `,
  "keyspace-seven": "alphabet ^ width * 1 url",
  "keyspace-years": "codes / created to year",
  "hex-prefix-days": `
    codes = 16 ^ 7 * 1 url
    codes / created to day
  `,
  "hot-link-cache": `
    recent = created * window to url
    recent * hot_share * link_size to GB
  `,
  "snowflake-lifetime": "field to year",
  "ids-per-worker": `
    per_ms = 2 ^ sequence_bits * 1 op / (1 ms)
    per_ms to op/s
  `,
  "ulid-lifetime": "field to year",
});
