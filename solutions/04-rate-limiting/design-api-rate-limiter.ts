// Rate limiting for an API gateway: the reference design. Every API call, 500k a second at peak
// (the chapter's estimate), passes a gateway that checks its key's counter in a sharded Redis.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      lb: { kind: "load-balancer", count: 2, capacity: "1M req/s", latency: "0.5 ms", zones: ["a", "b"] },
      // 40 gateways at 20k calls a second: 62% at peak, 93% with a zone's third gone
      gateway: { kind: "service", count: 40, capacity: "20k req/s", latency: "1 ms", zones: ["a", "b", "c"] },
      // one Redis core runs about 150k short scripts a second (assumed, as the chapter does): 8
      // shards take 62.5k checks a second each, 42%; each shard's replica is in another zone
      limiter: {
        kind: "kv-store",
        shards: 8,
        replicas: 2,
        capacity: "150k req/s",
        latency: "0.5 ms",
        zones: ["a", "b", "c"],
      },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      // a check changes the counter: a write to the key's shard
      call: { hops: ["lb", "gateway", { to: "limiter", write: true }], admits: "600k req/s" },
    },
  });
}
