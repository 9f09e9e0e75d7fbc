import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkDiagrams } from "../../docs/site/diagrams.ts";
import type { NodeContext, SimNode } from "../kit/sim.ts";
import { NotImplementedError } from "../kit/todo.ts";
import {
  formatEvent,
  formatHistory,
  type HistoryEvent,
  partingEvents,
  Violation,
  whereHistoriesPart,
} from "../sim/history.ts";
import { nemesis } from "../sim/nemesis.ts";
import { type LinkOptions, Simulation, SimulationError } from "../sim/simulation.ts";
import { MARK, toMermaid, writeTrace } from "../sim/trace.ts";
import { traceFailure } from "../spec/sim.ts";

type Msg = { kind: "ping"; n: number } | { kind: "pong"; n: number };

/** pings every peer every 10 ms with a counter it keeps on disk; answers pings with pongs */
class Pinger implements SimNode<Msg> {
  sent = 0;
  received: Array<{ from: string; kind: Msg["kind"]; n: number; at: number }> = [];
  constructor(private readonly ctx: NodeContext<Msg>) {}
  start(): void {
    this.sent = this.ctx.storage.get<number>("sent") ?? 0;
    this.ctx.setTimer("tick", 10 * (1 + this.ctx.random()));
  }
  receive(from: string, message: Msg): void {
    this.received.push({ from, kind: message.kind, n: message.n, at: this.ctx.now() });
    if (message.kind === "ping") this.ctx.send(from, { kind: "pong", n: message.n });
  }
  timer(): void {
    this.sent += 1;
    this.ctx.storage.set("sent", this.sent);
    for (const peer of this.ctx.peers) this.ctx.send(peer, { kind: "ping", n: this.sent });
    this.ctx.setTimer("tick", 10);
  }
}

const ids = ["n1", "n2", "n3"];
const pingers = (seed: number, network: Partial<LinkOptions> = {}, clockDrift = 0) =>
  new Simulation<Msg>({
    seed,
    nodes: ids.map((id) => ({ id, create: (ctx) => new Pinger(ctx) })),
    network,
    clockDrift,
    observe: (node) => ({ sent: (node as Pinger).sent }),
  });
const pinger = (sim: Simulation<Msg>, id: string) => sim.node(id) as Pinger;

function stormy(seed: number): Simulation<Msg> {
  const sim = pingers(seed, { dropRate: 0.1, duplicateRate: 0.1, delayMs: { min: 1, max: 30 } }, 0.05);
  nemesis(sim, {
    from: 100,
    until: 2_000,
    everyMs: { min: 50, max: 300 },
    faults: ["partition", "one-way", "isolate", "crash", "pause"],
  });
  sim.runUntil(2_500);
  return sim;
}

describe("determinism", () => {
  it("replays a byte-identical history from the same seed, faults and all", () => {
    const a = formatHistory(stormy(7).history);
    const b = formatHistory(stormy(7).history);
    expect(a.length).toBeGreaterThan(10_000);
    expect(a).toBe(b);
  });

  it("gives a different history for a different seed", () => {
    expect(formatHistory(stormy(8).history)).not.toBe(formatHistory(stormy(7).history));
  });

  it("names the first event where two histories part, and nothing when they agree", () => {
    expect(whereHistoriesPart(stormy(7).history, stormy(7).history)).toBeUndefined();
    const seven = stormy(7).history;
    const parted = whereHistoriesPart(seven, seven.slice(0, 5));
    expect(parted).toBe(`event 6:\n  ${formatEvent(seven[5] as HistoryEvent)}\n  (the second run ended)`);
    expect(whereHistoriesPart(seven.slice(0, 5), seven)).toBe(
      `event 6:\n  (the first run ended)\n  ${formatEvent(seven[5] as HistoryEvent)}`,
    );
    expect(whereHistoriesPart(seven, stormy(8).history)).toMatch(/^event \d+:\n {2}.+\n {2}.+$/);
  });

  it("gives the events where two histories part, one of each, for the traces to mark", () => {
    const seven = stormy(7).history;
    const again = stormy(7).history;
    expect(partingEvents(seven, again)).toEqual([]);
    expect(partingEvents(seven, seven.slice(0, 5)), "a run that ended: its last event").toEqual([seven[5], seven[4]]);
    const eight = stormy(8).history;
    const [a, b] = partingEvents(seven, eight);
    const at = seven.indexOf(a as HistoryEvent);
    expect(eight.indexOf(b as HistoryEvent), "the same position in both").toBe(at);
    expect(whereHistoriesPart(seven, eight)).toBe(
      `event ${at + 1}:\n  ${formatEvent(a as HistoryEvent)}\n  ${formatEvent(b as HistoryEvent)}`,
    );
  });

  it("orders events at the same instant by when they were scheduled", () => {
    const sim = pingers(1);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) sim.at(50, () => order.push(i));
    sim.runUntil(60);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("the network", () => {
  it("delivers each message after a delay within the link's bounds", () => {
    const sim = pingers(1, { delayMs: { min: 5, max: 9 } });
    sim.runUntil(1_000);
    const sentAt = new Map(sim.history.flatMap((e) => (e.kind === "send" ? [[e.id, e.t] as const] : [])));
    const delays = sim.history.flatMap((e) => (e.kind === "deliver" ? [e.t - (sentAt.get(e.id) as number)] : []));
    expect(delays.length).toBeGreaterThan(500);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...delays)).toBeLessThanOrEqual(9);
  });

  it("loses about the share of messages it is told to", () => {
    const sim = pingers(2, { dropRate: 0.2 });
    sim.runUntil(5_000);
    const sent = sim.history.filter((e) => e.kind === "send").length;
    const lost = sim.history.filter((e) => e.kind === "drop" && e.reason === "loss").length;
    expect(lost / sent).toBeGreaterThan(0.17);
    expect(lost / sent).toBeLessThan(0.23);
  });

  it("duplicates about the share of messages it is told to, as separate deliveries", () => {
    const sim = pingers(3, { duplicateRate: 0.1 });
    sim.runUntil(5_000);
    for (const id of ids) sim.crash(id);
    sim.runUntil(5_100);
    const sent = sim.history.filter((e) => e.kind === "send").length;
    const copies = sim.history.filter((e) => e.kind === "duplicate").length;
    const arrived = sim.history.filter((e) => e.kind === "deliver" || e.kind === "drop").length;
    expect(copies / sent).toBeGreaterThan(0.08);
    expect(copies / sent).toBeLessThan(0.12);
    expect(arrived).toBe(sent + copies);
  });

  it("reorders messages on a link when delays vary, and keeps them in order when told not to", () => {
    const outOfOrder = (reorder: boolean) => {
      const sim = pingers(4, { delayMs: { min: 1, max: 40 }, reorder });
      sim.runUntil(2_000);
      const pings = pinger(sim, "n2").received.filter((r) => r.from === "n1" && r.kind === "ping");
      return pings.filter((r, i) => i > 0 && r.n < (pings[i - 1] as { n: number }).n).length;
    };
    expect(outOfOrder(true)).toBeGreaterThan(0);
    expect(outOfOrder(false)).toBe(0);
  });

  it("overrides one direction of one link", () => {
    const sim = pingers(5);
    sim.link("n1", "n2", { dropRate: 1 });
    sim.runUntil(500);
    expect(pinger(sim, "n2").received.some((r) => r.from === "n1")).toBe(false);
    expect(pinger(sim, "n1").received.some((r) => r.from === "n2")).toBe(true);
  });

  it("sends messages as JSON copies: the sender changing its object later changes nothing", () => {
    const seen: unknown[] = [];
    const sim = new Simulation<{ list: number[] }>({
      seed: 1,
      nodes: [
        {
          id: "a",
          create: (ctx) => ({
            start() {
              const message = { list: [1] };
              ctx.send("b", message);
              message.list.push(2);
            },
            receive() {},
            timer() {},
          }),
        },
        { id: "b", create: () => ({ start() {}, receive: (_from, m) => seen.push(m), timer() {} }) },
      ],
    });
    sim.runUntil(100);
    expect(seen).toEqual([{ list: [1] }]);
  });
});

describe("partitions", () => {
  it("cuts both ways between groups, and heals", () => {
    const sim = pingers(6);
    sim.partition([["n1"], ["n2", "n3"]]);
    sim.runUntil(500);
    expect(pinger(sim, "n1").received).toEqual([]);
    expect(pinger(sim, "n2").received.some((r) => r.from === "n1")).toBe(false);
    expect(pinger(sim, "n2").received.some((r) => r.from === "n3")).toBe(true);
    sim.heal();
    sim.runUntil(1_000);
    expect(pinger(sim, "n1").received.length).toBeGreaterThan(0);
  });

  it("leaves a node in no group connected to every group", () => {
    const sim = pingers(13);
    sim.partition([["n1"], ["n2"]]);
    sim.runUntil(500);
    expect(pinger(sim, "n1").received.some((r) => r.from === "n2")).toBe(false);
    expect(pinger(sim, "n3").received.some((r) => r.from === "n1")).toBe(true);
    expect(pinger(sim, "n3").received.some((r) => r.from === "n2")).toBe(true);
  });

  it("cuts one way only", () => {
    const sim = pingers(7);
    sim.cut("n1", "n2");
    sim.runUntil(500);
    expect(pinger(sim, "n2").received.some((r) => r.from === "n1")).toBe(false);
    expect(pinger(sim, "n1").received.some((r) => r.from === "n2")).toBe(true);
  });

  it("drops a message already in flight when a partition cuts its link", () => {
    const sim = pingers(8, { delayMs: { min: 20, max: 20 } });
    sim.runUntil(25);
    sim.partition([["n1"], ["n2"], ["n3"]]);
    sim.runUntil(100);
    const reasons = sim.history.flatMap((e) => (e.kind === "drop" ? [e.reason] : []));
    expect(reasons).toContain("partition");
    expect(sim.history.filter((e) => e.kind === "deliver" && e.t > 25)).toEqual([]);
  });
});

describe("crashes", () => {
  it("loses a node's memory and keeps its storage", () => {
    const sim = pingers(9);
    sim.runUntil(200);
    const before = pinger(sim, "n1");
    const sent = before.sent;
    sim.crash("n1");
    expect(sim.node("n1")).toBeUndefined();
    expect(sim.isUp("n1")).toBe(false);
    sim.runUntil(300);
    sim.restart("n1");
    const after = pinger(sim, "n1");
    expect(after).not.toBe(before);
    expect(after.received).toEqual([]);
    expect(after.sent).toBe(sent);
  });

  it("never fires a timer set before the crash, and drops messages for a node that is down", () => {
    const sim = pingers(10);
    sim.runUntil(100);
    sim.crash("n2");
    const crashedAt = sim.now;
    sim.runUntil(400);
    const n2Events = sim.history.filter((e) => e.t > crashedAt && e.kind === "timer" && e.node === "n2");
    expect(n2Events).toEqual([]);
    expect(sim.history.some((e) => e.kind === "drop" && e.to === "n2" && e.reason === "down")).toBe(true);
    expect(sim.history.some((e) => e.kind === "send" && e.from === "n2" && e.t > crashedAt)).toBe(false);
  });

  it("records a crashed node's state as null", () => {
    const sim = pingers(11);
    sim.runUntil(50);
    sim.crash("n3");
    expect(sim.history.at(-1)).toMatchObject({ kind: "state", node: "n3", state: "null" });
  });

  it("keeps what was stored as JSON: changing the object after set changes nothing", () => {
    let saved: number[] | undefined;
    const sim = new Simulation<never>({
      seed: 1,
      nodes: [
        {
          id: "a",
          create: (ctx) => ({
            start() {
              saved = ctx.storage.get<number[]>("list");
              if (saved) return;
              const list = [1];
              ctx.storage.set("list", list);
              list.push(2);
            },
            receive() {},
            timer() {},
          }),
        },
      ],
    });
    sim.crash("a");
    sim.restart("a");
    expect(saved).toEqual([1]);
  });
});

describe("pauses and clocks", () => {
  it("holds a paused node's messages and timers until it resumes, while time goes on", () => {
    const sim = pingers(12);
    sim.runUntil(100);
    sim.pause("n1");
    sim.runUntil(300);
    expect(
      sim.history.filter(
        (e) => e.t > 100 && (e.kind === "deliver" || e.kind === "timer") && "to" in e && e.to === "n1",
      ),
    ).toEqual([]);
    const before = pinger(sim, "n1").received.length;
    sim.resume("n1");
    expect(pinger(sim, "n1").received.length).toBeGreaterThan(before);
    expect(pinger(sim, "n1").received.at(-1)?.at).toBeCloseTo(300, 6);
  });

  it("runs each node's clock at its own rate, timers included", () => {
    const fired: Array<{ local: number; real: number }> = [];
    let sim: Simulation<never> | undefined;
    sim = new Simulation<never>({
      seed: 3,
      clockDrift: 0.1,
      nodes: [
        {
          id: "a",
          create: (ctx) => ({
            start: () => ctx.setTimer("t", 1_000),
            receive() {},
            timer: () => fired.push({ local: ctx.now(), real: sim?.now ?? Number.NaN }),
          }),
        },
      ],
    });
    const rate = sim.clockRate("a");
    expect(Math.abs(rate - 1)).toBeLessThanOrEqual(0.1);
    expect(rate).not.toBe(1);
    sim.runUntil(2_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.local).toBeCloseTo(1_000, 6);
    expect(fired[0]?.real).toBeCloseTo(1_000 / rate, 6);
  });
});

describe("mistakes in node code", () => {
  it("stops a zero-delay timer loop with an error that says so", () => {
    const sim = new Simulation<never>({
      seed: 1,
      maxEvents: 10_000,
      nodes: [
        {
          id: "a",
          create: (ctx) => ({ start: () => ctx.setTimer("t", 0), receive() {}, timer: () => ctx.setTimer("t", 0) }),
        },
      ],
    });
    expect(() => sim.runUntil(10)).toThrow(/more than 10,000 events by 0\.0 ms: is a timer or a message loop/);
  });

  it("names the node, the handler, the time and the seed when a node throws", () => {
    const sim = new Simulation<string>({
      seed: 42,
      nodes: [
        { id: "a", create: (ctx) => ({ start: () => ctx.send("b", "boom"), receive() {}, timer() {} }) },
        {
          id: "b",
          create: () => ({
            start() {},
            receive() {
              throw new TypeError("cannot read x");
            },
            timer() {},
          }),
        },
      ],
      network: { delayMs: { min: 2, max: 2 } },
    });
    expect(() => sim.runUntil(10)).toThrow(
      /b threw in receive\(\) of #1 from a at 2\.000 ms \(seed 42\): cannot read x/,
    );
  });

  it("lets a stub's not-implemented through untouched, so the grader reads it as todo", () => {
    const create = () => ({
      start() {
        throw new NotImplementedError("Node.start");
      },
      receive() {},
      timer() {},
    });
    expect(() => new Simulation<never>({ seed: 1, nodes: [{ id: "a", create }] })).toThrow(NotImplementedError);
  });

  it("refuses a message to a node that does not exist", () => {
    const create = (ctx: NodeContext<string>) => ({ start: () => ctx.send("zz", "hi"), receive() {}, timer() {} });
    expect(() => new Simulation<string>({ seed: 1, nodes: [{ id: "a", create }] })).toThrow(SimulationError);
  });
});

describe("the nemesis", () => {
  it("leaves every node up and every link working at the end", () => {
    for (const seed of [21, 22, 23]) {
      const sim = stormy(seed);
      expect(ids.every((id) => sim.isUp(id))).toBe(true);
      const lastFault = Math.max(...sim.history.flatMap((e) => (e.kind === "fault" ? [e.t] : [])));
      expect(lastFault).toBeLessThanOrEqual(2_000);
      const late = sim.history.filter((e) => e.t > 2_100 && e.kind === "drop" && e.reason !== "loss");
      expect(late).toEqual([]);
    }
  });

  it("draws every kind of fault it is given", () => {
    const kinds = new Set<string>();
    for (const seed of [21, 22, 23]) {
      for (const e of stormy(seed).history) if (e.kind === "fault") kinds.add(e.what.split(" ")[0] as string);
    }
    expect([...kinds].sort()).toEqual(["crash", "cut", "heal", "partition", "pause", "restart", "resume"]);
  });
});

describe("traces", () => {
  it("draws the history as a sequence diagram mermaid can parse", async () => {
    const sim = stormy(5);
    const diagram = toMermaid(sim.history, sim.nodeIds, { limit: 80 });
    expect(diagram).toMatch(/^sequenceDiagram\n {2}%% the last 80 of \d+ events/);
    expect(diagram).toContain("participant n1");
    expect(await checkDiagrams([{ file: "trace.mmd", line: 1, source: diagram }])).toEqual([]);
  });

  it("writes the text log and the diagram side by side", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "trace-"));
    try {
      const sim = stormy(6);
      const written = writeTrace(path.join(dir, "deep", "run.seed-6"), sim.history, sim.nodeIds, "a header", {
        describe: (m) => `${(m as Msg).kind} ${(m as Msg).n}`,
      });
      expect(existsSync(written.text) && existsSync(written.mermaid)).toBe(true);
      const text = readFileSync(written.text, "utf8");
      expect(text.split("\n")[0]).toBe("# a header");
      expect(text).toBe(`# a header\n${formatHistory(sim.history)}`);
      expect(readFileSync(written.mermaid, "utf8")).toMatch(/n\d->>n\d: (ping|pong) \d+ @/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** the history's indexes of the events a diagram draws, read off the "@t ms" of each line, in order */
  const drawnLines = (diagram: string) =>
    diagram.split("\n").filter((line) => /^ {2}(\w+-(>>|x|->>)\w+|Note over [^:]+): .*@\d+\.\d ms/.test(line));

  it("marks the event a violation names in the text log, with what broke, and says so in its header", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "trace-"));
    try {
      const sim = stormy(6);
      const index = sim.history.findIndex((e, i) => i > 200 && e.kind === "deliver");
      const event = sim.history[index] as HistoryEvent;
      const written = writeTrace(
        path.join(dir, "run"),
        sim.history,
        sim.nodeIds,
        "a header",
        {},
        {
          index,
          what: "n2 counted a ping twice\nsecond line",
        },
      );
      const lines = readFileSync(written.text, "utf8").split("\n");
      expect(lines[0]).toBe(`# a header · violated at event ${index + 1} (${event.t.toFixed(1)} ms), marked ${MARK}`);
      expect(lines[index + 1], "the event itself, on the line its number says (after the header)").toBe(
        formatEvent(event),
      );
      expect(lines[index + 2]).toBe(
        `${MARK} the violation is the event above, event ${index + 1} (${event.t.toFixed(1)} ms): n2 counted a ping twice`,
      );
      expect(
        lines.filter((line) => line.startsWith(MARK)),
        "one marked line",
      ).toHaveLength(1);
      expect(lines.length, "every event, the header, the mark and the last newline").toBe(sim.history.length + 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("draws the events around a violation, two thirds before it and a third after, the violation in a red box", async () => {
    const sim = stormy(5);
    const shown = sim.history.flatMap((e, i) =>
      ["send", "timer", "duplicate"].includes(e.kind) || (e.kind === "start" && e.incarnation === 1) ? [] : [i],
    );
    const index = shown[Math.floor(shown.length / 3)] as number; // far from the end: the last 90 events would miss it
    const event = sim.history[index] as HistoryEvent;
    const diagram = toMermaid(
      sim.history,
      sim.nodeIds,
      { limit: 90 },
      { index, what: "two leaders in term 3: n1 and n2" },
    );
    expect(diagram).toMatch(
      new RegExp(
        `^sequenceDiagram\n {2}%% 90 of ${shown.length} events around the violation at event ${index + 1} \\(`,
      ),
    );
    const lines = diagram.split("\n");
    const box = lines.indexOf("  rect rgb(255, 215, 215)");
    expect(lines[box + 2]).toMatch(/^ {2}Note over [\w,]+: VIOLATION: two leaders in term 3: n1 and n2$/);
    expect(lines[box + 3]).toBe("  end");
    expect(lines[box + 1], "the marked event, drawn first in the box").toContain(`@${event.t.toFixed(1)} ms`);
    const before = drawnLines(lines.slice(0, box).join("\n")).length;
    const after = drawnLines(lines.slice(box + 4).join("\n")).length;
    expect(before + 1 + after, "events drawn").toBe(90);
    expect(before, "events drawn before the violation").toBe(59);
    expect(await checkDiagrams([{ file: "trace.mmd", line: 1, source: diagram }])).toEqual([]);
  });

  it("draws a marked event of a kind it leaves out otherwise, and keeps to the history's ends", async () => {
    const sim = stormy(5);
    const send = sim.history.findIndex((e) => e.kind === "send");
    const early = toMermaid(sim.history, sim.nodeIds, { limit: 30 }, { index: send, what: "sent too soon" });
    const lines = early.split("\n");
    const box = lines.indexOf("  rect rgb(255, 215, 215)");
    expect(lines[box + 1], "a send, drawn as a dotted arrow").toMatch(/^ {2}n\d-->>n\d: .* sent @\d+\.\d ms$/);
    expect(drawnLines(early).length, "the first 30 events: there are none before it to show").toBe(30);
    const lastTimer = sim.history.findLastIndex((e) => e.kind === "timer");
    const late = toMermaid(sim.history, sim.nodeIds, { limit: 30 }, { index: lastTimer, what: "fired late" });
    expect(late).toMatch(
      /rect rgb\(255, 215, 215\)\n {2}Note over n\d: timer tick @[\d.]+ ms\n {2}Note over n\d: VIOLATION: fired late/,
    );
    expect(drawnLines(late).length, "30 events: the last ones, since there are few after it").toBe(30);
    for (const diagram of [early, late]) {
      expect(await checkDiagrams([{ file: "trace.mmd", line: 1, source: diagram }])).toEqual([]);
    }
  });

  it("marks the violation in the trace of the simulation whose history holds its event, and says where", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "trace-"));
    try {
      const [first, second] = [stormy(7), stormy(8)];
      const index = second.history.findIndex((e) => e.kind === "state");
      const error = new Violation("n1 went back a count", second.history[index] as HistoryEvent);
      const traced = [first, second].map((sim) => ({ sim: sim as Simulation<unknown>, trace: {} }));
      const { files, where } = traceFailure(
        error,
        traced,
        (suffix) => path.join(dir, `run${suffix}`),
        () => "header",
      );
      expect(files.map((f) => path.basename(f))).toEqual(["run-1.{txt,mmd}", "run-2.{txt,mmd}"]);
      expect(where).toBe(
        `the violation is event ${index + 1} at ${(second.history[index] as HistoryEvent).t.toFixed(1)} ms in trace -2: marked ${MARK} in its .txt, centred in its .mmd`,
      );
      expect(readFileSync(path.join(dir, "run-1.txt"), "utf8")).not.toContain(MARK);
      expect(readFileSync(path.join(dir, "run-2.txt"), "utf8")).toContain(`${MARK} the violation is the event above`);
      const alone = traceFailure(
        error,
        traced.slice(1),
        (s) => path.join(dir, `alone${s}`),
        () => "h",
      );
      expect(alone.where).toMatch(
        /^the violation is event \d+ at [\d.]+ ms: marked >>> in the \.txt, centred in the \.mmd$/,
      );
      const both = traceFailure(
        new Violation("the runs part", partingEvents(first.history, second.history)),
        traced,
        (suffix) => path.join(dir, `both${suffix}`),
        () => "header",
      );
      expect(both.where, "two runs of a seed that part: each trace marks where").toMatch(
        /^the violation is event (\d+) at [\d.]+ ms in trace -1 and event \1 at [\d.]+ ms in trace -2: marked >>> in each \.txt, centred in its \.mmd$/,
      );
      const plain = traceFailure(
        new Error("no leader"),
        traced.slice(0, 1),
        (s) => path.join(dir, `plain${s}`),
        () => "h",
      );
      expect(plain.where, "an error that names no event marks nothing").toBeUndefined();
      expect(readFileSync(path.join(dir, "plain.mmd"), "utf8")).toMatch(/%% the last 150 of \d+ events/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
