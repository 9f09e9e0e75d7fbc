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
const growth = {
  max: 3,
  reason: "a call costs O(1) whatever the number of keys; a scan of every key grows about 40× from 100 keys to 5,000",
};

export default defineChapter({
  title: "Rate limiting",
  summary:
    "Protect a service from bursts and abuse: token bucket, fixed window, sliding log and sliding counter, their exact guarantees, and what each costs per key.",
  worksheet: [
    {
      id: "checks-per-user",
      prompt:
        "A site with 1M users online at peak runs 500,000 rate-limit checks a second. How many requests a second does each online user make?",
      given: { checks: "500k req/s", online: "1M user" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "Checks a second divided by the users online. Check any given number against the story it tells.",
    },
    {
      id: "counter-memory",
      prompt:
        "10M users each need a counter of 50 bytes (user id, count, timestamp). How much memory do the counters take?",
      given: { active: "10M user", counter: "50 B/user" },
      unit: "MB",
      tolerance: "10%",
      explanation: "Users times bytes each. Memory is not the hard part of a rate limiter; throughput is.",
    },
    {
      id: "redis-primaries",
      prompt:
        "The same 500,000 checks a second go to Redis, where one primary runs about 150,000 short scripts a second. At least how many primaries, in whole servers?",
      given: { checks: "500k req/s", per_primary: "150k req/s" },
      unit: "server",
      tolerance: "10%",
      explanation: "The check rate divided by what one primary does, rounded up: 3.33 primaries is 4 servers.",
    },
    {
      id: "bucket-first-minute",
      prompt:
        "A token bucket holds 100 tokens and refills 10 a second. Starting full, at most how many requests can a client get through in its first minute?",
      given: { capacity: "100 req", refill: "10 req/s" },
      unit: "req",
      tolerance: "10%",
      explanation: "The whole bucket at once, then the refill for the rest of the minute: capacity + rate × t.",
    },
    {
      id: "fixed-window-burst",
      prompt:
        "A fixed window allows 100 requests a minute. At most how many requests can a client get through within two seconds?",
      given: { limit: "100 req" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "The limit at the end of one window and again at the start of the next: twice the limit within moments.",
    },
    {
      id: "tier-rate",
      prompt: "A basic tier allows 1,000 requests an hour. What is that as a rate in requests a second?",
      given: { tier: "1000 req/hour" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "An hour is 3,600 s: one request every 3.6 s.",
    },
    {
      id: "sliding-log-memory",
      prompt:
        "A sliding window log keeps one 8-byte timestamp per allowed request, up to 100 per user, for 1M users. How much memory, raw?",
      given: { users_tracked: "1M user", per_user: "100 entry/user", timestamp: "8 B/entry" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "Users times entries times bytes. As Redis sorted sets, 100 entries a key fit the compact listpack encoding, about 21 bytes an entry (2.6 times raw); past 128 entries a key becomes a skiplist, about 100 bytes an entry.",
    },
    {
      id: "leaky-bucket-minute",
      prompt:
        "A leaky bucket queues up to 10 requests and lets 10 a second through. Clients offer 20 a second for a minute. About how many are admitted?",
      given: { queue: "10 req", leak: "10 req/s", offered: "20 req/s" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "The queue fills, then the leak rate sets the pace: the queue plus 10 a second. The leaky bucket of Complete System Design Interview Solutions admitted 10 in all: it never leaked.",
    },
    {
      id: "regions-overshoot",
      prompt:
        "Three regions each run their own limiter allowing a user 1,000 requests a minute, with no coordination. At most how many requests a minute can one user get through?",
      given: { regions: "3", limit: "1000 req" },
      unit: "req",
      tolerance: "10%",
      explanation: "Each region grants the full limit: the user gets the limit times the number of regions.",
    },
  ],
  katas: [
    {
      id: "token-bucket",
      title: "Token bucket",
      difficulty: 1,
      file: "token-bucket.ts",
      hints: [
        "Per key you need two numbers: the tokens left and when you last updated them. On each call, first add (now − then) × refillPerSecond / 1000 tokens, capped at capacity.",
        "Keep the fraction. Rounding the refill down and then moving the timestamp to now throws the fraction away, so a client that calls faster than one token's worth of time never gets a token back.",
        "retryAfterMs is ⌈(cost − tokens) ÷ tokens-per-ms⌉. Floats drift by about 1e-15, so compare with a small epsilon such as 1e-9 when deciding whether the tokens are there.",
        "A Map keeps insertion order: delete and re-set a key each time you use it, and the longest-idle keys sit at the front. Drop them from the front while they have been idle long enough.",
      ],
      budgets: { throughput, p99, growth },
    },
    {
      id: "fixed-window",
      title: "Fixed window counter",
      difficulty: 1,
      file: "fixed-window.ts",
      hints: [
        "A window is a number: Math.floor(now / windowMs). Keep per key the window you counted in and the count; a different window means the count starts over.",
        "Windows are aligned to multiples of windowMs for every key, not started by a key's first request, so every client's quota resets at the same instant.",
        "A rejected request does not count. retryAfterMs is the time to the next window boundary: (window + 1) × windowMs − now.",
      ],
      budgets: { throughput, p99, growth },
    },
    {
      id: "sliding-window-log",
      title: "Sliding window log",
      difficulty: 2,
      file: "sliding-window-log.ts",
      hints: [
        "Keep, per key, the time and cost of each allowed request, oldest first, and a running sum of their costs.",
        "An entry at time s is inside the window at time t when s > t − windowMs. One exactly windowMs old has left the window.",
        "Drop expired entries from the front, with shift() or a head index you advance. Rebuilding the log on every call with filter() or slice() copies all of it: O(limit) per call.",
        "When rejecting, walk from the oldest entry, adding up what would be freed, until the request fits: that entry's time + windowMs − now is retryAfterMs.",
      ],
      budgets: {
        throughput,
        p99,
        growth: {
          max: 3,
          reason:
            "a call is O(1) amortized however long the log and however many keys: copying the log grows about 20× from 200 entries to 5,000, a scan of every key about 40× from 100 keys to 5,000",
        },
      },
    },
    {
      id: "sliding-window-counter",
      title: "Sliding window counter",
      difficulty: 2,
      file: "sliding-window-counter.ts",
      hints: [
        "Keep per key two counts, the current aligned window's and the previous one's, and which window the current one is.",
        "The estimate is previous × (1 − elapsed ÷ windowMs) + current, where elapsed is how far now is into the current window. Allow when estimate + cost ≤ limit.",
        "When the window moves on by one, the current count becomes the previous; when it moves on by two or more, both are zero.",
        "For retryAfterMs, solve previous × (1 − f) + current + cost ≤ limit for the fraction f of the window; if the current count alone is too high, solve it in the next window, where the current count becomes the previous.",
      ],
      budgets: { throughput, p99, growth },
    },
    {
      id: "design-api-rate-limiter",
      title: "Design: rate limiting for an API gateway",
      difficulty: 2,
      file: "design-api-rate-limiter.ts",
      hints: [
        "Every API call is checked, so the limiter takes the whole peak: 500k checks a second. One Redis core runs about 150k short scripts a second (the chapter's assumption): that is the capacity of one shard.",
        "A check is a write (the counter changes), so it goes to the key's shard, and every replica of the shard applies it: the load on a node is the checks over the shards, whatever the replicas. Four shards run at 83%; you need more.",
        "Give each shard a replica in another zone, so that losing a zone loses no counters, and spread the gateways so that two zones carry the peak under 100%.",
        "The check sits on every request's path: keep the limiter in the gateways' region, a fraction of a millisecond away, not in a central region 40 ms off.",
      ],
      budgets: {},
      // the chapter's estimate: 500k checks a second at peak, 150k scripts a second per Redis core
      design: {
        workload: {
          checks: "500k req/s",
          active: "10M user",
          redis_key: "150 B/user",
        },
        flows: {
          call: { rate: "checks", p99: "20 ms" },
        },
        availability: "99.95%",
        // one heavy API client: 1% of the checks on its key, ten times that in the drill
        hotKeys: { call: "1%" },
        drills: ["zone-loss", "hot-key"],
      },
    },
  ],
});
