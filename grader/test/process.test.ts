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

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
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
    // sh starts a child in the background, then becomes a `sleep` that never waits for it; the
    // child is killed only once that has happened, so nothing is left to reap it
    const parent = spawn("sh", ["-c", "sleep 30 & echo $!; exec sleep 31"]);
    const until = Date.now() + 10_000;
    const waitFor = async (what: () => boolean) => {
      while (!what() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      const [line] = (await once(parent.stdout, "data")) as [Buffer];
      const zombie = Number(line.toString().trim());
      await waitFor(() => cmdline(parent.pid as number) === "sleep\u000031\u0000");
      process.kill(zombie, "SIGKILL");
      await waitFor(() => state(zombie) === "Z");
      expect(state(zombie), `process ${zombie} should be a zombie by now`).toBe("Z");
      expect(isAlive(zombie)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});
