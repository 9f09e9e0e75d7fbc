import { defineChapter } from "../../grader/manifest/define.ts";

// ratios are learner ÷ reference, measured in the same process on the same workload
const throughput = {
  min: 0.3,
  reason: "a sound design runs within 2× of the reference; the rest is room for noise on 2 shared cores",
};

export default defineChapter({
  title: "Message queues",
  summary:
    "Kafka-style logs: partitions as append-only segment files with a sparse index, consumer groups that share partitions with one owner each, replication with a high watermark, and what at-least-once and exactly-once really promise.",
  worksheet: [
    {
      id: "ingest-bandwidth",
      prompt: "Producers send 1M messages a second of 1 kB each. What bandwidth reaches the partition leaders?",
      given: { rate: "1M msg/s", size: "1 kB/msg" },
      unit: "Gbps",
      tolerance: "10%",
      explanation:
        "1M × 1 kB = 1 GB/s, 8 Gbps: almost a whole 10 GbE link. Spread over the leaders of many partitions, on many brokers, it is ordinary.",
    },
    {
      id: "daily-log",
      prompt: "At that rate, how much log is written in a day, counting one copy?",
      given: { rate: "1M msg/s", size: "1 kB/msg" },
      unit: "TB",
      tolerance: "10%",
      explanation: "1 GB/s × 86,400 s = 86.4 TB a day, before replication.",
    },
    {
      id: "retained-raw",
      prompt:
        "The topic keeps 7 days and every partition has 3 replicas. How much disk does the cluster need for the log? (The seed says 602 TB.)",
      given: { rate: "1M msg/s", size: "1 kB/msg", retention: "7 day", rf: "3" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "86.4 TB × 7 = 604.8 TB of log (the seed rounds 86 × 7 to 602), and each byte lives on 3 brokers: 1.81 PB of disk. Forgetting the replication factor sizes the cluster at a third of what it needs.",
    },
    {
      id: "follower-traffic",
      prompt: "With 3 replicas, how many bytes a second do the followers fetch from the leaders?",
      given: { rate: "1M msg/s", size: "1 kB/msg", rf: "3" },
      unit: "GB/s",
      tolerance: "10%",
      explanation:
        "Each byte a leader takes is fetched by rf − 1 = 2 followers: 2 GB/s across the cluster. The producer sends one copy, not three: replication is the followers pulling.",
    },
    {
      id: "leader-egress",
      prompt:
        "Three consumer groups each read the whole topic, besides the followers. How many bytes a second leave the leaders?",
      given: { rate: "1M msg/s", size: "1 kB/msg", rf: "3", readers: "3" },
      unit: "GB/s",
      tolerance: "10%",
      explanation:
        "(rf − 1) + readers = 2 + 3 = 5 GB/s out for 1 GB/s in. Every consumer group reads the log again: egress, not ingest, sizes the network.",
    },
    {
      id: "partitions-needed",
      prompt:
        "A partition takes 50 MB/s from producers; one consumer processes 20 MB/s. How many partitions does a topic of 1 GB/s need, at least?",
      given: { throughput: "1 GB/s", per_producer: "50 MB/s", per_consumer: "20 MB/s" },
      unit: "partition",
      tolerance: "10%",
      explanation:
        "A partition is read by one consumer of a group, so it is the unit of parallelism: max(1 GB/s ÷ 50 MB/s, 1 GB/s ÷ 20 MB/s) = max(20, 50) = 50 partitions, and more for growth, since adding partitions later moves keys.",
    },
    {
      id: "brokers-by-disk",
      prompt:
        "Each broker has 12 disks of 16 TB, filled to 70% at most. How many brokers hold the 7 days of 3 replicas?",
      given: { stored: "1814.4 TB", disks: "12", disk_size: "16 TB/machine", fill: "70%" },
      unit: "machine",
      tolerance: "10%",
      explanation:
        "12 × 16 TB × 0.7 = 134.4 TB a broker; 1,814.4 TB ÷ 134.4 TB = 13.5, so 14 brokers. The network (5 GB/s out over 10 GbE links) would need fewer: this cluster is sized by its disks.",
    },
    {
      id: "index-entries",
      prompt:
        "A 1 GiB segment (Kafka's segment.bytes default) gets an index entry every 4,096 bytes (index.interval.bytes). How many entries does its index hold?",
      given: { segment_size: "1 GiB", interval: "4096 B" },
      unit: "entry",
      tolerance: "10%",
      explanation:
        "2^30 ÷ 2^12 = 262,144 entries of 8 bytes (a 4-byte relative offset and a 4-byte position): a 2 MiB index for 1 GiB of log, 0.2%, small enough to keep in memory. A lookup is about 18 steps of binary search and a scan of at most 4 kB.",
    },
    {
      id: "records-per-interval",
      prompt:
        "The seed's index puts offset 100 at byte 4,096, with records of 1 kB and a 12-byte header (8-byte offset, 4-byte size). How many records really lie between two index entries?",
      given: { interval: "4096 B", payload: "1000 B/record", header: "12 B/record" },
      unit: "record",
      tolerance: "10%",
      explanation:
        "4,096 B ÷ 1,012 B = 4.05, about 4 records, not 100: the seed's example needs 41-byte records. A lookup scans at most one interval whatever the record size; what changes is how many records that is.",
    },
    {
      id: "catch-up-time",
      prompt:
        "A consumer group is 36M messages behind on a topic that receives 100k messages a second; its consumers can process 120k a second. How long until the lag is gone?",
      given: { lag: "36M msg", produced: "100k msg/s", consumed: "120k msg/s" },
      unit: "min",
      tolerance: "10%",
      explanation:
        "The lag shrinks only by the surplus: 36M ÷ (120k − 100k)/s = 1,800 s, 30 minutes. At 100k a second it never shrinks; a consumer with no headroom never catches up after an outage.",
    },
  ],
  katas: [
    {
      id: "consumer-group-assignor",
      title: "Consumer-group assignor",
      difficulty: 2,
      file: "consumer-group-assignor.ts",
      hints: [
        "Start with the subscribers of each topic, sorted by id. Range is then arithmetic: each = ⌊P/n⌋, extra = P mod n, and subscriber i starts at each·i + min(i, extra).",
        "Sticky in three passes: keep every previous partition its owner may still read (still a member, still subscribed, the partition still exists, not claimed twice); give each remaining partition to the least loaded subscriber of its topic; then balance.",
        "Balance by moving one partition at a time: while some topic has an owner with two more partitions than a subscriber of that topic, move one of the owner's partitions of that topic to that subscriber. Each move lowers the sum of squared loads, so it ends, and it moves nothing balance does not need.",
        "For the orphans, a min-heap of (load, id) per topic; loads change as other topics are assigned, so pop, compare with the current load, and push again when it is stale. cooperativeRound is a filter: keep a target partition unless its previous owner is another member still in the target.",
      ],
      budgets: { throughput },
    },
    {
      id: "segmented-log",
      title: "Segmented log",
      difficulty: 2,
      file: "segmented-log.ts",
      hints: [
        "Lay a record out as a fixed header (its offset and its payload's length) followed by the payload, written with one disk.append. Name a segment's file after its first offset, zero-padded (\"00000000000000000042.log\") so that names sort like offsets.",
        "Per segment keep its base and end offsets, its size, and two arrays: index offsets and positions. Before writing a record, if the bytes written since the last entry are at least the interval, push (offset, position of this record) and reset the count.",
        "read: binary search the segment bases for the last one ≤ offset, binary search its index the same way (no entry: start at the segment's first record, position 0), then read only headers forward until the offset, and then the payload.",
        "Opening: list the files, sort them, and scan each from position 0: a record whose header or payload runs past the end of the file is torn; truncate the file there. Retention: while the second segment's base ≤ offset, remove the first one's file.",
      ],
      budgets: {
        throughput,
        growth: {
          max: 3,
          reason: "a lookup is O(log n) in the segments; scanning the segment list grows about 50× from 100 to 5,000",
        },
      },
    },
    {
      id: "idempotent-consumer",
      title: "Idempotent consumer",
      difficulty: 2,
      file: "idempotent-consumer.ts",
      hints: [
        "Order decides the guarantee: handle the record, write its outcome to the sink, and only then commit the next offset. A crash anywhere before the commit redelivers the record, so the sink must recognise it.",
        "Memory is lost in a crash, so the dedup mark must live in the sink, in the same transaction as the effect: with one partition handled in order, one number is enough, one past the last offset applied. A redelivered record below it is skipped (and still committed).",
        "A dead letter is an outcome like an effect: write it with the same mark in one transaction, or a crash before the commit dead-letters the record twice.",
        "Retry loop: for attempt 1..maxAttempts, try the handler; on a TransientError before the last attempt, try again; on any other error, or on the last attempt, return a dead letter with the error's message and the attempts made.",
      ],
      budgets: { throughput },
    },
    {
      id: "isr-replication",
      title: "ISR replication with a high watermark and leader epochs",
      difficulty: 3,
      file: "isr-replication.ts",
      hints: [
        "Start with the log on disk (one storage key per record plus the length) and the controller's clean election: pick the new leader among the live ISR members other than the dead leader, drop the dead leader from the ISR, bump the epoch; with none alive, set the leader to null and keep the ISR.",
        "The leader keeps, per follower, the offset of its last fetch and when it was last caught up (its fetch offset reached the leader's log end, now or as of its previous fetch). The high watermark is the least log end over the ISR; a produce is acknowledged once the high watermark passes its offset, never sooner, and refused before any append while the ISR is smaller than min.insync.replicas.",
        "ISR changes go through the controller (AlterIsr against the state's version). Shrink: drop followers not caught up for replicaLagTimeMaxMs, and keep counting them for the high watermark until the controller agrees. Expand: add a follower whose fetch offset reached the high watermark and this epoch's start offset, and count it at once, until the controller's next state, even if you send another AlterIsr meanwhile.",
        "A follower with records, on each new leader (and after a restart), asks where its last record's epoch ends in the leader's log (EpochEndRequest) and cuts its log to min(that end, where the answer's epoch ends in its own log) before its first Fetch. Never cut to its own high watermark: it may lag behind the leader's.",
      ],
      budgets: {},
    },
  ],
});
