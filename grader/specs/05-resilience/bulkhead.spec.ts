import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/bulkhead";
import { isNotImplemented } from "#kit";
import * as reference from "#ref/05-resilience/bulkhead";
import { asyncProp, compareLoad, expectThrows, flush, kataOf, loadTest } from "#spec";
import chapter from "../../../chapters/05-resilience/chapter.ts";

const { budgets } = kataOf(chapter, "05-resilience", "bulkhead");

type Bulkhead = learner.Bulkhead;

/** calls whose end the test decides: each records when it started and waits to be finished */
function harness(bulkhead: Bulkhead) {
  const started: string[] = [];
  const rejected = new Map<string, unknown>();
  const results = new Map<string, unknown>();
  const finished: string[] = [];
  const finishers = new Map<string, { ok: () => void; fail: () => void }>();
  let running = 0;
  let mostAtOnce = 0;
  let notImplemented: unknown;
  const submit = (name: string, signal?: AbortSignal) => {
    bulkhead
      .run(
        () =>
          new Promise<string>((resolve, reject) => {
            started.push(name);
            running++;
            mostAtOnce = Math.max(mostAtOnce, running);
            finishers.set(name, {
              ok: () => {
                running--;
                resolve(name);
              },
              fail: () => {
                running--;
                reject(new Error(`${name} failed`));
              },
            });
          }),
        signal,
      )
      .then(
        (value) => results.set(name, value),
        (error: unknown) => {
          if (isNotImplemented(error)) notImplemented = error;
          else if (!started.includes(name)) rejected.set(name, error);
        },
      );
  };
  const finish = async (name: string, ok = true) => {
    const finisher = finishers.get(name);
    expect(finisher, `${name} has not started, so it cannot finish`).toBeDefined();
    finishers.delete(name);
    finished.push(name);
    if (ok) finisher?.ok();
    else finisher?.fail();
    await settled();
  };
  /** lets pending callbacks run; a stub's "not implemented" surfaces here */
  const settled = async () => {
    await flush();
    if (notImplemented !== undefined) throw notImplemented;
  };
  return { started, finished, rejected, results, submit, finish, settled, mostAtOnce: () => mostAtOnce };
}

describe("slots", () => {
  it("runs a call at once while a slot is free, even with maxQueue 0", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 2, maxQueue: 0 });
    const h = harness(bulkhead);
    h.submit("a");
    h.submit("b");
    await h.settled();
    expect(h.started, "calls started with 2 slots and no queue").toEqual(["a", "b"]);
    expect(bulkhead.active, "slots held by the 2 calls running").toBe(2);
  });

  it("never runs more than maxConcurrent at once", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 3, maxQueue: 20 });
    const h = harness(bulkhead);
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    for (const name of names) h.submit(name);
    await h.settled();
    expect(h.started, "started with 3 slots").toEqual(["c0", "c1", "c2"]);
    // finish the newest running call first, failing every other one
    for (let step = 0; h.finished.length < h.started.length; step++) {
      const newest = h.started.filter((n) => !h.finished.includes(n)).at(-1) as string;
      await h.finish(newest, step % 2 === 0);
      expect(bulkhead.active, `slots held after ${step + 1} calls ended`).toBeLessThanOrEqual(3);
    }
    expect(h.mostAtOnce(), "most calls running at once, maxConcurrent 3").toBe(3);
    expect(h.started.length, "every call ran").toBe(12);
  });

  it("hands a freed slot straight to the first waiter: a newcomer cannot slip in", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 1, maxQueue: 5 });
    const holder = bulkhead.tryAcquire();
    expect(holder, "tryAcquire() on an empty bulkhead of 1 slot").toBeDefined();
    let waiterGot: learner.Permit | undefined;
    void bulkhead.acquire().then((permit) => {
      waiterGot = permit;
    });
    holder?.release();
    expect(bulkhead.tryAcquire(), "a newcomer right after the release, while the first waiter is due").toBeUndefined();
    expect(bulkhead.active, "slots held: the waiter's, handed over").toBe(1);
    await flush();
    expect(waiterGot, "the waiter got the slot").toBeDefined();
    expect(bulkhead.tryAcquire(), "still one slot, held by the waiter").toBeUndefined();
  });

  it("frees the slot when the call fails, or throws before returning a promise", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    await expect(
      bulkhead.run(() => Promise.reject(new Error("boom"))),
      "a call that rejects",
    ).rejects.toThrow("boom");
    expect(bulkhead.active, "slots held after a call that rejected").toBe(0);
    const throwsAtOnce = (): Promise<never> => {
      throw new Error("sync boom");
    };
    await expect(bulkhead.run(throwsAtOnce), "a call that throws before returning a promise").rejects.toThrow(
      "sync boom",
    );
    expect(bulkhead.active, "slots held after a call that threw").toBe(0);
    await expect(
      bulkhead.run(async () => "fine"),
      "a call in the one slot, freed twice",
    ).resolves.toBe("fine");
  });

  it("frees one slot per permit, however often it is released", () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 2, maxQueue: 0 });
    const first = bulkhead.tryAcquire();
    bulkhead.tryAcquire();
    first?.release();
    first?.release();
    expect(bulkhead.active, "slots held: 2 taken, one released twice").toBe(1);
    expect(bulkhead.tryAcquire(), "one slot free").toBeDefined();
    expect(bulkhead.tryAcquire(), "and only one").toBeUndefined();
  });
});

describe("queue", () => {
  it("queues up to maxQueue callers and rejects the next at once with BulkheadFullError", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 2, maxQueue: 3 });
    const h = harness(bulkhead);
    for (const name of ["a", "b", "c", "d", "e", "f", "g"]) h.submit(name);
    await h.settled();
    expect(h.started, "calls started of a to g, maxConcurrent 2, maxQueue 3").toEqual(["a", "b"]);
    expect(bulkhead.queued, "callers waiting of a to g, maxConcurrent 2, maxQueue 3").toBe(3);
    expect([...h.rejected.keys()], "callers turned away of a to g, maxConcurrent 2, maxQueue 3").toEqual(["f", "g"]);
    expect(h.rejected.get("f"), "what f, the first caller past the full queue, was rejected with").toBeInstanceOf(
      learner.BulkheadFullError,
    );
  });

  it("starts queued calls in arrival order", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 1, maxQueue: 10 });
    const h = harness(bulkhead);
    for (const name of ["a", "b", "c", "d", "e"]) h.submit(name);
    await h.settled();
    for (const name of ["a", "b", "c", "d"]) await h.finish(name);
    expect(h.started, "start order with one slot").toEqual(["a", "b", "c", "d", "e"]);
  });

  it("a caller that gives up waiting leaves the queue and frees its place", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 1, maxQueue: 2 });
    const h = harness(bulkhead);
    const impatient = new AbortController();
    h.submit("a");
    h.submit("b", impatient.signal);
    h.submit("c");
    await h.settled();
    impatient.abort(new Error("gave up"));
    await h.settled();
    expect(bulkhead.queued, "callers waiting after b gave up").toBe(1);
    h.submit("d");
    await h.settled();
    expect(h.rejected.has("d"), "d takes the place b left").toBe(false);
    for (const name of ["a", "c"]) await h.finish(name);
    expect(h.started, "b never runs").toEqual(["a", "c", "d"]);
    expect(bulkhead.active, "slots held once a and c have finished: d's").toBe(1);
  });

  it("rejects a caller that gives up with its signal's reason, and one whose signal has already fired at once", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 1, maxQueue: 2 });
    bulkhead.tryAcquire();
    const controller = new AbortController();
    const waiting = bulkhead.acquire(controller.signal);
    const reason = new Error("timed out in the queue");
    controller.abort(reason);
    await expect(waiting, "a queued caller whose signal aborts").rejects.toBe(reason);
    const late = new Error("already late");
    await expect(bulkhead.acquire(AbortSignal.abort(late)), "a caller whose signal has already fired").rejects.toBe(
      late,
    );
    expect(bulkhead.queued, "nobody waiting").toBe(0);
  });

  it("rejects a caller whose signal has already fired, even when a slot is free", async () => {
    const bulkhead = new learner.Bulkhead({ maxConcurrent: 2, maxQueue: 2 });
    const late = new Error("already late");
    await expect(bulkhead.acquire(AbortSignal.abort(late)), "acquire() with a fired signal, 2 slots free").rejects.toBe(
      late,
    );
    let ran = false;
    await expect(
      bulkhead.run(async () => {
        ran = true;
      }, AbortSignal.abort(late)),
      "run() with a fired signal, 2 slots free",
    ).rejects.toBe(late);
    expect(ran, "run() ran fn for a caller that had already given up").toBe(false);
    expect(bulkhead.active, "slots held after two callers that had given up").toBe(0);
  });

  it("throws a RangeError for limits that are not whole numbers in range", () => {
    for (const bad of [
      { maxConcurrent: 0, maxQueue: 1 },
      { maxConcurrent: 1.5, maxQueue: 1 },
      { maxConcurrent: Number.NaN, maxQueue: 1 },
      { maxConcurrent: 1, maxQueue: -1 },
      { maxConcurrent: 1, maxQueue: 1.5 },
      { maxConcurrent: 1, maxQueue: Number.NaN },
    ]) {
      expectThrows(
        () => new learner.Bulkhead(bad),
        RangeError,
        `a bulkhead of maxConcurrent ${bad.maxConcurrent}, maxQueue ${bad.maxQueue}`,
      );
    }
  });
});

describe("properties", () => {
  asyncProp(
    "agrees with a first-come first-served model over random arrivals, completions and give-ups",
    fc.record({
      maxConcurrent: fc.integer({ min: 1, max: 3 }),
      maxQueue: fc.integer({ min: 0, max: 3 }),
      ops: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ kind: fc.constant("arrive" as const) }) },
          {
            weight: 3,
            arbitrary: fc.record({ kind: fc.constant("finish" as const), pick: fc.nat({ max: 9 }), ok: fc.boolean() }),
          },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant("abort" as const), pick: fc.nat({ max: 9 }) }) },
        ),
        { minLength: 1, maxLength: 40 },
      ),
    }),
    async ({ maxConcurrent, maxQueue, ops }) => {
      const bulkhead = new learner.Bulkhead({ maxConcurrent, maxQueue });
      const h = harness(bulkhead);
      const model = {
        running: [] as string[],
        queue: [] as string[],
        started: [] as string[],
        rejected: [] as string[],
        gaveUp: [] as string[],
      };
      const controllers = new Map<string, AbortController>();
      const log: string[] = [];
      let next = 0;
      for (const op of ops) {
        if (op.kind === "arrive") {
          const name = `#${next++}`;
          const controller = new AbortController();
          controllers.set(name, controller);
          if (model.running.length < maxConcurrent && model.queue.length === 0) {
            model.running.push(name);
            model.started.push(name);
          } else if (model.queue.length < maxQueue) model.queue.push(name);
          else model.rejected.push(name);
          h.submit(name, controller.signal);
          log.push(`${name} arrives`);
        } else if (op.kind === "finish") {
          const name = model.running[op.pick % Math.max(1, model.running.length)];
          if (name === undefined) continue;
          model.running.splice(model.running.indexOf(name), 1);
          const first = model.queue.shift();
          if (first !== undefined) {
            model.running.push(first);
            model.started.push(first);
          }
          log.push(`${name} ${op.ok ? "finishes" : "fails"}`);
          await h.finish(name, op.ok);
        } else {
          const names = [...controllers.keys()];
          const name = names[op.pick % Math.max(1, names.length)];
          if (name === undefined) continue;
          const at = model.queue.indexOf(name);
          if (at >= 0) {
            model.queue.splice(at, 1);
            model.gaveUp.push(name);
          }
          controllers.get(name)?.abort(new Error("gave up"));
          log.push(`${name} gives up${at >= 0 ? "" : " (not waiting)"}`);
        }
        await h.settled();
        const where = `maxConcurrent ${maxConcurrent}, maxQueue ${maxQueue}, after: ${log.slice(-6).join("; ")}`;
        expect(h.started, `calls started, in order (${where})`).toEqual(model.started);
        expect([...h.rejected.keys()].sort(), `callers turned away or given up (${where})`).toEqual(
          [...model.rejected, ...model.gaveUp].sort(),
        );
        for (const name of model.rejected) {
          expect(h.rejected.get(name), `${name} should be turned away: full (${where})`).toBeInstanceOf(
            learner.BulkheadFullError,
          );
        }
        expect(bulkhead.active, `slots held (${where})`).toBe(model.running.length);
        expect(bulkhead.queued, `callers waiting (${where})`).toBe(model.queue.length);
      }
    },
  );
});

describe("performance against the reference", () => {
  type Subject = { bulkhead: Pick<Bulkhead, "tryAcquire">; held: Array<learner.Permit | undefined> };

  // 64 callers in turn against 48 slots: each lets go of the slot it holds, then tries for one (every
  // 7th only lets go), so some find the bulkhead full. With nobody queued the contract decides each
  // answer: a slot while fewer than 48 are held. One operation is 8 callers' turns: a turn takes
  // about 10 ns, too little to time alone
  loadTest("keeps pace with the reference: 1.2M slots taken and released, a quarter of them refused", budgets, () =>
    compareLoad<Subject>({
      learner: () => ({ bulkhead: new learner.Bulkhead({ maxConcurrent: 48, maxQueue: 64 }), held: [] }),
      reference: () => ({ bulkhead: new reference.Bulkhead({ maxConcurrent: 48, maxQueue: 64 }), held: [] }),
      ops: 150_000,
      run: (s, from, to) => {
        let granted = 0;
        for (let turn = from * 8; turn < to * 8; turn++) {
          const caller = turn & 63;
          s.held[caller]?.release();
          const permit = turn % 7 === 0 ? undefined : s.bulkhead.tryAcquire();
          if (permit !== undefined) granted++;
          s.held[caller] = permit;
        }
        return granted;
      },
      answers: { what: "slots granted" },
    }),
  );
});
