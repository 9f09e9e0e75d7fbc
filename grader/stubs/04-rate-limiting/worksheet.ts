/**
 * Worksheet: chapter 04, rate limiting. Answer each question with a number and
 * a unit, as text ("700 req"), or write the arithmetic and let the units engine
 * do it ("100 req + 10 req/s * 60 s"). The values a question gives can be used
 * by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 04-rate-limiting lists every question with its given values,
 * grades your answers, and shows the reference working once you have answered.
 * Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "checks-per-user": "",
  "counter-memory": "",
  "redis-primaries": "",
  "bucket-first-minute": "",
  "fixed-window-burst": "",
  "tier-rate": "",
  "sliding-log-memory": "",
  "leaky-bucket-minute": "",
  "regions-overshoot": "",
});
