/**
 * Worksheet for chapter 05, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "layered-retries": `
    per_request = attempts ^ layers
    incoming * per_request
  `,
  "source-retries": `
    attempts = 1 + retries
    incoming * attempts ^ layers
  `,
  "budgeted-retries": "incoming * (1 + budget) ^ layers",
  "ten-percent-herd": `
    spread = base * jitter
    clients / spread to req/s
  `,
  "full-jitter-wait": `
    windows = base + 2 * base + 4 * base + 8 * base + cap
    windows / 2 to s
  `,
  "stuck-calls": `
    timeout = factor * p99
    rate * timeout to req
  `,
  "bulkhead-slots": `
    mean_in_flight = rate * latency        # Little's law
    mean_in_flight + deviations * sqrt(mean_in_flight) to conn
  `,
  "breaker-outage": `
    half_open_periods = outage / open_period
    before_open + probes * half_open_periods
  `,
  "sequential-health": "checks * timeout to s",
  "round-robin-backlog": `
    share = rate / backends
    (share - capacity) * 1 minute to req
  `,
});
