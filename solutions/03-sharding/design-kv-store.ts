// A sharded key-value store with a cache: the reference design. 30 TB in three years and 60k
// writes a second (the chapter's estimate), 300k reads a second (five a write, assumed), the hot
// 5% of the data (1.5 TB) in a cache tier.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      lb: { kind: "load-balancer", count: 2, capacity: "1M req/s", latency: "0.5 ms", zones: ["a", "b"] },
      api: { kind: "service", count: 40, capacity: "15k req/s", latency: "1 ms", zones: ["a", "b", "c"] },
      // 32 × 64 GB = 2 TB holds the 1.5 TB of hot data, so the 90% hit ratio is earned
      cache: {
        kind: "cache",
        count: 32,
        capacity: "100k req/s",
        latency: "0.5 ms",
        memory: "64 GB",
        zones: ["a", "b", "c"],
      },
      // by disk: 30 TB × 3 copies on 2 TB nodes at 70% is 22 shards (the estimate); 24 for an
      // even spread. By requests: 30k misses over 72 nodes and 2.5k writes a shard, 58% of 5k
      store: {
        kind: "kv-store",
        shards: 24,
        replicas: 3,
        capacity: "5k req/s",
        latency: "4 ms",
        storage: "2 TB",
        zones: ["a", "b", "c"],
      },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      read: { hops: ["lb", "api", { to: "cache", hitRatio: 0.9, onMiss: "store" }], admits: "360k req/s" },
      write: { hops: ["lb", "api", { to: "store", write: true }], admits: "72k req/s" },
    },
  });
}
