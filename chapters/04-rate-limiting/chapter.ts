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
        "A site with {online} users online at peak runs {checks} rate-limit checks a second. How many requests a second does each online user make?",
      given: { checks: "500k req/s", online: "1M user" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "Checks a second divided by the users online. Check any given number against the story it tells.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { checks: ["10k req/s", "5M req/s"], online: ["100k user", "50M user"] },
    },
    {
      id: "counter-memory",
      prompt:
        "{active} users each need a counter of {counter} bytes (user id, count, timestamp). How much memory do the counters take?",
      given: { active: "10M user", counter: "50 B/user" },
      unit: "MB",
      tolerance: "10%",
      explanation: "Users times bytes each. Memory is not the hard part of a rate limiter; throughput is.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { active: ["100k user", "1B user"], counter: ["20 B/user", "100 B/user"] },
    },
    {
      id: "redis-primaries",
      prompt:
        "The same {checks} checks a second go to Redis, where one primary runs about {per_primary} short scripts a second. At least how many primaries, in whole servers?",
      given: { checks: "500k req/s", per_primary: "150k req/s" },
      unit: "server",
      tolerance: "10%",
      explanation: "The check rate divided by what one primary does, rounded up: 3.33 primaries is 4 servers.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { checks: ["10k req/s", "5M req/s"], per_primary: ["50k req/s", "200k req/s"] },
    },
    {
      id: "bucket-first-minute",
      prompt:
        "A token bucket holds {capacity} tokens and refills {refill} a second. Starting full, at most how many requests can a client get through in its first minute?",
      given: { capacity: "100 req", refill: "10 req/s" },
      unit: "req",
      tolerance: "10%",
      explanation: "The whole bucket at once, then the refill for the rest of the minute: capacity + rate × t.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { capacity: ["10 req", "1000 req"], refill: ["1 req/s", "100 req/s"] },
    },
    {
      id: "fixed-window-burst",
      prompt:
        "A fixed window allows {limit} requests a minute. At most how many requests can a client get through within two seconds?",
      given: { limit: "100 req" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "The limit at the end of one window and again at the start of the next: twice the limit within moments.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { limit: ["10 req", "10000 req"] },
    },
    {
      id: "tier-rate",
      prompt: "A basic tier allows {tier} requests an hour. What is that as a rate in requests a second?",
      given: { tier: "1000 req/hour" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "An hour is 3,600 s: one request every 3.6 s.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { tier: ["100 req/hour", "100k req/hour"] },
    },
    {
      id: "sliding-log-memory",
      prompt:
        "A sliding window log keeps one 8-byte timestamp per allowed request, up to {per_user} per user, for {users_tracked} users. How much memory, raw?",
      given: { users_tracked: "1M user", per_user: "100 entry/user", timestamp: "8 B/entry" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "Users times entries times bytes. As Redis sorted sets, 100 entries a key fit the compact listpack encoding, about 21 bytes an entry (2.6 times raw); past 128 entries a key becomes a skiplist, about 100 bytes an entry.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { users_tracked: ["100k user", "100M user"], per_user: ["10 entry/user", "1000 entry/user"] },
    },
    {
      id: "leaky-bucket-minute",
      prompt:
        "A leaky bucket queues up to {queue} requests and lets {leak} a second through. Clients offer {offered} a second for a minute. About how many are admitted?",
      given: { queue: "10 req", leak: "10 req/s", offered: "20 req/s" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "The queue fills, then the leak rate sets the pace: the queue plus 10 a second. The leaky bucket of Complete System Design Interview Solutions admitted 10 in all: it never leaked.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { queue: ["5 req", "100 req"], leak: ["2 req/s", "15 req/s"], offered: ["20 req/s", "100 req/s"] },
    },
    {
      id: "regions-overshoot",
      prompt:
        "{regions} regions each run their own limiter allowing a user {limit} requests a minute, with no coordination. At most how many requests a minute can one user get through?",
      given: { regions: "3", limit: "1000 req" },
      unit: "req",
      tolerance: "10%",
      explanation: "Each region grants the full limit: the user gets the limit times the number of regions.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { regions: ["2", "8"], limit: ["100 req", "10000 req"] },
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
      id: "redis-rate-limiter",
      title: "Lab: a sliding-window limiter on Redis",
      difficulty: 2,
      file: "redis-rate-limiter.ts",
      needs: ["redis"],
      hints: [
        "One sorted set per key: each allowed request is a member scored by its time. ZREMRANGEBYSCORE key -inf (now - windowMs) drops what has left the window (a score exactly windowMs old goes), ZCARD counts what is left.",
        "Do the count and the add in one Lua script: ZREMRANGEBYSCORE, ZCARD, and only if the count is under the limit ZADD and PEXPIRE key windowMs; return {allowed, remaining}. Two round trips (read, then write) let 200 clients all read the same count.",
        "The member must differ for every request, or two in the same millisecond collapse into one: the time plus an id of the limiter and a counter. redis.defineCommand(name, { numberOfKeys: 1, lua }) gives you a method that sends EVALSHA and loads the script again on NOSCRIPT.",
        "Pass the key through KEYS (the client prefixes it; the lab's user may touch nothing else) and the time, window, limit and member through ARGV.",
      ],
      // the work is the server's: one redis-server shared by both, rounds alternated
      budgets: {
        throughput: { min: 0.4, reason: "one script per request runs within 2.5× of the reference" },
        p99: { max: 5, reason: "a request that takes two round trips or a script that scans the set shows here" },
      },
      limits: { timeMs: 60_000 },
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
      // npm run interview -- api-rate-limiter: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design rate limiting for our public API. Every call passes one of many API gateways. What do you ask before you design anything?",
            ],
            rubric: [
              "Asks who is limited, by what key: a user, an API key, an IP (everyone behind one NAT shares it), an endpoint, or several at once.",
              "Asks what the limit means: any 60-second span (sliding) or each calendar minute (fixed), and whether bursts are fine while the average holds.",
              "Asks whether the limit is per server or global across the gateways, which decides where the state lives.",
              "Asks what a rejected caller gets: 429 with Retry-After and X-RateLimit-Remaining, a queue, or a soft limit that only logs.",
              "Asks the non-functional needs: a check well under a millisecond, and whether to fail open or closed when the limiter's store is down.",
            ],
          },
          estimate: {
            prompts: [
              "10M active users, 1M of them at peak, and 500k API calls a second at peak. How much state does the limiter keep, and how much work does it do?",
            ],
            rubric: [
              "Counts a check on every call, 500k a second, and checks the number against the story: 0.5 calls a second per concurrent user.",
              "Finds memory small: 50 B of counter a user is 500 MB for 10M users, about 1.5 GB as Redis hashes, one machine's memory.",
              "Finds throughput the problem: one Redis core runs about 150k short scripts a second (assumed), so 500k needs 3.33 cores: at least 4 shards, 8 with headroom for peaks and failover.",
              "Knows the algorithm sets the memory: a token bucket is two numbers a key; a sliding log of 100 a window is about 2.1 GB per million keys in Redis, of 1,000 about 102 GB (past the listpack's 128 entries).",
            ],
          },
          design: {
            prompts: ["Where does the limiter sit, and what exactly happens on one check?"],
            rubric: [
              "In the API gateway (or a sidecar), after authentication so that it can key on the user, before routing and anything expensive.",
              "The counters in Redis, sharded by key, so that a check is one round trip to one shard.",
              "The whole check is one Lua script: read, decide and write atomically, on the store's clock (TIME), never the gateway's.",
              "The rules (limits per tier, endpoint and dimension) cached in the gateways and refreshed.",
              "The answer: 429 Too Many Requests with Retry-After (when this request would be allowed) and X-RateLimit-Remaining.",
            ],
          },
          deepDive: {
            prompts: [
              "Pick the algorithm for a per-user limit of 100 requests a minute and defend it: what does it guarantee, and what does it keep per key?",
            ],
            rubric: [
              "Token bucket: at most capacity + rate × t over any t, two numbers a key, refilled lazily keeping the fraction (rounding it away starves a client that polls faster than one token's worth of time).",
              "Fixed window: the cheapest, but a client can spend its limit at the end of one window and again at the start of the next, 2 × limit within milliseconds.",
              "Sliding log: exact in every window (t − W, t], up to limit timestamps a key; rejected requests are not logged.",
              "Sliding window counter: previous × (1 − elapsed/W) + current, three numbers a key, at most 2 × limit in the worst case and close to the limit under random traffic: the usual choice at scale.",
              "Justifies the choice by the product: bursts or none, exactness, memory for 10M users.",
            ],
          },
          wrapUp: {
            prompts: ["Sum up: what did you trade, and what would you watch once it runs?"],
            rubric: [
              "Names the trade: accuracy costs memory or round trips, global limits cost latency, local limits cost accuracy.",
              "States the failure policy per route: fail closed before a fragile backend, fail open and alert before a robust one.",
              "Mentions regions: independent limiters in 3 regions allow 3 × the limit unless each has a share.",
              "Says what to monitor: rejections per rule, the script's latency, each shard's load (8 shards take 62.5k checks a second each, 42% of a core).",
            ],
          },
        },
        followUps: [
          {
            question: "Redis is down or unreachable. What does the gateway do with the next call?",
            answer:
              "It decides per route, not globally. In front of a fragile backend, or an upstream that bills per call, it fails closed and rejects; in front of a robust service it fails open, lets calls through and alerts, so that an outage of the limiter does not become an outage of the API. Keep the check's timeout short (a call has 20 ms at p99 in all), and give each shard a replica in another zone, so that losing a node is a failover, not an outage: the few counters an asynchronous replica had not yet received only let some clients briefly over their limit.",
          },
          {
            question:
              "One global limit, 50,000 calls a minute for all clients together, is checked on every call. How do you stop this hot key?",
            answer:
              "It is one key on one shard: all 500k checks a second would land on a single Redis core that runs about 150k scripts a second. Split it into N sub-counters with limit/N each, a check picking one (by gateway, or at random): with 8 sub-counters on 8 shards each takes 62.5k checks a second, 42% of a core, and allows 6,250 calls a minute. Or lease allowances: each gateway takes a slice of the global quota and spends it locally, one round trip per slice instead of per call. Both give up a little accuracy near the limit.",
          },
          {
            question: "Your gateways' clocks disagree by two seconds. Does that change anyone's limit?",
            answer:
              "It must not. Refill and windows are computed from the store's clock, read inside the Lua script (redis.call('TIME')), and the gateway sends nothing time-like. A gateway that sent its own time, 2 s behind, would compute a negative refill and drain the key's tokens, or count a request in a window that has already closed. The same rule covers a clock that steps back: a token bucket whose now is before its last update neither drains nor adds tokens.",
          },
          {
            question:
              "A user is limited by user id, IP and API key at once, and two gateways check the same user at the same moment. What can go wrong?",
            answer:
              "Two things. A read, a decision in the gateway and a write, interleaved between two gateways, let both spend the last token: make the check one atomic step, a Lua script (or INCR and a decision from its result). And checking the dimensions one after another, spending as you go, charges the user's quota for a call that the IP limit then rejects: decide on every dimension first, then spend on all of them, in one script. Four sequential INCRs are also four round trips, about 2 ms at 0.5 ms each, against 0.5 ms for one script.",
          },
          {
            question: "We now run in three regions, each with its own limiter. Is the limit still 100 a minute?",
            answer:
              "No: three independent limiters that each allow the full limit allow up to 3 × the limit, 300 a minute, to a client that spreads its calls over the regions. Either give each region a share of the quota (a third each, or shares that follow the traffic), or keep one global counter and pay a cross-region round trip on every call (a central limiter 40 ms away is twice the call's 20 ms budget), or accept the overshoot in exchange for local latency and surviving a partition. Say which one the product can live with.",
          },
        ],
      },
    },
  ],
});
