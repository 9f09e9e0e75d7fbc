/**
 * Worksheet: chapter 09, message queues. Answer each question with a number
 * and a unit, as text ("8 Gbps"), or write the arithmetic and let the units
 * engine do it ("rate * size to Gbps"). The values a question gives can be
 * used by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 09-message-queues lists every question with its given
 * values, grades your answers, and shows the reference working once you have
 * answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "ingest-bandwidth": "",
  "daily-log": "",
  "retained-raw": "",
  "follower-traffic": "",
  "leader-egress": "",
  "partitions-needed": "",
  "brokers-by-disk": "",
  "index-entries": "",
  "records-per-interval": "",
  "catch-up-time": "",
});
