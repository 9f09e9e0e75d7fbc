// runs in each Vitest worker before every spec file, before any kata is imported
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach } from "vitest";
// the harness's clock and GC are captured on this first import, so a kata cannot swap them
import "../load/timer.ts";

type Globals = {
  dateNow: typeof Date.now;
  performanceNow: typeof performance.now;
  mathRandom: typeof Math.random;
  hrtime: typeof process.hrtime;
};

const ORIGINALS = Symbol.for("system-design-katas.originals");
const store = globalThis as { [ORIGINALS]?: Globals };

// setup files run again for each spec file: keep what the very first run saw
store[ORIGINALS] ??= {
  dateNow: Date.now,
  performanceNow: performance.now.bind(performance),
  mathRandom: Math.random,
  hrtime: process.hrtime,
};
const originals = store[ORIGINALS];

// a kata that replaced Date.now, performance.now, Math.random or process.hrtime in an earlier file
// of this worker has no say over the next one
beforeAll(() => {
  Date.now = originals.dateNow;
  performance.now = originals.performanceNow;
  Math.random = originals.mathRandom;
  process.hrtime = originals.hrtime;
});

// the test about to run, written before it runs: a worker stuck in a loop or killed by its heap cannot
// send the supervisor a message, but this file says where it was
const trace = process.env.SDK_TRACE_DIR;
if (trace) {
  beforeEach(({ task }) => {
    writeFileSync(path.join(trace, String(process.pid)), JSON.stringify({ file: task.file.filepath, test: task.name }));
  });
}
