import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Estimation",
  summary:
    "The interview framework (scope, estimate, design, deep dive) and back-of-the-envelope arithmetic with units: QPS, storage, bandwidth, caches, Little's law, availability.",
  worksheet: [
    {
      id: "average-qps",
      prompt: "{dau} daily active users make {per_user} requests each a day. What is the average request rate?",
      given: { dau: "10M user", per_user: "20 req/day" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "Requests a day divided by the 86,400 seconds of a day. 1M a day is about 11.6 a second.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { dau: ["1M user", "500M user"], per_user: ["2 req/day", "200 req/day"] },
    },
    {
      id: "peak-qps",
      prompt:
        "The same service ({dau} daily users, {per_user} requests each a day) peaks at {peak_factor} times its average rate. What request rate must it handle at peak?",
      given: { dau: "10M user", per_user: "20 req/day", peak_factor: "3" },
      unit: "req/s",
      tolerance: "10%",
      explanation: "Peak is the average times the peak factor. Say which factor you use: 2 to 5 is usual.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { dau: ["1M user", "500M user"], per_user: ["2 req/day", "200 req/day"], peak_factor: ["2", "5"] },
    },
    {
      id: "media-per-year",
      prompt:
        "{dau} daily users post {per_user} times a day; {with_photo}% of the posts carry a photo of {photo_size} MB. How much photo storage does a year add, before replication?",
      given: { dau: "150M user", per_user: "2 post/day", with_photo: "10%", photo_size: "1 MB" },
      unit: "PB",
      tolerance: "10%",
      explanation: "Posts a day times the share with a photo times its size gives a day's growth; a year is 365 days.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        dau: ["10M user", "1B user"],
        per_user: ["1 post/day", "5 post/day"],
        with_photo: ["5%", "50%"],
        photo_size: ["0.2 MB", "5 MB"],
      },
    },
    {
      id: "log-volume",
      prompt:
        "A fleet emits {event_rate} log events a second of {event_size} kB each. How much log data is that a day?",
      given: { event_rate: "100k event/s", event_size: "1 kB" },
      unit: "TB",
      tolerance: "10%",
      explanation:
        "Rate times size times 86,400 seconds. Complete System Design Interview Solutions put this at 8.64 GB: a factor of 1,000 lost between kB and TB.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { event_rate: ["10k event/s", "5M event/s"], event_size: ["0.2 kB", "10 kB"] },
    },
    {
      id: "kafka-retention",
      prompt:
        "A Kafka cluster takes {message_rate} messages a second of {message_size} kB, keeps them {retention} days and replicates each partition {replication} times. How much disk does it need?",
      given: { message_rate: "1M msg/s", message_size: "1 kB", retention: "7 day", replication: "3" },
      unit: "PB",
      tolerance: "10%",
      explanation:
        "Bytes a second times the retention gives one copy (605 TB); every replica stores another. Chapter 18: Enterprise-Grade Systems stopped at one copy, 602 TB.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        message_rate: ["100k msg/s", "5M msg/s"],
        message_size: ["0.5 kB", "10 kB"],
        retention: ["1 day", "30 day"],
        replication: ["2", "5"],
      },
    },
    {
      id: "stream-bandwidth",
      prompt:
        "{listeners} listeners stream audio at once at {bitrate} kbit/s each. How much egress bandwidth do they use?",
      given: { listeners: "2000 stream", bitrate: "320 kbit/s" },
      unit: "Mbit/s",
      tolerance: "10%",
      explanation:
        "Concurrent streams times the bitrate. kbit × 1,000 is Mbit, not Gbit: Complete System Design Interview Solutions printed a figure 1,000 times too large.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { listeners: ["100 stream", "1M stream"], bitrate: ["64 kbit/s", "320 kbit/s"] },
    },
    {
      id: "concurrent-streams",
      prompt:
        "{start_rate} songs start playing every second and an average song lasts {song_length} seconds. How many streams are playing at any moment?",
      given: { start_rate: "2000 stream/s", song_length: "210 s" },
      unit: "stream",
      tolerance: "10%",
      explanation:
        "Little's law: items in a system are the arrival rate times the time each stays. A request rate is not a concurrency.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { start_rate: ["100 stream/s", "50k stream/s"], song_length: ["120 s", "400 s"] },
    },
    {
      id: "cache-upper-bound",
      prompt:
        "A service serves {daily_reads} reads a day of {object_size}-byte objects. Caching the hottest {hot_share}% of a day's reads: how much memory at most?",
      given: { daily_reads: "500M req/day", object_size: "500 B", hot_share: "20%" },
      unit: "GB",
      tolerance: "2x",
      explanation:
        "The hot share of a day's reads times the object size. It is an upper bound: repeated reads of one object need no extra memory.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        daily_reads: ["10M req/day", "10B req/day"],
        object_size: ["100 B", "10000 B"],
        hot_share: ["5%", "30%"],
      },
    },
    {
      id: "servers-needed",
      prompt:
        "Peak traffic is {peak} req/s. One server sustains {per_server} req/s, and you run servers at {utilization}% so that spikes and a failed server are absorbed. How many servers?",
      given: { peak: "7000 req/s", per_server: "1000 req/s", utilization: "70%" },
      unit: "server",
      tolerance: "10%",
      explanation: "Peak divided by what one server does at the target utilization, rounded up.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {
        peak: ["1000 req/s", "500k req/s"],
        per_server: ["200 req/s", "5000 req/s"],
        utilization: ["50%", "80%"],
      },
    },
    {
      id: "connection-pool",
      prompt:
        "At peak {arrivals} requests a second each hold a database connection for {hold} ms. How many connections are in use at once?",
      given: { arrivals: "1500 req/s", hold: "20 ms" },
      unit: "conn",
      tolerance: "10%",
      explanation: "Little's law again: arrival rate times how long each holds a connection.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { arrivals: ["100 req/s", "50k req/s"], hold: ["1 ms", "200 ms"] },
    },
    {
      id: "downtime-four-nines",
      prompt: "A service promises 99.99% availability. How much downtime does that allow in a year?",
      unit: "min",
      tolerance: "10%",
      explanation: "The unavailable share, 0.01%, of a 365-day year.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "downtime-month",
      prompt: "How much downtime does 99.95% availability allow in a 30-day month?",
      unit: "min",
      tolerance: "10%",
      explanation: "The unavailable share, 0.05%, of 30 days.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
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
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "parallel-downtime",
      prompt:
        "Two replicas, each 99% available and failing independently; either one can serve. How many minutes a year are both down?",
      given: { each: "99%" },
      unit: "min",
      tolerance: "10%",
      explanation: "In parallel, unavailabilities multiply: 1% × 1% = 0.01%, four nines from two nines.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "video-uploads",
      prompt: "{upload_rate} hours of video are uploaded every minute. How many hours of video arrive in a day?",
      given: { upload_rate: "500 hour/min" },
      unit: "hour",
      tolerance: "10%",
      explanation:
        "A day has 1,440 minutes. Complete System Design Interview Solutions said 30,000 hours a day, 24 times too few.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { upload_rate: ["50 hour/min", "2000 hour/min"] },
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
