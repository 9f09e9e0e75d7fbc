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
  reason: "a call costs O(1) whatever the number of keys; a scan of every key grows about 10× here",
};

export default defineChapter({
  title: "Rate limiting",
  summary:
    "Protect a service from bursts and abuse: token bucket, fixed window, sliding log and sliding counter, their exact guarantees, and what each costs per key.",
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
            "dropping expired entries is O(1) amortized per call; copying the log on every call grows about 10× here",
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
  ],
});
