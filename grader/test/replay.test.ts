import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDiagrams } from "../../docs/site/diagrams.ts";
import { Simulation } from "../sim/simulation.ts";
import { cli, copyOf, type Run } from "./cli-helper.ts";

// the sim fixture: a counter node that counts a duplicated ping twice, so it fails on the seeds
// whose network duplicates one of the ten pings, and passes on the rest
const TEST = "counts each ping once, whatever the network duplicates";
const scratch = copyOf("sim", "sim");
const traceOf = (slug: string) => (seed: number, ext: "txt" | "mmd") =>
  path.join(scratch, ".grade", "traces", "counter", `${slug}.seed-${seed}.${ext}`);
const trace = traceOf("counts-each-ping-once-whatever-the-network-duplicates");
// the fixture's second test, an invariant that throws a Violation at the event where the count went wrong
const invariantTrace = traceOf("never-counts-more-pings-than-it-has-been-sent");

/** the first seed whose network duplicates none of the ten pings: there the buggy counter is right */
function quietSeed(): number {
  for (let candidate = 1; ; candidate++) {
    const sim = new Simulation<{ id: number }>({
      seed: candidate,
      nodes: [
        {
          id: "sender",
          create: (ctx) => ({
            start: () => {
              for (let id = 1; id <= 10; id++) ctx.send("counter", { id });
            },
            receive() {},
            timer() {},
          }),
        },
        { id: "counter", create: () => ({ start() {}, receive() {}, timer() {} }) },
      ],
      network: { duplicateRate: 0.05 },
    });
    sim.runUntil(100);
    if (!sim.history.some((e) => e.kind === "duplicate")) return candidate;
  }
}
const quiet = quietSeed();

let sweep: Run;
let seed: number;
let firstTrace: string;
let replay: Run;
let passing: Run;
let reference: Run;

beforeAll(async () => {
  [sweep, reference] = await Promise.all([
    cli("grade", ["counter"], scratch),
    cli("grade", ["--reference", "counter"], scratch),
  ]);
  seed = Number(/seed (\d+) fails/.exec(sweep.stdout)?.[1]);
  firstTrace = readFileSync(trace(seed, "txt"), "utf8");
  [replay, passing] = await Promise.all([
    cli("grade", ["counter", "--seed", String(seed), "-t", TEST], scratch),
    cli("grade", ["counter", "--seeds", `${quiet}..${quiet}`], scratch),
  ]);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a simulation test that fails on some seeds", () => {
  it("names the first failing seed of the default sweep", () => {
    expect(sweep.code).toBe(1);
    expect(seed).toBeGreaterThan(0);
    expect(sweep.stdout).toMatch(
      new RegExp(`seed ${seed} fails \\(of the default sweep, seeds 1\\.\\.20\\): expected 1\\d to be 10`),
    );
  });

  it("prints the command that replays just that seed", () => {
    expect(sweep.stdout).toContain(`reproduce: npm run grade -- counter --seed ${seed} -t '${TEST}'`);
  });

  it("writes the seed's history as a text log and a sequence diagram mermaid can parse", async () => {
    expect(sweep.stdout).toContain(
      `trace: ${path.relative(path.join(scratch, "..", "..", "..", ".."), trace(seed, "txt")).replace(/\.txt$/, ".{txt,mmd}")}`,
    );
    expect(firstTrace).toMatch(/^# counts each ping once, whatever the network duplicates · seed \d+ · \d+ events\n/);
    expect(firstTrace).toMatch(/sender -> counter #\d+ duplicated as #\d+/);
    const diagram = readFileSync(trace(seed, "mmd"), "utf8");
    expect(await checkDiagrams([{ file: "trace.mmd", line: 1, source: diagram }])).toEqual([]);
  });

  it("replays the same failure, event for event, from --seed", () => {
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain(`seed ${seed} fails (of seed ${seed})`);
    expect(readFileSync(trace(seed, "txt"), "utf8")).toBe(firstTrace);
  });

  it("marks the event where an invariant broke in the text log, and draws the events around it", async () => {
    const match =
      /the counter says (\d+) after (\d+) distinct pings\n\s*trace: (\S+) \(the violation is event (\d+) at ([\d.]+) ms: marked >>> in the \.txt, centred in the \.mmd\)/.exec(
        sweep.stdout,
      );
    expect(match, "the invariant's failure, with where it broke").not.toBeNull();
    const event = Number(match?.[4]);
    const lines = readFileSync(invariantTrace(seed, "txt"), "utf8").split("\n");
    expect(lines[0]).toMatch(new RegExp(`· violated at event ${event} \\(${match?.[5]} ms\\), marked >>>$`));
    expect(lines[event], "the marked event, on the line after the header's").toMatch(/counter is \{"count":\d+\}$/);
    expect(lines[event + 1]).toBe(
      `>>> the violation is the event above, event ${event} (${match?.[5]} ms): the counter says ${match?.[1]} after ${match?.[2]} distinct pings`,
    );
    const diagram = readFileSync(invariantTrace(seed, "mmd"), "utf8");
    expect(diagram).toContain(`around the violation at event ${event}`);
    expect(diagram).toMatch(
      /rect rgb\(255, 215, 215\)\n {2}Note over counter: .*\n {2}Note over counter: VIOLATION: the counter says/,
    );
    expect(await checkDiagrams([{ file: "trace.mmd", line: 1, source: diagram }])).toEqual([]);
  });

  it("passes on a seed whose network duplicates nothing", () => {
    expect(passing.stdout).toContain("✓ 2 passed");
    expect(passing.code).toBe(0);
  });

  it("passes the reference over the whole default sweep", () => {
    expect(reference.code, `${reference.stdout}\n${reference.stderr}`).toBe(0);
  });

  it("refuses a seed range that is not one", async () => {
    const bad = await cli("grade", ["counter", "--seeds", "9..3"], scratch);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("expected a range of whole numbers, such as --seeds 1..500");
  });
});
