/**
 * Worksheet for chapter 11, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "lag-after-burst": `
    stream = write_rate * write_size
    backlog = (stream - link_rate) * burst
    backlog / link_rate to s
  `,
  "unseen-writes": "write_rate * lag to write",
  "write-failures-tolerated": "copies - write_quorum",
  "read-failures-tolerated": "copies - read_quorum",
  "quorum-write-latency": "max(rtt_a, rtt_b, rtt_c)",
  "rtt-floor": "2 * distance / fibre_speed to ms",
  "sync-all-regions-write": "max(rtt_west, rtt_eu, rtt_asia)",
  "serial-writes-per-key": "1 write / round to write/s",
  "merkle-keys-per-leaf": "keys_held / 2^depth",
  "merkle-hash-bytes": "differing / 1 key * depth * 2 * hash_size to KB",
  "hinted-handoff-storage": "write_rate * write_size * outage to GB",
  "vector-clock-size": "writers * entry_size to KB",
});
