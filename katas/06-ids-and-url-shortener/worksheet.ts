/**
 * Worksheet: chapter 06, ids and a URL shortener. Answer each question with a
 * number and a unit, as text ("1157 url/s"), or write the arithmetic and let
 * the units engine do it ("100M url/day to url/s"). The values a question
 * gives can be used by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 06-ids-and-url-shortener lists every question with its
 * given values, grades your answers, and shows the reference working once you
 * have answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "write-rate": "",
  "read-rate": "",
  "storage-five-years": "",
  "keyspace-seven": "",
  "keyspace-years": "",
  "hex-prefix-days": "",
  "hot-link-cache": "",
  "snowflake-lifetime": "",
  "ids-per-worker": "",
  "ulid-lifetime": "",
});
