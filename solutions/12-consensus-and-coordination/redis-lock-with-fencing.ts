// A lock with fencing tokens on Redis and PostgreSQL: the reference. One script takes the lock and
// draws its token from a counter that never expires, so a lease granted later always carries a
// higher token, and the lock key holds that token: release and extend compare it before they touch
// the key. The resource is a row that takes a write only from a token at least as high as the
// highest it has taken, in one conditional statement, so a holder paused past its lease writes nothing.
import type { Database, RedisClient } from "#kit";

export interface Lease {
  resource: string;
  /** the fencing token: higher than that of every lease of the resource granted before this one */
  token: number;
}

const lockKey = (resource: string) => `lock:${resource}`;
const counterKey = (resource: string) => `fence:${resource}`;

// one step on the server: no other client's command runs between the check, the INCR and the SET
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token`;

// compare-and-delete: a lease that ran out and was taken over must not delete its successor's lock
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export async function acquire(redis: RedisClient, resource: string, ttlMs: number): Promise<Lease | undefined> {
  const token = (await redis.eval(ACQUIRE, 2, lockKey(resource), counterKey(resource), ttlMs)) as number | null;
  return token === null ? undefined : { resource, token };
}

export async function release(redis: RedisClient, lease: Lease): Promise<boolean> {
  return (await redis.eval(RELEASE, 1, lockKey(lease.resource), String(lease.token))) === 1;
}

export async function extend(redis: RedisClient, lease: Lease, ttlMs: number): Promise<boolean> {
  return (await redis.eval(EXTEND, 1, lockKey(lease.resource), String(lease.token), ttlMs)) === 1;
}

export async function createResource(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS fenced_resources (
      name text PRIMARY KEY,
      value text NOT NULL,
      token bigint NOT NULL
    )`);
}

export async function write(db: Database, lease: Lease, value: string): Promise<boolean> {
  // the check and the write are one statement: a write that waited on the row sees what committed meanwhile
  const { rowCount } = await db.query(
    `INSERT INTO fenced_resources (name, value, token) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, token = EXCLUDED.token
     WHERE fenced_resources.token <= EXCLUDED.token`,
    [lease.resource, value, lease.token],
  );
  return rowCount === 1;
}
