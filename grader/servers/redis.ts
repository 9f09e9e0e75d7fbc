// A real Redis for the labs: REDIS_URL if the learner has one, else Debian's (or any) redis-server
// from PATH, started on a free loopback port with nothing written to disk, and stopped with the
// grade. Run as root, it runs as `nobody`. Lab code connects as a user without the admin and
// dangerous commands: no CONFIG, no SAVE, no FLUSHALL, no MODULE, no DEBUG.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { freePort } from "./port.ts";
import { endProcess, forget, isAlive, liveServer, stopOnExit } from "./process.ts";
import { encodeCommand } from "./resp.ts";

export const REDIS_ROLES = {
  learner: { user: "katas_lab", password: "katas-lab" },
  reference: { user: "katas_ref", password: "katas-ref" },
} as const;
const ADMIN_PASSWORD = "system-design-katas";

export interface Redis {
  adminUrl: string;
  labUrls: Record<keyof typeof REDIS_ROLES, string>;
  startedMs: number;
  own: boolean;
  stop(): Promise<void>;
}

/** no redis-server to start: a lab that needs one is skipped with this said */
export class RedisMissing extends Error {
  override readonly name = "RedisMissing";
  constructor() {
    super(
      "needs redis-server: install it (Debian/Ubuntu: apt install redis-server; macOS: brew install redis) or set REDIS_URL",
    );
  }
}

/** commands in Redis's wire protocol, on one fresh connection; the first line of each reply */
function send(host: string, port: number, commands: string[][]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const wire = commands.map(encodeCommand).join("");
    let reply = "";
    socket.setTimeout(2_000, () => socket.destroy(new Error("no reply from redis-server")));
    socket.on("connect", () => socket.write(wire));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      const lines = reply.split("\r\n").filter(Boolean);
      if (lines.length >= commands.length) {
        socket.end();
        resolve(lines.slice(0, commands.length));
      }
    });
    socket.on("error", reject);
  });
}

/** REDIS_URL is set or a redis-server is on the PATH (or CI requires one, and its absence is a failure) */
export function redisAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.REDIS_URL || env.REQUIRE_REDIS) || !spawnSync("redis-server", ["--version"], { env }).error;
}

const urlOf = (user: string, password: string, host: string, port: number) =>
  `redis://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}`;

export async function startRedis(root: string, env: NodeJS.ProcessEnv = process.env): Promise<Redis> {
  const started = performance.now();
  if (env.REDIS_URL) {
    const url = new URL(env.REDIS_URL);
    const port = Number(url.port || 6379);
    const password = decodeURIComponent(url.password);
    const user = decodeURIComponent(url.username);
    await setUsers(url.hostname, port, password ? ["AUTH", ...(user ? [user] : []), password] : undefined);
    return {
      adminUrl: env.REDIS_URL,
      labUrls: {
        learner: urlOf(REDIS_ROLES.learner.user, REDIS_ROLES.learner.password, url.hostname, port),
        reference: urlOf(REDIS_ROLES.reference.user, REDIS_ROLES.reference.password, url.hostname, port),
      },
      startedMs: performance.now() - started,
      own: false,
      stop: async () => {},
    };
  }
  // looked up on the PATH the grade was given
  if (!redisAvailable({ ...env, REQUIRE_REDIS: "" })) throw new RedisMissing();
  const folder = path.join(root, ".grade", "redis");
  mkdirSync(folder, { recursive: true });
  const pidFile = path.join(folder, "redis.pid");
  await stopStale(pidFile);
  const port = await freePort();
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child: ChildProcess = spawn(
    "redis-server",
    [
      ...["--port", String(port), "--bind", "127.0.0.1", "--protected-mode", "yes"],
      // nothing on disk: a lab's keys live for one run
      ...["--save", "", "--appendonly", "no", "--dir", "/tmp"],
      ...["--enable-protected-configs", "no", "--enable-debug-command", "no", "--enable-module-command", "no"],
      ...["--requirepass", ADMIN_PASSWORD, "--loglevel", "warning"],
      // a lab script that runs on (a loop that never ends) makes the server answer BUSY after 1 s,
      // not 5, and the grader kills it (spec/lab-redis.ts): one lab cannot stall the rest of a grade
      ...["--busy-reply-threshold", "1000"],
    ],
    { stdio: "ignore", env, ...asNobody },
  );
  const pid = child.pid;
  if (pid === undefined) throw new RedisMissing();
  child.unref();
  stopOnExit(pid, "SIGTERM");
  writeFileSync(pidFile, `${pid}\n`);
  // ready once it answers
  for (let tries = 0; ; tries++) {
    const [reply = ""] = await send("127.0.0.1", port, [["PING"]]).catch(() => []);
    if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) break;
    if (tries > 200 || !isAlive(pid)) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await setUsers("127.0.0.1", port, ["AUTH", ADMIN_PASSWORD]);
  return {
    adminUrl: `redis://default:${ADMIN_PASSWORD}@127.0.0.1:${port}`,
    labUrls: {
      learner: urlOf(REDIS_ROLES.learner.user, REDIS_ROLES.learner.password, "127.0.0.1", port),
      reference: urlOf(REDIS_ROLES.reference.user, REDIS_ROLES.reference.password, "127.0.0.1", port),
    },
    startedMs: performance.now() - started,
    own: true,
    stop: async () => {
      await endProcess(pid, "SIGTERM", 5_000);
      forget(pid);
    },
  };
}

/** the lab users, each confined to its own keys (learner:*, reference:*) and without admin or dangerous commands */
async function setUsers(host: string, port: number, auth: string[] | undefined): Promise<void> {
  const users = Object.entries(REDIS_ROLES).map(([role, { user, password }]) => [
    ...["ACL", "SETUSER", user, "reset", "on", `>${password}`, `~${role}:*`],
    ...["+@all", "-@admin", "-@dangerous"],
  ]);
  const replies = await send(host, port, [...(auth ? [auth] : []), ...users]);
  const refused = replies.find((line) => !line.startsWith("+"));
  if (refused) throw new Error(`redis-server refused the lab users: ${refused}`);
}

/** a redis-server a killed grade left: stopped, if the pid is still a redis-server's */
async function stopStale(pidFile: string): Promise<void> {
  const pid = liveServer(pidFile, "redis-server");
  if (pid !== undefined) await endProcess(pid, "SIGTERM", 5_000);
}
