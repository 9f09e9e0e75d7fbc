import { defineChapter } from "../../grader/manifest/define.ts";

// ratios are learner ÷ reference, measured in the same process on the same workload
const p99 = {
  max: 8,
  reason:
    "a timed batch lasts about a millisecond, so one preemption on a busy machine moves it several times over; a call that stalls goes far past this",
};

export default defineChapter({
  title: "IDs and a URL shortener",
  summary:
    "A URL shortener end to end, and the ids behind it: base62 codes, ranges from a central counter, Snowflake, UUID v7 and ULID, redirects that cache or count, and how long each keyspace lasts.",
  worksheet: [
    {
      id: "write-rate",
      prompt: "A URL shortener creates {created} short links a day. What is the average rate of creation?",
      given: { created: "100M url/day" },
      unit: "url/s",
      tolerance: "10%",
      explanation: "A day has 86,400 seconds: 1M a day is about 11.6 a second, so 100M a day is about 1,160.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { created: ["1M url/day", "1B url/day"] },
    },
    {
      id: "read-rate",
      prompt:
        "A URL shortener creates {created} short links a day, and redirects outnumber creations {read_ratio} to 1. What is the average redirect rate?",
      given: { created: "100M url/day", read_ratio: "100" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "The write rate times the read:write ratio. Peaks run a few times higher; say which factor you use.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { created: ["1M url/day", "1B url/day"], read_ratio: ["10", "500"] },
    },
    {
      id: "storage-five-years",
      prompt:
        "Each link takes {link_size} bytes: code, long URL, owner, timestamps. At {created} new links a day, how much storage do {horizon} years of links need, before replication?",
      given: { created: "100M url/day", link_size: "500 B/url", horizon: "5 year" },
      unit: "TB",
      tolerance: "10%",
      explanation:
        "50 GB a day, 18.25 TB a year, 91 TB in five years: a few machines' worth, about 274 TB with three replicas.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        created: ["1M url/day", "1B url/day"],
        link_size: ["200 B/url", "2000 B/url"],
        horizon: ["1 year", "10 year"],
      },
    },
    {
      id: "keyspace-seven",
      prompt: "How many distinct codes do {width} characters of base62 (0-9, A-Z, a-z) give?",
      given: { alphabet: "62", width: "7" },
      unit: "url",
      tolerance: "10%",
      explanation: "Each position takes one of 62 characters: 62^7, about 3.5 trillion.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { width: ["5", "10"] },
    },
    {
      id: "keyspace-years",
      prompt: "At {created} new links a day, how many years do the 7-character codes last?",
      given: { created: "100M url/day", codes: "62^7 url" },
      unit: "year",
      tolerance: "10%",
      explanation:
        "3.5 trillion codes at 36.5 billion a year: about 96 years. Six characters would last 1.6 years, eight about 6,000.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { created: ["1M url/day", "1B url/day"] },
    },
    {
      id: "hex-prefix-days",
      prompt:
        "A design takes the first 7 hex characters of the long URL's MD5 as its code. Ignoring collisions, after how many days at {created} links a day is every code taken?",
      given: { created: "100M url/day" },
      unit: "day",
      tolerance: "10%",
      explanation:
        "Hex has 16 characters, not 62: 16^7 is 268M codes, gone in under three days. Collisions start long before: half a chance of one by about 19,000 links.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { created: ["1M url/day", "1B url/day"] },
    },
    {
      id: "hot-link-cache",
      prompt:
        "Most clicks go to links created in the last {window} days. At {created} new links a day, how much memory caches the hottest {hot_share}% of the last {window} days' links, at {link_size} bytes each?",
      given: { created: "100M url/day", window: "7 day", hot_share: "20%", link_size: "500 B/url" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "Links in the window times the hot share times the entry size: 140M entries, 70 GB, one Redis cluster of a few nodes.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        created: ["1M url/day", "1B url/day"],
        window: ["3 day", "14 day"],
        hot_share: ["5%", "50%"],
        link_size: ["200 B/url", "2000 B/url"],
      },
    },
    {
      id: "snowflake-lifetime",
      prompt:
        "A Snowflake id keeps 41 bits of milliseconds since its custom epoch. How many years after the epoch does the field run out?",
      given: { field: "2^41 ms" },
      unit: "year",
      tolerance: "10%",
      explanation:
        "2^41 ms is 2.2 × 10^12 ms, 69.7 years: an epoch of 2020 lasts until 2089. Unix time in the same field would run out in 2039.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "ids-per-worker",
      prompt:
        "A Snowflake worker has 12 sequence bits per millisecond. At most how many ids a second can it issue (one op per id)?",
      given: { sequence_bits: "12" },
      unit: "op/s",
      tolerance: "10%",
      explanation: "2^12 = 4,096 ids a millisecond, 1,000 milliseconds a second: about 4.1M a second per worker.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "ulid-lifetime",
      prompt: "A ULID starts with 48 bits of Unix milliseconds. How many years does that field cover?",
      given: { field: "2^48 ms" },
      unit: "year",
      tolerance: "10%",
      explanation:
        "2^48 ms is about 8,900 years (8,919 Julian years): it runs out in the year 10889. System Design Interview Guide gave 10889 as the number of years.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
  ],
  katas: [
    {
      id: "base62",
      title: "Base62 codes",
      difficulty: 1,
      file: "base62.ts",
      hints: [
        "Work in bigint from the start: check the value, convert it with BigInt(value), then take digits off the bottom with n % 62n and n / 62n, and reverse them.",
        "ALPHABET[d] is the character of digit d: 0-9 come first, then A-Z, then a-z. That is also ASCII order, which is why codes of one width sort like their numbers.",
        'Zero has one digit, "0": loop with do … while, or handle it first. Check the code is not longer than the width, then pad with padStart(width, "0").',
        "For decode, build a table from character code to digit (−1 for every other character) once, and throw a RangeError naming the character when a lookup gives −1. indexOf returns −1 without complaint.",
      ],
      budgets: {
        throughput: {
          min: 0.3,
          reason: "bigint digits dominate for both; a number fast path is welcome, a string rebuilt per digit is not",
        },
        p99,
      },
    },
    {
      id: "snowflake",
      title: "Snowflake ids",
      difficulty: 2,
      file: "snowflake.ts",
      hints: [
        "Keep two numbers: the elapsed milliseconds of the last id and its sequence. Compose with bigints: (BigInt(elapsed) << 22n) | (BigInt(workerId) << 12n) | BigInt(sequence).",
        "elapsed is clock.now() − epochMs. In the same millisecond as the last id the sequence goes up by one; in a later one it starts at 0. At 4,095 in the same millisecond, sleepUntil(epochMs + last + 1).",
        "Make the checks a loop: read the clock; behind the last id by more than maxBackwardsMs, throw ClockMovedBackwardsError; behind by less, sleepUntil(epochMs + last); at a full millisecond, sleep to the next; otherwise leave the loop. Read the clock again after every sleep.",
        "In parseSnowflake, mask while the id is still a bigint, Number((id >> 12n) & 1023n): Number(id >> 12n) is above 2^53 and comes back rounded.",
      ],
      budgets: {
        throughput: {
          min: 0.2,
          reason:
            "an id is a few bigint operations, a few dozen ns: timing that short swings 3× on a busy machine; an id built from strings or arrays is 10× slower",
        },
        p99,
      },
    },
    {
      id: "id-range-allocator",
      title: "Id ranges from a central counter",
      difficulty: 1,
      file: "id-range-allocator.ts",
      hints: [
        "The allocator loads the counter once and keeps it in memory. allocate(): start = next, end = start + blockSize, next = end, await store.save(end), and only then return { start, end }.",
        "Run allocations one at a time: chain each on the previous (queue = queue.then(...)), with the chain's errors swallowed so one failed save does not block the rest. Then there is never more than one save in flight.",
        "The pool keeps a cursor and an end, both bigints. take() returns cursor++ while cursor < end, else undefined. next() loops: take(), and when that gives undefined, await the shared fetch and try again.",
        "The shared fetch: fetching ??= source.allocate().then(set the block).finally(() => { fetching = undefined }). Clearing it in finally, not only on success, lets the next call try again after a failure.",
      ],
      budgets: {
        throughput: {
          min: 0.3,
          reason: "take() is a compare and an increment for both; anything more per id shows up at once",
        },
        p99,
      },
    },
    {
      id: "design-url-shortener",
      title: "Design: a URL shortener",
      difficulty: 2,
      file: "design-url-shortener.ts",
      hints: [
        "Start from the estimate: 347k redirects and 3.5k creations a second at peak. Divide each component's share of that by what one instance serves: that is how many you need at 70%.",
        "Redirects are reads by key, most of them of a few hot links: a cache in front of the store answers 90% of them, if its memory holds the 70 GB of hot links. The store then sees a tenth of the reads and every write.",
        "The store is sized twice: by its requests (reads over shards × replicas, writes over shards) and by its disk (ten years of links, times the replicas). Take the larger.",
        "Spread every component over the three zones, with at least two instances (two replicas), and keep what nobody waits for (the click events) off the redirect's path: async.",
      ],
      budgets: {},
      // the chapter's estimate: ten years of links, redirects a hundred times the creations
      design: {
        workload: {
          created: "100M url/day",
          read_ratio: "100",
          peak_factor: "3",
          link_size: "500 B/url",
          retention: "10 year",
          hot_links: "70 GB",
        },
        flows: {
          redirect: { rate: "created * read_ratio * peak_factor", p99: "50 ms" },
          create: { rate: "created * peak_factor", p99: "200 ms" },
        },
        availability: "99.9%",
        // the interviewer's constraint: at list prices (design/cost.ts), most of it is the links' disks
        budget: "120k USD/month",
        storage: "created * link_size * retention",
        retention: "retention",
        workingSet: "hot_links",
        // a link gone viral: the hottest takes a thousandth of the redirects, ten times that in the drill
        hotKeys: { redirect: "0.1%" },
        drills: ["zone-loss", "cold-cache", "hot-key"],
      },
      // npm run interview -- url-shortener: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: ["Design a URL shortener, like bit.ly. What do you ask before you draw anything?"],
            rubric: [
              "Pins down the functions: create a short link, redirect it; asks about custom aliases, expiry, editing or deleting, click statistics.",
              "Asks the scale: here 100M new links a day, 100 redirects per creation, links kept for years.",
              "Asks about the code: as short as possible, URL-safe, and must it be unguessable (sequential codes let anyone enumerate every link)?",
              "Says the redirect is the product: fast (a few milliseconds at the server) and more available than creation, which can be down for ten minutes at little cost.",
              "Asks what the same URL twice gives: the existing code (a lookup by long URL, an index as big as the table) or a new one (simpler; most shorteners mint a new one).",
            ],
          },
          estimate: {
            prompts: ["100M new links a day. Work out the rates, the storage and the cache."],
            rubric: [
              "Writes: 1,157 creations a second on average, 3,472 at peak (3 times); one primary could take that, so the hard part is unique codes on many servers.",
              "Reads: 115.7k redirects a second on average, 347k at peak, each a lookup by key: a cache's job.",
              "Storage at 500 B a link: 50 GB a day, 18.25 TB a year, 182.5 TB in ten years, 547.5 TB with three replicas: a sharded key-value store.",
              "The cache holds the distinct hot links: 20% of a week's 700M links is 70 GB, not the 1 TB that '20% of a day's reads' counts.",
              "The code's width: 7 base62 characters are 3.52 trillion codes, about 96 years at this rate; 6 would last 1.56 years.",
            ],
          },
          design: {
            prompts: ["Draw the system: the API, the data, the create path and the redirect path."],
            rubric: [
              "API: POST /links {url, alias?, expiresAt?} answers 201 {code}; GET /{code} answers a redirect with Location, or 404.",
              "Data: one table links(code PRIMARY KEY, long_url, owner_id, created_at, expires_at) in a key-value store sharded by code: every access by key, no joins.",
              "Create: the next id from the server's pool, base62 at width 7, a conditional put (insert only if absent).",
              "Redirect: the cache, then the store; check expiry; answer; emit a click event without waiting for it.",
              "Keeps custom aliases from colliding with generated codes: a separate space (another length, a character base62 never makes), or a failed put and the next id.",
            ],
          },
          deepDive: {
            prompts: ["Where does the short code come from? Go deep on making unique codes on many stateless servers."],
            rubric: [
              "Hashes and random codes need a collision check on every insert: 7 hex characters of a hash are 268M codes, gone in 2.68 days; random base62 codes have an even chance of a collision within 2.2M, about 32 minutes.",
              "A counter never collides: base62 in the order 0-9A-Za-z, padded to width 7, in bigints past 2^53.",
              "Ranges from a central counter: blocks of 1,000 ids, about one coordinator call a second for the whole fleet.",
              "The coordinator saves the counter before it answers and runs one save at a time; a crash loses a block (100 restarts a day lose 0.1% of ids) and never reuses one.",
              "Sequential codes are guessable: a keyed bijection of [0, 62^7) (a small Feistel network) before encoding hides the order.",
            ],
          },
          wrapUp: {
            prompts: ["Sum up your design: what did you trade, and what would break first as traffic grows?"],
            rubric: [
              "The redirect's status code: 301 saves traffic and loses the clicks; 302 counts every click and serves every redirect.",
              "The code's source: a counter (no collisions, shortest codes, a coordinator to run) against a hash or a random code (collisions to detect and retry).",
              "Analytics off the redirect's path: click events to a log (23.1 MB/s, 2 TB of raw events a day), aggregated per link per minute.",
              "The cache is what carries the read path; says what happens when it misses, and that the redirect stays up when creation does not.",
            ],
          },
        },
        followUps: [
          {
            question: "A cache node dies. What happens to the redirects, and to the store?",
            answer:
              "Redirects keep working, slower for some links. With the links placed on the cache nodes by consistent hashing, only the dead node's share of the 70 GB of hot links misses; those redirects read the store and are cached again on the node's successors. At peak, 347k redirects a second with 90% hits leave the store 34.7k reads; with the hot links on six nodes, losing one adds 312.5k / 6 ≈ 52k a second until they are loaded again, so the store needs that room (or each cache node a replica to fail over to). Coalesce misses per code, so that a popular link is loaded once, and keep the hottest few thousand links in a local cache on every API server, which takes most of the blow.",
          },
          {
            question: "How do the codes stay unique across a hundred stateless API servers?",
            answer:
              "They come from one counter, handed out in ranges. A coordinator keeps a durable counter and gives each server a block of ids, 1,000 at a time; the server encodes each id in base62 at width 7 and spends its block with no network call. At 1,157 creations a second the whole fleet calls the coordinator about once a second. The coordinator saves the new value before it answers (answer first and crash, and the same block goes out twice) and runs one save at a time (two in flight can land out of order and move the counter back). A server that crashes loses the rest of its block: 100 restarts a day lose 100k ids, 0.1% of a day's links. Gaps are free, duplicates are not; the conditional put catches any that slip through, such as a custom alias the counter reaches later.",
          },
          {
            question: "A link goes viral and draws a large share of all redirects. How do you stop a hot key?",
            answer:
              "One code lives on one cache shard and one store shard, however many there are. Cache it where the requests arrive: a local in-process cache of the hottest few thousand links on every API server answers it with no network hop. Further out, a 302 with a short Cache-Control max-age lets a CDN answer it at the edge, and the CDN's logs feed the click statistics. And never count clicks with an UPDATE per click on the link's row: that makes the hottest link the hottest row in the database; append a click event to the log and aggregate behind it.",
          },
          {
            question: "301 or 302 for the redirect? What does each cost you?",
            answer:
              "A 301 Moved Permanently is cached by browsers, often indefinitely: repeat clicks never reach you, which saves read traffic, but you lose those clicks and can no longer change, expire or take down the link for anyone who has it cached. A 302 Found (or 307) brings every click back: you can count it, expire the link, fix its target and remove a phishing link, at the price of serving every redirect. A shortener that sells click statistics needs a 302, or a 301 with a max-age of a minute or two; one that only shortens can let browsers cache a 301.",
          },
          {
            question: "Why not take the first 7 characters of the long URL's MD5, or draw a random code?",
            answer:
              "A hash printed in hex has 16 characters, not 62: 16^7 is 268M codes, used up in 2.68 days at 100M links a day, and collisions start long before. Random base62 codes collide early too: by the birthday bound there is an even chance that two of the first 2.2M are equal, about 32 minutes of traffic. Both need an insert that fails on a duplicate and a retry, more often as the space fills. A counter in base62 never collides and gives the shortest codes: 7 characters, 3.5 trillion codes, about 96 years at this rate. If codes must not be guessable, pass the counter through a keyed bijection of [0, 62^7) before encoding.",
          },
        ],
      },
    },
  ],
});
