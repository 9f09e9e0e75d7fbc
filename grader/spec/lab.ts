// A lab's PostgreSQL, for its spec: a schema of the lab's own on the run's server, a pool that
// connects to it as the lab role (what the lab's code gets, as #kit's Database), and the grader's
// own connection to read what the server holds, not what the lab says. Closing it says whether the
// lab left a transaction open, then ends its sessions and drops the schema: the next lab starts clean.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, expect, inject } from "vitest";
import type { Database, Queryable, Rows } from "../kit/database.ts";
import type { LabServers } from "../servers/labs.ts";

export interface LabDatabase {
  /** what the lab's code is given */
  db: Database;
  /** the grader's own connection, in the same schema, for checks */
  check: Queryable;
  schema: string;
  /** a second pool for the lab, as a second process of the same service would have (its own connections) */
  another(max?: number): Database;
  /** runs `sql` in a transaction of the grader's own and keeps it open (its row locks held) until the returned function ends it */
  hold(sql: string, params?: readonly unknown[]): Promise<() => Promise<void>>;
  /** sessions of the lab waiting for a lock now */
  waitingOnLocks(): Promise<number>;
  /** sessions of the lab still inside a transaction: a lab leaves none */
  openTransactions(): Promise<number>;
  /** what the lab left behind that the next one would trip on: transactions open, advisory locks held; empty when clean */
  leftovers(): Promise<string[]>;
  close(): Promise<void>;
}

const rowsOf = <T>(result: pg.QueryResult): Rows<T> => ({ rows: result.rows as T[], rowCount: result.rowCount ?? 0 });

/** a pool as #kit's Database: query, and transaction on one connection */
function asDatabase(pool: pg.Pool): Database {
  return {
    query: async <T>(sql: string, params?: readonly unknown[]) => rowsOf<T>(await pool.query(sql, params as unknown[])),
    transaction: async <T>(work: (tx: Queryable) => Promise<T>) => {
      const client = await pool.connect();
      // a session ended under it (the lab's schema closed) fails its query; the event is not a crash
      client.on("error", () => {});
      let broken = false;
      try {
        await client.query("BEGIN");
        const tx: Queryable = {
          query: async <R>(sql: string, params?: readonly unknown[]) =>
            rowsOf<R>(await client.query(sql, params as unknown[])),
        };
        const result = await work(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/**
 * A schema for one subject of a lab, `learner` or `reference`: each connects as its own role and
 * owns its schema, so neither can read, lock or change the other's tables while they run side by side.
 */
export async function labDatabase(
  label: string,
  as: "learner" | "reference",
  max = 20,
  // the run's servers; the grader's own tests pass a server they started
  servers: Pick<LabServers, "postgres" | "problems"> | null | undefined = inject("labServers"),
): Promise<LabDatabase> {
  const urls = servers?.postgres;
  if (!urls)
    throw new Error(
      servers?.problems?.join("; ") ??
        'this run started no PostgreSQL: a lab\'s manifest entry says needs: ["postgres"]',
    );
  const schema = `lab_${label.replace(/[^a-z0-9]/g, "_")}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Pool({ connectionString: urls.adminUrl, max: 2, options: `-c search_path=${schema}` });
  const role = new URL(urls.labUrls[as]).username;
  await admin.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
  const pools: pg.Pool[] = [];
  const open = (size: number) => {
    const pool = new pg.Pool({
      connectionString: urls.labUrls[as],
      max: size,
      options: `-c search_path=${schema}`,
      application_name: schema,
    });
    // a connection the server ended (a lab's session terminated) is the pool's to drop, not a crash
    pool.on("error", () => {});
    pools.push(pool);
    return asDatabase(pool);
  };
  const db = open(max);
  return {
    db,
    check: {
      query: async <T>(sql: string, params?: readonly unknown[]) =>
        rowsOf<T>(await admin.query(sql, params as unknown[])),
    },
    schema,
    another: (size = max) => open(size),
    hold: async (sql, params) => {
      const client = await admin.connect();
      await client.query("BEGIN");
      await client.query(sql, params as unknown[]);
      return async () => {
        await client.query("ROLLBACK").catch(() => {});
        client.release();
      };
    },
    waitingOnLocks: async () => {
      const found = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
        [schema],
      );
      return (found.rows[0] as { n: number }).n;
    },
    openTransactions: async () => {
      const found = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
        [schema],
      );
      return (found.rows[0] as { n: number }).n;
    },
    leftovers: async () => {
      const found = await admin.query(
        `SELECT
           (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%') AS open,
           (SELECT count(*)::int FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE a.application_name = $1 AND l.locktype = 'advisory' AND l.granted) AS advisory`,
        [schema],
      );
      const { open, advisory } = found.rows[0] as { open: number; advisory: number };
      return [
        ...(open > 0
          ? [`${open} session(s) left inside a transaction: every transaction ends (commit or rollback)`]
          : []),
        ...(advisory > 0
          ? [`${advisory} advisory lock(s) still held: release every pg_advisory_lock (or take pg_advisory_xact_lock)`]
          : []),
      ];
    },
    close: async () => {
      // the lab's sessions end first: a pool waits for a client the lab never gave back, and would wait forever
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [schema]);
      // a client still checked out (its transaction's work never settled) keeps end() waiting: give up on it
      const gaveUp = () => new Promise((resolve) => setTimeout(resolve, 500).unref());
      await Promise.all(pools.map((pool) => Promise.race([pool.end().catch(() => {}), gaveUp()])));
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * A spec's opener of lab schemas, one call at the top of its file: each schema a test opens is
 * closed after the test, and the test fails if the lab left a transaction open or a lock held.
 */
export function labDatabasesPerTest(label: string): (as?: "learner" | "reference") => Promise<LabDatabase> {
  const opened: LabDatabase[] = [];
  afterEach(async () => {
    const left = (await Promise.all(opened.map((database) => database.leftovers()))).flat();
    await Promise.all(opened.splice(0).map((database) => database.close()));
    expect(left, "what the lab left behind for the next one").toEqual([]);
  });
  return async (as = "learner") => {
    const database = await labDatabase(label, as);
    opened.push(database);
    return database;
  };
}
