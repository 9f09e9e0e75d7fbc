// captured when the grader loads, before any kata does: a kata that replaces
// process.cpuUsage, process.hrtime or performance.now cannot change what the harness measures
const cpuUsage = process.cpuUsage.bind(process);
const collect = (globalThis as { gc?: () => void }).gc;

/**
 * The CPU time this process has used, in ns. Not wall time: on a loaded
 * machine a measurement is descheduled for a while, and wall time charges
 * that to whichever subject was running; the CPU it used is what it cost.
 */
export function nowNs(): number {
  const { user, system } = cpuUsage();
  return (user + system) * 1000;
}

/** a full collection between rounds, when node runs with --expose-gc, so garbage from one subject is not charged to the other */
export function settle(): void {
  collect?.();
}
