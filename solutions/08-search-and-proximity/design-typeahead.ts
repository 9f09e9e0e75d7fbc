// Search typeahead: the reference design. 926k suggestion requests a second at peak (10B searches a
// day, 4 debounced requests each, twice the average) answered from whole tries in memory, and the
// 231k searches a second at peak logged for the hourly rebuild (the chapter's estimate).
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      // 1.16M requests a second over 3 at 1M each: 39%, 58% with a zone gone
      lb: { kind: "load-balancer", count: 3, capacity: "1M req/s", latency: "0.5 ms", zones: ["a", "b", "c"] },
      // stateless: parses the prefix, asks one trie replica, filters the blocklist. 1.16M over 75 at
      // 25k is 62%; 93% on the 50 left with a zone gone
      api: { kind: "service", count: 75, capacity: "25k req/s", latency: "2 ms", zones: ["a", "b", "c"] },
      // the whole trie on every replica: 15 GB of nodes and 12 GB of cached top-10s fit in 64 GB, so
      // any replica answers any prefix and a hot prefix spreads over all 15. A lookup walks the
      // prefix's few nodes and copies ten cached entries, about 10 µs of a core: 100k a second on a
      // server's 32 cores, with room. 926k over 15 is 62%, 93% on 10 with a zone gone. A new trie is
      // built offline and swapped in whole
      trie: {
        kind: "search-index",
        shards: 1,
        replicas: 15,
        capacity: "100k req/s",
        latency: "1 ms",
        memory: "64 GB",
        zones: ["a", "b", "c"],
      },
      // the search log: searches are appended in batches, off the search's path; losing a few
      // counts in a crash changes no ranking
      "search-log": { kind: "queue", count: 3, capacity: "500k req/s", latency: "5 ms", zones: ["a", "b", "c"] },
      // counts each query over hour, day and week windows for the trie builder: 231k over 9 at 50k is 51%
      aggregator: {
        kind: "stream-processor",
        count: 9,
        capacity: "50k req/s",
        latency: "1 ms",
        zones: ["a", "b", "c"],
      },
    },
    // each flow lets in 1.2× its peak; past that the edge refuses at once, and the browser shows the
    // suggestions it already has
    flows: {
      suggest: { hops: ["lb", "api", "trie"], admits: "1.1M req/s" },
      record: {
        hops: ["lb", "api", { to: "search-log", async: true }, { to: "aggregator", async: true }],
        admits: "280k req/s",
      },
    },
  });
}
