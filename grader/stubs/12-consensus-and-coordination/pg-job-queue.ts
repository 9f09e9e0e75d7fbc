/**
 * Lab: a job queue on PostgreSQL (difficulty 2, about an hour)
 * Read:  chapters/12-consensus-and-coordination/README.md#lab-a-job-queue-on-postgresql
 * Grade: npm run grade -- pg-job-queue (starts the labs' own PostgreSQL: nothing to install)
 * Hint:  npm run hint -- pg-job-queue (one more hint each time you ask)
 *
 * A lab runs against a real server. Each function is given `db`, a connection to a
 * schema of the lab's own (#kit's Database: query with $1, $2 parameters, and
 * transaction). Time is given too, as `now` in milliseconds: use it, not the
 * server's clock, so that the grader can run leases out without waiting.
 *
 * - createQueue(db): make the tables. The grader reads one of them itself: a table
 *   `jobs` with an `id`, a `state` ('ready', 'leased', 'done' or 'dead') and the
 *   `attempts` made so far. Anything else is yours.
 * - enqueue(db, payload, now): a job, due at once; returns its id.
 * - claim(db, worker, now, leaseMs): the oldest due job (by when it became due,
 *   then id) that no one holds, leased to `worker` until now + leaseMs; a job whose
 *   lease has run out is due again. Returns { id, payload, attempt, worker }
 *   (attempt 1 for a first claim), or undefined when nothing is due. Sixteen
 *   workers claim at once: never hand one job to two of them, and never make
 *   one wait for another's claim.
 * - heartbeat(db, job, now, leaseMs): extend the lease to now + leaseMs while the
 *   worker still holds it; false once someone else has taken the job over.
 * - complete(db, job, now): the job is done; false, and nothing changes, once
 *   someone else has taken the job over. A job is completed exactly once.
 * - fail(db, job, now, error, policy): "retry" (due again policy.backoffMs ×
 *   2^(attempt−1) ms from now), "dead" after policy.maxAttempts attempts (never
 *   claimed again), or "lost" when someone else holds the job now.
 * Leave no transaction open: the grader checks after every test.
 */
import type { Database } from "#kit";
import { todo } from "#kit";

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
  // TODO: CREATE TABLE IF NOT EXISTS jobs (...)
  return todo("createQueue", db);
}

export async function enqueue(db: Database, payload: unknown, now: number): Promise<number> {
  // TODO: insert the job, due at `now`, and return its id
  return todo("enqueue", db, payload, now);
}

export async function claim(db: Database, worker: string, now: number, leaseMs: number): Promise<Claimed | undefined> {
  // TODO: pick and lease the oldest due job in one statement, so two workers never take the same one
  return todo("claim", db, worker, now, leaseMs);
}

export async function heartbeat(db: Database, job: Claimed, now: number, leaseMs: number): Promise<boolean> {
  // TODO: extend the lease, only while this claim still holds it
  return todo("heartbeat", db, job, now, leaseMs);
}

export async function complete(db: Database, job: Claimed, now: number): Promise<boolean> {
  // TODO: mark it done, only while this claim still holds it
  return todo("complete", db, job, now);
}

export async function fail(
  db: Database,
  job: Claimed,
  now: number,
  error: string,
  policy: RetryPolicy,
): Promise<"retry" | "dead" | "lost"> {
  // TODO: due again after the backoff, or dead after the last attempt; "lost" if the claim no longer holds it
  return todo("fail", db, job, now, error, policy);
}
