/**
 * Worksheet for chapter 01, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "average-qps": "dau * per_user to req/s",
  "peak-qps": `
    average = dau * per_user to req/s
    average * peak_factor
  `,
  "media-per-year": `
    daily = dau * per_user * with_photo * photo_size * 1 day to TB
    daily / (1 day) * 1 year to PB
  `,
  "log-volume": "event_rate * event_size * 1 day to TB",
  "kafka-retention": `
    one_copy = message_rate * message_size * retention to TB
    one_copy * replication to PB
  `,
  "stream-bandwidth": "listeners * bitrate to Mbit/s",
  "concurrent-streams": "start_rate * song_length to stream",
  "cache-upper-bound": "hot_share * daily_reads * 1 day * object_size to GB",
  "servers-needed": "ceil(peak / (per_server * utilization)) * 1 server",
  "connection-pool": "arrivals * hold to conn",
  "downtime-four-nines": "(1 - 99.99%) * 1 year to min",
  "downtime-month": "(1 - 99.95%) * 1 month to min",
  "series-downtime": `
    chain = each * each * each
    (1 - chain) * 1 year to hour
  `,
  "parallel-downtime": "(1 - each) * (1 - each) * 1 year to min",
  "video-uploads": "upload_rate * 1 day to hour",
});
