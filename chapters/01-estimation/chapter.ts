import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Estimation",
  summary:
    "The interview framework (scope, estimate, design, deep dive) and back-of-the-envelope arithmetic with units: QPS, storage, bandwidth, caches, Little's law, availability.",
  worksheet: [
    {
      id: "average-qps",
      prompt: "10M daily active users make 20 requests each a day. What is the average request rate?",
      given: { dau: "10M user", per_user: "20 req/day" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "Requests a day divided by the 86,400 seconds of a day. 1M a day is about 11.6 a second.",
    },
    {
      id: "peak-qps",
      prompt: "The same service peaks at three times its average rate. What request rate must it handle at peak?",
      given: { dau: "10M user", per_user: "20 req/day", peak_factor: "3" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "Peak is the average times the peak factor. Say which factor you use: 2 to 5 is usual.",
    },
    {
      id: "media-per-year",
      prompt:
        "150M daily users post twice a day; one post in ten carries a 1 MB photo. How much photo storage does a year add, before replication?",
      given: { dau: "150M user", per_user: "2 post/day", with_photo: "10%", photo_size: "1 MB" },
      unit: "PB",
      tolerance: "10%",
      explanation: "Posts a day times the share with a photo times its size gives a day's growth; a year is 365 days.",
    },
    {
      id: "log-volume",
      prompt: "A fleet emits 100,000 log events a second of 1 kB each. How much log data is that a day?",
      given: { event_rate: "100k event/s", event_size: "1 kB" },
      unit: "TB",
      tolerance: "10%",
      explanation:
        "Rate times size times 86,400 seconds. Complete System Design Interview Solutions put this at 8.64 GB: a factor of 1,000 lost between kB and TB.",
    },
    {
      id: "kafka-retention",
      prompt:
        "A Kafka cluster takes 1M messages a second of 1 kB, keeps them 7 days and replicates each partition 3 times. How much disk does it need?",
      given: { message_rate: "1M msg/s", message_size: "1 kB", retention: "7 day", replication: "3" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "Bytes a second times the retention gives one copy (605 TB); every replica stores another. Chapter 18: Enterprise-Grade Systems stopped at one copy, 602 TB.",
    },
    {
      id: "stream-bandwidth",
      prompt: "2,000 listeners stream audio at once at 320 kbit/s each. How much egress bandwidth do they use?",
      given: { listeners: "2000 stream", bitrate: "320 kbit/s" },
      unit: "Mbit/s",
      tolerance: "10%",
      explanation:
        "Concurrent streams times the bitrate. kbit × 1,000 is Mbit, not Gbit: Complete System Design Interview Solutions printed a figure 1,000 times too large.",
    },
    {
      id: "concurrent-streams",
      prompt:
        "2,000 songs start playing every second and an average song lasts 210 seconds. How many streams are playing at any moment?",
      given: { start_rate: "2000 stream/s", song_length: "210 s" },
      unit: "stream",
      tolerance: "10%",
      explanation:
        "Little's law: items in a system are the arrival rate times the time each stays. A request rate is not a concurrency.",
    },
    {
      id: "cache-upper-bound",
      prompt:
        "A service serves 500M reads a day of 500-byte objects. Caching the hottest 20% of a day's reads: how much memory at most?",
      given: { daily_reads: "500M req/day", object_size: "500 B", hot_share: "20%" },
      unit: "GB",
      tolerance: "2x",
      explanation:
        "The hot share of a day's reads times the object size. It is an upper bound: repeated reads of one object need no extra memory.",
    },
    {
      id: "servers-needed",
      prompt:
        "Peak traffic is 7,000 req/s. One server sustains 1,000 req/s, and you run servers at 70% so that spikes and a failed server are absorbed. How many servers?",
      given: { peak: "7000 req/s", per_server: "1000 req/s", utilization: "70%" },
      unit: "server",
      tolerance: "10%",
      explanation: "Peak divided by what one server does at the target utilization, rounded up.",
    },
    {
      id: "connection-pool",
      prompt:
        "At peak 1,500 requests a second each hold a database connection for 20 ms. How many connections are in use at once?",
      given: { arrivals: "1500 req/s", hold: "20 ms" },
      unit: "conn",
      tolerance: "10%",
      explanation: "Little's law again: arrival rate times how long each holds a connection.",
    },
    {
      id: "downtime-four-nines",
      prompt: "A service promises 99.99% availability. How much downtime does that allow in a year?",
      unit: "min",
      tolerance: "10%",
      explanation: "The unavailable share, 0.01%, of a 365-day year.",
    },
    {
      id: "downtime-month",
      prompt: "How much downtime does 99.95% availability allow in a 30-day month?",
      unit: "min",
      tolerance: "10%",
      explanation: "The unavailable share, 0.05%, of 30 days.",
    },
    {
      id: "series-downtime",
      prompt:
        "A request passes through three services in a row, each 99.9% available, failing independently. How many hours a year is the chain down?",
      given: { each: "99.9%" },
      unit: "hour",
      tolerance: "10%",
      explanation:
        "In series, availabilities multiply: 0.999³ ≈ 0.997. The chain is down about three times as long as any one service.",
    },
    {
      id: "parallel-downtime",
      prompt:
        "Two replicas, each 99% available and failing independently; either one can serve. How many minutes a year are both down?",
      given: { each: "99%" },
      unit: "min",
      tolerance: "10%",
      explanation: "In parallel, unavailabilities multiply: 1% × 1% = 0.01%, four nines from two nines.",
    },
    {
      id: "video-uploads",
      prompt: "500 hours of video are uploaded every minute. How many hours of video arrive in a day?",
      given: { upload_rate: "500 hour/min" },
      unit: "hour",
      tolerance: "10%",
      explanation:
        "A day has 1,440 minutes. Complete System Design Interview Solutions said 30,000 hours a day, 24 times too few.",
    },
  ],
  katas: [
    {
      id: "availability",
      title: "Availability of composed systems",
      difficulty: 1,
      file: "availability.ts",
      hints: [
        "Series: every part must be up, so multiply the availabilities. Parallel: the system is down only when every part is down, so multiply the unavailabilities and subtract from 1.",
        "A system is a tree: compute the availability of each part recursively, then combine at the node.",
        "k of n: the chance that at least k of n independent parts are up. Build it one part at a time: after each part, keep the probability that exactly j parts are up so far, for every j.",
        "Downtime is (1 − availability) × the period, with a 30-day month and a 365-day year. Nines are −log10(1 − availability).",
      ],
      budgets: {
        growth: {
          max: 6,
          reason:
            "a k-of-n quorum of 3× the parts may cost 9× (O(n²)) or 27× (O(n³)); enumerating 2ⁿ subsets costs thousands",
        },
      },
    },
    {
      id: "capacity-planner",
      title: "Capacity planner",
      difficulty: 1,
      file: "capacity-planner.ts",
      hints: [
        "Write each quantity with its unit in a comment as you compute it: req/day, then req/s, then B, then bit/s. The units are the checksum.",
        "A day is 86,400 s, not 100,000. Storage keeps every copy: multiply by the replication factor.",
        "Egress is in bits per second: bytes × 8. Servers are whole: round up, after dividing by what one server does at the target utilization.",
        "Concurrency is Little's law: the peak rate times how long a request holds a worker.",
      ],
      budgets: {},
    },
  ],
});
