// Design file sync (Dropbox-like): the reference design. 100M users of 10 GB (1 EB synced, 667 PB
// once deduplicated) and 100M edits a day, 3,472 a second at peak (the chapter's estimate). A
// device uploads only the chunks an edit changed to a content-addressed block store, commits the
// new version to a sharded metadata database, and the user's other devices hear of it through a
// queue and notification servers, then download the changed chunks.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      // three, one a zone: upload, commit and download are 13.9k requests a second, two carry them
      lb: { kind: "load-balancer", count: 3, capacity: "500k req/s", latency: "0.5 ms", zones: ["a", "b", "c"] },
      // metadata front ends: the commit's transaction and the download's version lookup, 10.4k a
      // second over 6 at 10k each is 17%
      api: { kind: "service", count: 6, capacity: "10k req/s", latency: "2 ms", zones: ["a", "b", "c"] },
      // block servers move the bytes: 1 MB chunks at 3k a second each (a 25 Gbit/s link). An edit
      // uploads its 2 changed chunks and each of 2 other devices downloads them: 20.8k chunks a
      // second over 16 servers is 43%
      blocks: { kind: "service", count: 16, capacity: "3k req/s", latency: "10 ms", zones: ["a", "b", "c"] },
      // the metadata: files, versions and their chunk lists, and the chunk index (hash → stored?),
      // about 92 TB, so 16 shards by user (6 TB each) of PostgreSQL with 2 followers each. The commit
      // is written on the shard's 3 replicas (synchronous replication) and each download reads
      // one: 17.4k over 48 nodes, 7% of 5k
      metadata: {
        kind: "sql-store",
        shards: 16,
        replicas: 3,
        capacity: "5k req/s",
        latency: "5 ms",
        zones: ["a", "b", "c"],
      },
      // content-addressed chunks on servers of 60 disks of 16 TB (960 TB; a Backblaze Storage Pod
      // holds 60 drives, Backblaze blog, 2016): 667 PB with three replicas
      // is 2 EB, and 1,100 shards × 3 replicas × 960 TB is 3.17 EB (63%). The chunks' writes and
      // reads are a few a second a node: these are sized by their disks
      chunks: {
        kind: "object-store",
        shards: 1100,
        replicas: 3,
        capacity: "4k req/s",
        latency: "20 ms",
        storage: "960 TB",
        zones: ["a", "b", "c"],
      },
      // a durable log of changes per user: the commit appends and does not wait for any device
      changes: { kind: "queue", count: 3, capacity: "100k req/s", latency: "10 ms", zones: ["a", "b", "c"] },
      // hold each device's long-poll (or WebSocket) connection and push "your files changed": a push
      // and its acknowledgement is a round trip to a phone or a laptop, 150 ms; 6.9k a second over 6
      notifier: { kind: "service", count: 6, capacity: "20k req/s", latency: "150 ms", zones: ["a", "b", "c"] },
    },
    // each flow lets in up to 1.2× its peak (a component at 70% at peak is at 84% there); past that the
    // edge refuses a request at once (HTTP 429) rather than queue it, so a 10× spike cannot pile up
    flows: {
      // the two changed chunks of 1 MB, in parallel: the device asked the metadata which it lacks
      upload: {
        hops: ["lb", { to: "blocks", fanout: 2 }, { to: "chunks", write: true, fanout: 2 }],
        admits: "4.2k req/s",
      },
      // the new version in one transaction on the user's shard, written on its 3 replicas
      // (synchronous replication), then a change on the queue
      commit: {
        hops: ["lb", "api", { to: "metadata", write: true }, { to: "changes", async: true }],
        admits: "4.2k req/s",
      },
      // a notification server reads the change and pushes it to each of the user's other devices
      notify: { hops: ["changes", "notifier"], admits: "8.4k req/s" },
      // the device reads the new version's chunk list, and fetches the chunks it lacks
      download: {
        hops: ["lb", "api", "metadata", { to: "blocks", fanout: 2 }, { to: "chunks", fanout: 2 }],
        admits: "8.4k req/s",
      },
    },
  });
}
