// A lab's Redis, for its spec: clients of the lab's user with a key prefix of the test's own (the
// lab writes `rl:alice`, the server holds `learner:<run>:rl:alice`), and the grader's own admin
// connection to read what the server holds, not what the lab says. Closing it deletes the prefix's
// keys: the next test starts clean.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { inject } from "vitest";
import type { LabServers } from "../servers/labs.ts";
import { encodeCommand } from "../servers/resp.ts";

export interface LabRedis {
  /** what the lab's code is given */
  redis: Redis;
  /** another connection of the lab, as another process of the same service would have */
  another(): Redis;
  /** the grader's admin connection, without a prefix: prefix + key names the lab's key */
  admin: Redis;
  prefix: string;
  /** every key the lab holds, without the prefix, sorted */
  keys(): Promise<string[]>;
  /** each key the lab holds with its time to live in ms (-1: none) */
  ttls(): Promise<Map<string, number>>;
  /** time passes for the server: every key of the lab that has a time to live expires now */
  expireAll(): Promise<number>;
  /** how many times the server ran each of `commands` (lowercase, such as "eval") so far, server-wide */
  commandCalls(commands: string[]): Promise<Record<string, number>>;
  /**
   * Watches the commands clients send that name the lab's keys (a script's own calls left out), by
   * a MONITOR of the grader's own; `stop()` waits until the server has shown every command sent
   * before it, then counts them by name ("evalsha": 200).
   */
  watchCommands(): Promise<{ stop(): Promise<Map<string, number>> }>;
  close(): Promise<void>;
}

function client(url: string, prefix: string): Redis {
  // no retries forever: a lab's test fails with the server's reason instead of hanging
  const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1, enableReadyCheck: false });
  redis.on("error", () => {});
  return redis;
}

export async function labRedis(
  as: "learner" | "reference",
  // the run's servers; the grader's own tests pass a server they started
  servers: Pick<LabServers, "redis" | "problems"> | null | undefined = inject("labServers"),
): Promise<LabRedis> {
  const urls = servers?.redis;
  if (!urls)
    throw new Error(
      servers?.problems?.join("; ") ?? 'this run started no Redis: a lab\'s manifest entry says needs: ["redis"]',
    );
  const prefix = `${as}:${randomBytes(4).toString("hex")}:`;
  const clients: Redis[] = [];
  const open = () => {
    const redis = client(urls.labUrls[as], prefix);
    clients.push(redis);
    return redis;
  };
  const admin = client(urls.adminUrl, "");
  // a script an earlier lab left running (its worker stopped at the time limit) would block this one
  await endBusyScript(admin);
  const keys = async () => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== "0");
    return found.map((key) => key.slice(prefix.length)).sort();
  };
  return {
    redis: open(),
    another: open,
    admin,
    prefix,
    keys,
    ttls: async () => {
      const names = await keys();
      const ttls = await Promise.all(names.map((key) => admin.pttl(prefix + key)));
      return new Map(names.map((key, i) => [key, ttls[i] ?? -2]));
    },
    expireAll: async () => {
      let expired = 0;
      for (const key of await keys())
        if ((await admin.pttl(prefix + key)) >= 0) expired += await admin.del(prefix + key);
      return expired;
    },
    commandCalls: async (commands) => {
      const info = await admin.info("commandstats");
      return Object.fromEntries(
        commands.map((name) => [name, Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, "m").exec(info)?.[1] ?? 0)]),
      );
    },
    watchCommands: () => watchCommands(urls.adminUrl, prefix, admin),
    close: async () => {
      await endBusyScript(admin);
      const left = await keys();
      for (let i = 0; i < left.length; i += 500) await admin.del(...left.slice(i, i + 500).map((key) => prefix + key));
      await Promise.all([...clients, admin].map((redis) => redis.quit().catch(() => redis.disconnect())));
    },
  };
}

/** a MONITOR on a raw connection: its replies are lines, one per command the server runs */
async function watchCommands(adminUrl: string, prefix: string, admin: Redis) {
  const url = new URL(adminUrl);
  const socket = net.connect(Number(url.port || 6379), url.hostname);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const counts = new Map<string, number>();
  const marker = `${prefix}watch-${randomBytes(4).toString("hex")}`;
  let buffered = "";
  const auth = password ? [encodeCommand(["AUTH", ...(user ? [user] : []), password])] : [];
  // AUTH's +OK, then MONITOR's: from then on every line is a command the server ran
  let oks = auth.length + 1;
  let started: () => void = () => {};
  let markerSeen: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const ended = new Promise<void>((resolve) => {
    markerSeen = resolve;
  });
  socket.on("data", (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split("\r\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "+OK" && --oks === 0) started();
      if (line.startsWith("-")) started();
      if (line.includes(marker)) markerSeen();
      // +<time> [<db> <client>] "command" "arg" ...: a script's own calls say [<db> lua]
      const found = /^\+[\d.]+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (!found || found[1] === "lua" || !line.includes(`"${prefix}`)) continue;
      const name = (found[2] ?? "").toLowerCase();
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  });
  socket.on("error", () => {});
  socket.write([...auth, encodeCommand(["MONITOR"])].join(""));
  await ready;
  return {
    stop: async () => {
      // the server runs commands in order: once the watch shows this one, it has shown all before it
      await admin.exists(marker);
      await ended;
      socket.destroy();
      counts.delete("exists");
      return counts;
    },
  };
}

/** a lab's script still running (the server answers BUSY) is killed: read-only ones stop at once */
async function endBusyScript(admin: Redis): Promise<void> {
  for (let tries = 0; tries < 20; tries++) {
    try {
      await admin.ping();
      return;
    } catch (error) {
      if (!String(error).includes("BUSY")) throw error;
      await admin.script("KILL").catch(() => admin.function("KILL").catch(() => {}));
    }
  }
}
