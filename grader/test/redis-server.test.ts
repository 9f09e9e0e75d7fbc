// The labs' Redis: started on a free loopback port with nothing on disk, lab users confined to
// their own keys and kept from admin commands, stopped with the grade, or said missing in one line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import IORedis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, livePid } from "../servers/process.ts";
import { RedisMissing, startRedis } from "../servers/redis.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "sdk-redis-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const installed = !spawnSync("redis-server", ["--version"]).error;

describe.runIf(installed || process.env.REQUIRE_REDIS)("the labs' Redis", () => {
  it("answers on loopback, keeps each lab user to its own keys and out of admin commands, and stops", async () => {
    const server = await startRedis(root, { PATH: process.env.PATH });
    const pid = livePid(path.join(root, ".grade/redis/redis.pid"));
    expect(pid).toBeDefined();
    expect(server.startedMs).toBeLessThan(2_000);
    const learner = new IORedis(server.labUrls.learner, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await learner.connect();
      expect(new URL(server.labUrls.learner).hostname).toBe("127.0.0.1");
      await learner.set("learner:k", "v");
      expect(await learner.get("learner:k")).toBe("v");
      await expect(learner.get("reference:k")).rejects.toThrow(/NOPERM/);
      await expect(learner.config("SET", "dir", "/")).rejects.toThrow(/NOPERM/);
      await expect(learner.flushall()).rejects.toThrow(/NOPERM/);
      await expect(learner.save()).rejects.toThrow(/NOPERM/);
    } finally {
      learner.disconnect();
      await server.stop();
    }
    expect(isAlive(pid as number)).toBe(false);
  }, 30_000);

  it("takes the learner's own server from REDIS_URL, and neither starts nor stops one", async () => {
    const own = await startRedis(root, { PATH: process.env.PATH });
    try {
      const theirs = await startRedis(path.join(root, "elsewhere"), { REDIS_URL: own.adminUrl });
      expect(theirs.own).toBe(false);
      const client = new IORedis(theirs.labUrls.reference, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      expect(await client.set("reference:k", "1")).toBe("OK");
      client.disconnect();
      await theirs.stop();
    } finally {
      await own.stop();
    }
  }, 30_000);
});

describe("a machine without redis-server", () => {
  it("is told in one line how to get it", async () => {
    const error = await startRedis(root, { PATH: "/nonexistent" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisMissing);
    expect((error as Error).message).toMatch(
      /^needs redis-server: install it \(Debian\/Ubuntu: apt install redis-server; macOS: brew install redis\) or set REDIS_URL$/,
    );
  });
});
