// The labs' servers: started on a free loopback port, answering, stopped with the grade however it
// ends, a server left by a killed grade stopped by the next, and lab code kept from the machine.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { clusterFolder, startPostgres } from "../servers/postgres.ts";
import { isAlive, livePid } from "../servers/process.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "sdk-servers-"));
afterAll(() => {
  rmSync(clusterFolder(root), { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});
const postmaster = () => livePid(path.join(clusterFolder(root), "data", "postmaster.pid"));

/** runs `code` in a node of its own (the grader's TypeScript loader), and resolves with how it ended */
function child(
  code: string,
): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["--import", "tsx/esm", "--input-type=module", "-e", code], {
      cwd: path.join(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    proc.stdout.on("data", (chunk) => {
      stdout += chunk;
      // told to die outright once the server is up: no handler of ours runs
      if (stdout.includes("KILL ME")) proc.kill("SIGKILL");
    });
    proc.on("close", (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}
const startIn = (rest: string) =>
  `const { startPostgres } = await import(${JSON.stringify(path.resolve(import.meta.dirname, "../servers/postgres.ts"))});
   const server = await startPostgres(${JSON.stringify(root)}); ${rest}`;

describe("the labs' PostgreSQL", () => {
  it("starts from nothing, answers on loopback, and lets lab code make tables but not touch the machine", async () => {
    const server = await startPostgres(root);
    try {
      expect(server.own).toBe(true);
      expect(new URL(server.labUrls.learner).hostname).toBe("127.0.0.1");
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query("CREATE SCHEMA lab_test AUTHORIZATION katas_lab");
      // the reference's schema, side by side in a load test: out of the learner's reach
      await admin.query("CREATE SCHEMA lab_ref AUTHORIZATION katas_ref");
      await admin.query("CREATE TABLE lab_ref.jobs (id int)");
      await admin.query("ALTER TABLE lab_ref.jobs OWNER TO katas_ref");
      await admin.end();
      const lab = new pg.Client({ connectionString: server.labUrls.learner });
      await lab.connect();
      await lab.query("SET search_path TO lab_test");
      await lab.query("CREATE TABLE jobs (id int PRIMARY KEY)");
      await lab.query("INSERT INTO jobs VALUES (1), (2)");
      expect((await lab.query("SELECT count(*)::int AS n FROM jobs")).rows).toEqual([{ n: 2 }]);
      await expect(lab.query("COPY (SELECT 1) TO PROGRAM 'true'")).rejects.toThrow(/permission denied/);
      await expect(lab.query("SELECT pg_read_file('/etc/hostname')")).rejects.toThrow(/permission denied/);
      await expect(lab.query("CREATE DATABASE other")).rejects.toThrow(/permission denied/);
      await expect(lab.query("SELECT * FROM lab_ref.jobs")).rejects.toThrow(/permission denied for schema lab_ref/);
      await lab.query("BEGIN");
      await expect(lab.query("LOCK TABLE lab_ref.jobs")).rejects.toThrow(/permission denied/);
      await lab.query("ROLLBACK");
      // lab code cannot hold the server for long
      expect((await lab.query("SHOW statement_timeout")).rows).toEqual([{ statement_timeout: "30s" }]);
      expect((await lab.query("SHOW idle_in_transaction_session_timeout")).rows).toEqual([
        { idle_in_transaction_session_timeout: "1min" },
      ]);
      await lab.end();
    } finally {
      await server.stop();
    }
    expect(postmaster(), "no server left once stopped").toBeUndefined();
  }, 60_000);

  it("says what a lab left behind (a transaction open, an advisory lock held), then drops its schema", async () => {
    const server = await startPostgres(root);
    try {
      const { labDatabase } = await import("../spec/lab.ts");
      const servers = { postgres: { adminUrl: server.adminUrl, labUrls: server.labUrls } };
      const lab = await labDatabase("leftovers", "learner", 4, servers);
      expect(await lab.leftovers(), "a lab that has done nothing").toEqual([]);
      await lab.db.query("CREATE TABLE t (id int)");
      await lab.db.query("SELECT pg_advisory_lock(42)");
      const release = await lab.hold("SELECT 1");
      await release();
      // a client of the lab's own, left inside a transaction
      const pool = lab.another(1);
      const stuck = pool.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (1)");
        await new Promise(() => {});
      });
      // its work never settles: close() must not wait for it. close() ends its session, so a query
      // of it still in flight then fails (57P01, terminated): expected, and not this test's error
      stuck.catch(() => {});
      for (let tries = 0; (await lab.openTransactions()) === 0 && tries < 100; tries++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const left = await lab.leftovers();
      expect(left).toHaveLength(2);
      expect(left[0]).toMatch(/^1 session\(s\) left inside a transaction/);
      expect(left[1]).toMatch(/^1 advisory lock\(s\) still held/);
      await lab.close();
      const check = new pg.Client({ connectionString: server.adminUrl });
      await check.connect();
      const schemas = await check.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1", [lab.schema]);
      const sessions = await check.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
        [lab.schema],
      );
      await check.end();
      expect(schemas.rows[0].n, "the lab's schema, once closed").toBe(0);
      expect(sessions.rows[0].n, "the lab's sessions, once closed").toBe(0);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("starts again in well under 2 s once the cluster is there", async () => {
    const server = await startPostgres(root);
    await server.stop();
    expect(server.startedMs).toBeLessThan(2_000);
  }, 30_000);

  it("stops with a grade that exits without stopping it (an error, a stop signal)", async () => {
    const run = await child(startIn(`console.log("PID", process.pid); process.exit(3);`));
    expect(run.code).toBe(3);
    // the exit handler sent the server its fast shutdown; it goes on its own
    const until = Date.now() + 10_000;
    while (postmaster() !== undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(postmaster()).toBeUndefined();
  }, 60_000);

  it("does not keep a grade alive once it is done, and goes with it", async () => {
    // nothing stops the server here: the process ends when its work does, and takes the server along
    const run = await child(startIn(`console.log("DONE");`));
    expect(run.stdout).toContain("DONE");
    expect(run.code).toBe(0);
    const until = Date.now() + 10_000;
    while (postmaster() !== undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(postmaster()).toBeUndefined();
  }, 60_000);

  it("stops the server a killed grade left behind, and starts its own", async () => {
    // SIGKILL runs no handler, so the server is left; on a busy machine it sometimes goes on its own
    // first (its log pipe closed with the grade): then the scenario is tried again, up to 3 times
    let orphan: number | undefined;
    for (let attempt = 0; attempt < 3 && orphan === undefined; attempt++) {
      const run = await child(startIn(`console.log("KILL ME"); await new Promise(() => {});`));
      expect(run.signal).toBe("SIGKILL");
      orphan = postmaster();
    }
    expect(orphan, "a server left by a grade killed with SIGKILL, in 3 tries").toBeDefined();
    const server = await startPostgres(root);
    try {
      expect(isAlive(orphan as number)).toBe(false);
      expect(postmaster()).not.toBe(orphan);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("refuses to share the cluster with a grade that is still running", async () => {
    const first = await startPostgres(root);
    try {
      const second = await child(startIn(`console.log("STARTED");`));
      expect(second.code).not.toBe(0);
      expect(second.stdout).not.toContain("STARTED");
      expect(second.stderr).toContain(`another grade (pid ${process.pid}) is using the labs' PostgreSQL`);
    } finally {
      await first.stop();
    }
  }, 60_000);

  it("takes the learner's own server from DATABASE_URL, and neither starts nor stops one", async () => {
    const own = await startPostgres(root);
    try {
      const theirs = await startPostgres(path.join(root, "elsewhere"), { DATABASE_URL: own.adminUrl });
      expect(theirs.own).toBe(false);
      expect(theirs.adminUrl).toBe(own.adminUrl);
      const lab = new pg.Client({ connectionString: theirs.labUrls.learner });
      await lab.connect();
      await lab.end();
      await theirs.stop();
      expect(postmaster()).toBeDefined();
    } finally {
      await own.stop();
    }
  }, 60_000);
});
