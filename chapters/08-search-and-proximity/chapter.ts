import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Search and proximity",
  summary:
    "Finding things fast: typeahead on a trie with cached top-k, geohash cells and their neighbours, what a 3×3 block really covers, quadtrees against S2 and H3, matching the nearest driver without assigning one twice, and an inverted index ranked by BM25.",
  worksheet: [
    {
      id: "typeahead-keystrokes",
      prompt:
        "10B searches a day are typed at 20 characters each, and the client sends a suggestion request on every keystroke. What is the average request rate?",
      given: { searches: "10B query/day", keystrokes: "20 req/query" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "10^10 × 20 / 86,400 s = 2.31M requests a second on average, before any peak factor. Every keystroke is a round trip; most of them are superseded before the answer arrives.",
    },
    {
      id: "typeahead-debounced",
      prompt:
        "The client debounces instead: it sends a request only when typing pauses for 150 ms, on average 4 times per search (the seed's figure). What is the average request rate now?",
      given: { searches: "10B query/day", pauses: "4 req/query" },
      unit: "req/s",
      tolerance: "10%",
      explanation:
        "10^10 × 4 / 86,400 s = 463k requests a second: a fifth of one request per keystroke. The seed's '4 characters typed' is really this: requests per search after debouncing and a 2-character minimum.",
    },
    {
      id: "trie-memory",
      prompt:
        "The trie keeps the 10M most frequent queries, 15 characters each, one node per character with no prefix shared (an upper bound), at 100 bytes a node. How much memory does it take?",
      given: { kept: "10M query", depth: "15 node/query", node_size: "100 B/node" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "10^7 × 15 × 100 B = 15 GB: one server's memory, so the whole trie can be replicated rather than sharded. Shared prefixes make the real node count smaller.",
    },
    {
      id: "topk-cache-memory",
      prompt:
        "Each of the trie's 150M nodes caches its top 10 completions as 8-byte references to the query strings. How much memory do the caches take?",
      given: { trie_nodes: "150M node", cached: "10 entry/node", reference: "8 B/entry" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "1.5 × 10^8 × 10 × 8 B = 12 GB: most of the 100 bytes a node was given. The caches trade memory for a lookup that walks only the prefix and never the subtree.",
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
    },
    {
      id: "driver-location-bandwidth",
      prompt:
        "1M active drivers each send their location every 4 s, 100 bytes an update. What bandwidth does the location service take in?",
      given: { active: "1M driver", interval: "4 s", update_size: "100 B" },
      unit: "Mbit/s",
      tolerance: "10%",
      explanation:
        "250,000 updates a second × 100 B = 25 MB/s = 200 Mbit/s: small in bytes, large in writes. 250k index updates a second is what the in-memory geo index must absorb.",
    },
    {
      id: "quadtree-leaves",
      prompt:
        "A quadtree over 200M places splits a leaf once it holds more than 100. At least how many leaves does it have?",
      given: { places: "200M item", leaf_capacity: "100 item/node" },
      unit: "node",
      tolerance: "10%",
      explanation:
        "200M / 100 = 2M leaves at least (more where leaves are part full). Were they even, the tree would be log4(2M) = 10.5, so 11 levels deep; real places cluster in cities and the tree is deep there and shallow over oceans.",
    },
    {
      id: "inverted-index-size",
      prompt:
        "An inverted index covers 100M documents of 300 distinct terms each. A posting (document id and term frequency, compressed) takes 4 bytes. How large are the postings lists?",
      given: { documents: "100M page", terms: "300 entry/page", posting: "4 B/entry" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "10^8 × 300 = 3 × 10^10 postings × 4 B = 120 GB: more than one server's memory, so the index is sharded by document and every query is scattered to every shard.",
    },
    {
      id: "bm25-postings-read",
      prompt:
        "A three-term query is scored with BM25 by reading each term's whole postings list. Each term occurs in 2% of the 100M documents. How many postings does one query read?",
      given: { documents: "100M page", query_terms: "3", share: "2%" },
      unit: "entry",
      tolerance: "10%",
      explanation:
        "3 × 2% × 10^8 = 6M postings per query. At 100k queries a second that is 6 × 10^11 postings a second: why engines skip with WAND or block-max indexes and stop once the top k cannot change.",
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
  ],
});
