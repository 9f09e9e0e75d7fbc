/**
 * Worksheet: chapter 02, caching. Answer each question with a number and a
 * unit, as text ("10 GB"), or write the arithmetic and let the units engine do
 * it ("50M object * 20% * 1 kB/object to GB"). The values a question gives can
 * be used by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 02-caching lists every question with its given values,
 * grades your answers, and shows the reference working once you have answered.
 * Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "hot-set-memory": "",
  "database-reads-at-99": "",
  "average-read-latency": "",
  "redis-memory": "",
  "cache-nodes": "",
  "stampede-queries": "",
  "cold-start-loads": "",
  "write-back-loss": "",
  "node-bandwidth": "",
});
