import { describe, expect, it } from "vitest";
import * as learner from "#kata/12-consensus-and-coordination/pg-job-queue";
import type { Database } from "#kit";
import * as reference from "#ref/12-consensus-and-coordination/pg-job-queue";
import { compareConcurrent, kataOf, loadTest, randomFor } from "#spec";
import chapter from "../../../chapters/12-consensus-and-coordination/chapter.ts";
import { type LabDatabase, labDatabase, labDatabasesPerTest } from "../../spec/lab.ts";

const { budgets } = kataOf(chapter, "12-consensus-and-coordination", "pg-job-queue");
type Queue = typeof learner;
type Claimed = NonNullable<Awaited<ReturnType<Queue["claim"]>>>;

const LEASE = 30_000;
const T0 = 1_000_000;

const schema = labDatabasesPerTest("pg_job_queue");
async function lab(as: "learner" | "reference" = "learner", queue: Queue = learner): Promise<LabDatabase> {
  const database = await schema(as);
  await queue.createQueue(database.db);
  return database;
}

/** what the server holds, by state: read by the grader, not asked of the queue */
async function states(database: LabDatabase): Promise<Record<string, number>> {
  const { rows } = await database.check.query<{ state: string; n: number }>(
    "SELECT state, count(*)::int AS n FROM jobs GROUP BY state ORDER BY state",
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
async function attemptsOf(database: LabDatabase, id: number): Promise<number> {
  const { rows } = await database.check.query<{ attempts: number }>("SELECT attempts FROM jobs WHERE id = $1", [id]);
  return rows[0]?.attempts ?? -1;
}

describe("claims", () => {
  it("hands out the oldest due job first, one claim each, and nothing that is not due", async () => {
    const { db } = await lab();
    const first = await learner.enqueue(db, { n: 1 }, T0);
    const second = await learner.enqueue(db, { n: 2 }, T0 + 1);
    await learner.enqueue(db, { n: 3 }, T0 + 60_000); // due in a minute
    const a = await learner.claim(db, "w1", T0 + 10, LEASE);
    const b = await learner.claim(db, "w2", T0 + 10, LEASE);
    expect([a?.id, b?.id], "claims at T0+10 ms of jobs enqueued at T0, T0+1 ms, T0+60 s").toEqual([first, second]);
    expect(a?.payload).toEqual({ n: 1 });
    expect(a?.attempt, "a first claim is attempt 1").toBe(1);
    expect(await learner.claim(db, "w3", T0 + 10, LEASE), "the third job is not due until T0+60 s").toBeUndefined();
  });

  it("takes the next job when another claim holds the oldest one's row, rather than wait for it", async () => {
    const database = await lab();
    const { db } = database;
    const first = await learner.enqueue(db, "x", T0);
    const second = await learner.enqueue(db, "y", T0 + 1);
    // another worker's claim, caught between locking the oldest job's row and committing
    const release = await database.hold("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", [first]);
    try {
      const claimed = learner.claim(db, "w2", T0 + 10, LEASE);
      // the claim either answers, or shows up waiting on the lock: whichever comes first
      let waited = false;
      let answeredFirst = false;
      const answered = await Promise.race([
        claimed.finally(() => {
          answeredFirst = true;
        }),
        (async () => {
          while (!answeredFirst) {
            if ((await database.waitingOnLocks()) > 0) {
              waited = true;
              return undefined;
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        })(),
      ]);
      expect(
        waited,
        `claim waited for the lock on job ${first}, held by another transaction: a claim skips rows others hold (SKIP LOCKED)`,
      ).toBe(false);
      expect((answered as Claimed | undefined)?.id, "the next due job").toBe(second);
    } finally {
      await release();
    }
  });

  it("does not hand a leased job out again until its lease runs out; then the first worker can no longer complete it", async () => {
    const database = await lab();
    const { db } = database;
    const id = await learner.enqueue(db, "x", T0);
    const first = (await learner.claim(db, "w1", T0, LEASE)) as Claimed;
    expect(
      await learner.claim(db, "w2", T0 + LEASE - 1, LEASE),
      `w2 at T0+${LEASE - 1} ms, w1's lease to T0+${LEASE} ms`,
    ).toBeUndefined();
    const second = await learner.claim(db, "w2", T0 + LEASE, LEASE);
    expect(second?.id, "w2 takes the job over once w1's lease has run out").toBe(id);
    expect(second?.attempt).toBe(2);
    expect(await learner.complete(db, first, T0 + LEASE + 5), "w1, whose lease was taken over, completes").toBe(false);
    expect(await learner.complete(db, second as Claimed, T0 + LEASE + 6), "w2, which holds the lease, completes").toBe(
      true,
    );
    expect(await states(database)).toEqual({ done: 1 });
    expect(await attemptsOf(database, id)).toBe(2);
  });

  it("keeps a job leased while its worker's heartbeats come in time", async () => {
    const { db } = await lab();
    await learner.enqueue(db, "x", T0);
    const job = (await learner.claim(db, "w1", T0, LEASE)) as Claimed;
    expect(await learner.heartbeat(db, job, T0 + LEASE - 100, LEASE), "a heartbeat 100 ms before the lease ends").toBe(
      true,
    );
    expect(await learner.claim(db, "w2", T0 + LEASE + 100, LEASE), "the heartbeat moved the lease on").toBeUndefined();
    const taken = await learner.claim(db, "w2", T0 + 2 * LEASE, LEASE);
    expect(taken?.id, "taken over once the extended lease ran out").toBe(job.id);
    expect(await learner.heartbeat(db, job, T0 + 2 * LEASE + 1, LEASE), "w1's heartbeat, once w2 holds the job").toBe(
      false,
    );
  });
});

describe("failures", () => {
  const policy = { maxAttempts: 3, backoffMs: 1_000 };

  it("retries a failed job after its backoff, doubling each time, and lets it die after its last attempt", async () => {
    const database = await lab();
    const { db } = database;
    const id = await learner.enqueue(db, "x", T0);
    let now = T0;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const job = (await learner.claim(db, "w", now, LEASE)) as Claimed;
      expect(job?.attempt, `attempt ${attempt} claimed at ${now}`).toBe(attempt);
      now += 10;
      const outcome = await learner.fail(db, job, now, `boom ${attempt}`, policy);
      expect(outcome, `fail() after attempt ${attempt} of ${policy.maxAttempts}`).toBe(
        attempt < policy.maxAttempts ? "retry" : "dead",
      );
      if (attempt === policy.maxAttempts) break;
      const wait = policy.backoffMs * 2 ** (attempt - 1);
      waits.push(wait);
      expect(
        await learner.claim(db, "w", now + wait - 1, LEASE),
        `not due until ${wait} ms after failure ${attempt}`,
      ).toBeUndefined();
      now += wait;
    }
    expect(waits).toEqual([1_000, 2_000]);
    expect(await learner.claim(db, "w", now + 1e9, LEASE), "a dead job is never claimed again").toBeUndefined();
    expect(await states(database)).toEqual({ dead: 1 });
    expect(await attemptsOf(database, id)).toBe(policy.maxAttempts);
  });

  it("says a failure is lost when the worker's lease was taken over, and changes nothing", async () => {
    const database = await lab();
    const { db } = database;
    await learner.enqueue(db, "x", T0);
    const stale = (await learner.claim(db, "w1", T0, LEASE)) as Claimed;
    const fresh = (await learner.claim(db, "w2", T0 + LEASE, LEASE)) as Claimed;
    expect(await learner.fail(db, stale, T0 + LEASE + 1, "late", policy)).toBe("lost");
    expect(await learner.complete(db, fresh, T0 + LEASE + 2)).toBe(true);
    expect(await states(database)).toEqual({ done: 1 });
  });
});

/** enqueues jobs 1..count, due at T0, through the queue's own enqueue, 20 at once */
async function enqueueMany(queue: Queue, db: Database, count: number): Promise<void> {
  // 20 enqueuers, one per connection of the pool, each taking the next payload as it finishes
  let next = 1;
  const enqueuer = async () => {
    while (next <= count) await queue.enqueue(db, next++, T0);
  };
  await Promise.all(Array.from({ length: 20 }, enqueuer));
}

/** what the workers of a run saw: each completion, each claim against the claims still held */
class Ledger {
  readonly completed = new Map<number, number>();
  readonly held = new Map<number, string>();
  readonly doubleClaims: string[] = [];
  inFlight = 0;
  mostInFlight = 0;
  claimed(job: Claimed): void {
    const holder = this.held.get(job.id);
    if (holder !== undefined && holder !== job.worker)
      this.doubleClaims.push(`job ${job.id} handed to ${job.worker} (attempt ${job.attempt}) while ${holder} held it`);
    this.held.set(job.id, job.worker);
  }
  released(job: Claimed): void {
    if (this.held.get(job.id) === job.worker) this.held.delete(job.id);
  }
  /** enough double claims or double completions seen to fail the run */
  broken(): boolean {
    return this.doubleClaims.length >= 5 || this.twiceDone >= 5;
  }
  twiceDone = 0;
  done(job: Claimed): void {
    if (this.completed.has(job.id)) this.twiceDone++;
    this.completed.set(job.id, (this.completed.get(job.id) ?? 0) + 1);
  }
}

/** a worker: claims and completes until a claim comes back empty; `dies` says which claims it abandons */
async function worker(
  queue: Queue,
  db: Database,
  name: string,
  now: number,
  ledger: Ledger,
  dies: (job: Claimed) => boolean = () => false,
  abandoned: Claimed[] = [],
): Promise<void> {
  for (;;) {
    // a run that has shown its mistake stops: the rest would only cost time (a queue that hands
    // one job to every worker drains 5,000 jobs sixteen times over)
    if (ledger.broken()) return;
    ledger.inFlight++;
    ledger.mostInFlight = Math.max(ledger.mostInFlight, ledger.inFlight);
    const job = await queue.claim(db, name, now, LEASE).finally(() => ledger.inFlight--);
    if (!job) return;
    ledger.claimed(job);
    if (dies(job)) {
      abandoned.push(job);
      continue;
    }
    if (await queue.complete(db, job, now + 1)) ledger.done(job);
    ledger.released(job);
  }
}

describe("many workers at once", () => {
  it("drains 5,000 jobs with 16 workers over two pools: each claimed once, completed once, none left", async () => {
    const database = await lab();
    const jobs = 5_000;
    await enqueueMany(learner, database.db, jobs);
    const other = database.another(8);
    const ledger = new Ledger();
    await Promise.all(
      Array.from({ length: 16 }, (_, w) => worker(learner, w % 2 === 0 ? database.db : other, `w${w}`, T0, ledger)),
    );
    expect(ledger.doubleClaims.slice(0, 5), "a job handed to a second worker while the first held its lease").toEqual(
      [],
    );
    const twice = [...ledger.completed].filter(([, n]) => n > 1).map(([id, n]) => `job ${id} completed ${n} times`);
    expect(twice.slice(0, 5)).toEqual([]);
    expect(await states(database), `${jobs} jobs, 16 workers, claims ${ledger.mostInFlight} at once at most`).toEqual({
      done: jobs,
    });
    expect(ledger.completed.size).toBe(jobs);
    expect(ledger.mostInFlight, "the workers claimed at once, not one after another").toBeGreaterThan(8);
  });

  it("loses no job when workers die mid-job: their jobs are taken over once the leases run out, and completed once", async ({
    task,
  }) => {
    const database = await lab();
    const draw = randomFor(task);
    const jobs = 1_000;
    await enqueueMany(learner, database.db, jobs);
    const ledger = new Ledger();
    const abandoned: Claimed[] = [];
    // first, 16 workers of which a tenth of claims die with the job in hand
    await Promise.all(
      Array.from({ length: 16 }, (_, w) =>
        worker(learner, database.db, `first-${w}`, T0, ledger, () => draw.float() < 0.1, abandoned),
      ),
    );
    expect(abandoned.length, "the seed kills some claims").toBeGreaterThan(0);
    for (const job of abandoned) ledger.released(job);
    // once their leases have run out, fresh workers take the rest over
    const later = T0 + LEASE + 1;
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(learner, database.db, `second-${w}`, later, ledger)));
    // and the dead come back to life and try to finish what they held
    const zombies = await Promise.all(abandoned.map((job) => learner.complete(database.db, job, later + 10)));
    expect(
      zombies.filter(Boolean).length,
      `of ${abandoned.length} workers that died and came back after their lease was taken over, these completed their job`,
    ).toBe(0);
    expect(await states(database)).toEqual({ done: jobs });
    const twice = [...ledger.completed].filter(([, n]) => n !== 1);
    expect(twice.slice(0, 5), "jobs not completed exactly once").toEqual([]);
  });
});

describe("against the reference", () => {
  const JOBS = 1_000;
  const WORKERS = 16;
  const subject = (queue: Queue, as: "learner" | "reference") => async () => {
    const database = await labDatabase("pg_job_queue_load", as);
    await queue.createQueue(database.db);
    await enqueueMany(queue, database.db, JOBS);
    return { database, queue };
  };
  loadTest(
    `drains ${JOBS.toLocaleString("en-US")} jobs with ${WORKERS} workers as fast as the reference`,
    budgets,
    () =>
      compareConcurrent({
        learner: subject(learner, "learner"),
        reference: subject(reference, "reference"),
        ops: JOBS,
        workers: WORKERS,
        work: async ({ database, queue }, w, timed) => {
          for (;;) {
            const job = await timed(() => queue.claim(database.db, `w${w}`, T0, LEASE));
            if (!job) return;
            await queue.complete(database.db, job, T0 + 1);
          }
        },
        close: ({ database }) => database.close(),
      }),
  );
});
