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

export default defineChapter({
  title: "Resilience",
  summary:
    "Keep a partial failure partial: timeouts, retries with jitter and budgets, circuit breakers, bulkheads, load balancing and health checks.",
  worksheet: [
    {
      id: "layered-retries",
      prompt:
        "A request passes through {layers} services in a chain. Each calls the next with up to {attempts} attempts and no retry budget. The service at the bottom is down, and the top takes {incoming} requests a second. What rate reaches the bottom?",
      given: { incoming: "1000 req/s", attempts: "3", layers: "3" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "Each layer multiplies what it receives by its attempts: 3 × 3 × 3 = 27 calls per request at the bottom, in exactly the outage where it can least take them.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { incoming: ["100 req/s", "100k req/s"], attempts: ["2", "5"], layers: ["2", "5"] },
    },
    {
      id: "source-retries",
      prompt:
        "The retry helper of Enterprise System Design & Architecture makes a first attempt and up to 3 retries. Used in each of the same {layers} layers, what rate reaches the dead service at the bottom when the top takes {incoming} requests a second?",
      given: { incoming: "1000 req/s", retries: "3", layers: "3" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "3 retries are 4 attempts: 4³ = 64 calls per request. Count attempts, not retries, when you multiply.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { incoming: ["100 req/s", "100k req/s"], layers: ["2", "5"] },
    },
    {
      id: "budgeted-retries",
      prompt:
        "Instead, each layer has a retry budget: retries may add at most {budget}% to the requests it receives. Ignoring the budgets' small reserve, what rate reaches the dead service at the bottom of the {layers} layers when the top takes {incoming} requests a second?",
      given: { incoming: "1000 req/s", budget: "10%", layers: "3" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "Each layer adds at most 10%: 1.1³ = 1.331 calls per request, against 27 without budgets. The budget caps retries exactly when they stop helping.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { incoming: ["100 req/s", "100k req/s"], budget: ["5%", "20%"], layers: ["2", "5"] },
    },
    {
      id: "ten-percent-herd",
      prompt:
        "{clients} clients fail at the same moment and each retries after {base} s plus a random 0–10% of it, the jitter of Enterprise System Design & Architecture's retry helper. At what average rate do the retries arrive while they last?",
      given: { clients: "10000 req", base: "1 s", jitter: "10%" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "All of them land within 100 ms: 100,000 req/s. Full jitter, a uniform wait in [0, 1 s), spreads them over the whole second: 10,000 req/s, ten times lower.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { clients: ["1000 req", "1M req"], base: ["0.5 s", "10 s"] },
    },
    {
      id: "full-jitter-wait",
      prompt:
        "Retries use full jitter on a window of 100 ms that doubles each retry, capped at {cap} s. A call fails five times and retries each time. On average, how long does it spend waiting?",
      given: { base: "100 ms", cap: "1 s" },
      unit: "s",
      tolerance: "10%",
      explanation:
        "The windows are 100, 200, 400, 800 and 1,000 ms (the cap): 2.5 s in all. A uniform wait averages half its window: 1.25 s.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { cap: ["0.8 s", "1.6 s"] },
    },
    {
      id: "stuck-calls",
      prompt:
        "A service calls a dependency {rate} times a second with a timeout of {factor} times the dependency's p99 of {p99} ms. The dependency starts to hang on every call. How many calls are waiting on it at any moment?",
      given: { rate: "400 req/s", p99: "250 ms", factor: "2" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "Little's law: calls in flight = arrival rate × time each stays. A hung call stays for the whole timeout, 500 ms: 200 calls, each holding a thread, a connection or memory.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["50 req/s", "10k req/s"], p99: ["20 ms", "1000 ms"], factor: ["2", "4"] },
    },
    {
      id: "bulkhead-slots",
      prompt:
        "A service calls a dependency {rate} times a second, at independent moments; a healthy call takes {latency} ms on average. Little's law gives the mean number of calls in flight, and the count swings around that mean with a standard deviation of its square root (a Poisson count). How many slots must the bulkhead have to cover the mean plus 3 standard deviations, so that it almost never turns a call away while the dependency is healthy?",
      given: { rate: "300 req/s", latency: "80 ms", deviations: "3" },
      unit: "conn",
      tolerance: "10%",
      explanation:
        "Little's law gives the mean: 300 req/s × 0.08 s = 24 calls in flight. Bursts take it above that: √24 ≈ 4.9, so 24 + 3 × 4.9 ≈ 39 slots, exceeded 0.17% of the time. Sized at the mean, the bulkhead would be short 45% of the time; far above 39 it no longer protects anything.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["100 req/s", "2000 req/s"], latency: ["20 ms", "300 ms"] },
    },
    {
      id: "breaker-outage",
      prompt:
        "A dependency is down for {outage} s while its caller sends {rate} requests a second. The caller's breaker opens after about {before_open} failed calls, then lets {probes} probes through every 5 s. About how many calls reach the dead dependency?",
      given: {
        rate: "200 req/s",
        outage: "60 s",
        before_open: "100 req",
        probes: "3 req",
        open_period: "5 s",
      },
      unit: "req",
      tolerance: "10%",
      explanation:
        "The failures that open it, plus 3 probes for each of the 12 open periods: about 136, against 12,000 without a breaker.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        rate: ["50 req/s", "2000 req/s"],
        outage: ["30 s", "600 s"],
        before_open: ["20 req", "200 req"],
        probes: ["2 req", "5 req"],
      },
    },
    {
      id: "sequential-health",
      prompt:
        "The health checker of Enterprise System Design & Architecture runs its {checks} checks one after another, each with a {timeout} s timeout. When every dependency hangs, how long does one health report take?",
      given: { checks: "10", timeout: "5 s" },
      unit: "s",
      tolerance: "10%",
      explanation:
        "One timeout after another: 50 s, long after any prober has given up. Run in parallel, the report takes one timeout, 5 s.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { checks: ["3", "20"], timeout: ["1 s", "10 s"] },
    },
    {
      id: "round-robin-backlog",
      prompt:
        "Round robin spreads {rate} requests a second over {backends} backends. One of them can serve only {capacity} a second. How many requests are queued at it after a minute?",
      given: { rate: "100 req/s", backends: "5", capacity: "15 req/s" },
      unit: "req",
      tolerance: "10%",
      explanation:
        "Round robin sends it 20 a second whatever its speed: the queue grows by 5 a second, 300 after a minute, and each waits 20 s. Least connections would send it less.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["100 req/s", "1000 req/s"], backends: ["2", "5"], capacity: ["5 req/s", "15 req/s"] },
    },
  ],
  katas: [
    {
      id: "circuit-breaker",
      title: "Circuit breaker",
      difficulty: 2,
      file: "circuit-breaker.ts",
      hints: [
        "Keep three things apart: the state (closed, open, half-open), the rolling window of outcomes, and a generation number you bump on every transition.",
        "The window: a queue of (time, calls, failures), oldest first, with running totals. Drop from the front whatever is windowMs old before you add or decide. Filtering the whole window on every call is O(window).",
        "Decide to open only when a failure is recorded: calls in the window ≥ minimumCalls and failures ≥ threshold × calls (allow 1e-9 for float drift). In half-open, count the probes you let through, not those that answered.",
        "Each permit remembers the generation it was issued in and whether it has reported; a report from an older generation, or a second one, does nothing. Open → half-open happens lazily, in state(), once now − openedAt ≥ openMs.",
      ],
      budgets: {
        throughput,
        p99,
        growth: {
          max: 3,
          reason:
            "dropping expired outcomes from the front is O(1) amortized; rescanning the window grows about 10× here",
        },
      },
    },
    {
      id: "retry-policy",
      title: "Retry policy with jitter and a budget",
      difficulty: 1,
      file: "retry-policy.ts",
      hints: [
        "Split the decision from the loop: nextDelay answers 'wait this long, or give up' from the attempt number, the error and the time; execute just calls, asks, sleeps and calls again.",
        "Full jitter is random() × min(maxDelayMs, baseDelayMs × 2 ** (attempt − 1)). The wait can be anything from 0 up to the window, not the window plus a little.",
        "Order the checks in nextDelay: attempts left, retryable, draw the wait, the deadline (now + wait ≥ deadline gives up), and the budget last, so no retry is spent on a call that gives up anyway. The budget compares its balance with 1 − 1e-9.",
      ],
      budgets: {
        // no p99: a decision takes about 20 ns and allocates nothing, so a slow batch is the scheduler's, not yours
        throughput: {
          min: 0.3,
          reason: "a retry decision is a few comparisons and one draw; a sound one runs within 2× of the reference",
        },
      },
    },
    {
      id: "bulkhead",
      title: "Bulkhead",
      difficulty: 1,
      file: "bulkhead.ts",
      hints: [
        "Two counters and a queue: slots held, callers waiting, and the waiters themselves in arrival order, each with the resolve of its promise.",
        "On release, do not free the slot and wake the waiter: give the slot to the first waiter directly. Between the release and the waiter's code running, a synchronous newcomer would otherwise take it.",
        "A Set of waiters keeps arrival order and deletes in O(1): the first waiter is `const [first] = waiters`. A waiter whose signal aborts deletes itself and rejects; a granted one removes its abort listener. run() releases in a finally.",
      ],
      budgets: { throughput, p99 },
    },
    {
      id: "load-balancer",
      title: "Load balancer: four policies",
      difficulty: 2,
      file: "load-balancer.ts",
      hints: [
        "One record per backend: id, weight, healthy, in flight, current weight. pick() chooses by the policy, counts the choice in flight, and returns a lease whose release() (once) counts it out.",
        "Round robin and least connections share a cursor: the index after the last pick. Scan from it, wrapping around, skipping the unhealthy.",
        "Smooth weighted round robin: for each healthy backend, current += weight and total += weight; pick the largest current (the first on a tie); then the picked one's current −= total.",
        "Power of two choices: i = ⌊random() × n⌋, j = ⌊random() × (n − 1)⌋, and j++ if j ≥ i: two different indices, one draw each. Keep an array of the healthy indices, rebuilt in setHealthy, so a pick is O(1).",
      ],
      budgets: {
        throughput,
        p99,
        growth: {
          max: 3,
          reason:
            "round robin and two choices touch O(1) backends a pick; filtering the healthy list every pick grows about 10× here",
        },
      },
    },
    {
      id: "health-aggregator",
      title: "Health aggregator",
      difficulty: 1,
      file: "health-aggregator.ts",
      hints: [
        "Wrap each check in a promise that never rejects: it resolves with a result when run() settles or when the timer fires, whichever comes first, and cancels the timer in the first case.",
        "Start them all, then await Promise.all: the run takes as long as the slowest check or its timeout. A for loop with await inside takes the sum.",
        "Keep the promise of the run in flight and the last report. check(): a report younger than cacheMs answers at once; else the run in flight if there is one; else a new run whose end stores the report and forgets the promise.",
      ],
      budgets: {
        // growth only: a probe answered from the cache takes nanoseconds, and correct answers differ in kind
        // (an async return, Promise.resolve, a kept promise), so throughput and p99 against the reference
        // measured the JIT and the garbage collector; the spec times the learner against itself instead
        growth: {
          max: 3,
          reason:
            "a probe answered from a fresh report does no work per check; rebuilding the report per probe grows about 10× here",
        },
      },
    },
    {
      id: "pg-idempotent-payments",
      title: "Lab: idempotent payments on PostgreSQL",
      difficulty: 2,
      file: "pg-idempotent-payments.ts",
      needs: ["postgres"],
      hints: [
        "Two tables: idempotency_keys(key text PRIMARY KEY, request jsonb, status int, body jsonb) and payments(idempotency_key, charge_id, ...). The primary key is what makes a second request for the key wait or fail: a SELECT before an INSERT decides nothing, since two requests both see no row.",
        "Do it in one db.transaction: INSERT the key ON CONFLICT DO NOTHING, then charge, then INSERT the payment and UPDATE the key's row with the answer, then commit. A second INSERT of a key another transaction has inserted but not committed waits for that transaction: 31 retries queue on the first and read its answer once it commits.",
        "When the INSERT inserted nothing, the key was answered before: SELECT its row and compare the stored request with this one as jsonb (request = $2::jsonb compares values, not text, so the order of the fields does not matter); equal gives the stored status and body, different gives 422.",
        "A declined charge is an answer: store the 402 like a 201. A provider that throws lets db.transaction roll back, the key's row with it, so the next retry charges. Never delete the key after success: the next retry would find nothing and charge again.",
      ],
      // the work is the server's and a 5 ms processor's: one PostgreSQL shared by both, rounds
      // alternated; against itself the reference came out at 0.89× to 1.18×, busy or idle
      budgets: {
        throughput: {
          min: 0.4,
          reason: "payments on different keys run side by side; one at a time, behind one lock, they run 8× slower",
        },
        p99: { max: 5, reason: "a payment waits only for retries of its own key, never for other keys" },
      },
      // the spec pays thousands of times against a real server, and its load test runs 10 rounds
      limits: { timeMs: 120_000 },
    },
  ],
});
