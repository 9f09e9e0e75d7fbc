import { defineChapter } from "../../grader/manifest/define.ts";

// ratios are learner ÷ reference, measured in the same process on the same workload
const p99 = {
  max: 5,
  reason: "a call must not stall: GC pauses hit both alike, a per-call scan or copy shows up here first",
};

export default defineChapter({
  title: "Storage engines",
  summary:
    "How bytes survive: a write-ahead log and what fsync costs, LSM trees against B-trees and their amplifications, Bloom filters, content-defined chunking, and object storage's erasure codes and metadata.",
  worksheet: [
    {
      id: "object-storage-total",
      prompt:
        "An object store holds {stored} objects of {object_size} MB on average. How much data is that, before any replica? (For 1B objects of 1 MB, a seed document said 1 EB.)",
      given: { stored: "1B object", object_size: "1 MB/object" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "10^9 × 10^6 bytes = 10^15 bytes: 1 PB. An exabyte is 10^18 bytes, a thousand times more: the seed slipped three orders of magnitude.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { stored: ["10M object", "100B object"], object_size: ["0.1 MB/object", "10 MB/object"] },
    },
    {
      id: "object-storage-raw",
      prompt: "The store's {logical} PB is kept as {copies} full replicas. How much raw disk does it take?",
      given: { logical: "1 PB", copies: "3" },
      unit: "PB",
      tolerance: "10%",
      explanation: "3 PB of raw disk, before free space headroom: 3,000 disks of 1 TB, or 150 of 20 TB.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { logical: ["0.1 PB", "50 PB"], copies: ["2", "5"] },
    },
    {
      id: "erasure-coded-raw",
      prompt:
        "Stored instead with a Reed-Solomon code of {data_fragments} data and {parity_fragments} parity fragments, any {data_fragments} of them enough to rebuild, how much raw disk does {logical} PB take?",
      given: { logical: "1 PB", data_fragments: "10", parity_fragments: "4" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "Each object is stored as 14 fragments of a tenth of its size: 1.4× overhead, 1.4 PB, against 3 PB for triple replication, and it survives any 4 lost fragments where 3 replicas survive 2.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { logical: ["0.1 PB", "50 PB"], data_fragments: ["6", "12"], parity_fragments: ["2", "4"] },
    },
    {
      id: "repair-read",
      prompt:
        "A {disk} TB disk of fragments dies. Rebuilding each lost fragment of an RS({data_fragments}, 4) stripe reads {data_fragments} surviving fragments of the same size. How much is read across the network to rebuild the disk? (With replication it would be {disk} TB.)",
      given: { disk: "20 TB", data_fragments: "10" },
      unit: "TB",
      tolerance: "10%",
      explanation:
        "Every lost byte needs 10 bytes read: 200 TB, ten times replication's repair traffic. That is the price of the 1.4× overhead, and why codes such as Azure's LRC (2012) read fewer fragments for the common single loss.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { disk: ["4 TB", "30 TB"], data_fragments: ["6", "12"] },
    },
    {
      id: "objects-per-day",
      prompt:
        "The same seed gave {puts} PUT/s next to 1B objects. How many objects does that rate create in a day, if every PUT is a new object?",
      given: { puts: "100k object/s" },
      unit: "object",
      tolerance: "10%",
      explanation:
        "100,000 × 86,400 s = 8.64B objects a day: the whole 1B-object store in under 3 hours. Either the PUT rate is a peak far above the average, or most PUTs overwrite, or the store is far larger than 1B objects; ask which.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { puts: ["1k object/s", "500k object/s"] },
    },
    {
      id: "log-volume-day",
      prompt:
        "Servers emit {lines} log lines a second, {line_size} KB each. How much log data is that a day? (For 100K lines of 1 KB, a seed document said 8.64 GB.)",
      given: { lines: "100k record/s", line_size: "1 KB/record" },
      unit: "TB",
      tolerance: "10%",
      explanation: "100,000 × 1 KB = 100 MB/s; × 86,400 s = 8.64 TB a day, not GB: the seed dropped a factor of 1,000.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { lines: ["1k record/s", "1M record/s"], line_size: ["0.2 KB/record", "5 KB/record"] },
    },
    {
      id: "log-volume-year",
      prompt:
        "Kept for a year, how much are {lines} log lines a second of {line_size} KB, before replicas or compression?",
      given: { lines: "100k record/s", line_size: "1 KB/record" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "8.64 TB × 365 = 3.15 PB a year. Compressed 10× (logs compress well) it is 315 TB; the seed's 3.2 TB a year is a thousand times too small.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { lines: ["1k record/s", "1M record/s"], line_size: ["0.2 KB/record", "5 KB/record"] },
    },
    {
      id: "bloom-bits",
      prompt:
        "A crawler remembers {seen} URLs it has seen in a Bloom filter with a false-positive rate p = {fp_rate}. How much memory does the filter take?",
      given: { seen: "10B url", fp_rate: "0.01" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "m/n = −ln p / (ln 2)² = 9.59 bits per URL: 95.9 Gbit, 12 GB. A hash set of the URLs at 100 bytes each would be 1 TB. Every halving of p costs another 1.44 bits per item.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { seen: ["10M url", "100B url"], fp_rate: ["0.0001", "0.05"] },
    },
    {
      id: "bloom-hashes",
      prompt:
        "How many hash functions should a Bloom filter with a false-positive rate p = {fp_rate} use, that is how many bits does each lookup test?",
      given: { fp_rate: "0.01" },
      unit: "op",
      tolerance: "10%",
      explanation:
        "k = (m/n)·ln 2 = −log2 p = 6.64, rounded to 7. With more, each lookup sets or tests more bits and the filter fills faster; with fewer, each test excludes less.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { fp_rate: ["0.0001", "0.05"] },
    },
    {
      id: "group-commit-batch",
      prompt:
        "A database commits {commits} transactions a second on a disk whose fsync takes {fsync_time} ms. One fsync at a time: how many commits must share each fsync, at least, to keep up?",
      given: { commits: "20k txn/s", fsync_time: "2 ms" },
      unit: "txn",
      tolerance: "10%",
      explanation:
        "One fsync at a time gives at most 500 fsyncs a second; 20,000 commits a second need 40 per fsync. That is group commit: commits wait for the next fsync together, and each waits up to two fsyncs (4 ms).",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { commits: ["5k txn/s", "100k txn/s"], fsync_time: ["1 ms", "10 ms"] },
    },
  ],
  katas: [
    {
      id: "write-ahead-log",
      title: "Write-ahead log with group commit",
      difficulty: 2,
      file: "write-ahead-log.ts",
      hints: [
        "Frame each record as [length: 4 bytes][checksum: 4 bytes][payload] (a DataView over a Uint8Array, setUint32(offset, value, true)). Recovery reads frames from offset 0 and stops at the first whose length runs past the end of the file or whose checksum does not match.",
        "Let the checksum cover the length as well as the payload: crc32(payload, crc32(lengthBytes)). A crash can leave zeros, and a zero length with a zero checksum is a valid empty record if the checksum covers the payload alone. After the loop, disk.truncate(offset) if bytes are left over.",
        "Group commit: keep a queue and a flag 'an fsync is in flight'. append frames the record, queues it with its promise's resolve, and calls flush(). flush does nothing while an fsync is in flight; otherwise it takes the whole queue, writes it, starts disk.fsync(), and when that resolves, resolves the batch and calls flush() again.",
        "A record queued while an fsync is in flight is not covered by it, even if you wrote it to the disk before that fsync completes: only bytes written before fsync() was called become durable. Resolve a batch only with the fsync started after its write.",
      ],
      budgets: {
        throughput: {
          min: 0.3,
          reason: "framing and parsing are linear in the bytes: a sound log runs within 2× of the reference",
        },
        p99,
      },
    },
    {
      id: "bloom-filter",
      title: "Bloom filter",
      difficulty: 1,
      file: "bloom-filter.ts",
      hints: [
        "Size first: bits = Math.ceil(-n * Math.log(p) / Math.LN2 ** 2), hashes = Math.max(1, Math.round(bits / n * Math.LN2)). Keep the bits in a Uint8Array of bits (simple) or a Uint32Array of ⌈m/32⌉ words.",
        "The k indexes: hash32(item, seed_i) % bits for k different seeds derived from options.seed works. Two hashes are enough: index_i = (h1 + i·h2) % bits (Kirsch and Mitzenmacher, 2006).",
        "Not hash + i, nor the same hash k times: neighbouring bits are set together, and the false-positive test sees rates many times p. Make h2 odd ((h2 | 1) >>> 0: | alone makes it signed) so that it is never 0.",
        "Stay non-negative: hash32 returns an unsigned number, h1 + i·h2 stays below 2^37 (exact in a double). Math.imul(i, h2) or (h1 + i * h2) | 0 goes negative, and words[negative] is silently ignored: a false negative.",
      ],
      budgets: {
        throughput: {
          min: 0.15,
          reason:
            "k independent hashes (7 at p = 1%) cost about 3.5× the reference's two; more than that is a scan or an allocation per call",
        },
        p99,
      },
    },
    {
      id: "chunked-dedup",
      title: "Content-defined chunking and dedup",
      difficulty: 2,
      file: "chunked-dedup.ts",
      hints: [
        "Loop over chunks: from each chunk's start, roll the hash one byte at a time with h = ((h << 1) + GEAR[data[i]]) | 0, starting from h = 0, and stop at the first position past minSize where the cut test holds, or at start + maxSize, or at the end of the data.",
        "The cut test: with bits = Math.log2(avgSize), the top bits of a Gear hash, (h & ((avgSize - 1) << (32 - bits))) === 0, or the low bits of a Rabin or Buzhash window, hold about once every avgSize bytes. In a Gear hash the top bits depend on the last 32 bytes, the low bit on the last byte only.",
        "A hash that never forgets (h * 31 + byte, or a hash of everything since the cut) cuts differently after an edit all the way to the end of the file: the window is what lets the cuts after an edit land on the same bytes again.",
        'The store: a Map from createHash("sha256").update(piece).digest("hex") to a copy of the piece (file.slice, not subarray), added only if the key is new; count distinct chunks and their bytes as you add them.',
      ],
      budgets: {
        throughput: {
          min: 0.25,
          reason:
            "a rolling hash costs a shift, an add and a test per byte; recomputing a window at every byte, or a copy per byte, is many times slower",
        },
        p99,
      },
    },
    {
      id: "lsm-tree",
      title: "LSM tree",
      difficulty: 3,
      file: "lsm-tree.ts",
      hints: [
        'Start with the memtable and one kind of table: a Map for the memtable (a tombstone is a marker value such as null, never the empty string, which is a value), sorted when it is flushed with [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) (a bare .sort() compares "key,value" strings: a key with a comma lands out of place). A table is one file of records [key length][value length or a tombstone mark][key][value] (a DataView and TextEncoder), plus, kept in memory, the first key and offset of each block and a Bloom filter of every key, tombstones included.',
        "A get looks in the memtable, then in each table newest first, and stops at the first that holds the key: a value or a tombstone. For each table: skip it if the filter says no; else binary-search the last block whose first key is <= the key (<=, not <: the key may be a block's first), read from that block's offset to the next block's, and decode only those records.",
        "Size-tiered: keep tiers of tables, newest first, tier 0 for flushes. When a tier holds tierSize tables, merge them (read each whole, a k-way merge where on equal keys the newest table's entry wins) into one table of the next tier, and remove their files. Drop a tombstone in a merge only when no tier below it holds a table: an older table may still hold the value it hides.",
        "Count as the disk does: add file.length to bytes written at every writeFile, and what read() returned to bytes read, with a separate sum for reads made inside get(). User bytes are TextEncoder's lengths of each key and value put and each key deleted; stats() divides, 0 where the divisor is 0.",
      ],
      budgets: {
        throughput: {
          min: 0.25,
          reason:
            "a put is a Map insert, a flush a sort and an encode, a get a few filter probes and one block decoded: within 2× of the reference whatever the encoding; a merge that re-sorts everything or a per-get read of a whole table is many times slower",
        },
        p99: {
          max: 10,
          reason:
            "a flush or a merge lands in some slice of every implementation's run; a slice that reads whole tables is far above",
        },
        growth: {
          max: 3,
          reason:
            "with compaction the tables grow with log(flushes), about 1.5× from 10 flushes to 200; without it a get probes every table's filter, about 10× more",
        },
      },
    },
    {
      id: "design-object-storage",
      title: "Design: an object store (S3-like)",
      difficulty: 3,
      file: "design-object-storage.ts",
      hints: [
        "Start from the estimate: 1B objects of 1 MB are 1 PB, a year of uploads, so 95 PUTs a second at peak; each object is read a thousand times, 95.1k GETs a second, and a LIST or HEAD for every ten GETs.",
        "Two paths: the metadata (bucket and key to size, checksum and where the bytes are) in a sharded key-value store on SSDs, taking a lookup per GET and a LIST per prefix; the bytes on data nodes full of disks, which serve a thousand 1 MB reads a second each.",
        "Size the data nodes by their disks first: 1 PB with three replicas is 3 PB, in 70% of the disks. Then by requests: a data node's disks seek for every 1 MB read, so 95.1k GETs a second cannot all reach them.",
        "A CDN answers the hot objects at the edge, each edge server holding its own copy: a hot object spreads over all of them, where a cache cluster puts one key on one node. Spread every tier over three zones.",
      ],
      budgets: {},
      // the chapter's estimate: 1B objects of 1 MB, a year's uploads, each read a thousand times
      design: {
        workload: {
          stored: "1B object",
          object_size: "1 MB/object",
          kept: "1 year",
          peak_factor: "3",
          read_ratio: "1000",
          list_ratio: "0.1",
          hot_share: "1%",
          put_peak: "stored / kept * peak_factor",
          get_peak: "put_peak * read_ratio",
          list_peak: "get_peak * list_ratio",
        },
        flows: {
          put: { rate: "put_peak", p99: "200 ms" },
          get: { rate: "get_peak", p99: "100 ms" },
          list: { rate: "list_peak", p99: "50 ms" },
        },
        availability: "99.99%",
        // the interviewer's constraint, at list prices (design/cost.ts): most of it is the data nodes' disks
        budget: "250k USD/month",
        storage: "stored * object_size",
        retention: "kept",
        // the hot objects a CDN must hold to answer most GETs: the hottest 1%
        workingSet: "stored * hot_share * object_size",
        // an object gone viral: the hottest takes 1% of the GETs, ten times that in the drill
        hotKeys: { get: "1%" },
        drills: ["zone-loss", "cold-cache", "hot-key"],
      },
      // npm run interview -- object-storage: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design an object store like S3: buckets of objects put, read and listed by key. What do you ask before you draw anything?",
            ],
            rubric: [
              "Pins down the API: PUT, GET and DELETE by bucket and key, LIST by prefix with a continuation token, objects from a few bytes to terabytes (multipart uploads for the large), versions, access control.",
              "Asks the scale and checks the figures against each other: 1B objects of 1 MB is 1 PB, not the seed's 1 EB; 100K PUTs a second of new objects would be 8.64B objects a day, the whole store in 2.78 hours, so asks which number is the peak and whether PUTs overwrite.",
              "Asks durability and availability apart: 11 nines of durability a year (S3's documented figure for its standard class) is about losing bytes, 99.99% availability about answering.",
              "Asks the consistency a client sees: read-after-write for a new object and an overwrite, a LIST that shows a PUT just acknowledged (S3 is strongly consistent since December 2020).",
              "Asks the access pattern: read-heavy, objects served to the web, a few hot objects, which decides whether a CDN sits in front.",
            ],
          },
          estimate: {
            prompts: [
              "The store holds 1B objects of 1 MB, a year of uploads; each object is read a thousand times, with a LIST for every ten GETs. Work out the storage, the rates and the bandwidth.",
            ],
            rubric: [
              "Storage: 1 PB of data, 3 PB of raw disk with three replicas, 1.4 PB with a Reed-Solomon RS(10, 4) code.",
              "Rates: 1B objects a year at three times the average is 95 PUTs a second at peak, a thousand times less than the seed's 100K; 95.1k GETs and 9.51k LISTs a second; 761 Gbit/s of GETs leaving at peak.",
              "Metadata: 500 B an object is 500 GB, which fits a few SSD nodes; its 105k reads a second are what shard it.",
              "Data nodes by disk: 3 PB in 70% of servers of 192 TB is 23 servers; by requests, 95.1k GETs at 1k reads of 1 MB a server would need 136 at 70%, so the GETs need a CDN, not more disks.",
            ],
          },
          design: {
            prompts: ["Draw the system: the PUT path, the GET path, and where the metadata lives."],
            rubric: [
              "Two paths: the metadata (bucket and key to version, size, checksum and the chunks' ids and places) in a sharded, replicated key-value store on SSDs; the bytes on data nodes full of disks.",
              "PUT: the front end streams the bytes to the data nodes (three replicas, one a zone), then commits the metadata row; the object exists once the row commits, and a crash in between leaves orphan chunks for a collector.",
              "GET: the front end checks the key and its access in the metadata, then the bytes come from the CDN's edge if it holds them, else from the data nodes; the checksum is verified on the way.",
              "LIST: a range scan of the metadata by bucket and prefix, paginated by a continuation token; it never touches a data node.",
              "Every tier spread over three zones, and a shard's replicas in different zones.",
            ],
          },
          deepDive: {
            prompts: [
              "How do you keep 11 nines of durability without paying three times for every byte? And what has happened when a PUT is answered 200 OK?",
            ],
            rubric: [
              "Replication against erasure coding: three copies are 3× the data and survive two losses; RS(10, 4) is 1.4× and survives any four, 1.6 PB saved on this store.",
              "Repair traffic: a dead 20 TB disk is rebuilt from 20 TB of reads with replicas, 200 TB with RS(10, 4) (ten fragments read for each lost one); local reconstruction codes read fewer.",
              "Replicates what is hot or small, erasure-codes what is cold and large, and spreads a stripe's fragments over failure domains so one rack or zone holds few of them.",
              "An acknowledged PUT is on stable storage on every replica: each data node fsyncs before it answers (an fsync covers what was written before it was called), and group commit shares one fsync among many writes.",
              "Scrubbing: checksums checked on every read and in the background, a bad copy rebuilt from a good one before a second loss.",
            ],
          },
          wrapUp: {
            prompts: ["Sum up your design: what did you trade, and what breaks first as it grows?"],
            rubric: [
              "Metadata and data scale apart: the metadata with requests and object count (105k reads a second, 500 GB), the data nodes with bytes (3 PB).",
              "Storage against repair: erasure coding halves the raw disk and multiplies repair reads by ten; replication is simple and cheap to repair.",
              "The CDN carries the GETs: 90% of 95.1k a second, and a hot object spread over its edge servers; without it the data nodes would be sized by requests, not disks.",
              "What breaks first: a hot prefix on one metadata shard, and small objects (metadata per byte, too small to cut into fragments: pack them).",
            ],
          },
        },
        followUps: [
          {
            question: "Why not keep three copies of everything? What does erasure coding cost you?",
            answer:
              "Three copies of 1 PB are 3 PB of disk; RS(10, 4) cuts each object into ten data fragments and adds four parity fragments, any ten of which rebuild it: 1.4 PB, and it survives four lost fragments where three replicas survive two. The price is repair and reads. A dead 20 TB disk is rebuilt by copying 20 TB with replicas, but each lost fragment needs ten others read: 200 TB of network traffic; a read of an object whose fragment is lost is reconstructed from ten nodes, slower than reading a copy; and a small object costs fourteen metadata entries and fourteen disk operations. So replicate hot and small objects and erasure-code cold, large ones, as Facebook's f4 moved warm blobs from 3.6× replication to 2.1× (OSDI 2014), and use codes with local parities (Azure's LRC, 2012) to read fewer fragments for the common single loss.",
          },
          {
            question: "Why two stores? Why not keep each object's metadata on the data nodes, beside its bytes?",
            answer:
              "They do different work. The metadata is small (500 B an object, 500 GB for 1B objects) and busy: a lookup for each of the 95.1k GETs a second, every LIST, a commit for each PUT, and it must be strongly consistent. The data is large (3 PB with replicas), written once and read in megabytes, on disks that seek for every request, about a thousand a second a server. Put the metadata on the data nodes and every lookup and LIST lands on those disks: 114k requests a second over 30 servers is 382% of what they serve, and a LIST by prefix would have to ask every node. Keep the metadata in a sharded key-value store on SSDs, write the bytes first and commit the metadata row last, so an object is visible only once its bytes are durable.",
          },
          {
            question: "A zone is lost. What happens to PUTs, GETs and the data?",
            answer:
              "With each shard's three replicas in three zones, every shard keeps two: nothing is lost and every request still finds its object. The load moves onto what is left: the front ends and the metadata nodes go from about 44% to 65% of their capacity, the CDN from 53% to 79%, the data nodes from 32% to 49%, which is why every tier runs at 70% or less at peak. PUTs continue on two replicas; the system then re-creates the missing third copies elsewhere, 1 PB of copying if the zone is gone for good, throttled so that it does not starve client traffic. Had all three replicas been in one zone, the zone would be a single point of failure: up 99.9% at best, where 99.99% is asked. And an RS(10, 4) stripe spread over three zones has five fragments in some zone, one more than it can lose: erasure coding across zones needs wider stripes, or a copy in another region as f4 keeps.",
          },
          {
            question: "An object goes viral and draws 10% of all GETs. What happens, and where do you stop it?",
            answer:
              "10% of 95.1k is 9.5k GETs a second for one key. Every store puts a key on one shard: three replicas of a disk server serving a thousand 1 MB reads a second each cannot take it, and S3 itself documents 5,500 GETs a second per prefix partition. A cache cluster sharded by key does no better: the object lives on one node, whose 25 Gbit/s link serves about 3k objects of 1 MB a second: the 9.5k on top of its share of the rest is 338% of that. A CDN is the answer because each edge server keeps its own copy: the 9.5k spread over 60 servers is 158 a second each. The metadata lookup still lands on one shard, 3.2k a second on each of its three replicas (72% of a node in the drill with the rest of its load), so a hot key's metadata can also be cached at the front ends for a few seconds.",
          },
          {
            question: "What does an fsync cost, and what does a PUT promise when it answers 200 OK?",
            answer:
              "An fsync returns once the bytes are on stable storage, and that is the only point after which a power cut cannot lose them: write() alone leaves them in the page cache. It waits for the device, about 2 ms on a disk that flushes its cache, so one fsync at a time allows 500 a second; a data node that must commit 20k writes a second shares each fsync among 40 of them (group commit), and each waits up to about two fsyncs. A PUT answers 200 OK only when every replica has fsynced the bytes and the metadata row has committed, durably, on its shard's replicas: answering earlier would make acknowledged objects disappear after a crash, which 11 nines of durability cannot allow.",
          },
        ],
      },
    },
    {
      id: "design-file-sync",
      title: "Design: file sync (Dropbox-like)",
      difficulty: 3,
      file: "design-file-sync.ts",
      hints: [
        "Four flows: a device uploads the chunks an edit changed, commits the new version to the metadata, the user's other devices are told, and they download the changed chunks. 100M edits a day at three times the average is 3,472 a second at peak.",
        "Only changed chunks move: content-defined chunks of 1 MB on average, and an edit changes about two of them, where the whole 20 MB file is twenty. The block servers' network is what runs out first.",
        "The commit is a transaction in a metadata database sharded by user; telling the other devices is a message on a queue that notification servers deliver over held connections. Nobody waits for a device to hear.",
        "Size the block store by its disks: 1 EB synced, a third saved by dedup, three replicas. Spread every tier over three zones.",
      ],
      budgets: {},
      // the chapter's estimate: 100M users of 10 GB each, one edit a user a day
      design: {
        workload: {
          accounts: "100M user",
          per_user: "10 GB/user",
          dedup_ratio: "1.5",
          synced: "accounts * per_user",
          unique: "synced / dedup_ratio",
          edits: "100M file/day",
          peak_factor: "3",
          other_devices: "2",
          edit_peak: "edits * peak_factor",
          download_peak: "edit_peak * other_devices",
        },
        flows: {
          upload: { rate: "edit_peak", p99: "300 ms" },
          commit: { rate: "edit_peak", p99: "200 ms" },
          notify: { rate: "download_peak", p99: "2 s" },
          download: { rate: "download_peak", p99: "300 ms" },
        },
        availability: "99.9%",
        // the deduplicated chunks, kept as long as the accounts: the store does not shrink
        storage: "unique",
        // the disks are the bill: the reference's 3.17 EB of them cost $73.1M a month at list prices
        // (86% of this); the 1 EB kept undeduplicated, with three replicas, needs 1,489 servers'
        // shards at least, $98.9M. Dropbox moved its 500 PB off S3 to disks of its own for this
        // reason (Dropbox tech blog, "Scaling to exabytes and beyond", 2016)
        budget: "85M USD/month",
        drills: ["zone-loss"],
      },
      // npm run interview -- file-sync: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design Dropbox: a folder on each of a user's devices, kept the same through the cloud. What do you ask first?",
            ],
            rubric: [
              "Pins down the functions: upload and download, sync across devices, edits made offline, version history, sharing; the largest file.",
              "Asks the scale: 100M users of 10 GB each is 1 EB (the seed's total, right this time), 500 files each of 20 MB on average, and how often files change: one edit a user a day.",
              "Asks the consistency: a version is committed or not (strong, in the metadata), while the bytes reach the other devices eventually, within seconds.",
              "Asks what happens when two devices edit one file while offline: the user expects both edits kept.",
              "Asks the non-functional targets: 11 nines of durability, 99.9% availability, upload bandwidth on a home connection.",
            ],
          },
          estimate: {
            prompts: [
              "100M users with 10 GB each, one edit a user a day, three devices each. Work out the storage, the rates, and the bandwidth with and without chunking.",
            ],
            rubric: [
              "Storage: 1 EB synced, 667 PB once dedup saves a third, 2 EB with three replicas (933 PB with RS(10, 4)).",
              "Rates: 100M edits a day is 1,157 a second, 3,472 at peak; each tells two other devices: 6,944 notifications and downloads a second.",
              "Upload bandwidth at peak: the 2 changed chunks of 1 MB are 55.6 Gbit/s; the whole 20 MB file on every edit would be 556 Gbit/s.",
              "Metadata: 50B files at 500 B is 25 TB, and the chunk index (667B chunks at 100 B) 66.7 TB: 91.7 TB, so the metadata is sharded.",
              "Block store by disk: 2 EB in 70% of servers of 960 TB is 2,976 servers.",
            ],
          },
          design: {
            prompts: [
              "Draw it: what happens between a user saving a file on one device and the file appearing on another?",
            ],
            rubric: [
              "The client cuts the file into content-defined chunks (1 MB on average), hashes each with SHA-256, asks which hashes the server lacks and uploads only those.",
              "Chunks are stored by their hash in a block store (an object store, three replicas over three zones): a chunk any user already stored is not stored again.",
              "Commit: one transaction on the user's metadata shard, the path's new version with its list of chunk hashes, based on the version the device edited, appended to the user's journal.",
              "Notify: the commit puts a change on a queue and answers; notification servers hold each device's long poll and answer it; nobody waits for a device.",
              "Download: each other device reads the journal from its cursor, fetches the chunks it lacks and assembles the file.",
            ],
          },
          deepDive: {
            prompts: [
              "Go deep on two things: how an edit moves only a few chunks, and what happens when two devices edit the same file.",
            ],
            rubric: [
              "Fixed-size blocks shift after an insert and every later block changes; content-defined chunks cut where a rolling hash of the last bytes matches a pattern, so an edit changes about two chunks (the chunked-dedup kata).",
              "Chunk sizes bounded (256 KB, 1 MB on average, 4 MB): bounded metadata per file and bounded work per upload.",
              "The commit is a compare-and-set on the base version: the second of two concurrent commits fails, and its client keeps its edit as a conflicted copy; never last writer wins.",
              "A per-user journal with a cursor: a device asks for changes since its cursor, so a lost notification only delays a sync, and downloading a chunk twice is harmless.",
              "A chunk is deleted only when no version refers to it, after a grace period, since an upload in progress may be about to refer to it.",
            ],
          },
          wrapUp: {
            prompts: ["Sum up your design: what did you trade, and what breaks first as it grows?"],
            rubric: [
              "Bytes and metadata apart: block servers carry 20.8k chunks a second at peak, the metadata 17.4k requests; each scales on its own.",
              "Notifications off the commit's path: the commit's p99 stays near 32 ms instead of the 820 ms that waiting for two devices costs.",
              "Dedup across users saves a third of the disk but tells a user whether someone already stored a chunk (a side channel): dedup within a user, or upload anyway.",
              "What breaks first: the block servers' network (ten times more with whole files), and one metadata shard holding a huge shared folder.",
              "The bill is the disks: 3.17 EB of them at object-storage list prices is $73.1M a month; keeping the 1 EB undeduplicated would be $98.9M at least. Dropbox moved its 500 PB off S3 to its own storage (Magic Pocket, 2016) for this.",
            ],
          },
        },
        followUps: [
          {
            question: "Two devices edit the same file while offline, and both come back online. What happens?",
            answer:
              "Both upload their changed chunks (harmless: chunks are named by content) and both try to commit. Each commit names the version it edited, say version 7, and is a compare-and-set in the metadata transaction: the first becomes version 8, the second finds the latest is no longer 7 and fails. Its client then keeps its own edit as a separate file, a conflicted copy beside the winner (Dropbox does exactly this), and syncs that as a new file. Last writer wins would silently throw one user's work away, and merging is only safe for formats the service understands. Version history gives the user a way back either way.",
          },
          {
            question: "A notification is lost, or a laptop was asleep for a week. How does it catch up?",
            answer:
              "Notifications are only hints. Each device keeps a cursor into the user's journal of changes; on waking, reconnecting or hearing a hint, it asks for the changes since its cursor, applies them, downloads the chunks it lacks, and moves its cursor on. A lost notification delays a sync until the next long poll returns or times out (a minute or so), and nothing is ever lost. That is also why notifications can go through a queue and notification servers without any durability promise of their own, and why the commit must not wait for them: a commit that waits for two devices' round trips (150 ms each on average) has a p99 of about 820 ms, where 200 ms is asked.",
          },
          {
            question: "The files are only 20 MB on average. Why not upload the whole file on every save?",
            answer:
              "Because every edit would move ten times the bytes. At 3,472 edits a second at peak, two changed chunks of 1 MB are 55.6 Gbit/s of uploads; whole 20 MB files are 556 Gbit/s, and every other device downloads them too, 208k chunks a second through block servers whose links serve about 3k each: 69 servers' worth instead of 7 at full load, and a home uplink that takes seconds per save instead of a fraction. Fixed-size blocks help for appends and overwrites but not an insert, which shifts every later block; content-defined chunking cuts where the content says, so only the chunks around the edit change.",
          },
          {
            question: "Replication or erasure coding for the chunks? And what does losing a zone do?",
            answer:
              "The chunks are 667 PB once deduplicated: 2 EB with three replicas, 933 PB with RS(10, 4). At this size the 1.07 EB saved pays for the repair traffic (ten fragments read for each lost one: 200 TB to rebuild a 20 TB disk) and for slower reconstruction reads, so cold chunks are erasure-coded and recent, hot ones replicated. With three replicas in three zones, a lost zone leaves two copies of every chunk: nothing is lost, the block servers go from 43% to 69% of their capacity, and the missing copies are re-created in the background. An RS(10, 4) stripe spread over three zones has five fragments in one of them, more than it can lose, so cross-zone erasure coding needs wider stripes or a copy elsewhere.",
          },
          {
            question: "What does the commit's durability cost? What is lost if a metadata primary crashes?",
            answer:
              "A commit is acknowledged only once its WAL record is fsynced on the primary and received by a follower (synchronous replication), so a primary that crashes loses nothing acknowledged: a follower with every commit takes over. An fsync of 2 ms allows 500 a second one at a time; the peak's 3,472 commits a second over 16 shards are 217 a shard, fine even so, and group commit lets many commits share each fsync when a shard is busier. Acknowledging before the fsync (PostgreSQL's synchronous_commit = off) would be faster and lose up to three times wal_writer_delay, 600 ms, of acknowledged commits on a crash: devices would then hold versions the server has forgotten.",
          },
        ],
      },
    },
  ],
});
