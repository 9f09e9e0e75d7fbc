// A job queue on PostgreSQL: the reference. Workers claim the oldest due job with
// FOR UPDATE SKIP LOCKED in the same statement that leases it, so claims never wait on each other
// and never hand one job to two workers; the lease (leased_by, attempts, lease_until) fences every
// later step: a worker whose lease ran out and was taken over changes nothing.
import type { Database } from "#kit";

export interface Claimed {
  id: number;
  payload: unknown;
  /** this claim's attempt, 1 for the first: with the worker, it names the lease */
  attempt: number;
  worker: string;
}

export interface RetryPolicy {
  /** attempts in all, the first included; past them a failed job is dead */
  maxAttempts: number;
  /** the wait before the second attempt; each later wait doubles */
  backoffMs: number;
}

export async function createQueue(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS jobs (
      id bigserial PRIMARY KEY,
      payload jsonb NOT NULL,
      state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'leased', 'done', 'dead')),
      attempts int NOT NULL DEFAULT 0,
      run_at bigint NOT NULL,
      leased_by text,
      lease_until bigint,
      last_error text
    )`);
  // the claim's scan: due jobs in order, ready or with a lease run out
  await db.query("CREATE INDEX IF NOT EXISTS jobs_due ON jobs (run_at, id) WHERE state IN ('ready', 'leased')");
}

export async function enqueue(db: Database, payload: unknown, now: number): Promise<number> {
  const { rows } = await db.query<{ id: string }>("INSERT INTO jobs (payload, run_at) VALUES ($1, $2) RETURNING id", [
    JSON.stringify(payload),
    now,
  ]);
  return Number(rows[0]?.id);
}

export async function claim(db: Database, worker: string, now: number, leaseMs: number): Promise<Claimed | undefined> {
  const { rows } = await db.query<{ id: string; payload: unknown; attempts: number }>(
    `UPDATE jobs SET state = 'leased', leased_by = $1, lease_until = $2 + $3::bigint, attempts = attempts + 1
     WHERE id = (
       SELECT id FROM jobs
       WHERE (state = 'ready' AND run_at <= $2) OR (state = 'leased' AND lease_until <= $2)
       ORDER BY run_at, id
       FOR UPDATE SKIP LOCKED
       LIMIT 1
     )
     RETURNING id, payload, attempts`,
    [worker, now, leaseMs],
  );
  const row = rows[0];
  return row && { id: Number(row.id), payload: row.payload, attempt: row.attempts, worker };
}

/** the lease is this claim's, and has not run out */
const HELD = "id = $1 AND state = 'leased' AND leased_by = $2 AND attempts = $3 AND lease_until > $4";

export async function heartbeat(db: Database, job: Claimed, now: number, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE jobs SET lease_until = $4 + $5::bigint WHERE ${HELD}`, [
    job.id,
    job.worker,
    job.attempt,
    now,
    leaseMs,
  ]);
  return rowCount === 1;
}

export async function complete(db: Database, job: Claimed, now: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET state = 'done', leased_by = NULL, lease_until = NULL WHERE ${HELD}`,
    [job.id, job.worker, job.attempt, now],
  );
  return rowCount === 1;
}

export async function fail(
  db: Database,
  job: Claimed,
  now: number,
  error: string,
  policy: RetryPolicy,
): Promise<"retry" | "dead" | "lost"> {
  const { rows } = await db.query<{ state: string }>(
    `UPDATE jobs SET
       state = CASE WHEN attempts >= $5 THEN 'dead' ELSE 'ready' END,
       run_at = $4 + $6::bigint * (2 ^ (attempts - 1))::bigint,
       leased_by = NULL, lease_until = NULL, last_error = $7
     WHERE ${HELD}
     RETURNING state`,
    [job.id, job.worker, job.attempt, now, policy.maxAttempts, policy.backoffMs, error],
  );
  const state = rows[0]?.state;
  return state === undefined ? "lost" : state === "dead" ? "dead" : "retry";
}
