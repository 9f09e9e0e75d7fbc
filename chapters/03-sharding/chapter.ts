import { defineChapter } from "../../grader/manifest/define.ts";

// ratios are learner ÷ reference, measured in the same process on the same workload
const throughput = {
  min: 0.3,
  reason: "a sound design runs within 2× of the reference; the rest is room for noise on 2 shared cores",
};
const p99 = {
  max: 20,
  reason:
    "no call here has occasional work to do: a per-call sort or copy costs 100× a lookup, while another process taking the core costs a timed batch up to 10×",
};
const growth = {
  max: 3,
  reason: "a binary search grows by about a third from 10× the entries; a linear scan grows about 10×",
};

export default defineChapter({
  title: "Sharding",
  // the specs took 2.5–20 s each on a 2-core machine shared with a dozen other processes: room to spare
  limits: { timeMs: 40_000 },
  summary:
    "Split data that outgrows one machine: vertical and horizontal partitioning, federation, hash and range partitioning, hot keys, resharding, consistent and rendezvous hashing.",
  worksheet: [
    {
      id: "shards-for-data",
      prompt:
        "A {data} TB dataset goes onto machines that hold {per_shard} TB each, filled to at most {fill}% so that growth and rebalancing have room. How many shards, in whole shards?",
      given: { data: "30 TB", per_shard: "2 TB", fill: "70%" },
      unit: "shard",
      tolerance: "10%",
      explanation:
        "The data divided by what one shard may hold at the target fill, rounded up: 30 TB ÷ 1.4 TB is 21.4, so 22 shards.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { data: ["2 TB", "500 TB"], per_shard: ["0.5 TB", "16 TB"], fill: ["50%", "80%"] },
    },
    {
      id: "modulo-keys-moved",
      prompt:
        "{total_keys} keys are placed with hash(key) mod 4. A fifth shard is added, and placement becomes hash(key) mod 5. How many keys move to another shard?",
      given: { total_keys: "1B key", shards_before: "4", shards_after: "5" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "A key stays only when h mod 4 equals h mod 5, which holds for the residues 0–3 of every 20: one key in five. Going from n to n + 1 shards moves n/(n + 1) of the keys.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { total_keys: ["10M key", "10B key"] },
    },
    {
      id: "ring-keys-moved",
      prompt:
        "The same {total_keys} keys sit on a consistent hash ring of 4 nodes with many vnodes each. A fifth node joins. About how many keys move?",
      given: { total_keys: "1B key", shards_after: "5" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "Only the keys the new node takes over move, and they all move to it: its fair share, 1/(n + 1) of the keys. Four times fewer than with modulo.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { total_keys: ["10M key", "10B key"] },
    },
    {
      id: "doubling-moved",
      prompt: "With hash(key) mod N, what share of the keys move when you double from 4 to 8 shards?",
      given: { shards_before: "4", shards_after: "8" },
      unit: "%",
      tolerance: "10%",
      explanation:
        "When the new count is a multiple of the old, a key stays only if h mod 8 < 4: half of them. Doubling is the cheapest modulo resize, and it still moves half the data.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "hot-shard-rate",
      prompt:
        "{total_rate} req/s are spread over {shard_count} shards by key, except that one celebrity key draws {hot_share}% of all requests. How many requests a second reach the celebrity's shard?",
      given: { total_rate: "200k req/s", shard_count: "20", hot_share: "15%" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "Its fair share of the other 85% (8,500 req/s) plus all of the celebrity's 30,000 req/s: 38,500 req/s, 4.5 times an ordinary shard. More shards do not help: the hot key stays on one.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { total_rate: ["10k req/s", "1M req/s"], shard_count: ["4", "100"], hot_share: ["2%", "30%"] },
    },
    {
      id: "hot-key-split",
      prompt:
        "Each shard can serve {shard_limit} req/s. Into how many sub-keys, each on its own shard, must the celebrity key be split so that no shard goes over?",
      given: { total_rate: "200k req/s", shard_count: "20", hot_share: "15%", shard_limit: "15k req/s" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "A shard already carries 8,500 req/s of ordinary traffic, leaving 6,500 req/s of room. 30,000 req/s ÷ 6,500 is 4.6: split into 5 sub-keys (key#0 … key#4).",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { shard_limit: ["10k req/s", "30k req/s"] },
    },
    {
      id: "ring-memory",
      prompt:
        "A consistent hash ring has {node_count} nodes with {vnodes} vnodes each. Every point stores a 4-byte position and a 4-byte node index. How much memory does the ring take?",
      given: { node_count: "500", vnodes: "200", point_size: "8 B" },
      unit: "kB",
      tolerance: "10%",
      explanation:
        "Points times bytes each: 100,000 points × 8 B. Under a megabyte: every client can hold the whole ring and route without asking anyone.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { node_count: ["10", "5000"], vnodes: ["16", "1000"] },
    },
    {
      id: "vnodes-for-balance",
      prompt:
        "With v vnodes per node, the load per node varies by about 1/√v (relative standard deviation). For a {target}% spread, how many entries does the ring of {node_count} nodes hold?",
      given: { target: "5%", node_count: "50" },
      unit: "entry",
      tolerance: "10%",
      explanation:
        "1/√v = 5% gives v = 400 vnodes per node, so 20,000 entries for 50 nodes. Halving the spread takes four times the vnodes.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { target: ["2%", "10%"], node_count: ["10", "1000"] },
    },
    {
      id: "scatter-gather-tail",
      prompt:
        "A query fans out to all {fanout} shards and waits for every answer. Each shard answers slower than its p99 on 1% of requests, independently. What share of queries wait on at least one slow answer?",
      given: { fanout: "20", slow_each: "1%" },
      unit: "%",
      tolerance: "10%",
      explanation:
        "A query is fast only if all 20 answers are: 0.99^20 = 81.8%. So 18.2% of queries see a shard's tail latency: a fan-out's median is its shards' p99.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { fanout: ["5", "200"] },
    },
  ],
  katas: [
    {
      id: "consistent-hash-ring",
      title: "Consistent hash ring",
      difficulty: 2,
      file: "consistent-hash-ring.ts",
      hints: [
        "Keep every point as (position, node, index) in one array sorted in ring order: by position, then node id, then index. A lookup is a binary search for the first position ≥ hash32(key).",
        "When the search runs off the end of the array, the key wraps around to point 0. A key exactly on a point's position belongs to that point: search for the first position ≥ the hash, not >.",
        "Two points can share a position. Do not index points by position in a Map: a second node overwrites the first, and removing either deletes both. Keep both in the array, ordered by node id.",
        "addNode: build the node's weight × vnodes points, sort them, and merge them into the sorted array (or concatenate and sort again). removeNode: filter out the node's points. nodesFor: walk on from the key's index, wrapping, skipping nodes already listed.",
      ],
      budgets: { throughput, p99, growth },
    },
    {
      id: "rendezvous-hashing",
      title: "Rendezvous hashing",
      difficulty: 1,
      file: "rendezvous-hashing.ts",
      hints: [
        "nodeFor is a loop over the nodes keeping the best score. There is no ring and nothing to keep sorted: adding or removing a node is a Map operation.",
        'Hash the node and the key as one string: node + ":" + key. Hashing each once and combining them with XOR or + looks cheaper, but the scores of different nodes are then related and a few nodes win most keys.',
        "With weights, score = weight / −ln(u). Multiplying u (or the hash) by the weight does not give shares in proportion to the weights: two nodes of weight 2 and 1 would split 75/25, not 67/33.",
        "nodesFor: score every node once, sort by score (highest first, ties by id), take the first count. The owner is then nodesFor(key, 1)[0], and every replica list extends the shorter ones.",
      ],
      budgets: { throughput, p99 },
    },
    {
      id: "range-partitioner",
      title: "Range partitioner",
      difficulty: 2,
      file: "range-partitioner.ts",
      hints: [
        "Keep the ranges in an array sorted by start, each with its stored keys (a Map of key → bytes) and its reads (a Map of key → count) and their totals. route is a binary search for the last start ≤ key.",
        "Ends are exclusive: a key equal to a boundary belongs to the range that starts there. A split at `at` moves every key ≥ at (including `at` itself) to the new right-hand range, with its bytes and reads.",
        "A merge must extend the left range to the right range's end; otherwise the keys between them belong to no range. After any change, range i's end must equal range i + 1's start.",
        "For a split point, sort the range's keys, walk them adding up bytes (or reads) of the keys before the current one, and stop at the first key, after the first, where that sum reaches half the total. Put both halves back on a work list: one split may not be enough.",
      ],
      budgets: { throughput, p99, growth },
    },
    {
      id: "design-kv-store",
      title: "Design: a sharded key-value store with a cache",
      difficulty: 2,
      file: "design-kv-store.ts",
      hints: [
        "Size the store twice, as the estimate does: by its disk (30 TB, three copies, each node 70% full at most) and by its requests (the reads the cache misses and every write, which each replica of a shard applies). Take the larger.",
        "A cache answers its hit ratio only if it holds the hot data: 5% of 30 TB is 1.5 TB, so count its nodes by memory before you count them by requests.",
        "Three replicas of each shard, one in each zone: losing a zone loses no data and leaves two copies to serve reads.",
        "Row counts do not size a store: 22 shards by disk, 6 by writes; the disk binds.",
      ],
      budgets: {},
      // the chapter's estimate: 30 TB in three years, 60k writes a second; reads assumed 5 a write
      design: {
        workload: {
          data: "30 TB",
          peak_writes: "60k write/s",
          reads_per_write: "5",
          hot_share: "5%",
        },
        flows: {
          read: { rate: "peak_writes * reads_per_write", p99: "20 ms" },
          write: { rate: "peak_writes", p99: "50 ms" },
        },
        availability: "99.95%",
        // the interviewer's constraint, at list prices (design/cost.ts)
        budget: "50k USD/month",
        storage: "data",
        // the estimate's 30 TB is the dataset three years out
        retention: "3 year",
        workingSet: "data * hot_share",
        // a celebrity's profile: the hottest key takes 1% of the reads, ten times that in the drill
        hotKeys: { read: "1%" },
        drills: ["zone-loss", "cold-cache", "hot-key"],
      },
      // npm run interview -- kv-store: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design a key-value store for our services: get and put by key, about 30 TB within three years and 60k writes a second at peak. What do you want to know before you draw anything?",
            ],
            rubric: [
              "Asks what outgrows one machine: the data, the write rate (one primary takes every write) or the reads, and whether one key or tenant is far bigger than the rest.",
              "Asks how the data is read: by one key, by a range in key order, or across keys; the answer picks hash or range partitioning.",
              "Asks which operations must stay on one machine (a transaction over two keys), so that the shard key keeps them together.",
              "Asks for the read rate (assumed here: 5 reads a write, 300k a second), the latency targets (20 ms reads, 50 ms writes at p99), the availability (99.95%) and whether a zone may fail.",
              "Asks how the cluster changes: machines are added as the data grows and fail, so rebalancing must be online and move as little as possible.",
            ],
          },
          estimate: {
            prompts: ["How many machines does it take, and which resource decides? Size the cache in front of it too."],
            rubric: [
              "Sizes by disk: 30 TB over 2 TB servers filled to 70% is 21.4, so 22 shards.",
              "Sizes by writes: 60k a second over 10k durable commits a primary is 6 shards; takes the larger, 22, and says the disk binds.",
              "Counts the copies: a primary and two replicas per shard, 66 servers.",
              "Sizes the cache by the hot data, not by the request rate: 5% of 30 TB is 1.5 TB, about 32 nodes of 64 GB filled to 75% (chapter 02).",
              "Does not shard for a row count: 100M rows of 1 kB is 100 GB, one server's disk.",
            ],
          },
          design: {
            prompts: [
              "Draw the system. How does a get or a put find the machine that holds its key, and where does the cache sit?",
            ],
            rubric: [
              "Splits the rows by a shard key (horizontal partitioning) that spreads, is in most requests and never changes; vertical partitioning and federation stop at the largest table.",
              "Cuts the key space into more partitions than servers (say 1,024 on 22 shards), so that growing moves whole partitions.",
              "Routes in the client library from a cached, versioned shard map (or a proxy, or a directory, with their costs); a shard that no longer owns a partition says so, and the client refreshes.",
              "Replicates each shard three times, one copy in each zone, with failover from the primary to a replica.",
              "Puts a cache-aside tier in front for reads, which earns its hit ratio only by holding the hot data.",
            ],
          },
          deepDive: {
            prompts: ["Let's go deep on placement: how does a key map to a shard, and what happens when you add one?"],
            rubric: [
              "Says why hash mod N fails: N to N + 1 shards moves N/(N + 1) of the keys, 80% from 4 to 5 (800 GB of 1B keys of 1 kB, nearly two hours of a saturated 1 Gbit/s link).",
              "Consistent hashing: a key goes to the first point clockwise, and a new node takes 1/(N + 1) of the keys, all from its successors.",
              "Virtual nodes: with one point a node the busiest of four gets about 52% of the keys; the spread falls as 1/√v, 400 points a node for 5%.",
              "Knows the alternatives and when each wins: rendezvous hashing (its top k are a replica set), fixed slots (Redis Cluster's 16,384), ranges for range scans, with a hot end for keys that arrive in order.",
              "Reshards online: copy a snapshot, stream the changes since, bump the map's version, turn away stale routes, delete the old copy last.",
            ],
          },
          wrapUp: {
            prompts: [
              "We have a few minutes left. Sum up your design: what did you trade, and what would you watch in production?",
            ],
            rubric: [
              "Restates what binds (the disk: 22 shards, 66 servers) and what would change that.",
              "Names the trade: hashing buys balance and gives up order; ranges keep order, and must split, merge and watch for a hot end.",
              "Says how failures degrade it: a shard's keys during a failover, never the whole store; a lost zone leaves two copies of every shard.",
              "Names the next problems: hot keys, queries without the shard key (with 20 shards, 18% of fan-out queries wait on some shard's p99), transactions across shards.",
              "Says what to monitor: each shard's load and disk fill, the cache's hit ratio, each hop's p99, replication lag.",
            ],
          },
        },
        followUps: [
          {
            question: "A cache node dies. What happens to the store behind it?",
            answer:
              "Only that node's keys miss, if the cache places keys by consistent hashing: its share of the hot data (1/32 with 32 nodes) moves, cold, to its successors. At 300k reads a second and a 90% hit ratio the store sees 30k; losing one of 32 nodes adds 270k / 32 ≈ 8.4k a second until those keys are loaded again, so the store needs that room. Coalesce misses per key (single flight), so a hot key costs one load and not thousands: chapter 02's 20k reads a second of one key over a 200 ms rebuild are 4,000 copies of one query. With hash mod N the same failure would move nearly every key, and the whole cache would go cold.",
          },
          {
            question: "The whole cache tier restarts cold. What load reaches the store, and what do you do about it?",
            answer:
              "Every read: 300k a second instead of the 30k it sees at a 90% hit ratio, ten times as much. Over 66 nodes (22 shards × 3 copies) that is about 4.5k reads a second each, on top of the 2.7k writes each node applies (60k over 22 shards, and every copy applies every write). Do not let it arrive at once: warm the cache before it takes traffic (the hot keys from the access log, or a persistence snapshot, which makes a restart warm), bring the traffic on gradually, coalesce misses per key, and shed what the store cannot take rather than let it fall over.",
          },
          {
            question: "We lose a whole zone. What still works, and where does the load go?",
            answer:
              "With one copy of each shard in each of the three zones, every shard keeps two copies: no data is lost, and writes that need two of three copies still succeed. A shard whose primary was in the lost zone fails over to a replica, its keys unavailable for the seconds that takes. The 44 store nodes left take the reads, and the cache has lost a third of its nodes: until their keys are loaded again the store sees the 10% misses plus a third of the 90% hits, 30k + 90k = 120k reads a second, about 2.7k a node besides the writes. Every tier must carry the peak on two thirds of its machines.",
          },
          {
            question: "One key draws 15% of 200k requests a second. How do you stop a hot key?",
            answer:
              "Adding shards does nothing for one key. Over 20 shards the average shard takes 10k a second; the hot key's shard takes its 8.5k of ordinary traffic plus the key's 30k, 38.5k, 3.85 times the average. If the key is write-hot (a counter, a like count), salt it into k sub-keys on different shards, a write to one at random and a read summing all k: each shard has 15k − 8.5k = 6.5k of room, so k = 30k / 6.5k = 4.6, rounded up to 5. If it is read-hot, replicate it to k shards and read one at random, or cache it, in process for a second or two. Range partitioning cannot split one key: report it rather than split forever.",
          },
          {
            question: "You need a 23rd shard. How much data moves, and how do clients keep finding their keys?",
            answer:
              "With consistent or rendezvous hashing the new shard takes its fair share, 1/23 of the keys (about 1.3 TB of 30 TB), all of it to the new shard and none between old ones; hash mod N would move 22/23 of them. With 1,024 partitions, whole partitions move one at a time: copy a snapshot, stream the changes made since, let the new shard catch up to within seconds, then bump the shard map's version so that the partition points at the new shard. A client routing with the old version is told the partition moved, refreshes its map and retries; the old copy is deleted once no reader is left.",
          },
        ],
      },
    },
  ],
});
