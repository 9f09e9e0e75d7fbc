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

  it("ends a lab's script that never returns, so the next lab can use the server", async () => {
    const server = await startRedis(root, { PATH: process.env.PATH });
    const looping = new IORedis(server.labUrls.learner, { maxRetriesPerRequest: 0, enableReadyCheck: false });
    try {
      const stuck = looping.eval("while true do end", 0).catch((error: Error) => error.message);
      const { labRedis } = await import("../spec/lab-redis.ts");
      const started = performance.now();
      const next = await labRedis("reference", { redis: { adminUrl: server.adminUrl, labUrls: server.labUrls } });
      await next.redis.set("k", "v");
      expect(await next.redis.get("k")).toBe("v");
      expect(performance.now() - started, "ms until the next lab had the server").toBeLessThan(10_000);
      expect(await stuck).toMatch(/killed/i);
      await next.close();
    } finally {
      looping.disconnect();
      await server.stop();
    }
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

describe("a Redis lab on a machine without redis-server", () => {
  it("is skipped, not failed: one line says how to get it, the run passes, results.json says skip", async () => {
    const { cli, copyOf } = await import("./cli-helper.ts");
    const { mkdirSync, readFileSync, writeFileSync } = await import("node:fs");
    const project = copyOf("project", "needs-redis");
    try {
      // a lab that needs Redis, added to a copy of the fixture chapter; its spec fails if it ever runs
      const chapter = path.join(project, "chapters/01-fixture/chapter.ts");
      writeFileSync(
        chapter,
        readFileSync(chapter, "utf8").replace(
          "  katas: [\n",
          '  katas: [\n    { id: "redis-lab", title: "Redis lab", difficulty: 1, file: "redis-lab.ts", needs: ["redis"], hints: ["Use the server.", "Start it first."], budgets: {} },\n',
        ),
      );
      const lab = "export const ready = true;\n";
      mkdirSync(path.join(project, "grader/stubs/01-fixture"), { recursive: true });
      writeFileSync(path.join(project, "grader/stubs/01-fixture/redis-lab.ts"), lab);
      writeFileSync(path.join(project, "katas/01-fixture/redis-lab.ts"), lab);
      writeFileSync(path.join(project, "solutions/01-fixture/redis-lab.ts"), lab);
      mkdirSync(path.join(project, "grader/specs/01-fixture"), { recursive: true });
      writeFileSync(
        path.join(project, "grader/specs/01-fixture/redis-lab.spec.ts"),
        'import { it } from "vitest";\nit("never runs without its server", () => {\n  throw new Error("ran");\n});\n',
      );
      // a PATH with node and nothing else: no redis-server on it
      const bin = mkdtempSync(path.join(os.tmpdir(), "sdk-no-redis-"));
      const { symlinkSync } = await import("node:fs");
      symlinkSync(process.execPath, path.join(bin, "node"));
      const json = path.join(project, "results.json");
      const run = await cli("grade", ["redis-lab", "adder", "--json", json], project, {
        PATH: bin,
        REDIS_URL: "",
        REQUIRE_REDIS: "",
      });
      rmSync(bin, { recursive: true, force: true });
      expect(run.stdout, run.stderr).toContain(
        "skipped: needs redis-server: install it (Debian/Ubuntu: apt install redis-server",
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const results = JSON.parse(readFileSync(json, "utf8"));
      expect(results.summary.katas).toMatchObject({ pass: 1, skip: 1, fail: 0 });
      expect(results.katas.find((k: { id: string }) => k.id === "redis-lab")).toMatchObject({
        status: "skip",
        cause: expect.stringMatching(/^needs redis-server/),
      });
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 60_000);
});
