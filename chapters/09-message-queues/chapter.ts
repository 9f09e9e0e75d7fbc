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
      prompt:
        "Producers send {rate} messages a second of {size} kB each. What bandwidth reaches the partition leaders?",
      given: { rate: "1M msg/s", size: "1 kB/msg" },
      unit: "Gbps",
      tolerance: "10%",
      explanation:
        "1M × 1 kB = 1 GB/s, 8 Gbps: almost a whole 10 GbE link. Spread over the leaders of many partitions, on many brokers, it is ordinary.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["100k msg/s", "10M msg/s"], size: ["0.2 kB/msg", "10 kB/msg"] },
    },
    {
      id: "daily-log",
      prompt: "At {rate} messages a second of {size} kB, how much log is written in a day, counting one copy?",
      given: { rate: "1M msg/s", size: "1 kB/msg" },
      unit: "TB",
      tolerance: "10%",
      explanation: "1 GB/s × 86,400 s = 86.4 TB a day, before replication.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["100k msg/s", "10M msg/s"], size: ["0.2 kB/msg", "10 kB/msg"] },
    },
    {
      id: "retained-raw",
      prompt:
        "Producers send {rate} messages a second of {size} kB. The topic keeps {retention} days and every partition has {rf} replicas. How much disk does the cluster need for the log? (For 1M messages of 1 kB, 7 days and 3 replicas, the seed says 602 TB.)",
      given: { rate: "1M msg/s", size: "1 kB/msg", retention: "7 day", rf: "3" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "86.4 TB × 7 = 604.8 TB of log (the seed rounds 86 × 7 to 602), and each byte lives on 3 brokers: 1.81 PB of disk. Forgetting the replication factor sizes the cluster at a third of what it needs.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        rate: ["100k msg/s", "10M msg/s"],
        size: ["0.2 kB/msg", "10 kB/msg"],
        retention: ["1 day", "30 day"],
        rf: ["2", "5"],
      },
    },
    {
      id: "follower-traffic",
      prompt:
        "At {rate} messages a second of {size} kB, with {rf} replicas, how many bytes a second do the followers fetch from the leaders?",
      given: { rate: "1M msg/s", size: "1 kB/msg", rf: "3" },
      unit: "GB/s",
      tolerance: "10%",
      explanation:
        "Each byte a leader takes is fetched by rf − 1 = 2 followers: 2 GB/s across the cluster. The producer sends one copy, not three: replication is the followers pulling.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["100k msg/s", "10M msg/s"], size: ["0.2 kB/msg", "10 kB/msg"], rf: ["2", "5"] },
    },
    {
      id: "leader-egress",
      prompt:
        "At {rate} messages a second of {size} kB with {rf} replicas, {readers} consumer groups each read the whole topic, besides the followers. How many bytes a second leave the leaders?",
      given: { rate: "1M msg/s", size: "1 kB/msg", rf: "3", readers: "3" },
      unit: "GB/s",
      tolerance: "10%",
      explanation:
        "(rf − 1) + readers = 2 + 3 = 5 GB/s out for 1 GB/s in. Every consumer group reads the log again: egress, not ingest, sizes the network.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        rate: ["100k msg/s", "10M msg/s"],
        size: ["0.2 kB/msg", "10 kB/msg"],
        rf: ["2", "5"],
        readers: ["1", "6"],
      },
    },
    {
      id: "partitions-needed",
      prompt:
        "A partition takes {per_producer} MB/s from producers; one consumer processes {per_consumer} MB/s. How many partitions does a topic of {throughput} GB/s need, at least?",
      given: { throughput: "1 GB/s", per_producer: "50 MB/s", per_consumer: "20 MB/s" },
      unit: "partition",
      tolerance: "10%",
      explanation:
        "A partition is read by one consumer of a group, so it is the unit of parallelism: max(1 GB/s ÷ 50 MB/s, 1 GB/s ÷ 20 MB/s) = max(20, 50) = 50 partitions, and more for growth, since adding partitions later moves keys.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        throughput: ["0.1 GB/s", "5 GB/s"],
        per_producer: ["20 MB/s", "100 MB/s"],
        per_consumer: ["5 MB/s", "50 MB/s"],
      },
    },
    {
      id: "brokers-by-disk",
      prompt:
        "Each broker has {disks} disks of {disk_size} TB, filled to 70% at most. How many brokers hold {stored} TB, the 7 days of 3 replicas?",
      given: { stored: "1814.4 TB", disks: "12", disk_size: "16 TB/machine", fill: "70%" },
      unit: "machine",
      tolerance: "10%",
      explanation:
        "12 × 16 TB × 0.7 = 134.4 TB a broker; 1,814.4 TB ÷ 134.4 TB = 13.5, so 14 brokers. The network (5 GB/s out over 10 GbE links) would need fewer: this cluster is sized by its disks.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { stored: ["100 TB", "5000 TB"], disks: ["4", "24"], disk_size: ["4 TB/machine", "20 TB/machine"] },
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "catch-up-time",
      prompt:
        "A consumer group is {lag} messages behind on a topic that receives 100k messages a second; its consumers can process {consumed} a second. How long until the lag is gone?",
      given: { lag: "36M msg", produced: "100k msg/s", consumed: "120k msg/s" },
      unit: "min",
      tolerance: "10%",
      explanation:
        "The lag shrinks only by the surplus: 36M ÷ (120k − 100k)/s = 1,800 s, 30 minutes. At 100k a second it never shrinks; a consumer with no headroom never catches up after an outage.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { lag: ["1M msg", "500M msg"], consumed: ["110k msg/s", "500k msg/s"] },
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
    {
      id: "design-message-broker",
      title: "Design: a Kafka-like message broker",
      difficulty: 3,
      file: "design-message-broker.ts",
      hints: [
        "Size the brokers by what they keep before what they move: 604.8 TB for 7 days, and every byte on 3 of them, 1.81 PB; at 12 disks of 16 TB filled to 70%, that is 14 brokers, 15 for five in each zone. The network needs only 7.",
        "Partitions are the unit of parallelism: a topic of 1 GB/s needs 50 of them by its consumers' 20 MB/s (20 by the producers' 50 MB/s a partition), and more for headroom and growth; each consumer group has one member a partition.",
        "One key's records go to one partition, however many partitions there are. A key with a tenth of the traffic needs salting (key#0 … key#7, keySpread: 8) or no key at all, if nothing needs its order.",
        "Three replicas of each partition, one in each zone, acks=all with quorum (min.insync.replicas=2): a zone lost leaves two in-sync copies, and nothing acknowledged is lost.",
      ],
      budgets: {},
      // the chapter's estimate (seed 000, section 18.1): 1M messages a second of 1 kB, kept 7 days,
      // read by 3 consumer groups; the names are the estimate blocks' own
      design: {
        workload: {
          rate: "1M msg/s",
          size: "1 kB/msg",
          ingest: "rate * size",
          kept_for: "7 day",
          kept: "ingest * kept_for",
          groups: "3",
        },
        flows: {
          // the seed's publish objective: acknowledged within 10 ms at p99
          produce: { rate: "rate", p99: "10 ms" },
          // every consumer group reads every record: fetched and processed within 50 ms when it keeps up
          consume: { rate: "rate * groups", p99: "50 ms" },
        },
        availability: "99.95%",
        // 604.8 TB before replicas: the seed's "602 TB" is this, rounded, and counts one copy
        storage: "kept",
        retention: "kept_for",
        // one huge tenant: 1% of the records under one key, ten times that in the drill
        hotKeys: { produce: "1%" },
        drills: ["zone-loss", "hot-key"],
      },
      // npm run interview -- message-broker: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design a message broker like Kafka for our company: services publish events, other services read them, some many times. What do you ask before you draw anything?",
            ],
            rubric: [
              "Asks what flows and how much: records a second at peak and their size (here 1M of 1 kB), how many topics, and how many consumer groups read each one (here 3, each reading the whole log again).",
              "Asks order per what: per user, per order, per account, which a partition key gives; a global order of everything is one partition, one machine's throughput.",
              "Asks the delivery guarantee: may a record be lost, duplicated, or must its effect happen exactly once; and says exactly once is a property of the pipeline, not of the broker alone.",
              "Asks retention and replay: hours, days (here 7) or forever with compaction, and whether a consumer may rewind.",
              "Asks the non-functional needs: publish latency (10 ms at p99), zero loss once acknowledged, 99.95% availability, surviving a zone.",
            ],
          },
          estimate: {
            prompts: [
              "1M records a second of 1 kB, kept 7 days with 3 replicas, read by 3 consumer groups. Size the cluster: which resource decides?",
            ],
            rubric: [
              "Ingest: 1M × 1 kB = 1 GB/s, 8 Gbps; a day is 86.4 TB, 7 days 604.8 TB of log (the seed's 602 TB is 86 × 7, rounded).",
              "Counts the replicas: every byte on 3 brokers, 1.81 PB of disk, three times the seed's figure.",
              "Bandwidth: followers fetch (rf − 1) × 1 GB/s = 2 GB/s; leaders send 5 GB/s with the 3 groups: egress, not ingest, sizes the network.",
              "Brokers: 12 disks of 16 TB at 70% is 134.4 TB each, so 14 by disk; a 10 GbE link at 60% (0.75 GB/s) gives 7 by network; the disk binds.",
              "Partitions: max(1 GB/s ÷ 50 MB/s, 1 GB/s ÷ 20 MB/s) = max(20, 50) = 50 at least, more for growth, since adding partitions later moves keys.",
              "Keeps the consumers' headroom: a group has one member a partition, so at 70% of 20 MB/s (14 MB/s) the topic needs 72 partitions; 96 leave each consumer at 52%.",
            ],
          },
          design: {
            prompts: [
              "Draw it: how does a record get from a producer to a broker's disk and to the consumers, and who decides which broker leads what?",
            ],
            rubric: [
              "A topic split into partitions, each an append-only log of segment files with a sparse offset index, numbered by offset.",
              "Producers hash the key to a partition and send to its leader, found from cluster metadata: no load balancer in front of the brokers, since only the leader appends.",
              "Each partition has 3 replicas, one in each zone; followers fetch from the leader; acks=all with min.insync.replicas=2, so nothing acknowledged is lost with one broker down.",
              "A controller (a Raft quorum, KRaft) chooses leaders and tracks the in-sync replicas.",
              "Consumer groups share the partitions, one member a partition, and commit their offsets to __consumer_offsets; here 15 brokers (five a zone), 96 partitions, 3 groups of 96 consumers.",
            ],
          },
          deepDive: {
            prompts: [
              "Let's go deep on ordering and delivery: what order does a consumer see, and what does 'exactly once' mean in your design?",
            ],
            rubric: [
              "Order holds within a partition only: same key, same partition, read in write order; none across partitions.",
              "Names what breaks a key's order: changing the partition count, and retries with several requests in flight, which the idempotent producer's sequence numbers prevent.",
              "Commit after process is at least once; commit before process is at most once; effectively once is at least once into an idempotent sink keyed by (topic, partition, offset) or a business key.",
              "Exactly-once semantics (KIP-98) is the idempotent producer plus transactions that commit output records and consumer offsets together, read by read_committed consumers: read-process-write inside Kafka only.",
              "A poison record goes to a dead-letter queue after a few attempts, so it never blocks its partition.",
            ],
          },
          wrapUp: {
            prompts: [
              "We have a few minutes left. Sum up your design: what did you trade, and what would you watch in production?",
            ],
            rubric: [
              "Restates what binds: the disk, 1.81 PB on 15 brokers of 192 TB (63%); the network needs only 7.",
              "Names the trades: more partitions for parallelism against order per partition only; acks=all for no loss against the slowest replica's latency; salting a hot key against its order.",
              "Says how it degrades: a lost broker or zone moves leadership to in-sync followers, and writes go on while 2 replicas of each partition are in sync.",
              "Says what to monitor: consumer lag per group and partition, under-replicated partitions and ISR shrinks, disk fill, produce p99, the busiest partition's rate.",
            ],
          },
        },
        followUps: [
          {
            question: "A product team wants every event in one global order. What do you tell them?",
            answer:
              "That a global order is one partition: one leader's disk and one consumer of each group, at most the 50 MB/s a partition takes and the 20 MB/s one consumer processes, where the topic carries 1 GB/s. Order holds only within a partition, so ask what needs ordering: almost always it is per key (the events of one order, one account, one user), and a key always hashes to the same partition, so those stay in order while the topic spreads over 96 partitions. Keep the key's order by not changing the partition count under it, and let the idempotent producer's sequence numbers stop a retry from overtaking the request after it. If a total order is truly needed, for a small stream, one partition is honest; otherwise a timestamp or sequence number lets readers merge, accepting what crosses partitions out of order.",
          },
          {
            question: "What does exactly-once mean in your design, and what does it not cover?",
            answer:
              "Kafka's exactly-once semantics (KIP-98, Kafka 0.11) is two mechanisms. The idempotent producer: each producer has an id and numbers its records per partition, and the broker drops a retried duplicate and refuses a gap, so a retry never writes twice or reorders. Transactions: a producer writes to several partitions and commits the consumer's offsets with sendOffsetsToTransaction, all atomically, and consumers with isolation.level=read_committed see only committed records. Together they make read-process-write from Kafka to Kafka exactly once. They say nothing about an email sent, a card charged or a row written elsewhere: there, at least once into an idempotent sink (a unique key on topic, partition and offset, written in the same transaction as the effect) gives effectively once. Exactly once is the effect happening once, and the receiver has to take part.",
          },
          {
            question:
              "One consumer group was down for an hour at peak. What is its lag, and how long until it catches up?",
            answer:
              "An hour of 1M records a second is 3.6 billion records, 3.6 TB, all still in the log (it keeps 7 days), so nothing is lost: the log turned an outage into lag. Catching up takes lag ÷ (consume rate − produce rate). The group has 96 consumers of 20k records a second, 1.92M a second, against 1M produced: 3.6 billion ÷ 0.92M a second is about 3,900 seconds, 65 minutes. With no headroom it would never catch up; that is why the consumers run at 52% at peak. Alert on lag in seconds, not on errors. Back-pressure comes from the pull model: a consumer takes max.poll.records at a time and is never pushed more than it can process, and on the producing side buffer.memory (32 MB) fills and send blocks for max.block.ms when brokers fall behind, with broker quotas throttling a client that sends too much.",
          },
          {
            question:
              "A broker dies. What happens to its partitions, and what if a second one fails before it is replaced?",
            answer:
              "It held a replica of about 96 × 3 ÷ 15 ≈ 19 partitions and led about 6. The controller moves leadership to a follower in the ISR (a clean election), so nothing acknowledged is lost, and each of those partitions runs with 2 in-sync replicas: min.insync.replicas=2 still holds and acks=all writes go on. The other 14 brokers take its load, 6M appends and reads a second over 14 instead of 15. Its 1,814 TB ÷ 15 ≈ 121 TB must be copied back to a replacement, about 34 hours at a throttled 1 GB/s. A second failure in that window leaves any partition with replicas on both brokers with one in-sync replica: below min.insync.replicas, so acks=all writes to it fail with NotEnoughReplicas until one returns, rather than acknowledge records held by one copy. An unclean election would keep it writable and lose acknowledged records; leave it off.",
          },
          {
            question: "One tenant's key now carries a tenth of all records. What happens, and what do you do?",
            answer:
              "Its records all hash to one partition: 100k a second, 100 MB/s, where one partition takes 50 MB/s and one consumer processes 20 MB/s. That partition's leader falls behind and its consumer lags while the other 95 idle. The seed's fix, a key of user_id % num_partitions with more partitions, still sends that user to one partition: it spreads nothing, and more partitions only thin out the keys that were fine. Salt the hot key: key#0 to key#7, chosen per record, spreads it over 8 partitions, about 12.5k records a second each on top of the 10.4k every partition carries, and over 8 consumers; it gives up that key's order, which a sequence number can restore downstream. If nothing needs its order at all, send it without a key and let the producer spread it. Watch the busiest partition's rate, not only the topic's.",
          },
          {
            question: "A team wants the latest state of every account in a topic, forever, without 7 days' limit. How?",
            answer:
              "Log compaction: cleanup.policy=compact keeps the latest record of each key and removes older ones in the background, segment by segment, so the topic is a table's changelog whose size is the table's, not its history's. A new consumer reads it from the start to rebuild the table, as Kafka Streams' state stores and __consumer_offsets itself do. A record with a null value is a tombstone: it deletes the key, and is itself removed after delete.retention.ms. Offsets never change, so a compacted log has gaps, and the active segment is never cleaned, so the latest value of a key is always there. It costs background cleaning and gives up time-based replay of old values.",
          },
        ],
      },
    },
  ],
});
