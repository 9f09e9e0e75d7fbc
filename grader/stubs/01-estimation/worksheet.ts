/**
 * Worksheet: chapter 01, estimation. Answer each question with a number and a
 * unit, as text: "2315 req/s". Or write the arithmetic and let the units engine
 * do it: "10M * 20 req/day to req/s". The values a question gives can be used
 * by name, and an answer may be worked over several lines:
 *
 *   "average-qps": `
 *     daily = dau * per_user
 *     daily to req/s
 *   `,
 *
 * npm run grade -- 01-estimation lists every question with its given values,
 * grades your answers, and shows the reference working once you have answered.
 * Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "average-qps": "",
  "peak-qps": "",
  "media-per-year": "",
  "log-volume": "",
  "kafka-retention": "",
  "stream-bandwidth": "",
  "concurrent-streams": "",
  "cache-upper-bound": "",
  "servers-needed": "",
  "connection-pool": "",
  "downtime-four-nines": "",
  "downtime-month": "",
  "series-downtime": "",
  "parallel-downtime": "",
  "video-uploads": "",
});
