import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Search and proximity",
  summary:
    "Finding things fast: typeahead on a trie with cached top-k, geohash cells and their neighbours, what a 3×3 block really covers, quadtrees against S2 and H3, matching the nearest driver without assigning one twice, and an inverted index ranked by BM25.",
  worksheet: [
    {
      id: "typeahead-keystrokes",
      prompt:
        "{searches} searches a day are typed at {keystrokes} characters each, and the client sends a suggestion request on every keystroke. What is the average request rate?",
      given: { searches: "10B query/day", keystrokes: "20 req/query" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "10^10 × 20 / 86,400 s = 2.31M requests a second on average, before any peak factor. Every keystroke is a round trip; most of them are superseded before the answer arrives.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { searches: ["100M query/day", "20B query/day"], keystrokes: ["10 req/query", "40 req/query"] },
    },
    {
      id: "typeahead-debounced",
      prompt:
        "The client of {searches} searches a day debounces instead: it sends a request only when typing pauses for 150 ms, on average {pauses} times per search (the seed's figure is 4). What is the average request rate now?",
      given: { searches: "10B query/day", pauses: "4 req/query" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "10^10 × 4 / 86,400 s = 463k requests a second: a fifth of one request per keystroke. The seed's '4 characters typed' is really this: requests per search after debouncing and a 2-character minimum.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { searches: ["100M query/day", "20B query/day"], pauses: ["2 req/query", "8 req/query"] },
    },
    {
      id: "trie-memory",
      prompt:
        "The trie keeps the {kept} most frequent queries, {depth} characters each, one node per character with no prefix shared (an upper bound), at {node_size} bytes a node. How much memory does it take?",
      given: { kept: "10M query", depth: "15 node/query", node_size: "100 B/node" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "10^7 × 15 × 100 B = 15 GB: one server's memory, so the whole trie can be replicated rather than sharded. Shared prefixes make the real node count smaller.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        kept: ["1M query", "100M query"],
        depth: ["8 node/query", "30 node/query"],
        node_size: ["50 B/node", "200 B/node"],
      },
    },
    {
      id: "topk-cache-memory",
      prompt:
        "Each of the trie's {trie_nodes} nodes caches its top {cached} completions as 8-byte references to the query strings. How much memory do the caches take?",
      given: { trie_nodes: "150M node", cached: "10 entry/node", reference: "8 B/entry" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "1.5 × 10^8 × 10 × 8 B = 12 GB: most of the 100 bytes a node was given. The caches trade memory for a lookup that walks only the prefix and never the subtree.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { trie_nodes: ["10M node", "1B node"], cached: ["5 entry/node", "20 entry/node"] },
    },
    {
      id: "geohash-cell-width",
      prompt:
        "A 5-character geohash is 25 bits, alternating from longitude: 13 halve the longitude range, 12 the latitude. How wide is its cell at the equator, in km? (The seed's table says ±2.4 km.) A degree is 111.19 km on a sphere of radius 6,371 km.",
      given: { lon_bits: "13", km_per_degree: "111.19 km" },
      unit: "km",
      tolerance: "10%",
      explanation:
        "360° / 2^13 = 0.0439° × 111.19 km = 4.89 km. The table's ±2.4 km is the error of the cell's centre: half the cell. A cell is twice the ± figure.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "geohash-width-at-latitude",
      prompt:
        "A 6-character geohash cell spans 360° / 2^15 of longitude, 1.22 km at the equator. How wide is it at 60°N, where cos(60°) = 0.5?",
      given: { lon_bits: "15", km_per_degree: "111.19 km", cos_lat: "0.5" },
      unit: "km",
      tolerance: "10%",
      explanation:
        "A degree of longitude is 111.19 km × cos(latitude): 0.61 km at 60°N. Cells are as tall everywhere but narrow toward the poles, so a precision chosen at the equator is too fine farther north.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "geohash-3x3-reach",
      prompt:
        "A search takes the point's cell and its 8 neighbours at precision 5 (cells 4.89 km wide at the equator and 4.89 km tall). At 45°N (cos = 0.707), how far from the point is the 3×3 block guaranteed to reach in every direction?",
      given: { cell_width: "4.89 km", cell_height: "4.89 km", cos_lat: "0.707" },
      unit: "km",
      tolerance: "10%",
      explanation:
        "The point may sit on its cell's edge, so the block reaches one whole cell beyond it and no more: the shorter side, min(4.89 × 0.707, 4.89) = 3.46 km. A 5 km search at precision 5 misses points; precision 4 (39 × 19.5 km cells) is needed.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "geohash-missed-area",
      prompt:
        "The seed searches a 10 km radius with the 3×3 block at precision 5, at the equator (cells 4.89 km square). What share of the circle's area lies outside the block, at the least, wherever the point is?",
      given: { radius: "10 km", cell: "4.89 km" },
      unit: "%",
      tolerance: "10%",
      explanation:
        "The block is 9 × 4.89² = 215 km²; the circle is π × 10² = 314 km². At least 1 − 215/314 = 32% of the circle is outside, however the block sits: a third of the places in range are never looked at.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "driver-location-bandwidth",
      prompt:
        "{active} active drivers each send their location every {interval} s, {update_size} bytes an update. What bandwidth does the location service take in?",
      given: { active: "1M driver", interval: "4 s", update_size: "100 B" },
      unit: "Mbit/s",
      tolerance: "10%",
      explanation:
        "250,000 updates a second × 100 B = 25 MB/s = 200 Mbit/s: small in bytes, large in writes. 250k index updates a second is what the in-memory geo index must absorb.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { active: ["10k driver", "10M driver"], interval: ["1 s", "10 s"], update_size: ["50 B", "500 B"] },
    },
    {
      id: "quadtree-leaves",
      prompt:
        "A quadtree over {places} places splits a leaf once it holds more than {leaf_capacity}. At least how many leaves does it have?",
      given: { places: "200M item", leaf_capacity: "100 item/node" },
      unit: "node",
      tolerance: "10%",
      explanation:
        "200M / 100 = 2M leaves at least (more where leaves are part full). Were they even, the tree would be log4(2M) = 10.5, so 11 levels deep; real places cluster in cities and the tree is deep there and shallow over oceans.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { places: ["1M item", "1B item"], leaf_capacity: ["50 item/node", "500 item/node"] },
    },
    {
      id: "inverted-index-size",
      prompt:
        "An inverted index covers {documents} documents of {terms} distinct terms each. A posting (document id and term frequency, compressed) takes 4 bytes. How large are the postings lists?",
      given: { documents: "100M page", terms: "300 entry/page", posting: "4 B/entry" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "10^8 × 300 = 3 × 10^10 postings × 4 B = 120 GB: more than one server's memory, so the index is sharded by document and every query is scattered to every shard.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { documents: ["1M page", "10B page"], terms: ["100 entry/page", "1000 entry/page"] },
    },
    {
      id: "bm25-postings-read",
      prompt:
        "A three-term query is scored with BM25 by reading each term's whole postings list. Each term occurs in {share}% of the {documents} documents. How many postings does one query read?",
      given: { documents: "100M page", query_terms: "3", share: "2%" },
      unit: "entry",
      tolerance: "10%",
      explanation:
        "3 × 2% × 10^8 = 6M postings per query. At 100k queries a second that is 6 × 10^11 postings a second: why engines skip with WAND or block-max indexes and stop once the top k cannot change.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { share: ["0.1%", "10%"], documents: ["1M page", "10B page"] },
    },
  ],
  katas: [
    {
      id: "geohash",
      title: "Geohash: encode, decode, neighbours and cell size",
      difficulty: 1,
      file: "geohash.ts",
      hints: [
        "Keep four numbers, south, north, west and east, starting at the whole map. For bit i of 5 × precision: on even i compare lon with the middle of west and east, on odd i lat with the middle of south and north; a 1 (and the upper half) when it is >= the middle. Shift each bit into a digit; after 5 bits, append BASE32[digit].",
        "decode replays the same halvings: BASE32.indexOf(char) gives 5 bits, most significant first; a 1 keeps the upper half. The centre is the middle of the bounds. indexOf returns -1 for a character outside the alphabet: that is your RangeError.",
        "neighbours: decode, then encode the point one whole cell away from the centre (centre ± width, centre ± height) at the same precision. That point is a cell's centre, far from any edge, so rounding cannot put it in the wrong cell.",
        "Bring the longitude back into [-180, 180) with ((lon + 180) % 360 + 360) % 360 - 180 before encoding: east of 179.99 is -180. Latitude does not wrap: a centre beyond ±90 is a side with no cell, null. cellSize: width = 360 / 2^ceil(5p/2), height = 180 / 2^floor(5p/2); metres = degrees × π × EARTH_RADIUS_M / 180, times cos(lat) for the width.",
      ],
      budgets: {
        throughput: {
          min: 0.15,
          reason:
            "45 halvings and 9 characters a hash: a sound codec that computes a power of two per bit ran at 0.35×; below 0.15× is a string or array rebuilt per bit",
        },
        p99: { max: 5, reason: "a call must not stall: an allocation per bit or a string rebuilt per bit shows here" },
      },
    },
    {
      id: "autocomplete-trie",
      title: "Autocomplete: a trie with cached top-k",
      difficulty: 2,
      file: "autocomplete-trie.ts",
      hints: [
        "A node per character: children in a Map<string, TrieNode>, and a `top` array of at most cacheSize { query, weight } entries, best first. Keep the weights of all queries in a Map<string, number> beside the trie: weight() reads it, and insert adds to it.",
        "insert(query, w): compute the new weight, then walk the query's path from the root, creating nodes as you go, and at every node on it, the root included, offer the query with its new weight to that node's cache. topK walks the prefix and copies the first k entries: never the subtree.",
        "Offering: if the query is already in the cache, take its old entry out first, then insert the new one where it ranks (heavier first, then a < b on the text) and drop the last entry if the cache is now over cacheSize. An entry left in place with its old weight is a stale ranking.",
        "Why this is enough: weights only rise, so a query outside a node's cache weighs no more than the cache's last entry, and it can only get in when its own weight rises, which is an insert that offers it again.",
      ],
      budgets: {
        growth: {
          max: 6,
          reason:
            "topK copies k cached entries and insert touches the caches on one path, whatever the trie holds: beside 4 busy loops the reference against itself came out at 1.62× at worst, a correct trie that re-merges its children's caches on every insert at 2.2×, and scanning or untruncated caches at 24× to 57×",
        },
      },
    },
    {
      id: "inverted-index",
      title: "An inverted index ranked by BM25",
      difficulty: 2,
      file: "inverted-index.ts",
      hints: [
        "Two maps: postings, term → (document id → the term's count there), and documents, id → its term counts and length. Keep N (documents.size) and the total length up to date on every put and remove, so avgdl is total ÷ N without a walk.",
        "search: for each distinct query term, read its postings; IDF = ln(1 + (N − n + 0.5) / (n + 0.5)) with n the postings' size; add each posting's share to that document's score in a Map. Then sort by score, then id, and take k. Never loop over every document.",
        "The +1 inside the logarithm matters: without it a term held by most documents has a negative IDF, and holding it lowers a document's score.",
        "put of an id already indexed replaces it: remove the old version first (its postings, its length), or its terms go on matching and avgdl counts it twice.",
      ],
      budgets: {
        growth: {
          max: 5,
          reason:
            "a search reads the postings of its rare terms, the same 40 documents among 2,000 or 40,000: an index that scores every document, or recomputes avgdl by walking them, grows about 20×",
        },
      },
    },
    {
      id: "proximity-index",
      title: "Proximity index: radius search and k-nearest on the sphere",
      difficulty: 2,
      file: "proximity-index.ts",
      hints: [
        "distanceMetres first: h = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2) with every angle in radians, d = 2R · asin(√h). Clamp h to at most 1 before the square root: rounding pushes it past 1 at antipodes. sin² of half of 359.8° is sin² of half of 0.2°: the antimeridian needs no special case here.",
        "A grid: a level L has 2^(L+1) columns and 2^L rows of square cells 180 / 2^L degrees a side (geohash, with one bit more or less). Keep a Map from cell to the ids in it at each of about 15 levels, and a Map from id to position; move is remove then insert, and remove takes the id out of every cell it was put in.",
        "A radius search: the finest level whose cells are at least as tall as the radius (in degrees, radius / R / π × 180); then every cell of the circle's bounding box at that level: latitudes lat ± that angle, longitudes lng ± asin(sin(angle) / cos(lat)). If the box reaches a pole, take every column: the circle crosses the pole. Wrap columns with ((c % n) + n) % n. Filter by distanceMetres <= radius, sort by distance then id.",
        "nearest(k): search a radius of 1 km, then 4 km, 16 km... until it finds at least k points or the radius reaches half the Earth's circumference (π × R, which covers the whole sphere). Every point outside a circle is farther than every point in it, so the first k of that search, sorted, are the k nearest.",
      ],
      budgets: {
        growth: {
          max: 5,
          reason:
            "a search lists the cells round its circle, whatever lies elsewhere: beside 4 busy loops the reference against itself came out at 0.75× to 1.0×, a second correct index (a quadtree) at 0.57×, and a scan of every point at 103×",
        },
      },
    },
    {
      id: "driver-matcher",
      title: "Driver matcher: the nearest free driver, never given twice",
      difficulty: 2,
      file: "driver-matcher.ts",
      hints: [
        "match: one `await store.drivers()`, then keep the drivers that are online with ride === null and within maxRadiusM by distanceMetres, sorted by distance and then by id (a < b). The read is a snapshot: by the time you act on it, another request may have taken any of them.",
        "Claim, don't write: `await store.claim(id, ride)` gives the driver the ride only if it still has none, in one step of the store. A driver() read followed by setRide() is two steps, and another request's setRide can land between them: both rides get the driver.",
        "When claim says false, the driver went to someone else in the meantime: try the next candidate of your list, and return null only when the list is used up. Giving up after one lost claim leaves a free driver in range unassigned.",
        "finish: `return await store.release(driver, ride)`. Without the await, finish resolves before the store has freed the driver, and the next request finds it still on the old ride.",
      ],
      budgets: {},
    },
    {
      id: "design-typeahead",
      title: "Design: search typeahead",
      difficulty: 2,
      file: "design-typeahead.ts",
      hints: [
        "Start from the estimate: 926k suggestion requests a second at peak (10B searches a day, 4 debounced requests each, twice the average) and 231k searches a second to log. Divide each component's share by what one instance serves: that is how many you need at 70%, and a third more so two zones carry it.",
        "The trie is 15 GB of nodes and 12 GB of cached top-10s: it fits in one server's memory. Put the whole of it on every replica (shards: 1) and let replicas scale the reads; a hot prefix then spreads over all of them.",
        "Sharding by first letters (a–f, g–m, …) puts every request for one hot prefix on one shard's few replicas: the hot-key drill shows it. Shard only when the trie outgrows a server.",
        "Counting searches is not on the suggestion's path: append each search to a log, asynchronously, count in windows offline and rebuild the trie every 15–60 minutes. Writing the trie on every search puts every write on every replica.",
      ],
      budgets: {},
      // the chapter's estimate (seed 003, section 6): 10B searches a day, the client's 4 debounced
      // requests each, a peak of twice the average
      design: {
        workload: {
          searches: "10B query/day",
          debounced: "4 req/query",
          peak_factor: "2",
        },
        flows: {
          // the seed's 100 ms a keystroke is end to end: half of it for the servers, the rest the network's
          suggest: { rate: "searches * debounced * peak_factor", p99: "50 ms" },
          // each search, once, for the counts
          record: { rate: "searches * 1 req/query * peak_factor", p99: "50 ms" },
        },
        availability: "99.9%",
        // a breaking story's query: its prefixes take 2% of the suggestions, ten times that in the drill
        hotKeys: { suggest: "2%" },
        drills: ["zone-loss", "hot-key"],
      },
      // npm run interview -- typeahead: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design the suggestions under a search box: as a user types, show the queries they are most likely typing. What do you ask before you draw anything?",
            ],
            rubric: [
              "Asks what is suggested and ranked by what: whole past queries by popularity (here), or also personal history, spelling fixes, entities.",
              "Asks the scale: searches a day (here 10B) and how often the client asks: every keystroke, or debounced, and from how many characters.",
              "Asks how fresh suggestions must be: minutes to an hour for popular queries (a rebuild every 15–60 minutes, the seed's figure), faster for a breaking story.",
              "Asks the latency: a suggestion must arrive before the next keystroke, about 100 ms end to end; and says suggestions are optional, so showing none beats waiting.",
              "Asks about filtering: offensive or unsafe completions must never show, and must be removable fast.",
            ],
          },
          estimate: {
            prompts: [
              "10B searches a day. How many suggestion requests is that, and how much memory does the index need?",
            ],
            rubric: [
              "Searches: 10B ÷ 86,400 s = 115.7k a second on average.",
              "Requests: sent on every keystroke of a 20-character query, 2.31M a second; a client that debounces (150 ms) and waits for 2 characters sends about 4 a search, 463k a second, 926k at a peak of twice the average: the seed's 4 characters are the debounced requests.",
              "Trie: 10M kept queries × 15 characters = 150M nodes at most; at 100 bytes a node 15 GB, plus ten 8-byte references a node for the cached top-10, 12 GB: 27 GB, one server's memory.",
              "Servers: a lookup copies ten cached entries, about 10 µs of a core, 100k a second on 32 cores: 926k ÷ 70k is 13.2, so 15 replicas, five in each zone (93% with a zone gone).",
            ],
          },
          design: {
            prompts: [
              "Draw it: how does a keystroke become suggestions, and how do the counts behind them stay fresh?",
            ],
            rubric: [
              "Two paths: serving (client → load balancer → API → a trie server, from memory) and gathering (each search appended to a log, counted in hour, day and week windows, a new trie built and swapped in whole every 15–60 minutes).",
              "A trie with the top-k cached at every node: a lookup walks the prefix and copies k entries, never the subtree below it.",
              "The whole trie on every replica (15 of them over three zones), since it fits: any server answers any prefix, and a hot prefix spreads over all of them.",
              "The client debounces, waits for 2 characters and caches the prefixes it has seen; the API filters a blocklist and may merge personal history.",
              "Logging is off the suggestion's path: appended asynchronously, batched; a few counts lost in a crash change no ranking.",
            ],
          },
          deepDive: {
            prompts: [
              "Let's go deep on the trie: how are the cached top-k kept right, and what happens when a query's count changes?",
            ],
            rubric: [
              "Every node on a query's path caches the best k completions below it; a lookup is O(prefix length + k).",
              "An update (the kata's insert) walks the query's path and offers the new weight to each node's cache: replace its old entry, re-rank, truncate to k.",
              "Says why that is enough when weights only rise: a query outside a node's cache weighs no more than its last entry, so it can only enter through its own update; a weight that falls needs the subtree (or a rebuild).",
              "Prefers a rebuild and swap for the bulk (simple, consistent, blue-green) and in-place updates only for trending queries, a few a second, not one per search.",
            ],
          },
          wrapUp: {
            prompts: ["We have a few minutes left. Sum up your design: what did you trade, and what would you watch?"],
            rubric: [
              "Restates what binds: 926k suggestions a second at peak on 15 whole-trie replicas at 62%, 93% with a zone gone.",
              "Names the trades: precomputed top-k (fast, stale up to an hour) against ranking at query time (fresh, a subtree per keystroke); full replication against sharding (simple while it fits in memory).",
              "Says how it degrades: past 1.2× the peak the edge refuses, and the client shows what it has or nothing; suggestions are never worth a slow search box.",
              "Says what to monitor: suggestion p99 at the server and at the client, the trie's build age, the blocklist's hit rate, the busiest replica's rate.",
            ],
          },
        },
        followUps: [
          {
            question:
              "A story breaks: searches for it jump a hundredfold in ten minutes, and the hourly trie does not know it. What do you do?",
            answer:
              "The gathering path already sees it: the aggregator counts each query in windows, so add a short one (a minute) and flag the queries whose rate jumps against their hourly baseline. Those few, a handful a second at most, go to every trie replica as in-place updates: the kata's insert raises a query's weight and offers it to each node's cache on its path, so the next lookup of any of its prefixes shows it, with no rebuild. Updates must stay few: written on every search, 231k a second would land on every replica beside its 62k suggestions, 293% of what one serves. Caches in front (the browser's, a CDN's) hold a prefix for their TTL, so keep those short for short prefixes. The next hourly build takes the query in normally and the special path forgets it.",
          },
          {
            question: "That story's prefixes now take a fifth of all suggestions. What happens to your servers?",
            answer:
              "Nothing much: a fifth of 926k is 185k a second, and since every replica holds the whole trie, the load balancer spreads them over all 15: about 11k more each than the prefixes usually bring, 73% instead of 62%. Had the trie been sharded by prefix range, the seed's plan (a–f on one shard, g–m on the next), all 185k would land on one shard's 3 replicas, 117% of what they serve, while the other 12 idle: one story would take down suggestions for every query beginning with its letters. That is why the whole trie goes on every server while it fits in memory: a hot key in a replicated index is just more reads.",
          },
          {
            question:
              "The product wants 500M queries kept, not 10M: the trie no longer fits in a server. How do you shard it?",
            answer:
              "Fifty times the queries is about 50 × 27 GB, 1.35 TB: some 30 shards of 45 GB. By prefix range, each request still goes to one shard, but split the ranges by measured traffic, not the alphabet (far more queries start with s than with x), and give each shard replicas in three zones, more for the busy ranges; the hot-key problem above comes back, so keep hot short prefixes on a replicated top layer. By hashing whole queries instead, load is even, but a prefix's completions are on every shard: each lookup asks all 30 and merges their top-k, 30 times the requests and the slowest shard's latency. Most systems keep a small replicated trie of the popular head and a sharded tail that is asked only when the head has too few answers.",
          },
          {
            question:
              "An offensive completion is showing. How fast can you remove it, and how do you keep the list at ten?",
            answer:
              "Two filters. The builder drops blocklisted queries, but a build is up to an hour away, so the API also filters every response against a blocklist it reloads in seconds, and the CDN or client caches of the affected prefixes are purged or expire quickly. Filtering at serve time can leave fewer than ten suggestions, so each node caches more than it shows (15 for 10) and the API takes the first ten that pass. A term removed at serve time is added to the builder's blocklist so the next trie never has it.",
          },
          {
            question: "A zone is lost at peak. What happens?",
            answer:
              "Its 5 trie replicas and 25 API servers go with it. The other 10 replicas take 926k a second, 93% of what they serve, and the 50 API servers 1.16M, 93%: carried, with little room, which is why the design keeps a third spare at 62%. The load balancers are in all three zones. If load rises past 1.2× the peak on top of that, the edge refuses the excess at once and the client shows the suggestions it has cached; it never blocks typing. Losing two zones would need shedding: suggestions are the first feature to switch off, before search itself.",
          },
        ],
      },
    },
    {
      id: "design-nearby-search",
      title: "Design: nearby search, Yelp-like",
      difficulty: 2,
      file: "design-nearby-search.ts",
      hints: [
        "Start from the estimate: 100k searches a second over 200M places, 1k updates a second. A search has two halves: the ids near a point (a spatial index) and the records of the 20 it shows (a cache in front of the database).",
        "The spatial index is 200M × 24 bytes, 4.8 GB: it fits in a server's memory. Put the whole of it on every replica, as the trie's servers do, and let each replica apply the updates; a busy city then spreads over all of them.",
        "Sharding the index by region puts one city's searches on one shard's replicas: the hot-key drill shows it. A PostGIS query a search in the database instead reads from disk-backed nodes at a tenth of the rate.",
        "The records: the popular places, a fifth of the 20 GB, answer 90% of the lookups from a cache, if its memory holds those 4 GB. The database keeps the rest and takes the writes: one primary and a replica in each other zone.",
      ],
      budgets: {},
      // the chapter's estimate (seed 003, section 15): 200M places of 100 bytes, 100k searches and
      // 1k updates a second
      design: {
        workload: {
          places: "200M item",
          place_size: "100 B/item",
          place_records: "places * place_size",
          nearby_searches: "100k req/s",
          place_updates: "1k req/s",
        },
        flows: {
          // the seed's objective: a nearby search within 100 ms
          search: { rate: "nearby_searches", p99: "100 ms" },
          // an owner's edit, acknowledged once stored
          update: { rate: "place_updates", p99: "200 ms" },
        },
        availability: "99.9%",
        storage: "place_records",
        // a fifth of the places (the popular ones) answer nine lookups in ten
        workingSet: "place_records * 0.2",
        // the busiest city centre: 3% of the searches, ten times that in the drill (New Year's Eve)
        hotKeys: { search: "3%" },
        drills: ["zone-loss", "cold-cache", "hot-key"],
      },
      // npm run interview -- nearby-search: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              'Design Yelp\'s "near me": a user opens the app and sees the places around them. What do you ask first?',
            ],
            rubric: [
              "Asks what a search gives: places within a radius (the seed's typical 5 km) or the k nearest, how many shown (20), filtered by category, rating, open now, sorted by distance or relevance.",
              "Asks the scale: places (200M), searches a second (100k), how often places change (1k updates a second: new, edited, closed).",
              "Asks freshness: may a new or moved place take seconds or minutes to show? (It may: the index can follow the database.)",
              "Asks latency and availability: a search within 100 ms (the seed's), and says search must stay up while editing may degrade.",
            ],
          },
          estimate: {
            prompts: ["200M places, 100k searches a second. How big is the index, and what binds?"],
            rubric: [
              "Records: 200M × 100 B = 20 GB; the index alone, an id and two coordinates, 24 B a place: 4.8 GB. Both fit in a server's memory, so the index is replicated, not sharded.",
              "Reads dominate a hundred to one (100k searches to 1k updates); each update must reach every index replica, 1k a second each, little.",
              "Cell size: a 5 km search at 45°N needs precision 4 for its 3×3 block (shorter side 19.5 km; precision 5's 3.46 km is too small), and the block scans about 62 times the circle's area.",
              "Servers: at 12k searches a second a replica, 100k ÷ 12k plus the updates is 15 replicas at 64%, five a zone; 92% with a zone gone.",
            ],
          },
          design: {
            prompts: ["Draw it: the path of a search, and how an owner's edit reaches it."],
            rubric: [
              "Search: load balancer → search service → in-memory geo index (geohash grid or quadtree: the cells covering the circle, their ids) → exact haversine filter and ranking → the 20 records from a cache.",
              "Records in PostgreSQL with PostGIS, the system of record: one primary and a replica in each other zone; a cache of the popular places in front (a fifth of them, 4 GB, answers 90%).",
              "Updates: places API → primary; the index follows the database's change stream (a move is a remove and an add), seconds behind, off the update's path.",
              "Every index replica holds the whole index and applies every change, so any replica answers any search.",
            ],
          },
          deepDive: {
            prompts: [
              "Let's go deep on the index: how do you find the places within 5 km of a point, exactly, wherever the point is?",
            ],
            rubric: [
              "Covers the circle with cells whose size fits the radius at that latitude (the 3×3 block of a cell at least as large as the radius on its shorter side), or with all cells intersecting the circle's bounding box.",
              "Filters every candidate by haversine distance: cells only bound the search, never decide it.",
              "Handles the antimeridian (the east neighbour of a cell at 180° is at −180°) and the poles (no cell north of 90°; cells narrow to nothing).",
              "Knows the alternatives: a quadtree splits where places are dense and serves k-nearest directly; S2 and H3 give cells of nearly equal area.",
            ],
          },
          wrapUp: {
            prompts: ["Sum up: what did you trade, and what would you watch?"],
            rubric: [
              "Restates what binds: 100k searches on 15 whole-index replicas at 64%, 90 search servers at 56%, the database behind a 90% cache at 43%.",
              "Names the trades: a replicated index (simple, any replica any search, every update everywhere) against sharding by region (smaller, but a busy city is a hot shard); coarse cells (complete, many candidates) against fine ones (fewer, and must be many).",
              "Says how it degrades: a stale index for a few seconds after an edit, refused load past 1.2× the peak, a zone lost carried at 92%.",
              "Says what to monitor: search p99, the index's lag behind the database, the cache's hit ratio, candidates scanned per result.",
            ],
          },
        },
        followUps: [
          {
            question:
              "A user at 45°N reports a café 4 km away that never shows in a 5 km search. The index uses precision 5 and the 3×3 block. Why?",
            answer:
              "The 3×3 block reaches one cell beyond the user's cell in each direction, and the user may sit on their cell's edge, so it is sure to cover the circle only up to the cell's shorter side at that latitude. A precision-5 cell is 4.89 km wide at the equator, but at 45°N its width is 4.89 × cos 45° = 3.46 km: anything beyond 3.46 km east or west can be outside the block. The seed's table gives precision 5 as ±2.4 km, which is half a cell (the error of taking the centre for the point), and its rule picks precision 5 for radii up to 10 km, where the block leaves at least 32% of the circle unexamined. Choose the finest precision whose shorter side at the search's latitude is at least the radius: precision 4 here (27.6 × 19.5 km), whose block scans about 62 times the circle's area, all then filtered by haversine distance. The kata's mutant makes exactly this mistake.",
          },
          {
            question: "New Year's Eve: a third of all searches come from one city centre. What happens?",
            answer:
              "The centre's usual 3% grown tenfold is 30% of 100k, 30k searches a second for the same few cells. Each index replica holds the whole index, so the load balancer spreads them over all 15: about 1.8k more each than the centre usually brings, 79% of what one serves. The place records are the same few hundred places, all cached, on the cache nodes holding them, at 44%. Had the index been sharded by region, the city's 30% would land on its shard's 3 replicas, 132% of what they serve, while the rest idle. Replicating the whole 4.8 GB index is what makes a hot city just more reads.",
          },
          {
            question:
              "An owner moves their restaurant across town. When does a search see it, and can the owner see it at once?",
            answer:
              "The update is acknowledged once the primary has it. The index follows the database's change stream, so within a second or two every replica removes the place from its old cell and adds it to the new one (a move that leaves the old entry behind shows the place twice). Events carry the row's version, so a replica that sees them out of order keeps the newest. For the owner, read-your-writes: their app shows the record it just wrote, read from the primary, rather than waiting for the index; other users may see the old location for those seconds, which is fine for a restaurant. A driver's position every 4 seconds is another matter: that index is updated in place, not through a database.",
          },
          {
            question: "Manhattan has ten thousand places in a cell where the Sahara has none. Does your index care?",
            answer:
              "A fixed geohash grid does: at the precision a 5 km radius needs, a Manhattan block of cells holds hundreds of thousands of candidates to filter, while rural cells are empty and a search there needs a larger radius to find anything. A quadtree splits a leaf when it passes a few hundred places, so leaves are small where places are dense and large where they are not; k-nearest then walks outward from the point's leaf until k are found and no closer leaf remains. In a grid, the same idea is to expand the search ring by ring until enough results are found, and to rank by distance and quality rather than return every place in 5 km of Times Square.",
          },
          {
            question:
              "Product wants filters (category, open now, rating above 4) and results sorted by relevance. Where does that go?",
            answer:
              "Filter as early as possible: keep a few bits beside each id in the index (category, price band, rating bucket) so the search discards candidates before fetching records, instead of fetching 1,000 records to keep 20. Open now depends on the time and needs the record's hours, so it is applied after the cheap filters. Relevance is a score, distance combined with rating, reviews and popularity, computed on the filtered candidates; the top 20 are fetched from the cache. Results are paged with a cursor (the last score and id), not an offset. If filters become many and textual, a search engine with geo queries (Elasticsearch's geo_distance) does this in one place at higher latency; the in-memory index keeps the common case fast.",
          },
        ],
      },
    },
  ],
});
