// Design a configuration and lock service: the reference design. 2,000 writes a second (the
// chapter's estimate) and 20k config reads a second (10k clients, twice a second each), in one
// region of three zones: one Raft group of five replicas, reads from any replica.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      lb: { kind: "load-balancer", count: 3, capacity: "100k req/s", latency: "0.5 ms", zones: ["a", "b", "c"] },
      // five replicas over three zones (2, 2, 1): any zone lost leaves three, a majority. A
      // replica batches 50 entries into each 5 ms fsync, 10k writes a second (the estimate); every
      // replica applies every write, and reads spread over all five: 6k a second each at peak
      consensus: {
        kind: "kv-store",
        shards: 1,
        replicas: 5,
        quorum: true,
        capacity: "10k req/s",
        latency: "5 ms",
        zones: ["a", "b", "c"],
      },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      write: { hops: ["lb", { to: "consensus", write: true }], admits: "2.4k req/s" },
      read: { hops: ["lb", "consensus"], admits: "24k req/s" },
    },
  });
}
