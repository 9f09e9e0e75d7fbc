/**
 * Worksheet: chapter 10, storage engines. Answer each question with a number
 * and a unit, as text ("1 PB"), or write the arithmetic and let the units
 * engine do it ("objects * object_size to PB"; log is the natural log). The
 * values a question gives can be used by name, and an answer may be worked
 * over several lines.
 *
 * npm run grade -- 10-storage-engines lists every question with its given
 * values, grades your answers, and shows the reference working once you have
 * answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "object-storage-total": "",
  "object-storage-raw": "",
  "erasure-coded-raw": "",
  "repair-read": "",
  "objects-per-day": "",
  "log-volume-day": "",
  "log-volume-year": "",
  "bloom-bits": "",
  "bloom-hashes": "",
  "group-commit-batch": "",
});
