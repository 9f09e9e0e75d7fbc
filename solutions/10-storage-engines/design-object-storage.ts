// Design an object store (S3-like): the reference design. 1B objects of 1 MB, 1 PB, a year's
// uploads (the chapter's estimate): 95 PUTs, 95.1k GETs and 9.5k LISTs a second at peak. The
// metadata (bucket and key to where the bytes are) lives in a sharded key-value store; the bytes
// on data nodes full of disks; a GET is looked up, then answered by a CDN in front of the data nodes.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      // three, one a zone: two carry the 95.1k GETs, 9.5k LISTs and 95 PUTs a second with one lost
      lb: { kind: "load-balancer", count: 3, capacity: "500k req/s", latency: "0.5 ms", zones: ["a", "b", "c"] },
      // stateless front ends: authenticate, look the key up, answer a GET with a redirect to a signed
      // CDN URL and stream a PUT's bytes to the data nodes; 24 at 10k req/s carry 105k a second at 44%
      api: { kind: "service", count: 24, capacity: "10k req/s", latency: "2 ms", zones: ["a", "b", "c"] },
      // key-value store (an LSM tree on NVMe): a few hundred bytes an object, 1B objects in a few
      // hundred GB. Every GET's lookup and every LIST: 105k reads over 8 shards × 3 replicas is 4.4k
      // a node, 44% of 10k; the hot object's lookups land on one shard's three replicas (72% in the drill)
      metadata: {
        kind: "kv-store",
        shards: 8,
        replicas: 3,
        capacity: "10k req/s",
        latency: "2 ms",
        zones: ["a", "b", "c"],
      },
      // edge servers that each keep their own copy of what they serve: a hot object spreads over all
      // 60. 60 × 2 TB hold the 10 TB of hot objects (the hottest 1%), so 90% of GETs end here; each
      // serves 3k objects of 1 MB a second (a 25 Gbit/s link), 95.1k over 60 is 53%
      cdn: {
        kind: "cdn",
        count: 60,
        capacity: "3k req/s",
        latency: "5 ms",
        memory: "2 TB",
        zones: ["a", "b", "c"],
      },
      // servers of 12 disks of 16 TB (192 TB): 1 PB with three replicas is 3 PB, and 10 shards ×
      // 3 replicas × 192 TB is 5.76 PB (52%). A disk seeks for each 1 MB read: about 80 a second, so
      // a node serves 1k; the CDN's 9.5k misses over 30 nodes are 32% of that
      data: {
        kind: "object-store",
        shards: 10,
        replicas: 3,
        capacity: "1k req/s",
        latency: "20 ms",
        storage: "192 TB",
        zones: ["a", "b", "c"],
      },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      // bytes first, on every replica; then the metadata commit on its shard's three replicas: the
      // data nodes keep the 1 PB, the metadata a few hundred bytes an object
      put: {
        hops: ["lb", "api", { to: "data", write: true }, { to: "metadata", write: true }],
        admits: "114 req/s",
      },
      get: {
        hops: ["lb", "api", "metadata", { to: "cdn", hitRatio: 0.9, onMiss: "data" }],
        admits: "114k req/s",
      },
      list: { hops: ["lb", "api", "metadata"], admits: "11.4k req/s" },
    },
  });
}
