/**
 * Worksheet: chapter 03, sharding. Answer each question with a number and a
 * unit, as text ("22 shard"), or write the arithmetic and let the units engine
 * do it ("ceil(30 TB / (2 TB * 70%)) * 1 shard"). The values a question gives
 * can be used by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 03-sharding lists every question with its given values,
 * grades your answers, and shows the reference working once you have answered.
 * Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "shards-for-data": "",
  "modulo-keys-moved": "",
  "ring-keys-moved": "",
  "doubling-moved": "",
  "hot-shard-rate": "",
  "hot-key-split": "",
  "ring-memory": "",
  "vnodes-for-balance": "",
  "scatter-gather-tail": "",
});
