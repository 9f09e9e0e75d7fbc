/**
 * Worksheet for chapter 04, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "checks-per-user": "checks / online",
  "counter-memory": "active * counter to MB",
  "redis-primaries": "ceil(checks / per_primary) * 1 server",
  "bucket-first-minute": "capacity + refill * 1 min",
  "fixed-window-burst": "2 * limit",
  "tier-rate": "tier to req/s",
  "sliding-log-memory": "users_tracked * per_user * timestamp to GB",
  "leaky-bucket-minute": "queue + leak * 1 min",
  "regions-overshoot": "regions * limit",
});
