/**
 * Worksheet for chapter 02, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "hot-set-memory": "catalog * hot_share * object_size to GB",
  "database-reads-at-99": "traffic * (1 - hit_rate)",
  "average-read-latency": `
    hit_path = cache_rtt
    miss_path = cache_rtt + db_read
    hit_rate * hit_path + (1 - hit_rate) * miss_path
  `,
  "redis-memory": "stored * (key_size + value_size + overhead) to GB",
  "cache-nodes": `
    per_node = ram * fill
    ceil(dataset / per_node) * 1 server
  `,
  "stampede-queries": "rate * rebuild to req",
  "cold-start-loads": "fleet * hot_objects",
  "write-back-loss": "rate * (interval + flush_time) to write",
  "node-bandwidth": "throughput * value_size to Gbit/s",
});
