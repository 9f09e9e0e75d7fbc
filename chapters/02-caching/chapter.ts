import { defineChapter } from "../../grader/manifest/define.ts";

// ratios are learner ÷ reference, measured in the same process on the same workload
const throughput = {
  min: 0.3,
  reason: "a sound O(1) design runs within 2× of the reference; the rest is room for noise on 2 shared cores",
};
const p99 = {
  max: 5,
  reason: "a call must not stall: GC pauses hit both alike, a per-call scan or copy shows up here first",
};
// get hands out a promise: young-generation collections land in some timed batches and not others
const p99Async = {
  max: 8,
  reason: "gets allocate promises, so collections make the slowest batches vary; a per-call scan goes far past this",
};
const growth = {
  max: 3,
  reason:
    "a call costs O(1) whatever the number of entries; work that grows with them (a loop over the entries, a copy, a sort) grows about 10× here",
};
// the LRU's own: its usual O(n) is not a loop the learner wrote, but a Map kept in order of use
const lruThroughput = {
  min: 0.3,
  reason:
    "a sound O(1) design runs within 2× of the reference; far below it, some call's work grows with the entries held (the growth test says which)",
};
const lruGrowth = {
  max: 3,
  reason:
    "a call costs O(1) whatever the number of entries. Something in yours grows with them: a loop, indexOf or splice on an array of keys, or a Map kept in order of use whose oldest key comes from keys().next(). That iterator walks past every slot that deletes left empty at the front of the Map's table, more of them the more entries there are: chapters/02-caching/README.md#lru-least-recently-used",
};

export default defineChapter({
  title: "Caching",
  // each spec times about 2M calls in its load tests; on a 2-core machine busy with other work that took
  // up to 15 s of wall time for the reference, so the default 20 s would leave too little room
  limits: { timeMs: 40_000 },
  summary:
    "Keep hot data close: local and global caches, cache-aside and the write policies, LRU and LFU eviction, TTLs and invalidation, stampedes and request coalescing.",
  worksheet: [
    {
      id: "hot-set-memory",
      prompt:
        "A catalog has {catalog} products; each cached product takes about {object_size} kB with its key and overhead. {hot_share}% of the products get 80% of the views. How much memory caches the hot {hot_share}%?",
      given: { catalog: "50M object", object_size: "1 kB/object", hot_share: "20%" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "Distinct objects times the hot share times the size of each. Size a cache from the objects it must hold, never from the request rate.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        catalog: ["1M object", "1B object"],
        object_size: ["0.2 kB/object", "10 kB/object"],
        hot_share: ["5%", "30%"],
      },
    },
    {
      id: "database-reads-at-99",
      prompt:
        "A read path serves {traffic} reads a second. At a 90% hit rate the database gets 10% of them. The hit rate rises to {hit_rate}%. How many reads a second reach the database now?",
      given: { traffic: "100k req/s", hit_rate: "99%" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "Only misses reach the database: traffic × (1 − hit rate). From 90% to 99% the misses fall from 10% to 1% of the traffic: ten times less load for nine points of hit rate.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { traffic: ["1k req/s", "1M req/s"], hit_rate: ["95%", "99%"] },
    },
    {
      id: "average-read-latency",
      prompt:
        "A cache hit takes {cache_rtt} ms. A miss asks the cache ({cache_rtt} ms), then the database ({db_read} ms). At a {hit_rate}% hit rate, what is the average read latency?",
      given: { cache_rtt: "0.5 ms", db_read: "10 ms", hit_rate: "90%" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "Weight each path by how often it is taken, and charge a miss for the cache lookup too: 0.9 × 0.5 + 0.1 × 10.5. The 10% of misses are 70% of the average.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { cache_rtt: ["0.2 ms", "2 ms"], db_read: ["3 ms", "50 ms"], hit_rate: ["70%", "98%"] },
    },
    {
      id: "redis-memory",
      prompt:
        "A Redis instance holds {stored} keys: {key_size}-byte keys, {value_size}-byte values, and about 60 bytes of overhead per key (dictionary entry, object headers, expiry). How much memory does it need?",
      given: { stored: "100M object", key_size: "30 B/object", value_size: "200 B/object", overhead: "60 B/object" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "Count the overhead with the data: here it is a fifth of the total, and with small values it can be more than the data itself.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        stored: ["1M object", "1B object"],
        key_size: ["10 B/object", "100 B/object"],
        value_size: ["20 B/object", "5000 B/object"],
      },
    },
    {
      id: "cache-nodes",
      prompt:
        "A cache tier must hold {dataset} GB. Each node has {ram} GB of RAM, filled to at most {fill}% (fragmentation, snapshots, growth). How many nodes does it take, before replicas?",
      given: { dataset: "600 GB", ram: "64 GB", fill: "75%" },
      unit: "server",
      tolerance: "10%",
      explanation:
        "The data divided by what one node may hold, rounded up: 600 ÷ 48 is 12.5, so 13 nodes. A replica of each doubles it.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { dataset: ["100 GB", "10000 GB"], ram: ["16 GB", "512 GB"], fill: ["50%", "85%"] },
    },
    {
      id: "stampede-queries",
      prompt:
        "A hot key is read {rate} times a second. When it expires, rebuilding it takes a {rebuild} ms database query. Without request coalescing, how many requests reach the database before the first rebuild lands?",
      given: { rate: "20k req/s", rebuild: "200 ms" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "Every request in the gap misses and rebuilds: rate × rebuild time. With single flight it is 1 query; with stale-while-revalidate nobody even waits for it.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["1k req/s", "200k req/s"], rebuild: ["20 ms", "2000 ms"] },
    },
    {
      id: "cold-start-loads",
      prompt:
        "{fleet} app servers each keep a local cache of the {hot_objects} hottest objects. After a deploy restarts all of them, how many objects must be loaded from the database to warm the local caches?",
      given: { fleet: "20", hot_objects: "100k object" },
      unit: "object",
      tolerance: "10%",
      explanation:
        "Every instance warms its own copy: N times the loads (and N times the memory) of one shared cache, which needs 100,000.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { fleet: ["5", "200"], hot_objects: ["10k object", "1M object"] },
    },
    {
      id: "write-back-loss",
      prompt:
        "A write-back cache takes {rate} writes a second. Dirty keys are flushed at most {interval} s after their first write, and a flush takes up to {flush_time} ms to be acknowledged. At most how many acknowledged writes can a crash lose?",
      given: { rate: "5000 write/s", interval: "2 s", flush_time: "500 ms" },
      unit: "write",
      tolerance: "10%",
      explanation:
        "Everything the store has not acknowledged: the dirty window plus the batch in flight, 2.5 s of writes. Coalescing makes the lost keys fewer, not the lost writes.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["500 write/s", "100k write/s"], interval: ["0.5 s", "10 s"], flush_time: ["50 ms", "1000 ms"] },
    },
    {
      id: "node-bandwidth",
      prompt:
        "Each node of a distributed cache serves {throughput} operations a second on {value_size} kB values. How much network bandwidth does one node need?",
      given: { throughput: "1M op/s", value_size: "1 kB/op" },
      unit: "Gbit/s",
      tolerance: "10%",
      explanation:
        "Bytes a second times 8 bits: 1 GB/s is 8 Gbit/s, a 10 GbE link per node before any replication traffic. And 1M operations a second is more than one plain Redis core does.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { throughput: ["10k op/s", "2M op/s"], value_size: ["0.1 kB/op", "10 kB/op"] },
    },
  ],
  katas: [
    {
      id: "lru-cache",
      title: "LRU cache with TTL",
      difficulty: 1,
      file: "lru-cache.ts",
      hints: [
        "A Map finds an entry by key in O(1). You also need the entries in order of use, with O(1) moves from anywhere in that order: which structure lets you unlink an element from the middle in O(1)?",
        "A doubly linked list through the entries: each holds its key, value, expiry, prev and next. Keep the most recently used at one end and evict from the other; the Map points from each key to its node.",
        "A sentinel node that closes the list into a ring (its next is the most recent entry, its prev the least) removes every null check. For the TTL keep expiresAt = now + ttlMs (Infinity for none), and in get, has and delete remove an entry with expiresAt ≤ now before anything else.",
        "Tempting, and O(n) in V8: re-insert a key into a Map on every hit to keep the Map in order of use, and evict map.keys().next(). Deleted slots pile up at the front of the table and every keys().next() walks over them again: the growth test sees it.",
      ],
      budgets: { throughput: lruThroughput, p99, growth: lruGrowth },
    },
    {
      id: "lfu-cache",
      title: "LFU cache in O(1)",
      difficulty: 2,
      file: "lfu-cache.ts",
      hints: [
        "Scanning every entry for the lowest count is O(n). Group the entries by count instead: what do you need to find the lowest count, and the oldest entry in it, in O(1)?",
        "One list per count, its entries least recently used first. A use moves an entry from its count's list to the end of the list for count + 1; the victim is the first entry of the lowest count's list.",
        "Keep the count lists themselves in a doubly linked list ordered by count, and unlink a list the moment it is empty. The lowest count is then always the first list, and count + 1 is the next list or a new one inserted right after the current.",
        "A new key belongs in the list for count 1: the first list if its count is 1, otherwise a new list inserted in front. Not whatever list happens to be first.",
      ],
      budgets: { throughput, p99, growth },
    },
    {
      id: "single-flight-loader",
      title: "Single-flight loader",
      difficulty: 2,
      file: "single-flight-loader.ts",
      hints: [
        "Keep two maps: the cached entries (value, freshUntil, staleUntil) and the loads in flight (key → promise). A miss returns the load in flight if there is one, and only otherwise calls load.",
        "When a load ends, it may fill the cache only if it is still the key's load in flight: compare the promise in the map with your own. invalidate() and set() delete the load from the map, so an older load finds it gone.",
        "A rejected load must leave the map (so the next get tries again) and fill nothing. A background refresh has no caller to reject: catch its error, or Node reports an unhandled rejection.",
        "XFetch: store δ, the clock time the load took, with the value. On a fresh hit with beta > 0, if now − δ × beta × Math.log(1 − random()) ≥ freshUntil, start a background refresh (unless a load is in flight) and still answer with the cached value.",
      ],
      budgets: { throughput, p99: p99Async, growth },
    },
    {
      id: "write-back-cache",
      title: "Write-back cache (and write-through)",
      difficulty: 2,
      file: "write-back-cache.ts",
      hints: [
        "Keep every value in one Map, the dirty keys in a Set, and dirtySince: the time the Set went from empty to one key. A flush is due when the Set holds maxDirty keys or now − dirtySince ≥ flushAfterMs.",
        "A flush takes the dirty Set as its batch and empties it (and resets dirtySince) at once, so a key written during the flush is dirty again. Keep the flush's promise in a field: while it is set, no other flush starts.",
        "On a failed write, put the batch's keys back in the dirty Set (their values in the Map are already the newest) and set dirtySince to the older of the two times. In get, after the store answers, look in the Map again before storing the store's answer.",
        "WriteThroughCache.set is two lines: await store.write([[key, value]]), then put the value in the Map. If the await throws, the Map was never touched.",
      ],
      budgets: { throughput, p99: p99Async, growth },
    },
  ],
});
