// Nearby search, Yelp-like: the reference design. 100k searches a second for the places within a
// few kilometres, over 200M places, and 1k place updates a second (the chapter's estimate, from seed
// 003, section 15). A search reads an in-memory geo index for the candidates' ids, then their
// records from a cache in front of the places database; updates write the database and reach the
// index through its change stream.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      // two, in two zones: one carries the whole 101k a second if the other's zone is lost
      lb: { kind: "load-balancer", count: 2, capacity: "500k req/s", latency: "0.5 ms", zones: ["a", "b"] },
      // a search turns the circle into cells, filters about a thousand candidates by haversine and
      // ranks them: 5 ms of a core, 2k a second a server. 100k over 90 is 56%, 83% on 60
      search: { kind: "service", count: 90, capacity: "2k req/s", latency: "5 ms", zones: ["a", "b", "c"] },
      // the whole index on every replica: 200M places at 24 bytes (id and two coordinates) is 4.8 GB,
      // with the cells' lists under 16 GB. A search reads the few cells covering its circle: 12k a
      // second a server. Each replica also applies the 1k updates a second: 100k ÷ 15 + 1k is 64%,
      // 92% on the 10 left with a zone gone; a busy city spreads over all 15
      "geo-index": {
        kind: "search-index",
        shards: 1,
        replicas: 15,
        capacity: "12k req/s",
        latency: "2 ms",
        memory: "32 GB",
        zones: ["a", "b", "c"],
      },
      // the records of the 20 places a search shows, in one multi-get: 4 GB of popular places (a
      // fifth of the 20 GB) answer 90% of them. 6 × 8 GB holds them with room; one node restarting
      // empty sends a sixth more of the lookups to the database, which carries it
      "place-cache": {
        kind: "cache",
        count: 6,
        capacity: "100k req/s",
        latency: "1 ms",
        memory: "8 GB",
        zones: ["a", "b", "c"],
      },
      // PostgreSQL with PostGIS, the system of record: 20 GB on one primary and two replicas, one a
      // zone. The misses, 10k a second over 3, and each update on every copy: 43%
      "places-db": {
        kind: "sql-store",
        shards: 1,
        replicas: 3,
        capacity: "10k req/s",
        latency: "3 ms",
        storage: "1 TB",
        zones: ["a", "b", "c"],
      },
      // owners' edits and new places: validate, geocode, write
      "places-api": { kind: "service", count: 3, capacity: "2k req/s", latency: "5 ms", zones: ["a", "b", "c"] },
    },
    // each flow lets in 1.2× its peak; past that the edge refuses at once
    flows: {
      search: {
        hops: ["lb", "search", "geo-index", { to: "place-cache", hitRatio: 0.9, onMiss: "places-db" }],
        admits: "120k req/s",
      },
      // the index follows the database's change stream: an update is acknowledged once the
      // database has it, and searches see it a second or so later
      update: {
        hops: ["lb", "places-api", { to: "places-db", write: true }, { to: "geo-index", write: true, async: true }],
        admits: "1.2k req/s",
      },
    },
  });
}
