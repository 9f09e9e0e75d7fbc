import { afterEach, describe, expect, it } from "vitest";
import * as learner from "#kata/12-consensus-and-coordination/redis-lock-with-fencing";
import type { RedisClient } from "#kit";
import * as reference from "#ref/12-consensus-and-coordination/redis-lock-with-fencing";
import { compareConcurrent, kataOf, loadTest, randomFor } from "#spec";
import chapter from "../../../chapters/12-consensus-and-coordination/chapter.ts";
import { type LabDatabase, labDatabasesPerTest } from "../../spec/lab.ts";
import { type LabRedis, labRedis } from "../../spec/lab-redis.ts";

const { budgets } = kataOf(chapter, "12-consensus-and-coordination", "redis-lock-with-fencing");
type Fencing = typeof learner;
type Lease = learner.Lease;

const TTL = 10_000;

interface Lab {
  redis: LabRedis;
  database: LabDatabase;
}

// every lab a test opens is closed after it; its schema says if the lab left a transaction open or a lock held
const schema = labDatabasesPerTest("redis_lock");
const prefixes: LabRedis[] = [];
async function lab(as: "learner" | "reference" = "learner", fencing: Fencing = learner): Promise<Lab> {
  const [redis, database] = await Promise.all([labRedis(as), schema(as)]);
  prefixes.push(redis);
  await fencing.createResource(database.db);
  return { redis, database };
}
afterEach(async () => {
  await Promise.all(prefixes.splice(0).map((redis) => redis.close()));
});

/** the lock key as the server holds it, read by the grader: the holder's token, or null when free */
const holderOf = (redis: LabRedis, resource: string) => redis.admin.get(`${redis.prefix}lock:${resource}`);
const ttlOf = (redis: LabRedis, resource: string) => redis.admin.pttl(`${redis.prefix}lock:${resource}`);

/** the resource's row as the server holds it */
async function rowOf(database: LabDatabase, name: string): Promise<{ value: string; token: number } | undefined> {
  const { rows } = await database.check.query<{ value: string; token: string }>(
    "SELECT value, token::text AS token FROM fenced_resources WHERE name = $1",
    [name],
  );
  const row = rows[0];
  return row && { value: row.value, token: Number(row.token) };
}

const show = (lease: Lease | undefined) => (lease ? `token ${lease.token}` : "no lease");

type Send = (command: { promise: Promise<unknown> }, ...rest: unknown[]) => unknown;
const noop = () => {};

/**
 * Runs `between` once, before the first command `client` sends after one of its round trips came
 * back and while nothing else of it is in flight: where a process paused between two steps would
 * let its lease run out. Commands sent meanwhile wait behind it, in order. A step the server runs
 * atomically (a script, MULTI/EXEC) is one round trip and is never split.
 */
async function splitRoundTrips(client: RedisClient, between: () => Promise<void>) {
  await client.ping(); // connected: nothing replays through sendCommand later
  const target = client as unknown as { sendCommand: Send };
  const original = target.sendCommand;
  let sent = 0;
  let inFlight = 0;
  let fired = false;
  let chain: Promise<unknown> | undefined;
  const forward = (command: { promise: Promise<unknown> }, rest: unknown[]) => {
    sent++;
    inFlight++;
    const result = original.call(client, command, ...rest);
    const settled = () => {
      inFlight--;
    };
    command.promise.then(settled, settled);
    return result;
  };
  const queue = (command: { promise: Promise<unknown> }, rest: unknown[]) => {
    const result = (chain as Promise<unknown>).then(() => forward(command, rest));
    chain = result.then(noop, noop);
    result.catch(noop); // a pipeline ignores what sendCommand returns: its own promise reports
    return result;
  };
  target.sendCommand = (command, ...rest) => {
    if (chain) return queue(command, rest);
    if (!fired && sent > 0 && inFlight === 0) {
      fired = true;
      chain = between();
      return queue(command, rest);
    }
    return forward(command, rest);
  };
  return {
    fired: () => fired,
    sent: () => sent,
    restore: () => {
      target.sendCommand = original;
    },
  };
}

describe("the lock", () => {
  it("lets one client hold a resource at a time, and the next take it once released", async () => {
    const { redis } = await lab();
    const a = redis.redis;
    const b = redis.another();
    const first = await learner.acquire(a, "printer", TTL);
    expect(first, "acquire of a free lock").toBeDefined();
    const lease = first as Lease;
    expect(typeof lease.token, "a token is a number").toBe("number");
    expect(lease.resource).toBe("printer");
    expect(await holderOf(redis, "printer"), "lock:printer on the server holds the lease's token").toBe(
      String(lease.token),
    );
    expect(show(await learner.acquire(b, "printer", TTL)), "another client, while the first holds it").toBe("no lease");
    expect(show(await learner.acquire(a, "printer", TTL)), "the holder's own connection, again").toBe("no lease");
    expect(await learner.acquire(b, "scanner", TTL), "another resource's lock is its own").toBeDefined();
    expect(await learner.release(a, lease), "the holder releases").toBe(true);
    expect(await holderOf(redis, "printer"), "lock:printer after the release").toBeNull();
    expect(await learner.release(a, lease), "a second release of the same lease").toBe(false);
    const next = await learner.acquire(b, "printer", TTL);
    expect(next, "acquire once the lock was released").toBeDefined();
    expect((next as Lease).token, `the next lease's token after ${show(lease)}`).toBeGreaterThan(lease.token);
  });

  it("gives the lock key the time to live it was asked for", async () => {
    const { redis } = await lab();
    // the server counts a TTL down on its own clock while this waits for replies: half of it is the margin a busy machine needs
    for (const ttl of [5_000, 30_000, 600_000]) {
      const lease = await learner.acquire(redis.redis, `r${ttl}`, ttl);
      expect(lease, `acquire with ttlMs ${ttl}`).toBeDefined();
      const left = await ttlOf(redis, `r${ttl}`);
      // PTTL: -1 is a key that never expires, and then a lock whose holder dies is never free again
      expect(left, `PTTL of lock:r${ttl} just after acquire(…, ${ttl}): -1 means no time to live`).toBeGreaterThan(
        ttl / 2,
      );
      expect(left, `PTTL of lock:r${ttl} just after acquire(…, ${ttl})`).toBeLessThanOrEqual(ttl);
    }
  });

  it("hands out tokens that only grow, across releases, expiries and other resources", async ({ task }) => {
    const { redis } = await lab();
    const draw = randomFor(task);
    const clients = [redis.redis, redis.another()];
    const last = new Map<string, { token: number; ended: string }>();
    for (let round = 1; round <= 30; round++) {
      const resource = draw.float() < 0.7 ? "a" : "b";
      const lease = await learner.acquire(clients[draw.int(0, 1)] as RedisClient, resource, TTL);
      expect(lease, `round ${round}: acquire of the free lock ${resource}`).toBeDefined();
      const token = (lease as Lease).token;
      const before = last.get(resource);
      if (before)
        expect(
          token,
          `round ${round}: token of ${resource} after token ${before.token}, which ended by ${before.ended}`,
        ).toBeGreaterThan(before.token);
      // every third lease runs out (the server deletes what has a time to live), the rest are released
      const expires = round % 3 === 0 || draw.float() < 0.2;
      if (expires) await redis.expireAll();
      else expect(await learner.release(clients[0] as RedisClient, lease as Lease)).toBe(true);
      last.set(resource, { token, ended: expires ? "expiry" : "release" });
    }
  });

  it("leaves the new holder's lock alone when a client whose lease ran out releases or extends it", async () => {
    const { redis } = await lab();
    const paused = redis.redis;
    const other = redis.another();
    const stale = (await learner.acquire(paused, "doc", TTL)) as Lease;
    expect(stale, "the first client's acquire").toBeDefined();
    await redis.expireAll(); // the first client is paused past its time to live
    const fresh = await learner.acquire(other, "doc", 5_000);
    expect(fresh, "another client's acquire once the first lease ran out").toBeDefined();
    const token = String((fresh as Lease).token);
    expect(await learner.release(paused, stale), `release of the run-out ${show(stale)}`).toBe(false);
    expect(await holderOf(redis, "doc"), `lock:doc after the run-out ${show(stale)} was released`).toBe(token);
    expect(await learner.extend(paused, stale, 600_000), `extend of the run-out ${show(stale)}`).toBe(false);
    expect(await holderOf(redis, "doc")).toBe(token);
    expect(
      await ttlOf(redis, "doc"),
      `PTTL of lock:doc (taken for 5,000 ms) after the run-out ${show(stale)} asked for 600,000`,
    ).toBeLessThanOrEqual(5_000);
    expect(show(await learner.acquire(paused, "doc", TTL)), "the first client, trying again").toBe("no lease");
    expect(await learner.release(other, fresh as Lease), "the holder's release").toBe(true);
  });

  it("extends a held lease to the time asked for, and not one that ran out", async () => {
    const { redis } = await lab();
    const lease = (await learner.acquire(redis.redis, "doc", 2_000)) as Lease;
    expect(lease).toBeDefined();
    expect(await learner.extend(redis.redis, lease, 60_000), "extend of the held lease").toBe(true);
    const left = await ttlOf(redis, "doc");
    expect(left, "PTTL of lock:doc after extend(…, 60,000)").toBeGreaterThan(59_000);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(await holderOf(redis, "doc"), "the extended lock holds its token still").toBe(String(lease.token));
    await redis.expireAll();
    expect(await learner.extend(redis.redis, lease, 60_000), "extend of a lease that ran out").toBe(false);
    expect(await holderOf(redis, "doc"), "lock:doc after extending a lease that ran out").toBeNull();
  });

  it("gives a later lease a higher token even when the lock passes to another client between acquire's round trips", async () => {
    const { redis } = await lab();
    const slow = redis.another();
    const other = redis.another();
    let between: Lease | undefined;
    const split = await splitRoundTrips(slow, async () => {
      // meanwhile another client takes the lock, and its lease runs out
      between = await learner.acquire(other, "doc", TTL);
      await redis.expireAll();
    });
    const lease = await learner.acquire(slow, "doc", TTL).finally(split.restore);
    if (lease)
      expect(await holderOf(redis, "doc"), `lock:doc after acquire returned ${show(lease)}`).toBe(String(lease.token));
    if (lease && between)
      expect(
        lease.token,
        `acquire took ${split.sent()} round trips; between them another client got ${show(between)}, which ran out`,
      ).toBeGreaterThan(between.token);
    if (!split.fired()) expect(lease, "acquire of a free lock, in one round trip").toBeDefined();
  });

  it("releases and extends atomically even when the lease runs out and passes to another client between their round trips", async () => {
    const { redis } = await lab();
    const slow = redis.another();
    const other = redis.another();
    for (const step of ["release", "extend"] as const) {
      const resource = `doc-${step}`;
      const lease = (await learner.acquire(slow, resource, TTL)) as Lease;
      expect(lease, `acquire before ${step}`).toBeDefined();
      let taken: Lease | undefined;
      const split = await splitRoundTrips(slow, async () => {
        await redis.expireAll();
        taken = await learner.acquire(other, resource, 5_000);
      });
      const done = await (step === "release"
        ? learner.release(slow, lease)
        : learner.extend(slow, lease, 600_000)
      ).finally(split.restore);
      if (!split.fired()) {
        expect(done, `${step} of the held ${show(lease)}, in one round trip`).toBe(true);
        continue;
      }
      const context = `${step} took ${split.sent()} round trips; between them ${show(lease)} ran out and another client got ${show(taken)}`;
      expect(taken, context).toBeDefined();
      expect(done, `${context}: ${step} returned`).toBe(false);
      expect(await holderOf(redis, resource), `${context}: lock:${resource} holds`).toBe(
        String((taken as Lease).token),
      );
      expect(await ttlOf(redis, resource), `${context}: PTTL of lock:${resource}`).toBeLessThanOrEqual(5_000);
    }
  });
});

describe("the fenced resource", () => {
  it("takes a write from a higher token, and rejects one lower than a token it has taken", async () => {
    const { database } = await lab();
    const { db } = database;
    expect(await learner.write(db, { resource: "doc", token: 5 }, "v5"), "the first write, token 5").toBe(true);
    expect(await rowOf(database, "doc")).toEqual({ value: "v5", token: 5 });
    expect(await learner.write(db, { resource: "doc", token: 4 }, "v4"), "token 4 after token 5").toBe(false);
    expect(await rowOf(database, "doc"), "the row after a write of token 4 after 5").toEqual({ value: "v5", token: 5 });
    expect(await learner.write(db, { resource: "doc", token: 9 }, "v9"), "token 9 after 5").toBe(true);
    expect(await learner.write(db, { resource: "doc", token: 7 }, "v7"), "token 7 after 9").toBe(false);
    expect(await rowOf(database, "doc"), "the row after tokens 5, 4, 9, 7").toEqual({ value: "v9", token: 9 });
    expect(await learner.write(db, { resource: "other", token: 1 }, "o1"), "token 1 of another resource").toBe(true);
    expect(await rowOf(database, "other")).toEqual({ value: "o1", token: 1 });
  });

  it("lets a lease write again with its own token", async () => {
    const { database } = await lab();
    const { db } = database;
    expect(await learner.write(db, { resource: "doc", token: 3 }, "first")).toBe(true);
    expect(await learner.write(db, { resource: "doc", token: 3 }, "second"), "the same lease's second write").toBe(
      true,
    );
    expect(await rowOf(database, "doc")).toEqual({ value: "second", token: 3 });
  });

  it("rejects a stale write that waited on the row while a newer token's write committed", async () => {
    const database = await lab().then((l) => l.database);
    const { db } = database;
    expect(await learner.write(db, { resource: "doc", token: 4 }, "v4")).toBe(true);
    // another transaction holds the row: both writes below queue behind it, token 6 first
    const release = await database.hold("SELECT 1 FROM fenced_resources WHERE name = $1 FOR UPDATE", ["doc"]);
    let newer: Promise<boolean> | undefined;
    let stale: Promise<boolean> | undefined;
    try {
      newer = learner.write(db, { resource: "doc", token: 6 }, "v6");
      await waitingOn(database, 1, newer);
      stale = learner.write(db, { resource: "doc", token: 5 }, "v5");
      await waitingOn(database, 2, stale);
    } finally {
      await release();
    }
    expect(await newer, "token 6, queued first on the row").toBe(true);
    expect(await stale, "token 5, queued on the row behind token 6").toBe(false);
    expect(await rowOf(database, "doc"), "the row once both writes are done").toEqual({ value: "v6", token: 6 });
  });
});

/** until `n` of the lab's sessions wait on a lock, or `write` is done without waiting */
async function waitingOn(database: LabDatabase, n: number, write: Promise<unknown>): Promise<void> {
  let done = false;
  write.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done && (await database.waitingOnLocks()) < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("a client paused past its lease", () => {
  it("cannot overwrite the resource once the next holder has written, however the writes interleave", async ({
    task,
  }) => {
    const { redis, database } = await lab();
    const draw = randomFor(task);
    const { db } = database;
    const paused = redis.redis;
    const next = redis.another();
    for (let round = 1; round <= 40; round++) {
      const stale = await learner.acquire(paused, "doc", draw.int(1_000, 60_000));
      expect(stale, `round ${round}: the first client's acquire`).toBeDefined();
      if (draw.float() < 0.5)
        expect(await learner.write(db, stale as Lease, `stale-${round}`), `round ${round}: before its pause`).toBe(
          true,
        );
      await redis.expireAll(); // the first client pauses; its lease runs out
      const fresh = (await learner.acquire(next, "doc", TTL)) as Lease;
      expect(fresh, `round ${round}: the next client's acquire once the lease ran out`).toBeDefined();
      const writes = draw.int(1, 3);
      const staleAfter = draw.int(1, writes);
      for (let w = 1; w <= writes; w++) {
        expect(
          await learner.write(db, fresh, `fresh-${round}-${w}`),
          `round ${round}: write ${w} of the holder of ${show(fresh)}`,
        ).toBe(true);
        if (w !== staleAfter) continue;
        // the first client wakes up and writes, still believing it holds the lock
        const context = `round ${round}: the paused client of ${show(stale)} writes after the holder of ${show(fresh)} wrote`;
        expect(await learner.write(db, stale as Lease, `stale-${round}`), context).toBe(false);
        expect(await rowOf(database, "doc"), context).toEqual({ value: `fresh-${round}-${w}`, token: fresh.token });
      }
      expect(await learner.release(next, fresh), `round ${round}: the holder's release`).toBe(true);
    }
  });
});

/** clients retry a held lock at once: past `most` refusals in all, the lock was never free again */
function refusalsUpTo(most: number) {
  let refused = 0;
  return {
    count: () => {
      if (++refused > most)
        throw new Error(`${most.toLocaleString("en-US")} acquires refused: the lock is no longer released or expired`);
    },
  };
}

describe("many clients at once", () => {
  it("50 clients over 8 connections: never two holders at once, and every holder's writes taken", async ({ task }) => {
    const { redis, database } = await lab();
    const draw = randomFor(task);
    const connections = Array.from({ length: 8 }, () => redis.another());
    const pools = [database.db, database.another(8)];
    const CLIENTS = 50;
    const CYCLES = 4;
    const refusals = refusalsUpTo(100_000);
    let holders = 0;
    let attempts = 0;
    let mostAttempts = 0;
    const overlaps: string[] = [];
    const rejected: string[] = [];
    const tokens: number[] = [];
    let lastWrite: { value: string; token: number } | undefined;
    const client = async (c: number) => {
      const conn = connections[c % connections.length] as RedisClient;
      const db = pools[c % pools.length] as LabDatabase["db"];
      const writes = draw.int(1, 3);
      for (let cycle = 0; cycle < CYCLES; ) {
        attempts++;
        mostAttempts = Math.max(mostAttempts, attempts);
        const lease = await learner.acquire(conn, "shared", TTL).finally(() => attempts--);
        if (!lease) {
          refusals.count();
          continue;
        }
        holders++;
        if (holders > 1) overlaps.push(`client ${c} got ${show(lease)} while ${holders - 1} other(s) held the lock`);
        tokens.push(lease.token);
        for (let w = 0; w < writes; w++) {
          const value = `c${c}-${cycle}-${w}`;
          if (await learner.write(db, lease, value)) lastWrite = { value, token: lease.token };
          else rejected.push(`client ${c}'s write of ${show(lease)}`);
        }
        holders--;
        expect(await learner.release(conn, lease), `client ${c}'s release of ${show(lease)}`).toBe(true);
        cycle++;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    expect(
      overlaps.slice(0, 5),
      `${CLIENTS} clients contending for one lock, ${mostAttempts} acquires at once`,
    ).toEqual([]);
    const outOfOrder = tokens.flatMap((t, i) =>
      i > 0 && t <= (tokens[i - 1] as number) ? [`${tokens[i - 1]} then ${t}`] : [],
    );
    expect(outOfOrder.slice(0, 5), "tokens of leases granted one after another").toEqual([]);
    expect(rejected.slice(0, 5), "writes of the one holder, rejected").toEqual([]);
    expect(await rowOf(database, "shared"), "the row: the last holder's last write").toEqual(lastWrite);
    expect(tokens.length).toBe(CLIENTS * CYCLES);
    expect(mostAttempts, "acquires in flight at once").toBeGreaterThan(8);
  });

  it("with leases running out under them, no write lands after one of a newer token", async ({ task }) => {
    const { redis, database } = await lab();
    const draw = randomFor(task);
    const connections = Array.from({ length: 8 }, () => redis.another());
    const pools = [database.db, database.another(8)];
    const refusals = refusalsUpTo(100_000);
    let clock = 0; // orders the test's own events: a write that ended before another began
    interface Write {
      token: number;
      value: string;
      began: number;
      ended: number;
    }
    const taken: Write[] = [];
    const client = async (c: number) => {
      const conn = connections[c % connections.length] as RedisClient;
      const db = pools[c % pools.length] as LabDatabase["db"];
      for (let cycle = 0; cycle < 5; ) {
        const lease = await learner.acquire(conn, "shared", TTL);
        if (!lease) {
          refusals.count();
          continue;
        }
        cycle++;
        // now and then a holder pauses past its lease: the lock is free for the next while it writes on
        const pauses = draw.float() < 0.3;
        if (pauses) await redis.expireAll();
        for (let w = 0; w < 3; w++) {
          const value = `c${c}-${cycle}-${w}`;
          const began = ++clock;
          if (await learner.write(db, lease, value)) taken.push({ token: lease.token, value, began, ended: ++clock });
        }
        if (!pauses) expect(await learner.release(conn, lease), `client ${c}'s release of ${show(lease)}`).toBe(true);
        else await learner.release(conn, lease);
      }
    };
    await Promise.all(Array.from({ length: 30 }, (_, c) => client(c)));
    // a write taken after another was taken (it began once that one had ended) has a token at least as high
    const late: string[] = [];
    const byEnd = [...taken].sort((a, b) => a.ended - b.ended);
    let highest: Write | undefined;
    let i = 0;
    for (const write of [...taken].sort((a, b) => a.began - b.began)) {
      while (i < byEnd.length && (byEnd[i] as Write).ended < write.began) {
        const done = byEnd[i++] as Write;
        if (!highest || done.token > highest.token) highest = done;
      }
      if (highest && write.token < highest.token)
        late.push(`${write.value} (token ${write.token}) taken after ${highest.value} (token ${highest.token})`);
    }
    expect(late.slice(0, 5), `${taken.length} writes taken`).toEqual([]);
    const top = Math.max(...taken.map((w) => w.token));
    const row = await rowOf(database, "shared");
    expect(row?.token, "the row's token: the highest of the writes taken").toBe(top);
    expect(
      taken.filter((w) => w.token === top).map((w) => w.value),
      "the row's value: a write of the highest token",
    ).toContain(row?.value);
  });
});

// the lock's own cost: the resource's write is the database's, and one statement or a transaction
// of four are both right there, so it stays out of the timed rounds
describe("against the reference", () => {
  const WORKERS = 16;
  const CYCLES = 150;
  const subject = (fencing: Fencing, as: "learner" | "reference") => async () => {
    const redis = await labRedis(as);
    const connections = Array.from({ length: 4 }, () => redis.another());
    await Promise.all(connections.map((c) => c.ping()));
    return { redis, connections, fencing };
  };
  loadTest(`${WORKERS} workers each acquire and release ${CYCLES} times as fast as the reference`, budgets, () =>
    compareConcurrent({
      learner: subject(learner, "learner"),
      reference: subject(reference, "reference"),
      ops: WORKERS * CYCLES,
      workers: WORKERS,
      work: async ({ connections, fencing }, w, timed) => {
        const conn = connections[w % connections.length] as RedisClient;
        // two workers a resource: many acquires find the lock held and must say so at once
        const resource = `r${w % (WORKERS / 2)}`;
        const refusals = refusalsUpTo(100_000);
        for (let done = 0; done < CYCLES; ) {
          const lease = await timed(() => fencing.acquire(conn, resource, TTL));
          if (!lease) {
            refusals.count();
            continue;
          }
          await timed(() => fencing.release(conn, lease));
          done++;
        }
      },
      close: ({ redis }) => redis.close(),
    }),
  );
});
