/**
 * Worksheet: chapter 12, consensus and coordination. Answer each question with
 * a number and a unit, as text ("3 server"), or write the arithmetic and let
 * the units engine do it ("1 op / (20 ms + 2 ms)"). The values a question gives
 * can be used by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 12-consensus-and-coordination lists every question with its
 * given values, grades your answers, and shows the reference working once you
 * have answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "tolerated-failures": "",
  "majority-of-seven": "",
  "commit-latency": "",
  "failover-time": "",
  "log-growth": "",
  "batched-commits": "",
  "lease-margin": "",
  "lock-handoffs": "",
});
