/**
 * Worksheet: chapter 11, replication and consistency. Answer each question with a number
 * and a unit, as text ("360 s"), or write the arithmetic and let the units
 * engine do it ("write_rate * lag to write"; log is the natural log). The
 * values a question gives can be used by name, and an answer may be worked
 * over several lines.
 *
 * npm run grade -- 11-replication-and-consistency lists every question with its given
 * values, grades your answers, and shows the reference working once you have
 * answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "lag-after-burst": "",
  "unseen-writes": "",
  "write-failures-tolerated": "",
  "read-failures-tolerated": "",
  "quorum-write-latency": "",
  "rtt-floor": "",
  "sync-all-regions-write": "",
  "serial-writes-per-key": "",
  "merkle-keys-per-leaf": "",
  "merkle-hash-bytes": "",
  "hinted-handoff-storage": "",
  "vector-clock-size": "",
});
