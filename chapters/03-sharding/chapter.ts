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
        "A 30 TB dataset goes onto machines that hold 2 TB each, filled to at most 70% so that growth and rebalancing have room. How many shards, in whole shards?",
      given: { data: "30 TB", per_shard: "2 TB", fill: "70%" },
      unit: "shard",
      tolerance: "10%",
      explanation:
        "The data divided by what one shard may hold at the target fill, rounded up: 30 TB ÷ 1.4 TB is 21.4, so 22 shards.",
    },
    {
      id: "modulo-keys-moved",
      prompt:
        "1B keys are placed with hash(key) mod 4. A fifth shard is added, and placement becomes hash(key) mod 5. How many keys move to another shard?",
      given: { total_keys: "1B key", shards_before: "4", shards_after: "5" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "A key stays only when h mod 4 equals h mod 5, which holds for the residues 0–3 of every 20: one key in five. Going from n to n + 1 shards moves n/(n + 1) of the keys.",
    },
    {
      id: "ring-keys-moved",
      prompt:
        "The same 1B keys sit on a consistent hash ring of 4 nodes with many vnodes each. A fifth node joins. About how many keys move?",
      given: { total_keys: "1B key", shards_after: "5" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "Only the keys the new node takes over move, and they all move to it: its fair share, 1/(n + 1) of the keys. Four times fewer than with modulo.",
    },
    {
      id: "doubling-moved",
      prompt: "With hash(key) mod N, what share of the keys move when you double from 4 to 8 shards?",
      given: { shards_before: "4", shards_after: "8" },
      unit: "%",
      tolerance: "10%",
      explanation:
        "When the new count is a multiple of the old, a key stays only if h mod 8 < 4: half of them. Doubling is the cheapest modulo resize, and it still moves half the data.",
    },
    {
      id: "hot-shard-rate",
      prompt:
        "200,000 req/s are spread over 20 shards by key, except that one celebrity key draws 15% of all requests. How many requests a second reach the celebrity's shard?",
      given: { total_rate: "200k req/s", shard_count: "20", hot_share: "15%" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "Its fair share of the other 85% (8,500 req/s) plus all of the celebrity's 30,000 req/s: 38,500 req/s, 4.5 times an ordinary shard. More shards do not help: the hot key stays on one.",
    },
    {
      id: "hot-key-split",
      prompt:
        "Each shard can serve 15,000 req/s. Into how many sub-keys, each on its own shard, must the celebrity key be split so that no shard goes over?",
      given: { total_rate: "200k req/s", shard_count: "20", hot_share: "15%", shard_limit: "15k req/s" },
      unit: "key",
      tolerance: "10%",
      explanation:
        "A shard already carries 8,500 req/s of ordinary traffic, leaving 6,500 req/s of room. 30,000 req/s ÷ 6,500 is 4.6: split into 5 sub-keys (key#0 … key#4).",
    },
    {
      id: "ring-memory",
      prompt:
        "A consistent hash ring has 500 nodes with 200 vnodes each. Every point stores a 4-byte position and a 4-byte node index. How much memory does the ring take?",
      given: { node_count: "500", vnodes: "200", point_size: "8 B" },
      unit: "kB",
      tolerance: "10%",
      explanation:
        "Points times bytes each: 100,000 points × 8 B. Under a megabyte: every client can hold the whole ring and route without asking anyone.",
    },
    {
      id: "vnodes-for-balance",
      prompt:
        "With v vnodes per node, the load per node varies by about 1/√v (relative standard deviation). For a 5% spread, how many entries does the ring of 50 nodes hold?",
      given: { target: "5%", node_count: "50" },
      unit: "entry",
      tolerance: "10%",
      explanation:
        "1/√v = 5% gives v = 400 vnodes per node, so 20,000 entries for 50 nodes. Halving the spread takes four times the vnodes.",
    },
    {
      id: "scatter-gather-tail",
      prompt:
        "A query fans out to all 20 shards and waits for every answer. Each shard answers slower than its p99 on 1% of requests, independently. What share of queries wait on at least one slow answer?",
      given: { fanout: "20", slow_each: "1%" },
      unit: "%",
      tolerance: "10%",
      explanation:
        "A query is fast only if all 20 answers are: 0.99^20 = 81.8%. So 18.2% of queries see a shard's tail latency: a fan-out's median is its shards' p99.",
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
        workingSet: "data * hot_share",
        // a celebrity's profile: the hottest key takes 1% of the reads, ten times that in the drill
        hotKeys: { read: "1%" },
        drills: ["zone-loss", "cold-cache", "hot-key"],
      },
    },
  ],
});
