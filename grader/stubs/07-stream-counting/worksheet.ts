/**
 * Worksheet: chapter 07, stream counting. Answer each question with a number
 * and a unit, as text ("2719 entry"), or write the arithmetic and let the units
 * engine do it ("ceil(e / eps)"; e is Euler's number, log is the natural log).
 * The values a question gives can be used by name, and an answer may be worked
 * over several lines.
 *
 * npm run grade -- 07-stream-counting lists every question with its given
 * values, grades your answers, and shows the reference working once you have
 * answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "exact-memory": "",
  "cms-width": "",
  "cms-memory": "",
  "cms-overcount": "",
  "cms-accurate-above": "",
  "space-saving-counters": "",
  "space-saving-error": "",
  "trending-memory": "",
  "hll-memory": "",
  "hll-error": "",
});
