// A lab's Redis, for its spec: clients of the lab's user with a key prefix of the test's own (the
// lab writes `rl:alice`, the server holds `learner:<run>:rl:alice`), and the grader's own admin
// connection to read what the server holds, not what the lab says. Closing it deletes the prefix's
// keys: the next test starts clean.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { inject } from "vitest";

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
  close(): Promise<void>;
}

function client(url: string, prefix: string): Redis {
  // no retries forever: a lab's test fails with the server's reason instead of hanging
  const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1, enableReadyCheck: false });
  redis.on("error", () => {});
  return redis;
}

export async function labRedis(as: "learner" | "reference"): Promise<LabRedis> {
  const servers = inject("labServers");
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
    close: async () => {
      const left = await keys();
      for (let i = 0; i < left.length; i += 500) await admin.del(...left.slice(i, i + 500).map((key) => prefix + key));
      await Promise.all([...clients, admin].map((redis) => redis.quit().catch(() => redis.disconnect())));
    },
  };
}
