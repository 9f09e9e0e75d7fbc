import { defineChapter } from "../../grader/manifest/define.ts";

export default defineChapter({
  title: "Consensus and coordination",
  // each spec simulates hundreds of clusters (100 seeds a sweep by default): 20 s is too tight on a loaded 2-core machine
  limits: { timeMs: 60_000 },
  summary:
    "Agree on one leader and one log while machines crash and networks split: Raft's election and replication, a lock service with fencing tokens, and leader leases on drifting clocks, all replayable from a seed.",
  worksheet: [
    {
      id: "tolerated-failures",
      prompt:
        "A Raft cluster has {cluster} servers. How many of them can fail at once while the cluster still elects a leader and commits writes?",
      given: { cluster: "5 server" },
      unit: "server",
      tolerance: "10%",
      explanation:
        "Every decision needs a majority, 3 of 5, so 2 may be down. A sixth server would raise the majority to 4 and tolerate no more failures: clusters have odd sizes.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { cluster: ["3 server", "9 server"] },
    },
    {
      id: "majority-of-seven",
      prompt:
        "How many servers must acknowledge a write before a {cluster}-server cluster can commit it (the leader counts)?",
      given: { cluster: "7 server" },
      unit: "server",
      tolerance: "10%",
      explanation:
        "A majority of 7 is 4: any two majorities share a server, which is why a committed entry survives any election.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { cluster: ["3 server", "11 server"] },
    },
    {
      id: "commit-latency",
      prompt:
        "A 5-server cluster spans regions. From the leader, the round trips to its four followers are 2 ms, 70 ms, 80 ms and 140 ms. Ignoring disks, how long until a write commits?",
      given: { rtt_1: "2 ms", rtt_2: "70 ms", rtt_3: "80 ms", rtt_4: "140 ms" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "A majority of 5 is 3: the leader and 2 followers. With 2f + 1 servers the commit waits for the f-th fastest follower, here the second fastest, 70 ms. The two slower followers never set the pace.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: {},
    },
    {
      id: "failover-time",
      prompt:
        "Heartbeats go out every 50 ms and election timeouts are drawn from 150–{timeout_max} ms. A vote takes one {vote_rtt} ms round trip. In the worst case without a split vote, how long is the cluster without a leader after the leader crashes?",
      given: { timeout_max: "300 ms", vote_rtt: "10 ms" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "The first follower to time out starts the election, at worst the full 300 ms after the last heartbeat, and wins one round trip later. A split vote adds another timeout.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { timeout_max: ["200 ms", "1000 ms"], vote_rtt: ["1 ms", "100 ms"] },
    },
    {
      id: "log-growth",
      prompt:
        "A coordination service commits {rate} writes a second, {entry_size} bytes each, into its Raft log. How much log does it write a day, before snapshots compact it?",
      given: { rate: "2000 write/s", entry_size: "200 B/write" },
      unit: "GB",
      tolerance: "10%",
      explanation:
        "Rate × size × 86,400 s: 34.6 GB a day. Without snapshots a restarted node replays all of it; etcd snapshots every 100,000 entries by default (since 3.2).",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { rate: ["100 write/s", "50k write/s"], entry_size: ["50 B/write", "2000 B/write"] },
    },
    {
      id: "batched-commits",
      prompt:
        "Each commit waits for an fsync of {fsync} ms on a majority, and the leader batches up to {batch} writes into one AppendEntries. At most how many writes a second can the log commit?",
      given: { fsync: "5 ms", batch: "50 write" },
      unit: "write/s",
      tolerance: "10%",
      explanation:
        "One batch per fsync: 50 writes every 5 ms is 10,000 a second. Unbatched, the same disk gives 200 a second: batching, not the network, sets a consensus log's throughput.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { fsync: ["0.5 ms", "20 ms"], batch: ["10 write", "500 write"] },
    },
    {
      id: "lease-margin",
      prompt:
        "Clocks drift at most {drift} s a second (0.0002 is 200 ppm). A leader's lease is {lease} s on its own clock. How much longer than the lease, on their own clocks, must the other servers wait before they may trust a new leader?",
      given: { lease: "10 s", drift: "0.0002" },
      unit: "ms",
      tolerance: "10%",
      explanation:
        "The holder's 10 s may last 10 s ÷ (1 − ρ) of real time; a server's fast clock may count that real time as much as (1 + ρ)/(1 − ρ) × 10 s, so it waits that long. The difference is 4 ms: drift is cheap, GC pauses and stepped clocks are not.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { lease: ["1 s", "60 s"], drift: ["0.00001", "0.001"] },
    },
    {
      id: "lock-handoffs",
      prompt:
        "A lock guards a critical section that takes {hold} ms. Handing the lock to the next waiter takes one {handoff} ms round trip to the lock service. At most how many clients a second can hold the lock in turn?",
      given: { hold: "20 ms", handoff: "2 ms" },
      unit: "op/s",
      tolerance: "10%",
      explanation:
        "One holder at a time, each for the section plus the handoff: 1 ÷ 22 ms is 45 a second. A lock that many clients queue on is a bottleneck; shard the resource or lock less.",
      // a review draws these anew (grader/worksheet/vary.ts)
      vary: { hold: ["1 ms", "500 ms"], handoff: ["0.5 ms", "20 ms"] },
    },
  ],
  katas: [
    {
      id: "raft-election",
      title: "Raft leader election",
      difficulty: 3,
      file: "raft-election.ts",
      hints: [
        "Two timers drive everything: an election timeout (random, reset when you grant a vote or hear the current leader), and a heartbeat interval while you lead. Use ctx.setTimer with the same name to reset one.",
        "First rule of every message: if its term is newer than yours, take that term, forget your vote, and become a follower. Only then look at what the message says.",
        "Grant a vote only for your current term and only if you have not voted for someone else in it. Write term and votedFor to ctx.storage before you send the reply: a crash right after must not let you vote again.",
        "Count votes in a Set of voter ids, not a number: the network duplicates replies. A majority of the whole cluster (peers + 1) makes you leader; send heartbeats at once and then every heartbeatMs.",
      ],
      budgets: {},
    },
    {
      id: "raft-log-replication",
      title: "Raft log replication",
      difficulty: 3,
      file: "raft-log-replication.ts",
      hints: [
        "Start with start() and persistLog(): one storage key per entry (log:1, log:2, ...) plus the length, so an append writes one entry, not the whole log. Then propose() and sendAppendEntries(): entries from nextIndex on, prevLogIndex = nextIndex − 1.",
        "A follower refuses unless it holds prevLogIndex with prevLogTerm. Then walk the new entries: skip one whose term matches yours, and at the first that differs cut your log there and append the rest. Never cut on a mere heartbeat: a late message is shorter, not newer.",
        "Replies come late, twice and out of order: set matchIndex to the max of what you had and the reply's matchIndex, and nextIndex to matchIndex + 1 at least. On a refusal, back nextIndex up by one (not below matchIndex + 1) and send again at once.",
        "Commit from the top: for N from your last index down to commitIndex + 1, stop at the first entry not of your current term; commit N if you and the peers with matchIndex ≥ N are a majority. Applying walks lastApplied up to commitIndex.",
      ],
      budgets: {},
    },
    {
      id: "lock-service",
      title: "Lock service with leases and fencing tokens",
      difficulty: 2,
      file: "lock-service.ts",
      hints: [
        "Keep one record per lock: the holder (or null), the token of its lease, and an array of waiters. Every lease has a timer named after its lock, lease:<lock>; setting it again on a renewal replaces it, and when it fires the lease is over.",
        "Write one helper that hands a free lock to the first waiter: shift() the array, read the lock's counter from ctx.storage, add one, write it back, then send Granted to that client only. Call it on a Release, on a lease timer, and when the wait after a restart ends.",
        "A Renew or Release counts only if the sender is the holder and the token is the lock's current one; anything else gets Lost and changes nothing. Before queueing an Acquire, check whether the sender already holds the lock or is already in line.",
        "In start(), if storage already has your boot mark, set a recovering flag and a timer of leaseMs; while it is set, Acquires only queue. The store keeps {value, token} per key and rejects token < the kept token.",
      ],
      budgets: {},
    },
    {
      id: "leader-lease",
      title: "Leader leases on drifting clocks",
      difficulty: 2,
      file: "leader-lease.ts",
      hints: [
        "Two records live on disk: the promise this node gave ({ to, until } on its own clock, perhaps to itself) and its round counter. Read both in start(), and set a timer to stand once the promise has run out plus a random election timeout.",
        "As a grantor: refuse an Ask while a promise to someone else holds; otherwise promise the asker until now + promiseMs(config), write it to storage, and only then send Grant with the ask's round. A leader renews by asking again, so a promise to the same asker is extended.",
        "As a candidate: bump the round, write it, note askedAt = ctx.now(), promise yourself, and ask every peer. Count Grants for the current round only, in a Set of grantor ids; with a majority of peers + 1, the lease ends at askedAt + leaseMs (never earlier than it already did).",
        "isLeader() compares ctx.now() with the lease's end, so a node that slept through its lease wakes up a follower. While you lead, stand again every renewEveryMs. A round that has not won by then is over: stop counting it, drop your promise to yourself, and stand after a random timeout, so that a rival can win meanwhile.",
      ],
      budgets: {},
    },
    {
      id: "pg-job-queue",
      title: "Lab: a job queue on PostgreSQL",
      difficulty: 2,
      file: "pg-job-queue.ts",
      needs: ["postgres"],
      hints: [
        "One table does it: jobs(id bigserial primary key, payload jsonb, state text, attempts int, run_at bigint, leased_by text, lease_until bigint). A job is due when it is ready and run_at <= now, or leased and lease_until <= now.",
        "Claim in one statement: UPDATE jobs SET state = 'leased', leased_by = $1, lease_until = now + lease, attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE <due> ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id, payload, attempts.",
        "Why SKIP LOCKED: with plain FOR UPDATE, a claim that meets the row another claim has locked waits for that transaction to end; SKIP LOCKED takes the next due row at once. A SELECT and then an UPDATE in two statements lets two workers pick the same row.",
        "The lease is the claim's (worker, attempt): heartbeat, complete and fail change the row only WHERE id = $1 AND state = 'leased' AND leased_by = $2 AND attempts = $3, and say from the row count whether they did. A worker whose job was taken over then changes nothing.",
      ],
      // the work is the server's: one PostgreSQL shared by both, rounds alternated; a busy
      // 2-core machine moves a round's wall time by a half either way
      budgets: {
        throughput: {
          min: 0.25,
          reason:
            "a claim in a transaction of its own (BEGIN, SELECT … SKIP LOCKED, UPDATE, COMMIT) is right and makes four round trips where one statement makes one: it runs at about 0.45×",
        },
        p99: { max: 5, reason: "a claim that waits on another's row lock waits a whole transaction" },
      },
      limits: { timeMs: 120_000 },
    },
    {
      id: "redis-lock-with-fencing",
      title: "Lab: a lock with fencing tokens on Redis and PostgreSQL",
      difficulty: 2,
      file: "redis-lock-with-fencing.ts",
      needs: ["redis", "postgres"],
      hints: [
        "Two keys a resource: lock:<resource>, holding the current lease's token with a PX time to live, and a counter for INCR that never expires. A Lua script (redis.eval(script, 2, lockKey, counterKey, ttlMs)) runs on the server as one step: no other client's command comes between its lines.",
        "acquire in one script: if the lock key exists, return false (nil to ioredis); else INCR the counter and SET the lock to that token with PX ttlMs, and return the token. INCR and SET NX in two round trips let the lock expire and pass to someone else in between, and the later lease gets the lower token.",
        "release and extend compare before they act, in a script too: if GET lock equals the lease's token, DEL (or PEXPIRE); else 0. A plain DEL, or a GET and then a DEL from the client, deletes the lock of whoever took it over while you were paused.",
        "The table decides, not the lock: INSERT INTO fenced_resources ... ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, token = EXCLUDED.token WHERE fenced_resources.token <= EXCLUDED.token, and the row count says whether it wrote. A SELECT of the token and then an UPDATE lets a stale write that read before a newer one committed overwrite it.",
      ],
      // the lock alone (the resource's write is the database's): one Redis shared by both, rounds
      // alternated; a busy 2-core machine moves a round's wall time by a half either way
      budgets: {
        throughput: { min: 0.4, reason: "acquire and release in one round trip each run within 2.5× of the reference" },
        p99: { max: 5, reason: "an acquire of several round trips, or one that waits, shows in its slowest calls" },
      },
      limits: { timeMs: 120_000 },
    },
    {
      id: "design-lock-service",
      title: "Design: a configuration and lock service",
      difficulty: 2,
      file: "design-lock-service.ts",
      hints: [
        "One consensus group is enough: 2,000 writes a second is what a batched log on one disk does five times over. Size it by its requests: every replica applies every write, and a read goes to any one replica.",
        "A write is done when a majority of the replicas hold it: with five replicas, the third fastest sets its latency. Mark the store quorum: true and the write hop write: true.",
        "Place the replicas so that no zone holds more than the cluster can lose: five replicas over three zones (2, 2, 1) lose any zone and keep three, a majority. Four over two zones keep two of four, which is not one.",
        "A disk that syncs every entry alone manages 200 a second (a 5 ms fsync); batching 50 entries a sync gives 10,000, the capacity a replica needs here.",
      ],
      budgets: {},
      // the chapter's estimate: 2,000 writes a second to a replicated log on 5 ms disks
      design: {
        workload: {
          writes: "2000 write/s",
          clients: "10k",
          reads_each: "2 req/s",
          reads: "clients * reads_each",
        },
        flows: {
          write: { rate: "writes", p99: "50 ms" },
          read: { rate: "reads", p99: "50 ms" },
        },
        availability: "99.99%",
        drills: ["zone-loss"],
      },
      // npm run interview -- lock-service: the chapter as an interview, in its order and with its numbers
      interview: {
        phases: {
          clarify: {
            prompts: [
              "Design a configuration and lock service, like ZooKeeper or etcd, for the services of one region. What do you need to know first?",
            ],
            rubric: [
              "Asks what must be agreed on: one value (who leads), a sequence (a replicated log) or ownership over time (locks, leases); a log covers all three.",
              "Asks which failures: crashes with disks that survive, messages lost, delayed, duplicated and reordered, partitions, process pauses, drifting clocks; not Byzantine nodes.",
              "Asks how many failures, and where: 2f + 1 servers survive f, spread over zones so that one event never takes a majority.",
              "Asks what readers need: linearizable reads (a round trip to a majority, or a leader lease) or stale reads from followers.",
              "Asks the load and the targets: thousands of writes a second, not millions; commit latency; failover time; availability (99.99%).",
            ],
          },
          estimate: {
            prompts: [
              "2,000 writes a second of 200-byte entries, and 10k clients each reading config twice a second. How many servers, and what limits a write?",
            ],
            rubric: [
              "Five servers: a majority of 3, so two may fail; seven tolerate three but wait for four; six tolerate only two, like five.",
              "Finds the disk the limit: every entry must be durable on a majority; one 5 ms fsync per entry caps the log at 200 writes a second, batches of 50 a sync give 10,000.",
              "Grows the log 34.6 GB a day (2,000 entries of 200 B a second): snapshots replace the applied prefix.",
              "Reads: 20k a second; from any replica they spread five ways, 4k each, besides the 2,000 writes every replica applies: 6k a second a replica.",
              "Commit latency is the f-th fastest follower's: with followers 2, 70, 80 and 140 ms away and f = 2, 70 ms; a leader's crash stops writes about 310 ms (a 300 ms timeout and a vote).",
            ],
          },
          design: {
            prompts: ["Draw the service: how does a write become durable, and how is a read served?"],
            rubric: [
              "A cluster of 3 to 7 servers running one consensus log (Raft); one leader takes the writes.",
              "A write is appended by the leader, sent with AppendEntries, committed once a majority holds it, then applied to the state machine (a key-value tree).",
              "Locks, leases, watches and leader election for other services are built on that state machine.",
              "Reads: linearizable through the leader with ReadIndex (a heartbeat round) or a lease, or stale from any follower; says which, and why.",
              "Five replicas over three zones as 2, 2 and 1, so that losing any zone leaves a majority.",
            ],
          },
          deepDive: {
            prompts: [
              "Go deep on the lock itself: how does a client acquire it, hold it and lose it, and what stops two clients from both believing they hold it?",
            ],
            rubric: [
              "A lock is a lease: granted for a time (say 10 s), renewed by its holder, passed on when it runs out.",
              "Waiters queue without a herd: each creates a sequential node and watches only its predecessor, so a release wakes one client, in order.",
              "A lease alone is not safe: a holder paused past its lease wakes and writes, and nothing it checks before writing helps.",
              "Fencing tokens: every grant carries a number that grows with each grant, from the same agreement (zxid, revision), persisted before the grant; the resource rejects a token lower than one it has seen.",
              "Knows the election under it: one vote per term, on disk before the reply; random timeouts (150 to 300 ms); a leader commits by counting only entries of its own term (Figure 8).",
            ],
          },
          wrapUp: {
            prompts: [
              "Sum up: what does the service guarantee, what does it cost, and what should never be stored in it?",
            ],
            rubric: [
              "Guarantees: linearizable, surviving f failures of 2f + 1; costs a majority round trip and an fsync per commit.",
              "Consensus is for small, critical state: metadata (who leads which shard, which config is current) in it, the data in systems that scale out.",
              "A hot lock is a queue: held 20 ms with a 2 ms handoff, it passes to at most 45 holders a second; shard the resource.",
              "A lock without a fencing token is for efficiency only: duplicates are possible.",
            ],
          },
        },
        followUps: [
          {
            question:
              "The lock's holder stops for 15 seconds in a garbage collection while holding a 10-second lease. What happens when it wakes?",
            answer:
              "Its lease ran out after 10 s and the service granted the lock to the next waiter, with a higher fencing token (34 after 33, say). The paused client wakes still believing it holds the lock and writes with token 33; the storage has already seen 34 and rejects it. Without the token nothing would stop that write: the pause can come right after any check the holder makes. So the resource must check tokens, and the token must come from the lock service's own agreement (ZooKeeper's zxid, etcd's revision), saved before the grant goes out.",
          },
          {
            question: "How far can the servers' clocks drift before a lease breaks? And a clock that jumps?",
            answer:
              "Leases need clocks that measure durations within a drift bound ρ. At 200 ppm, a bad quartz clock, a grantor of a 10 s lease waits 10 s × (1 + ρ)/(1 − ρ) = 10.004 s on its own clock before supporting anyone else: 4 ms of margin, so drift costs almost nothing. The holder counts its lease from when it asked, so a grant that arrives late buys no extra time. What breaks leases is a clock that jumps (an NTP step, a VM resumed from a snapshot) and pauses: measure leases on a monotonic clock, never wall time, and rely on fencing tokens for safety.",
          },
          {
            question: "We lose a whole zone. Does the service keep working?",
            answer:
              "With five replicas over three zones as 2, 2 and 1, losing any zone leaves at least three, a majority: writes and linearizable reads go on. If the leader was in the lost zone, writes stop for an election: a timeout of up to 300 ms and a vote's round trip, about 310 ms, longer if the vote splits. Four replicas over two zones would keep two of four, not a majority: a zone that holds more replicas than the cluster can lose is a single point of failure. Spreading the replicas over regions instead survives a region, but puts a cross-region round trip (70 ms to the second fastest follower in the chapter's example) into every commit.",
          },
          {
            question: "Why not SET lock NX PX 10000 with a random value in Redis, or Redlock over five Redis nodes?",
            answer:
              "A random value identifies a holder but cannot be compared, so it cannot fence: the storage cannot tell an old holder's write from a new one's. A single Redis primary replicates asynchronously, so a failover can lose a lock and grant it twice. Redlock's majority of independent nodes still leans on clocks and pauses behaving, the very failures a lock must survive. Use a consensus store whose grants carry a counter from its log, and a resource that checks it; a lock without a token is fine only where a duplicate merely wastes work.",
          },
          {
            question: "Writes double to 4,000 a second. Does one consensus group still cope, and what about reads?",
            answer:
              "The disk sets the pace: one 5 ms fsync per entry would manage 200 a second, but batches of 50 entries a sync give 10,000, so 4,000 still fits one group, at 40%. Every replica applies every write, so more replicas add no write capacity: they add read capacity (stale unless served through ReadIndex or a lease) and a larger majority to wait for. Past one group's disk, split the keys into several groups, each with its own leader, as TiKV does with its Regions. And keep the log bounded: etcd snapshots every 100,000 entries by default.",
          },
        ],
      },
    },
  ],
});
