// A Kafka-like message broker: the reference design. 1M records a second of 1 kB (1 GB/s) are
// appended to a partitioned log, kept 7 days with 3 replicas of each partition, and read by 3
// consumer groups (the chapter's estimate). No load balancer: a producer sends each record to its
// partition's leader, found from the cluster's metadata.
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    zones: ["a", "b", "c"],
    components: {
      // by disk: 604.8 TB × 3 replicas on 12 × 16 TB a broker filled to 70% is 14 brokers (the
      // estimate), 15 for five in each zone: 1,814 TB on 2,880 TB, 63%. By network a broker moves
      // 10 Gbps of 1 kB records, 1.25M a second: 3M appends (every replica) and 3M reads over 15
      // is 400k each, 32%. 96 partitions: a group has one consumer a partition, which processes
      // 20 MB/s, so 50 at full speed and 72 at 70%; each partition takes 10.4k of the 50k writes
      // a second (50 MB/s) it can append. acks=all with quorum (min.insync.replicas=2): a write
      // waits for the 3 replicas in sync, 1 ms each
      log: {
        kind: "queue",
        count: 15,
        partitions: 96,
        replicas: 3,
        quorum: true,
        capacity: "1.25M req/s",
        partitionCapacity: "50k req/s",
        latency: "1 ms",
        storage: "12 * 16 TB",
        zones: ["a", "b", "c"],
      },
      // three consumer groups of 96 members, one a partition, each processing 20 MB/s (20k records)
      // at 5 ms a record: 3M records over 288 consumers is 10.4k each, 52%; 78% with a zone lost
      consumers: {
        kind: "stream-processor",
        count: 288,
        capacity: "20k req/s",
        latency: "5 ms",
        zones: ["a", "b", "c"],
      },
    },
    flows: {
      // a known hot key is salted over 8 partitions (key#0 … key#7): its order is given up, the
      // others keep theirs. Past 1.2× the peak, producer quotas hold records back at the producers
      produce: { hops: [{ to: "log", write: true, keySpread: 8 }], admits: "1.2M req/s" },
      // consumers pull at their own pace (max.poll.records): past 1.2× the peak the rest waits in
      // the log as lag, and is read once the spike is over
      consume: { hops: ["log", "consumers"], admits: "3.6M req/s" },
    },
  });
}
