/**
 * Worksheet for chapter 09, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "ingest-bandwidth": "rate * size to Gbps",
  "daily-log": "rate * size * 1 day to TB",
  "retained-raw": `
    logical = rate * size * retention
    logical * rf to PB
  `,
  "follower-traffic": "rate * size * (rf - 1) to GB/s",
  "leader-egress": "rate * size * (rf - 1 + readers) to GB/s",
  "partitions-needed": `
    by_producers = throughput / per_producer
    by_consumers = throughput / per_consumer
    ceil(max(by_producers, by_consumers)) * 1 partition
  `,
  "brokers-by-disk": `
    per_broker = disks * disk_size * fill
    ceil(stored / per_broker) to machine
  `,
  "index-entries": "segment_size / interval * 1 entry",
  "records-per-interval": "interval / (payload + header) to record",
  "catch-up-time": "lag / (consumed - produced) to min",
});
