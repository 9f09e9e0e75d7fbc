// runs in each Vitest worker before every spec file, before any kata is imported
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach } from "vitest";
// the intrinsics are frozen before anything else of the grader or a kata loads
import "./harden.ts";
// the harness's clock and GC are captured on this first import, so a kata cannot swap them
import "../load/timer.ts";
import { limitConsole, reportDroppedOutput } from "./console-limit.ts";

// Date.now and Math.random are frozen with the other intrinsics; performance and process are the
// host's objects, which lockdown leaves alone
type Globals = {
  performanceNow: typeof performance.now;
  hrtime: typeof process.hrtime;
};

const ORIGINALS = Symbol.for("system-design-katas.originals");
const store = globalThis as { [ORIGINALS]?: Globals };

// setup files run again for each spec file: keep what the very first run saw
store[ORIGINALS] ??= {
  performanceNow: performance.now.bind(performance),
  hrtime: process.hrtime,
};
const originals = store[ORIGINALS];

// a kata that replaced performance.now or process.hrtime in an earlier file of this worker has no
// say over the next one
beforeAll(() => {
  performance.now = originals.performanceNow;
  process.hrtime = originals.hrtime;
});

// where this worker is, written before each step: a worker stuck in a loop or killed by its heap
// cannot send the supervisor a message, but this file says which spec it was loading or which
// test it was in, and the supervisor charges its memory to that spec
const trace = process.env.SDK_TRACE_DIR;
if (trace) {
  const at = (file: string, test?: string) =>
    writeFileSync(path.join(trace, String(process.pid)), JSON.stringify({ file, ...(test ? { test } : {}) }));
  // setup files run as each spec file starts to load, before the spec imports its kata
  const loading = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__?.filepath;
  if (loading) at(loading);
  beforeEach(({ task }) => at(task.file.filepath, task.name));
}

limitConsole();
afterEach(() => reportDroppedOutput());
