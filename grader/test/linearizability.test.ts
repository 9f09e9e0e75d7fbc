import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkKv, type KvInput, type KvOutput, type Operation } from "../sim/linearizability.ts";

type Op = Operation<KvInput, KvOutput>;
const put = (client: string, key: string, value: string, call: number, ret?: number): Op => ({
  client,
  input: { kind: "put", key, value },
  ...(ret === undefined ? {} : { output: "ok", ret }),
  call,
});
const get = (client: string, key: string, output: string | null, call: number, ret: number): Op => ({
  client,
  input: { kind: "get", key },
  output,
  call,
  ret,
});

describe("histories that are linearizable", () => {
  it("accepts a sequential history", () => {
    const verdict = checkKv([put("a", "x", "1", 0, 1), get("b", "x", "1", 2, 3), put("a", "x", "2", 4, 5)]);
    expect(verdict.result).toBe("linearizable");
  });

  it("accepts either value for a read that overlaps a write", () => {
    for (const seen of ["1", "2"]) {
      const verdict = checkKv([put("a", "x", "1", 0, 1), put("a", "x", "2", 2, 6), get("b", "x", seen, 3, 4)]);
      expect(verdict.result).toBe("linearizable");
    }
  });

  it("accepts a write that never answered, whether or not a later read sees it", () => {
    for (const seen of ["1", "2"]) {
      const verdict = checkKv([put("a", "x", "1", 0, 1), put("a", "x", "2", 2), get("b", "x", seen, 10, 11)]);
      expect(verdict.result).toBe("linearizable");
    }
  });

  it("reads null from a key nobody wrote", () => {
    expect(checkKv([get("a", "x", null, 0, 1)]).result).toBe("linearizable");
  });

  it("accepts every history recorded from a register that is linearizable by construction", () => {
    // each operation takes effect at a point inside its interval: the history is linearizable
    const opArb = fc.record({
      client: fc.constantFrom("c1", "c2", "c3", "c4"),
      isPut: fc.boolean(),
      key: fc.constantFrom("x", "y"),
      value: fc.integer({ min: 1, max: 5 }).map(String),
      call: fc.integer({ min: 0, max: 1_000 }),
      length: fc.integer({ min: 0, max: 200 }),
      point: fc.double({ min: 0, max: 1, noNaN: true }),
      answered: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (drafts) => {
        const timed = drafts.map((d) => ({ ...d, at: d.call + d.point * d.length }));
        const state = new Map<string, string>();
        const outputs = new Map<number, string | null>();
        const order = timed.map((_, i) => i).sort((a, b) => (timed[a]?.at ?? 0) - (timed[b]?.at ?? 0));
        for (const i of order) {
          const d = timed[i] as (typeof timed)[number];
          if (d.isPut) state.set(d.key, d.value);
          else outputs.set(i, state.get(d.key) ?? null);
        }
        const ops = timed.map((d, i): Op => {
          if (d.isPut)
            return d.answered < 0.15
              ? put(d.client, d.key, d.value, d.call)
              : put(d.client, d.key, d.value, d.call, d.call + d.length);
          return get(d.client, d.key, outputs.get(i) ?? null, d.call, d.call + d.length);
        });
        expect(checkKv(ops).result).toBe("linearizable");
        // and the same history with one answered read changed to a value nobody wrote is not
        const read = ops.findIndex((op) => op.input.kind === "get");
        if (read >= 0) {
          const broken = ops.map((op, i) => (i === read ? { ...op, output: "never written" } : op));
          expect(checkKv(broken).result).toBe("violation");
        }
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });
});

describe("histories that are not", () => {
  it("rejects a stale read after a write finished, and names the read", () => {
    const verdict = checkKv([put("a", "x", "1", 0, 1), put("a", "x", "2", 2, 3), get("b", "x", "1", 4, 5)]);
    expect(verdict.result).toBe("violation");
    if (verdict.result !== "violation") return;
    expect(verdict.explanation).toContain('key "x"');
    expect(verdict.explanation).toContain('nothing explains b: get x -> "1" [4.0, 5.0] ms');
  });

  it("rejects a value nobody wrote", () => {
    expect(checkKv([put("a", "x", "1", 0, 1), get("b", "x", "7", 2, 3)]).result).toBe("violation");
  });

  it("rejects reads that see two writes in opposite orders", () => {
    const ops = [
      put("a", "x", "1", 0, 10),
      put("b", "x", "2", 0, 10),
      get("c", "x", "1", 11, 12),
      get("c", "x", "2", 13, 14),
      get("d", "x", "1", 15, 16),
    ];
    expect(checkKv(ops).result).toBe("violation");
  });

  it("rejects a write lost after it was acknowledged", () => {
    const ops = [put("a", "x", "1", 0, 1), put("a", "y", "1", 2, 3), get("b", "x", null, 4, 5)];
    const verdict = checkKv(ops);
    expect(verdict.result).toBe("violation");
    expect(verdict.result === "violation" && verdict.explanation).toMatch(/^key "x"/);
  });

  it("says unknown, never linearizable, when the search runs out of steps", () => {
    const ops: Op[] = [];
    for (let i = 0; i < 30; i++) ops.push(put(`c${i}`, "x", String(i), 0, 100));
    ops.push(get("r", "x", "nope", 101, 102));
    const verdict = checkKv(ops, 1_000);
    expect(verdict.result).toBe("unknown");
    expect(verdict.result === "unknown" && verdict.explanation).toMatch(/gave up after 1,000 steps over 31 operations/);
  });
});
