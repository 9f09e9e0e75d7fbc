// Top songs, trending now: the reference design. 35k plays a second are appended to a log and
// counted behind it by stream processors (a sketch per window, in memory); 17k reads a second of
// the trending list are answered from a cache in front of the store the processors write it to.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      lb: { kind: "load-balancer", count: 2, capacity: "500k req/s", latency: "0.5 ms", zones: ["a", "b"] },
      api: { kind: "service", count: 12, capacity: "10k req/s", latency: "2 ms", zones: ["a", "b", "c"] },
      // a partitioned log: a play is acknowledged once it is written, 5 ms
      plays: { kind: "queue", count: 3, capacity: "100k req/s", latency: "5 ms", zones: ["a", "b", "c"] },
      // each processor counts 20k plays a second into its window's sketch, a play counted within
      // 50 ms of arriving (micro-batches); 6 leave room for a zone
      counters: {
        kind: "stream-processor",
        count: 6,
        capacity: "20k req/s",
        latency: "50 ms",
        zones: ["a", "b", "c"],
      },
      // the lists themselves are kilobytes: a small cache answers 99% of reads
      cache: {
        kind: "cache",
        count: 3,
        capacity: "100k req/s",
        latency: "0.5 ms",
        memory: "8 GB",
        zones: ["a", "b", "c"],
      },
      lists: {
        kind: "kv-store",
        shards: 1,
        replicas: 3,
        capacity: "5k req/s",
        latency: "3 ms",
        zones: ["a", "b", "c"],
      },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      play: { hops: ["lb", "api", { to: "plays", write: true }, { to: "counters", async: true }], admits: "42k req/s" },
      top: { hops: ["lb", "api", { to: "cache", hitRatio: 0.99, onMiss: "lists" }], admits: "21k req/s" },
    },
  });
}
