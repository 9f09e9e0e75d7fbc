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
        "An object store holds 1B objects of 1 MB on average. How much data is that, before any replica? (A seed document said 1 EB.)",
      given: { stored: "1B object", object_size: "1 MB/object" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "10^9 × 10^6 bytes = 10^15 bytes: 1 PB. An exabyte is 10^18 bytes, a thousand times more: the seed slipped three orders of magnitude.",
    },
    {
      id: "object-storage-raw",
      prompt: "The same 1 PB is kept as 3 full replicas. How much raw disk does it take?",
      given: { logical: "1 PB", copies: "3" },
      unit: "PB",
      tolerance: "10%",
      explanation: "3 PB of raw disk, before free space headroom: 3,000 disks of 1 TB, or 150 of 20 TB.",
    },
    {
      id: "erasure-coded-raw",
      prompt:
        "Stored instead with a Reed-Solomon code of 10 data and 4 parity fragments (RS(10, 4)), any 10 of the 14 enough to rebuild, how much raw disk does 1 PB take?",
      given: { logical: "1 PB", data_fragments: "10", parity_fragments: "4" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "Each object is stored as 14 fragments of a tenth of its size: 1.4× overhead, 1.4 PB, against 3 PB for triple replication, and it survives any 4 lost fragments where 3 replicas survive 2.",
    },
    {
      id: "repair-read",
      prompt:
        "A 20 TB disk of fragments dies. Rebuilding each lost fragment of an RS(10, 4) stripe reads 10 surviving fragments of the same size. How much is read across the network to rebuild the disk? (With replication it would be 20 TB.)",
      given: { disk: "20 TB", data_fragments: "10" },
      unit: "TB",
      tolerance: "10%",
      explanation:
        "Every lost byte needs 10 bytes read: 200 TB, ten times replication's repair traffic. That is the price of the 1.4× overhead, and why codes such as Azure's LRC (2012) read fewer fragments for the common single loss.",
    },
    {
      id: "objects-per-day",
      prompt:
        "The same seed gave 100K PUT/s next to 1B objects. How many objects does that rate create in a day, if every PUT is a new object?",
      given: { puts: "100k object/s" },
      unit: "object",
      tolerance: "10%",
      explanation:
        "100,000 × 86,400 s = 8.64B objects a day: the whole 1B-object store in under 3 hours. Either the PUT rate is a peak far above the average, or most PUTs overwrite, or the store is far larger than 1B objects; ask which.",
    },
    {
      id: "log-volume-day",
      prompt:
        "Servers emit 100K log lines a second, 1 KB each. How much log data is that a day? (A seed document said 8.64 GB.)",
      given: { lines: "100k record/s", line_size: "1 KB/record" },
      unit: "TB",
      tolerance: "10%",
      explanation: "100,000 × 1 KB = 100 MB/s; × 86,400 s = 8.64 TB a day, not GB: the seed dropped a factor of 1,000.",
    },
    {
      id: "log-volume-year",
      prompt: "Kept for a year, how much is that log data, before replicas or compression?",
      given: { lines: "100k record/s", line_size: "1 KB/record" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "8.64 TB × 365 = 3.15 PB a year. Compressed 10× (logs compress well) it is 315 TB; the seed's 3.2 TB a year is a thousand times too small.",
    },
    {
      id: "bloom-bits",
      prompt:
        "A crawler remembers 10B URLs it has seen in a Bloom filter with a 1% false-positive rate. How much memory does the filter take?",
      given: { seen: "10B url", fp_rate: "0.01" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "m/n = −ln p / (ln 2)² = 9.59 bits per URL: 95.9 Gbit, 12 GB. A hash set of the URLs at 100 bytes each would be 1 TB. Every halving of p costs another 1.44 bits per item.",
    },
    {
      id: "bloom-hashes",
      prompt: "How many hash functions should that filter use, that is how many bits does each lookup test?",
      given: { fp_rate: "0.01" },
      unit: "op",
      tolerance: "10%",
      explanation:
        "k = (m/n)·ln 2 = −log2 p = 6.64, rounded to 7. With more, each lookup sets or tests more bits and the filter fills faster; with fewer, each test excludes less.",
    },
    {
      id: "group-commit-batch",
      prompt:
        "A database commits 20,000 transactions a second on a disk whose fsync takes 2 ms. One fsync at a time: how many commits must share each fsync, at least, to keep up?",
      given: { commits: "20k txn/s", fsync_time: "2 ms" },
      unit: "txn",
      tolerance: "10%",
      explanation:
        "One fsync at a time gives at most 500 fsyncs a second; 20,000 commits a second need 40 per fsync. That is group commit: commits wait for the next fsync together, and each waits up to two fsyncs (4 ms).",
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
  ],
});
