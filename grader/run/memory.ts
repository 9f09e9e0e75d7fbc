import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * The resident memory of a runner's worker processes, read from outside them:
 * V8's --max-old-space-size caps only the JavaScript heap, and a kata that
 * fills ArrayBuffers (or a native allocation) grows past it. Linux reads
 * /proc; elsewhere `ps`, which is slower, so it is asked less often.
 */

const PAGE = 4096;

/** the processes a process started, on Linux */
function childrenOf(pid: number): number[] | undefined {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return undefined;
  const children: number[] = [];
  try {
    for (const task of readdirSync(tasks)) {
      const text = readFileSync(`${tasks}/${task}/children`, "utf8").trim();
      if (text) children.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    return undefined;
  }
  return children;
}

function residentOnLinux(pid: number): number | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return Number.isFinite(pages) ? pages * PAGE : undefined;
  } catch {
    // it exited between the listing and the read
    return undefined;
  }
}

/** bytes resident per worker: the children of the runner (the runner itself runs no kata code) */
export function workerMemory(runner: number): Map<number, number> {
  const memory = new Map<number, number>();
  const children = childrenOf(runner);
  if (children) {
    for (const pid of children) {
      const bytes = residentOnLinux(pid);
      if (bytes !== undefined) memory.set(pid, bytes);
    }
    return memory;
  }
  try {
    const table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,rss="], { encoding: "utf8", timeout: 2_000 });
    for (const line of table.trim().split("\n")) {
      const [pid, ppid, kb] = line.trim().split(/\s+/).map(Number);
      if (ppid === runner && pid !== undefined && kb !== undefined) memory.set(pid, kb * 1024);
    }
  } catch {
    // no ps: only the heap cap applies
  }
  return memory;
}

/** how often to look: /proc is cheap, a `ps` is a process of its own */
export const MEMORY_EVERY_MS = existsSync("/proc/self/statm") ? 100 : 500;

/**
 * What a worker may hold beyond a kata's memory limit: Node, Vitest and the
 * grader's own modules. Measured: a worker peaks at about 190 MB over every
 * reference kata with its 512 MB heap cap, so the cap on the whole process is
 * the kata's limit plus this.
 */
export const RUNTIME_ALLOWANCE_MB = 256;
