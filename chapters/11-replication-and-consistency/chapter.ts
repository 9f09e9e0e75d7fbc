import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Replication and consistency",
  summary:
    "Copies of the same data in several places: replication lag and what it shows users, quorums and what they cost, CAP and PACELC said precisely, session guarantees, anti-entropy, and how concurrent writes are detected (vector clocks) or merged (CRDTs).",
  worksheet: [
    {
      id: "lag-after-burst",
      prompt:
        "A leader takes a burst of 20k writes a second of 1 KB each for 10 minutes. Its replica in another region receives the change stream over a 100 Mbit/s link. At the end of the burst, how many seconds behind the leader is that replica?",
      given: { write_rate: "20k write/s", write_size: "1 KB/write", link_rate: "100 Mbit/s", burst: "10 minute" },
      unit: "s",
      tolerance: "10%",
      explanation:
        "The stream is 20 MB/s and the link drains 12.5 MB/s, so a backlog of 7.5 MB/s builds: 4.5 GB after 600 s, which the link needs 360 s to ship. The replica serves data six minutes old, and keeps falling behind as long as the burst lasts: lag is not a constant of the system but of its load.",
    },
    {
      id: "unseen-writes",
      prompt:
        "An asynchronous replica lags 5 s behind a leader that takes 1,000 writes a second. How many acknowledged writes can a read on that replica fail to see?",
      given: { write_rate: "1000 write/s", lag: "5 s" },
      unit: "write",
      tolerance: "10%",
      explanation:
        "Up to 5,000 writes, and if the leader dies now, all of them are lost unless someone else has them: asynchronous replication trades them for a local write.",
    },
    {
      id: "write-failures-tolerated",
      prompt:
        "A leaderless store keeps N = 5 copies of each key and needs W = 4 acknowledgements for a write. How many of a key's 5 replicas can be down while writes still succeed (with strict quorums, no hinted handoff)?",
      given: { copies: "5 replica", write_quorum: "4 replica" },
      unit: "replica",
      tolerance: "10%",
      explanation:
        "N − W = 1. A larger W buys fresher reads (R + W > N with a smaller R) at the cost of write availability and write latency.",
    },
    {
      id: "read-failures-tolerated",
      prompt:
        "The same store reads with R = 2 of the N = 5 copies. How many replicas can be down while reads still succeed, and do R = 2 and W = 4 quorums always overlap?",
      given: { copies: "5 replica", read_quorum: "2 replica" },
      unit: "replica",
      tolerance: "10%",
      explanation:
        "N − R = 3 down, and R + W = 6 > 5, so every read quorum shares at least one replica with every write quorum. Overlap is necessary for reading the latest acknowledged write, not sufficient: sloppy quorums, writes that failed part-way and concurrent writes still break it.",
    },
    {
      id: "quorum-write-latency",
      prompt:
        "A coordinator sends a write to 5 replicas whose round trips are 2, 30, 75, 140 and 210 ms, and waits for W = 3 acks. How long does the write take? (A seed document used the median of the round trips to the closest replicas.)",
      given: {
        rtt_a: "2 ms",
        rtt_b: "30 ms",
        rtt_c: "75 ms",
        rtt_d: "140 ms",
        rtt_e: "210 ms",
      },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "The write completes when the W-th fastest ack arrives: the slowest of the three fastest, 75 ms. A median of the two closest would say 16 ms, and the median of all five happens to be 75 ms only because W = 3 is the middle of 5. With W = 4 it is 140 ms; a tail quorum latency is an order statistic of the replicas' latencies.",
    },
    {
      id: "rtt-floor",
      prompt:
        "New York and London are about 5,600 km apart. Light in fibre travels about 200 km per millisecond. What is the lowest round-trip time between them, before any routing or queueing?",
      given: { distance: "5600 km", fibre_speed: "200 km/ms" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "2 × 5,600 km ÷ 200 km/ms = 56 ms; measured round trips are around 70 ms because cables do not follow great circles. No protocol removes this: any write that must be acknowledged on the other side of the ocean pays it.",
    },
    {
      id: "sync-all-regions-write",
      prompt:
        "A write in us-east is replicated synchronously to us-west (70 ms round trip), eu-west (80 ms) and ap-northeast (170 ms) and acknowledged once every region has it. How long does it take?",
      given: { rtt_west: "70 ms", rtt_eu: "80 ms", rtt_asia: "170 ms" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "It waits for the slowest, 170 ms, and fails when any region is unreachable. A majority of the four regions (three, the local one included) needs only the two fastest remote acks, 80 ms, and survives one lost region: that is why consensus across regions waits for a majority.",
    },
    {
      id: "serial-writes-per-key",
      prompt:
        "Writes to one key go one at a time through a cross-region majority round of 80 ms each. How many writes a second can that key take?",
      given: { round: "80 ms" },
      unit: "write/s",
      tolerance: "10%",
      explanation:
        "1 s ÷ 80 ms = 12.5 writes a second per key, however many servers there are: a hot counter needs batching, a local leader per key, or a merge that needs no order (a CRDT counter).",
    },
    {
      id: "merkle-keys-per-leaf",
      prompt:
        "A replica holds 100M keys of a range and keeps a Merkle tree of depth 20 over it (2^20 leaves, each a hash of its keys). How many keys does one leaf cover?",
      given: { keys_held: "100M key", depth: "20" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "100M ÷ 1,048,576 leaves = 95.4 keys a leaf. A leaf that differs costs about 95 key hashes to compare, and a tree a thousand times shallower would cost far more per difference.",
    },
    {
      id: "merkle-hash-bytes",
      prompt:
        "Two replicas of that range differ in 10 keys, each in a different leaf. Walking down from the root, each level compares the two children of every node that differs, with 32-byte hashes. About how many bytes of hashes do they exchange to find the 10 leaves?",
      given: { differing: "10 key", depth: "20", hash_size: "32 B" },
      unit: "KB",
      tolerance: "2x",
      explanation:
        "At most 10 paths × 20 levels × 2 hashes × 32 B = 12.8 KB (fewer, as the paths share their top levels), against 3.2 GB to send a 32-byte hash of every one of the 100M keys. That is anti-entropy in Dynamo (DeCandia et al., 2007): cost grows with the difference, not the data.",
    },
    {
      id: "hinted-handoff-storage",
      prompt:
        "A replica is down for 3 hours. The writes meant for it, 2,000 a second of 1 KB, are kept as hints on other nodes until it returns. How much do the hints take?",
      given: { write_rate: "2000 write/s", write_size: "1 KB/write", outage: "3 hour" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "2,000 × 1 KB × 10,800 s = 21.6 GB, spread over the nodes that stood in. Stores cap it (Cassandra's max_hint_window defaults to 3 hours); after that the replica must be repaired by anti-entropy instead.",
    },
    {
      id: "vector-clock-size",
      prompt:
        "A value's version vector has one entry per writer, each a 16-byte id and an 8-byte counter. How big is it after 1,000 different clients have written the value, if clients are the writers?",
      given: { writers: "1000", entry_size: "24 B" },
      unit: "KB",
      tolerance: "10%",
      explanation:
        "24 KB of clock on every copy of a value that may itself be 1 KB. With the 3 replicas as the writers instead, it is 72 B: Dynamo's coordinators and Riak's vnodes put their own ids in the clock, and Dynamo truncates the oldest entries past a threshold (10).",
    },
  ],
  katas: [
    {
      id: "vector-clock",
      title: "Vector clocks and siblings",
      difficulty: 1,
      file: "vector-clock.ts",
      hints: [
        "Compare entry by entry over the union of both clocks' writers, reading a missing writer as 0 (clock[writer] ?? 0). Keep two flags: a is ahead somewhere, b is ahead somewhere. Both: concurrent; neither: equal.",
        "A sum of counters or a count of entries cannot tell concurrent clocks apart: {a: 2} and {a: 1, b: 1} have the same sum and neither saw the other. Only the per-writer comparison can.",
        "merge and increment build new objects ({ ...clock }): a clock the caller still holds, or one a sibling keeps, must not change under it.",
        "put: if any kept sibling's clock is after or equal to the new clock, return false and keep everything. Otherwise keep the siblings whose clock is not before the new one (concurrent ones stay), add the new version, return true.",
      ],
      budgets: {},
    },
    {
      id: "crdt-counters-and-sets",
      title: "CRDT counters and sets",
      difficulty: 2,
      file: "crdt-counters-and-sets.ts",
      hints: [
        "A G-counter is a map from replica id to that replica's own total. increment touches only this.replica's entry; value is the sum; merge keeps, for each replica, the larger of the two entries. Max, not sum: a state merged twice must count once.",
        "A PN-counter is two G-counters, one of increments and one of decrements, merged separately. One signed total per replica merged by max loses decrements: after +5 then −3 the entry is 2, and an older state's 5 wins the max.",
        "OR-set: give every add a tag nobody else will make (the replica id and a count of its adds, such as a#3), keep tag → element, and a set of removed tags. remove(e) adds the tags of e you hold now to the removed set; has(e) is true if some tag of e is not removed. merge is the union of both.",
        "Never remove an element as such (a tombstone of 'x'): a later or concurrent add of x carries a new tag and must survive. Nor tag by element alone: x added again on the same replica needs a tag the earlier remove has not seen.",
      ],
      budgets: {},
    },
  ],
});
