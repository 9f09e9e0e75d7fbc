/**
 * Worksheet for chapter 03, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "shards-for-data": "ceil(data / (per_shard * fill)) * 1 shard",
  "modulo-keys-moved": `
    stays = 1 / shards_after        # h mod 4 = h mod 5 only for residues 0–3 of every 20
    total_keys * (1 - stays)
  `,
  "ring-keys-moved": "total_keys / shards_after",
  "doubling-moved": `
    stays = shards_before / shards_after   # h mod 8 < 4
    1 - stays
  `,
  "hot-shard-rate": `
    ordinary = total_rate * (1 - hot_share) / shard_count
    ordinary + total_rate * hot_share
  `,
  "hot-key-split": `
    room = shard_limit - total_rate * (1 - hot_share) / shard_count
    ceil(total_rate * hot_share / room) * 1 key
  `,
  "ring-memory": "node_count * vnodes * point_size to kB",
  "vnodes-for-balance": `
    per_node = (1 / target)^2
    per_node * node_count * 1 entry
  `,
  "scatter-gather-tail": "1 - (1 - slow_each)^fanout",
});
