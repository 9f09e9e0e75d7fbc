import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Replication and consistency",
  summary:
    "Copies of the same data in several places: replication lag and what it shows users, quorums and what they cost, CAP and PACELC said precisely, session guarantees, anti-entropy, and how concurrent writes are detected (vector clocks) or merged (CRDTs).",
  worksheet: [
    {
      id: "lag-after-burst",
      prompt:
        "A leader takes a burst of {write_rate} writes a second of 1 KB each for {burst} minutes. Its replica in another region receives the change stream over a 100 Mbit/s link. At the end of the burst, how many seconds behind the leader is that replica?",
      given: { write_rate: "20k write/s", write_size: "1 KB/write", link_rate: "100 Mbit/s", burst: "10 minute" },
      unit: "s",
      tolerance: "10%",
      explanation:
        "The stream is 20 MB/s and the link drains 12.5 MB/s, so a backlog of 7.5 MB/s builds: 4.5 GB after 600 s, which the link needs 360 s to ship. The replica serves data six minutes old, and keeps falling behind as long as the burst lasts: lag is not a constant of the system but of its load.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { write_rate: ["15k write/s", "100k write/s"], burst: ["1 minute", "60 minute"] },
    },
    {
      id: "unseen-writes",
      prompt:
        "An asynchronous replica lags {lag} s behind a leader that takes {write_rate} writes a second. How many acknowledged writes can a read on that replica fail to see?",
      given: { write_rate: "1000 write/s", lag: "5 s" },
      unit: "write",
      tolerance: "10%",
      explanation:
        "Up to 5,000 writes, and if the leader dies now, all of them are lost unless someone else has them: asynchronous replication trades them for a local write.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { lag: ["0.1 s", "60 s"], write_rate: ["100 write/s", "100k write/s"] },
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "rtt-floor",
      prompt:
        "Two datacenters are {distance} km apart (New York and London are about 5,600 km). Light in fibre travels about 200 km per millisecond. What is the lowest round-trip time between them, before any routing or queueing?",
      given: { distance: "5600 km", fibre_speed: "200 km/ms" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "2 × 5,600 km ÷ 200 km/ms = 56 ms; measured round trips are around 70 ms because cables do not follow great circles. No protocol removes this: any write that must be acknowledged on the other side of the ocean pays it.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { distance: ["500 km", "15000 km"] },
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "serial-writes-per-key",
      prompt:
        "Writes to one key go one at a time through a cross-region majority round of {round} ms each. How many writes a second can that key take?",
      given: { round: "80 ms" },
      unit: "write/s",
      tolerance: "10%",
      explanation:
        "1 s ÷ 80 ms = 12.5 writes a second per key, however many servers there are: a hot counter needs batching, a local leader per key, or a merge that needs no order (a CRDT counter).",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { round: ["20 ms", "300 ms"] },
    },
    {
      id: "merkle-keys-per-leaf",
      prompt:
        "A replica holds {keys_held} keys of a range and keeps a Merkle tree of depth {depth} over it (2^{depth} leaves, each a hash of its keys). How many keys does one leaf cover?",
      given: { keys_held: "100M key", depth: "20" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "100M ÷ 1,048,576 leaves = 95.4 keys a leaf. A leaf that differs costs about 95 key hashes to compare, and a tree a thousand times shallower would cost far more per difference.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { keys_held: ["1M key", "10B key"], depth: ["10", "30"] },
    },
    {
      id: "merkle-hash-bytes",
      prompt:
        "Two replicas of a range, with Merkle trees of depth {depth}, differ in {differing} keys, each in a different leaf. Walking down from the root, each level compares the two children of every node that differs, with 32-byte hashes. About how many bytes of hashes do they exchange to find the {differing} leaves?",
      given: { differing: "10 key", depth: "20", hash_size: "32 B" },
      unit: "KB",
      tolerance: "2x",
      explanation:
        "At most 10 paths × 20 levels × 2 hashes × 32 B = 12.8 KB (fewer, as the paths share their top levels), against 3.2 GB to send a 32-byte hash of every one of the 100M keys. That is anti-entropy in Dynamo (DeCandia et al., 2007): cost grows with the difference, not the data.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { differing: ["1 key", "1000 key"], depth: ["10", "30"] },
    },
    {
      id: "hinted-handoff-storage",
      prompt:
        "A replica is down for {outage} hours. The writes meant for it, {write_rate} a second of {write_size} KB, are kept as hints on other nodes until it returns. How much do the hints take?",
      given: { write_rate: "2000 write/s", write_size: "1 KB/write", outage: "3 hour" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "2,000 × 1 KB × 10,800 s = 21.6 GB, spread over the nodes that stood in. Stores cap it (Cassandra's max_hint_window defaults to 3 hours); after that the replica must be repaired by anti-entropy instead.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        outage: ["1 hour", "48 hour"],
        write_rate: ["100 write/s", "50k write/s"],
        write_size: ["0.5 KB/write", "4 KB/write"],
      },
    },
    {
      id: "vector-clock-size",
      prompt:
        "A value's version vector has one entry per writer, each a 16-byte id and an 8-byte counter. How big is it after {writers} different clients have written the value, if clients are the writers?",
      given: { writers: "1000", entry_size: "24 B" },
      unit: "KB",
      tolerance: "10%",
      explanation:
        "24 KB of clock on every copy of a value that may itself be 1 KB. With the 3 replicas as the writers instead, it is 72 B: Dynamo's coordinators and Riak's vnodes put their own ids in the clock, and Dynamo truncates the oldest entries past a threshold (10).",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { writers: ["10", "100k"] },
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
    {
      id: "lww-register-replication",
      title: "Last-writer-wins replication with hybrid logical clocks",
      difficulty: 1,
      file: "lww-register-replication.ts",
      hints: [
        "compareTimestamps: compare wall, then logical, then node as strings; return -1, 1 or 0. The node id is what makes it a total order: without it, two writes at the same (wall, logical) tie, and a replica that keeps its own on a tie never agrees with one that keeps the other's.",
        "now(): read pt once; if pt > wall, take it and set logical to 0; otherwise keep wall and add 1 to logical. A wall clock that steps back never takes the clock back with it.",
        "receive(m): wall' = max(wall, m.wall, pt). If wall' is both yours and the message's, logical = max(logical, m.logical) + 1; if only yours, logical + 1; if only the message's, m.logical + 1; if pt beat both, 0. This is what makes a write after a receipt later than what was received, however far behind your wall clock is.",
        "LwwReplica.receive: call clock.receive(record.ts) first (every receipt moves the clock), then keep the record if compareTimestamps(record.ts, held.ts) > 0. Store copies: a record you were sent must not change under you if the sender's object does.",
      ],
      budgets: {},
    },
    {
      id: "quorum-kv",
      title: "A quorum key-value store: N, R and W on the simulator",
      difficulty: 3,
      file: "quorum-kv.ts",
      hints: [
        "Every node is a replica and a coordinator. Keep, per client opId, the operation you coordinate: its client, its op, the replies of its read round (a Map by replica, so a duplicated reply counts once) and the acknowledgements of its write round (a Set by replica).",
        "Read round: send a query for the key to every replica (yourself included), wait for R replies, take the highest version. A put then writes { counter: highest + 1, node: you }; a get writes the highest it found back (its read repair). Write round: send it to every replica, answer the client after W distinct acknowledgements.",
        "A replica stores a version only if it is later than the one it holds, in ctx.storage, and acknowledges either way: an acknowledgement means 'I hold this or later'.",
        "Hints: keep each write round until every replica has acknowledged, and resend it on a timer to those that have not. A replica that was down or cut off gets it when it is back, with no read needed. Answer Failed at timeoutMs if R or W is not reached.",
      ],
      budgets: {},
      limits: { timeMs: 60_000 },
    },
    {
      id: "design-global-kv",
      title: "Design: a multi-region key-value store",
      difficulty: 3,
      file: "design-global-kv.ts",
      hints: [
        "Ask per operation what a read must see. Profiles and carts: anything recent, answered in the user's own region (20 ms). Claims (a username, the last item): the latest claim anywhere, whatever it costs in round trips (500 ms).",
        "Put the operations with different answers in different stores (keyspaces): a store's writes are acknowledged by one replica or by a majority (quorum: true), and a strong read overlaps them only if R + W > N.",
        'A replica in each region: a local read is the local copy (consistency: "one"); a strong read asks the nearest majority (consistency: "quorum") and a quorum write waits for the second answer: 80 ms from us-east, 170 ms from Tokyo.',
        "Size each region for its neighbour's users too: with us-east lost, its 40% go to eu-west, the nearest. Count the claims' availability: a shard of 3 replicas is down whenever 2 are, 99.97% over 3 shards; 5 replicas, 2 + 2 + 1 over the regions, keep a majority with any region lost and reach 99.99%.",
      ],
      budgets: {},
      // the chapter's estimate: three regions, profiles read locally, claims agreed across them
      design: {
        workload: {
          accounts: "1B user",
          profile_size: "10 KB/user",
          gets: "300k req/s",
          puts: "30k req/s",
          claims: "1k req/s",
        },
        flows: {
          // a profile or cart from the user's own region: eventual (last writer wins by HLC)
          get: { rate: "gets", p99: "20 ms", consistency: "eventual" },
          put: { rate: "puts", p99: "30 ms", consistency: "eventual" },
          // a username or the last item: the latest claim anywhere, a read and a write across regions
          claim: { rate: "claims", p99: "500 ms", consistency: "strong" },
        },
        availability: "99.99%",
        storage: "accounts * profile_size",
        // the users' regions and the round trips between them (the chapter's figures: us-east to
        // eu-west 80 ms, to Tokyo 170 ms; London to Tokyo about 220 ms)
        regions: {
          "us-east": { share: "40%", rtt: { "eu-west": "80 ms", "ap-northeast": "170 ms" } },
          "eu-west": { share: "35%", rtt: { "ap-northeast": "220 ms" } },
          "ap-northeast": { share: "25%" },
        },
        drills: ["zone-loss"],
      },
      // npm run interview -- global-kv: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design the key-value store behind our app, for users in the US, Europe and Japan: profiles, carts, and usernames that must be unique. What do you ask first?",
            ],
            rubric: [
              "Asks what each operation must see, one by one: a profile or cart read may be a little stale; a username claim must see every earlier claim anywhere.",
              "Asks where the users are and how many in each region (here 40%, 35%, 25%) and the round trips between regions (80 ms us-east to eu-west, 170 ms to Tokyo, 220 ms eu-west to Tokyo).",
              "Asks the rates and sizes: 300k reads and 30k updates a second, 1k claims; 1B users of 10 KB.",
              "Asks what happens during a partition: profiles keep taking writes on both sides and merge later; claims are refused on a minority side rather than granted twice.",
              "Asks how concurrent edits of one profile or cart are resolved: last writer wins, or a merge that keeps both.",
            ],
          },
          estimate: {
            prompts: ["Size it: the data, each region's load, and what a claim costs in time."],
            rubric: [
              "Data: 1B × 10 KB = 10 TB; a copy in each region, 30 TB.",
              "Load per region, not in total: us-east takes 40% of 331k, 132k a second; 15 API servers of 20k are 44%, and 83% when eu-west also takes us-east's users after a loss.",
              "Latency floor: a strong operation waits for a majority's answers, the W-th fastest; with replicas 2 in us-east, 2 in eu-west, 1 in Tokyo, the third answer from us-east is eu-west's (80 ms), from Tokyo us-east's (170 ms).",
              "A claim is two such rounds (read the holder, write the claim): 160 ms from us-east, 340 ms from Tokyo, under the 500 ms asked; a local profile read is a few ms, and could never afford one.",
            ],
          },
          design: {
            prompts: ["Draw it: where are the copies, who acknowledges a write, and where does each operation read?"],
            rubric: [
              "Every region has load balancers, API servers and a full copy of the profiles; users are routed to their own region.",
              "Profiles and carts: written at the nearest replica and replicated to the others asynchronously; reads are local; concurrent writes resolved by last-writer-wins on hybrid logical clocks (or CRDTs for carts).",
              "Claims in a separate store (keyspace) of 5 replicas, 2 + 2 + 1 over the regions, agreed by majority (Paxos or Raft per shard): a claim reads from 3 and writes to 3, so every read overlaps every write.",
              "No region holds a majority of the claims' replicas: any one region lost leaves 3 of 5.",
              "Each region is sized for its own users plus those of the region that fails over to it.",
            ],
          },
          deepDive: {
            prompts: [
              "Let's go deep on consistency: what exactly does each operation guarantee, and what does a user ever see that surprises them?",
            ],
            rubric: [
              "States R + W > N for the strong path (3 + 3 > 5) and why a quorum read alone is not enough for a compare-and-set: two claims can both read 'free'; a consensus round orders them.",
              "Explains PACELC: even with no partition, the strong path pays latency (else consistency) and the profile path chooses latency; during a partition, claims choose consistency and profiles availability.",
              "Adds session guarantees for profiles: read-your-writes with a token (the write's HLC timestamp) that a replica must have applied before answering, monotonic reads by staying on one replica or the same token.",
              "Explains convergence: anti-entropy with Merkle trees and hinted handoff bring every copy to the same value; the tie rule must be a total order (HLC, then node id), never 'keep the local value'.",
            ],
          },
          wrapUp: {
            prompts: ["Sum up: what did you trade, and what would you watch?"],
            rubric: [
              "Restates the split: profiles local and eventual (14 ms p99 at the server), claims strong across regions (about 350 ms p99), each sized per region for a neighbour's failover.",
              "Names the trades: strong everywhere would put 80–170 ms on every read and double the reads; eventual everywhere would grant one username twice.",
              "Says how it degrades: a region lost moves its users to the nearest region (83% of the API there), claims still have a majority but slower ones.",
              "Says what to monitor: replication lag per region pair, conflicts resolved by last-writer-wins, claim p99 per region, the majority's health per shard.",
            ],
          },
        },
        followUps: [
          {
            question:
              "A user in Frankfurt changes their profile photo, reloads, and sees the old one. How can that happen, and how do you stop it?",
            answer:
              "Their write was acknowledged by one replica and replicated on asynchronously; the reload read a copy that had not applied it yet: another replica in eu-west, or another region if their request was routed elsewhere (a failover, a roaming phone). That is replication lag meeting a read that is allowed to be stale. Read-your-writes fixes it without making every read strong: the write returns its version (the hybrid logical clock timestamp) and the client keeps it as a session token; a replica asked with a token it has not reached yet waits briefly for replication or forwards the read to one that has (the user's home region). Other users may still see the old photo for the lag's few hundred milliseconds, which is fine. Monotonic reads use the same token: never answer with a version older than one the session has seen.",
          },
          {
            question: "Why not make every operation strong and stop worrying?",
            answer:
              "Because the cost is paid on every request, partition or not: that is PACELC's else-branch. A strong get must hear from a majority, which always includes another region: 80 ms from us-east, 170 ms from Tokyo, against a 20 ms objective. It also asks two copies instead of one, doubling the profiles' reads: at 300k a second the nodes go from 50% to 110%. And during a partition the minority side could not read profiles at all. Profiles tolerate a few hundred milliseconds of staleness; claims do not tolerate a duplicate. Ask per operation, and put operations with different answers in different stores, because a store's reads only overlap the writes it was written with.",
          },
          {
            question:
              "Two claims for the same username arrive at once, one in us-east and one in Tokyo. Walk through what happens.",
            answer:
              "A quorum read followed by a quorum write is not enough: both could read 'free' from overlapping majorities before either writes, and both writes would succeed. The claim is a compare-and-set, so it needs consensus per key: Paxos (as Cassandra's lightweight transactions: prepare with a ballot, read, propose, commit) or a Raft leader per shard that orders them. Both proposals need 3 of the 5 replicas; any two majorities share a replica, which promises to the higher ballot and refuses the other, so exactly one claim wins and the loser retries and sees the name taken. Latency: us-east's claim completes in about two rounds to eu-west, 160 ms; Tokyo's in two rounds to us-east, 340 ms, longer under contention when a ballot is refused.",
          },
          {
            question:
              "The same cart is edited on a phone in one region and a laptop in another within a second. What does the user end up with?",
            answer:
              "With last-writer-wins, the edit with the larger hybrid logical clock timestamp (then node id, to break ties) replaces the other: an item added on the phone can vanish when the laptop's write wins. Every replica picks the same winner, so they converge, but an edit is lost silently. The seed's tie rule, keep the local value when timestamps are equal, is worse: two regions each keep their own and never converge. For a cart, merge instead of choosing: an OR-set CRDT keeps both additions and honours a removal only of the adds it saw, so concurrent add and remove of different items both survive. Keep last-writer-wins for fields where one value must win, like a display name.",
          },
          {
            question: "us-east is lost at peak. What happens to each operation?",
            answer:
              "Its 40% of users are routed to the nearest region left, eu-west, 80 ms further from them. eu-west's 15 API servers take 248k requests a second, 83% of what they serve, and its profile nodes read for both regions, 85%: carried, because each region was sized for that. Profiles written in us-east and not yet replicated are unavailable until it returns (and lost if it never does): asynchronous replication's price. Claims still have a majority, 2 in eu-west and 1 in Tokyo, so they go on, but every majority now includes Tokyo: from eu-west each round is 220 ms, a claim about 440 ms, and us-east's displaced users add their 80 ms, about 520 ms, past the 500 ms asked until us-east returns. Had 3 of the 5 claim replicas been in us-east, claims would stop entirely.",
          },
        ],
      },
    },
  ],
});
