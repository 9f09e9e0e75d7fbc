import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * What a runner's worker processes are doing, read from outside them: the
 * memory each holds (V8's --max-old-space-size caps only the JavaScript heap;
 * a kata that fills ArrayBuffers grows past it) and how long each has waited
 * for a CPU (on a busy machine a worker that could run does not, and that wait
 * is the machine's, not the kata's). Linux reads /proc; elsewhere `ps` gives
 * the memory, more slowly, and the wait is taken as none.
 */
export interface WorkerSample {
  /** resident bytes */
  bytes: number;
  /** ns the worker's main thread has spent runnable but waiting for a CPU, since it started */
  waitedNs: number;
}

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

function sampleOnLinux(pid: number): WorkerSample | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return Number.isFinite(pages) ? { bytes: pages * PAGE, waitedNs: waitedForCpuNs(pid) } : undefined;
  } catch {
    // it exited between the listing and the read
    return undefined;
  }
}

/** how long a process has waited for a CPU since it started, in ns (0 where the kernel does not say) */
export function waitedForCpuNs(pid: number): number {
  try {
    // schedstat: ns on a CPU, ns waiting on a run queue, time slices (kernel docs, sched-stats.rst)
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) || 0;
  } catch {
    return 0;
  }
}

/** each worker of a runner: the children of the runner (the runner itself runs no kata code) */
export function sampleWorkers(runner: number): Map<number, WorkerSample> {
  const samples = new Map<number, WorkerSample>();
  const children = childrenOf(runner);
  if (children) {
    for (const pid of children) {
      const sample = sampleOnLinux(pid);
      if (sample) samples.set(pid, sample);
    }
    return samples;
  }
  try {
    const table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,rss="], { encoding: "utf8", timeout: 2_000 });
    for (const line of table.trim().split("\n")) {
      const [pid, ppid, kb] = line.trim().split(/\s+/).map(Number);
      if (ppid === runner && pid !== undefined && kb !== undefined) samples.set(pid, { bytes: kb * 1024, waitedNs: 0 });
    }
  } catch {
    // no ps: only the heap cap applies
  }
  return samples;
}

/** how often to look: /proc is cheap, a `ps` is a process of its own */
export const SAMPLE_EVERY_MS = existsSync("/proc/self/statm") ? 100 : 500;

/**
 * What a worker may hold beyond a kata's memory limit: Node, Vitest and the
 * grader's own modules. Measured: a worker peaks at about 190 MB over every
 * reference kata with its 512 MB heap cap, so the cap on the whole process is
 * the kata's limit plus this.
 */
export const RUNTIME_ALLOWANCE_MB = 256;
