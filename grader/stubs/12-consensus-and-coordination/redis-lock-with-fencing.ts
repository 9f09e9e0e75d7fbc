/**
 * Lab: a lock with fencing tokens on Redis and PostgreSQL (difficulty 2, about an hour)
 * Read:  chapters/12-consensus-and-coordination/README.md#lab-a-lock-with-fencing-tokens-on-redis-and-postgresql
 * Grade: npm run grade -- redis-lock-with-fencing (starts the labs' own Redis and PostgreSQL)
 * Hint:  npm run hint -- redis-lock-with-fencing (one more hint each time you ask)
 *
 * A lab runs against real servers. The lock functions are given `redis`, an ioredis
 * client (#kit's RedisClient) whose keys are prefixed for you: write `lock:x`, and
 * build every key a script touches from its KEYS. The resource functions are given
 * `db`, a connection to a PostgreSQL schema of the lab's own (#kit's Database).
 * The grader reads both servers itself, so some names are fixed:
 *
 * - acquire(redis, resource, ttlMs): take the lock of `resource` if no one holds it,
 *   and return a Lease { resource, token }; undefined at once if someone does (no
 *   waiting). The lock is the key `lock:<resource>`, holding the lease's token (as
 *   its decimal string) with a time to live of ttlMs (PX): when it runs out, the
 *   lock is free. The token comes from a counter of the resource that never
 *   expires: every lease of a resource has a higher token than every lease of it
 *   granted before, after releases and expiries too, even when the lock expires
 *   and another client takes it in the middle of your acquire.
 * - release(redis, lease): delete the lock only if it still holds this lease's
 *   token, as one atomic step (compare-and-delete); true if it did. A lease that ran
 *   out and was taken over must leave its successor's lock alone.
 * - extend(redis, lease, ttlMs): the lock lives ttlMs from now, only while it still
 *   holds this lease's token, atomically; true if it did.
 * - createResource(db): make the table the lock protects, which the grader reads:
 *   fenced_resources (name text PRIMARY KEY, value text NOT NULL, token bigint NOT NULL).
 * - write(db, lease, value): set the row of lease.resource to (value, lease.token),
 *   creating it if missing, unless the row holds a higher token; true if it wrote.
 *   An equal token is the same lease writing again: accept it. A client paused past
 *   its lease comes back with a lower token than the next holder's and must change
 *   nothing, even when its write waited on the row while a newer one committed.
 */
import type { Database, RedisClient } from "#kit";
import { todo } from "#kit";

export interface Lease {
  resource: string;
  /** the fencing token: higher than that of every lease of the resource granted before this one */
  token: number;
}

export async function acquire(redis: RedisClient, resource: string, ttlMs: number): Promise<Lease | undefined> {
  // TODO: take lock:<resource> (if free) and draw the next token from a counter, in one atomic step
  return todo("acquire", redis, resource, ttlMs);
}

export async function release(redis: RedisClient, lease: Lease): Promise<boolean> {
  // TODO: delete lock:<resource> only while it holds lease.token (a script: GET, compare, DEL)
  return todo("release", redis, lease);
}

export async function extend(redis: RedisClient, lease: Lease, ttlMs: number): Promise<boolean> {
  // TODO: PEXPIRE lock:<resource> only while it holds lease.token
  return todo("extend", redis, lease, ttlMs);
}

export async function createResource(db: Database): Promise<void> {
  // TODO: CREATE TABLE IF NOT EXISTS fenced_resources (...)
  return todo("createResource", db);
}

export async function write(db: Database, lease: Lease, value: string): Promise<boolean> {
  // TODO: one conditional statement that writes only if the row's token is not higher than lease.token
  return todo("write", db, lease, value);
}
