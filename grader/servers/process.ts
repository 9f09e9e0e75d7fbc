// The processes of the servers a grade starts: each is stopped when the grade's process exits, by
// whatever way it exits (a stop signal, an error, the end), and a server left by a grade that was
// killed outright is found by its pid file and stopped by the next.
import { readFileSync } from "node:fs";

const running = new Map<number, NodeJS.Signals>();
let hooked = false;

/** stops `pid` with `signal` when this process exits, unless forgotten first */
export function stopOnExit(pid: number, signal: NodeJS.Signals): void {
  running.set(pid, signal);
  if (hooked) return;
  hooked = true;
  // an exit handler cannot wait: the signal is sent, and the server shuts itself down
  process.on("exit", () => {
    for (const [each, how] of running) signalQuietly(each, how);
  });
}

export function forget(pid: number): void {
  running.delete(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as someone else
    return (error as NodeJS.ErrnoException).code === "EPERM" && !isZombie(pid);
  }
  return !isZombie(pid);
}

/**
 * Whether `pid` has exited and waits to be reaped. A server whose grade was killed outright is
 * adopted by the container's first process or a subreaper, which may never reap it: its pid still
 * answers signal 0, though nothing runs. Without /proc it cannot be told: not a zombie.
 */
function isZombie(pid: number): boolean {
  try {
    // "pid (command) S ...": the state follows the last ")", as the command may hold one
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return /^\s*[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 1));
  } catch {
    return false;
  }
}

export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** waits until `pid` has exited, up to `ms`; whether it did */
export async function exited(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

/** ends `pid` with `signal`, and with SIGKILL if it has not exited within `ms`; waits until it has gone */
export async function endProcess(pid: number, signal: NodeJS.Signals, ms: number): Promise<void> {
  signalQuietly(pid, signal);
  if (await exited(pid, ms)) return;
  signalQuietly(pid, "SIGKILL");
  await exited(pid, ms);
}

/**
 * The pid a server's pid file names, if that process still runs and is the server (`name` in its
 * command line), not one that took a dead server's number. Without /proc, the pid file is trusted,
 * as pg_ctl does.
 */
export function liveServer(file: string, name: string): number | undefined {
  const pid = livePid(file);
  if (pid === undefined) return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(name) ? pid : undefined;
  } catch {
    return pid;
  }
}

/** the pid in the first line of a pid file, if it names a live process */
export function livePid(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const pid = Number(text.split("\n")[0]);
  return Number.isSafeInteger(pid) && pid > 1 && isAlive(pid) ? pid : undefined;
}
