// Design a URL shortener: the reference design. 347k redirects and 3.5k creations a second at peak,
// links kept ten years (the chapter's estimate). Redirects are answered by a cache in front of a
// sharded key-value store; creations write the store; click events go to a log, off the redirect's path.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      // two, in two zones: one carries the whole peak if the other's zone is lost
      lb: { kind: "load-balancer", count: 2, capacity: "500k req/s", latency: "0.5 ms", zones: ["a", "b"] },
      // stateless: 60 servers at 10k req/s leave room at peak, and carry it with a zone gone
      api: { kind: "service", count: 60, capacity: "10k req/s", latency: "2 ms", zones: ["a", "b", "c"] },
      // 6 × 32 GB holds the 70 GB of hot links (a week's, 20%) with room; 90% of redirects end here
      cache: {
        kind: "cache",
        count: 6,
        capacity: "150k req/s",
        latency: "1 ms",
        memory: "32 GB",
        zones: ["a", "b", "c"],
      },
      // disk-backed nodes, 2k random reads a second each; 548 TB for ten years with three
      // replicas: 36 shards × 3 replicas × 8 TB is 864 TB, and 108 nodes take the misses with room
      links: {
        kind: "kv-store",
        shards: 36,
        replicas: 3,
        capacity: "2k req/s",
        latency: "5 ms",
        storage: "8 TB",
        zones: ["a", "b", "c"],
      },
      // a durable log: a write is acknowledged once replicated, 20 ms; nobody waits for it
      clicks: { kind: "queue", count: 3, capacity: "500k req/s", latency: "20 ms", zones: ["a", "b", "c"] },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      redirect: {
        hops: ["lb", "api", { to: "cache", hitRatio: 0.9, onMiss: "links" }, { to: "clicks", async: true }],
        admits: "420k req/s",
      },
      create: { hops: ["lb", "api", { to: "links", write: true }], admits: "4.2k req/s" },
    },
  });
}
