import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isAlive } from "../servers/process.ts";

const state = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
};

describe("isAlive", () => {
  it("is true of a running process and false of one that has exited", async () => {
    const child = spawn("sleep", ["30"]);
    try {
      expect(isAlive(child.pid as number)).toBe(true);
    } finally {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
    expect(isAlive(child.pid as number)).toBe(false);
  });

  // a server whose grade was killed is adopted by a process that may never reap it: it still answers
  // signal 0, and a grade that waited for it to go would wait its whole timeout for nothing
  it.runIf(state(process.pid) !== undefined)("is false of a process that has exited and is not reaped", async () => {
    // sh starts `true` in the background, then becomes `sleep`, which never waits for it
    const parent = spawn("sh", ["-c", "true & echo $!; exec sleep 30"]);
    try {
      const [line] = (await once(parent.stdout, "data")) as [Buffer];
      const zombie = Number(line.toString().trim());
      const until = Date.now() + 10_000;
      while (state(zombie) !== "Z" && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(state(zombie), `process ${zombie} should be a zombie by now`).toBe("Z");
      expect(isAlive(zombie)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});
