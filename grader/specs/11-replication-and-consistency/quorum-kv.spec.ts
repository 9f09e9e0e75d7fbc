import { describe, expect } from "vitest";
import { QuorumNode } from "#kata/11-replication-and-consistency/quorum-kv";
import { checkKv, nemesis } from "#sim";
import { simTest } from "#spec";
import { answered, type Client, cluster, type History, type MakeReplica, REPLICAS } from "./_quorum.ts";

const make: MakeReplica = (ctx, config) => new QuorumNode(ctx as never, config) as never;

const describeOps = (history: History) =>
  history
    .map(
      (op) =>
        `${op.client} ${op.input.kind} ${op.input.key}${op.input.kind === "put" ? `=${op.input.value}` : ""} [${op.call.toFixed(0)}–${op.ret === undefined ? "no answer" : `${op.ret.toFixed(0)} → ${JSON.stringify(op.output)}`}]`,
    )
    .join("\n  ");

function expectLinearizable(history: History): void {
  const verdict = checkKv(history);
  if (verdict.result !== "linearizable")
    expect.fail(
      `the clients saw a history no single copy could give (${verdict.result}): ${verdict.explanation}\n  ${describeOps(history).slice(0, 6_000)}`,
    );
}

const request = (
  c: ReturnType<typeof cluster>,
  client: string,
  coordinator: string,
  op: Parameters<Client["request"]>[1],
) => c.sim.call(client, "request", (node) => (node as Client).request(coordinator, op));

describe("strict quorums: R + W > N", () => {
  simTest(
    "gives the clients a linearizable history under loss, duplicates, partitions and crashes (3 replicas, R = W = 2), and answers most operations",
    { seeds: 30 },
    (run) => {
      const c = cluster(run, make, {
        r: 2,
        w: 2,
        clients: 3,
        until: 3_000,
        network: { dropRate: 0.05, duplicateRate: 0.15 },
      });
      nemesis(c.sim, {
        from: 300,
        until: 2_500,
        everyMs: { min: 100, max: 400 },
        faults: ["partition", "crash", "isolate"],
        nodes: REPLICAS,
      });
      c.sim.runUntil(3_500);
      expectLinearizable(c.history);
      expect(answered(c.history), `operations answered of ${c.history.length}`).toBeGreaterThan(c.history.length / 3);
    },
  );

  simTest("keeps answering with one replica of three down (R = W = 2)", { seeds: 10 }, (run) => {
    const c = cluster(run, make, { r: 2, w: 2, clients: 2, until: 1_500, coordinators: ["n1", "n2"] });
    c.sim.crash("n3");
    c.sim.runUntil(2_000);
    const unanswered = c.history.filter((op) => op.ret === undefined);
    expect(
      unanswered.map((op) => `${op.client} ${op.input.kind} ${op.input.key} at ${op.call.toFixed(0)} ms`),
      `operations without an answer, n3 down and n1, n2 up (of ${c.history.length})`,
    ).toEqual([]);
    expectLinearizable(c.history);
  });

  simTest(
    "converges once the faults are over: every replica holds each key's latest version, with no read to repair it (the hints handed over)",
    { seeds: 20 },
    (run) => {
      const c = cluster(run, make, { r: 2, w: 2, clients: 3, until: 2_500, network: { dropRate: 0.05 } });
      nemesis(c.sim, {
        from: 300,
        until: 2_500,
        everyMs: { min: 100, max: 400 },
        faults: ["partition", "crash"],
        nodes: REPLICAS,
      });
      c.sim.runUntil(5_000);
      for (const key of ["x", "y"]) {
        const held = REPLICAS.map((id) => `${id}: ${c.peek(id, key)?.value ?? "nothing"}`);
        const first = held[0]?.split(": ")[1];
        expect(held, `what each replica holds for ${key}, 2.5 s after the last fault and the last client`).toEqual(
          REPLICAS.map((id) => `${id}: ${first}`),
        );
      }
    },
  );

  simTest(
    "hands a write to a replica that was down when it was acknowledged, with no read of the key (hinted handoff)",
    { seeds: 5 },
    (run) => {
      const c = cluster(run, make, { r: 2, w: 2 });
      c.sim.runFor(50);
      c.sim.crash("n3");
      request(c, "c1", "n1", { kind: "put", key: "x", value: "v1" });
      c.sim.runFor(300);
      expect(c.history[0]?.output, "put x=v1 through n1, with n3 down").toBe("ok");
      c.sim.restart("n3");
      c.sim.runFor(1_000);
      expect(c.peek("n3", "x")?.value, "what n3 holds for x, 1 s after it came back").toBe("v1");
    },
  );

  simTest(
    "counts each replica's acknowledgement once, however often the network delivers it: cut off from the others, n1 cannot reach W = 2 on its own (R = 1)",
    { seeds: 5 },
    (run) => {
      const c = cluster(run, make, { r: 1, w: 2 });
      c.sim.runFor(50);
      // everything n1 sends itself arrives twice; n2 and n3 are out of its reach
      c.sim.link("n1", "n1", { duplicateRate: 1 });
      c.sim.partition([
        ["n1", "c1"],
        ["n2", "n3"],
      ]);
      request(c, "c1", "n1", { kind: "put", key: "x", value: "v1" });
      c.sim.runFor(600);
      expect(
        c.history[0]?.output,
        "put x=v1 through n1, which only it can hold (its own replies and acknowledgements each delivered twice)",
      ).toBeUndefined();
    },
  );

  simTest(
    "repairs what a read finds stale: a get writes the latest version back before it answers (read repair)",
    { seeds: 5 },
    (run) => {
      const c = cluster(run, make, { r: 2, w: 2 });
      c.sim.runFor(50);
      c.sim.crash("n3");
      request(c, "c1", "n1", { kind: "put", key: "x", value: "v1" });
      c.sim.runFor(300);
      // n1 holds any hint for n3: gone with it
      c.sim.crash("n1");
      c.sim.restart("n3");
      c.sim.runFor(50);
      request(c, "c1", "n2", { kind: "get", key: "x" });
      c.sim.runFor(300);
      expect(
        c.history.map((op) => op.output),
        "put x=v1 via n1 (n3 down), then n1 down and n3 back: get x via n2",
      ).toEqual(["ok", "v1"]);
      expect(c.peek("n3", "x")?.value, "what n3 holds for x after that get").toBe("v1");
    },
  );
});

describe("sloppy settings: R + W ≤ N", () => {
  simTest(
    "lets a read miss an acknowledged write (R = W = 1): n1 acknowledges put x=v1 on its own copy, and n2, cut off from n1, answers get x from its own, with nothing",
    { seeds: 3 },
    (run) => {
      const c = cluster(run, make, { r: 1, w: 1, clients: 2 });
      c.sim.runFor(50);
      c.sim.partition([
        ["n1", "c1"],
        ["n2", "n3", "c2"],
      ]);
      request(c, "c1", "n1", { kind: "put", key: "x", value: "v1" });
      c.sim.runFor(200);
      request(c, "c2", "n2", { kind: "get", key: "x" });
      c.sim.runFor(200);
      expect(
        c.history.map((op) => op.output),
        "put x=v1 via n1, then get x via n2, the two sides partitioned (R and W of 1 must not wait for the other side)",
      ).toEqual(["ok", null]);
      expect(checkKv(c.history).result, "the checker's verdict on that history: a stale read").toBe("violation");
    },
  );
});
