/**
 * Worksheet for chapter 12, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "tolerated-failures": "(cluster - 1 server) / 2",
  "majority-of-seven": "(cluster + 1 server) / 2",
  "commit-latency": `
    followers_needed = 2                  # a majority of 5 is the leader and 2 followers
    sort([rtt_1, rtt_2, rtt_3, rtt_4])[followers_needed]
  `,
  "failover-time": "timeout_max + vote_rtt",
  "log-growth": "rate * entry_size * 1 day to GB",
  "batched-commits": "batch / fsync to write/s",
  "lease-margin": `
    waited = lease * (1 + drift) / (1 - drift)
    waited - lease to ms
  `,
  "lock-handoffs": "1 op / (hold + handoff) to op/s",
});
