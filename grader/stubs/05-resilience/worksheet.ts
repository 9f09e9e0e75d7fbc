/**
 * Worksheet: chapter 05, resilience. Answer each question with a number and a
 * unit, as text: "27000 req/s". Or write the arithmetic and let the units
 * engine do it: "400 req/s * 500 ms to req". The values a question gives can
 * be used by name, and an answer may be worked over several lines:
 *
 *   "some-question": `
 *     daily = dau * per_user
 *     daily to req/s
 *   `,
 *
 * npm run grade -- 05-resilience lists every question with its given values,
 * grades your answers, and shows the reference working once you have answered.
 * Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "layered-retries": "",
  "source-retries": "",
  "budgeted-retries": "",
  "ten-percent-herd": "",
  "full-jitter-wait": "",
  "stuck-calls": "",
  "bulkhead-slots": "",
  "breaker-outage": "",
  "sequential-health": "",
  "round-robin-backlog": "",
});
