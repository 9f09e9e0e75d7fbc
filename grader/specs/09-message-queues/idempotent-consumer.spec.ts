import fc from "fast-check";
import { describe, it } from "vitest";
import * as learner from "#kata/09-message-queues/idempotent-consumer";
import * as reference from "#ref/09-message-queues/idempotent-consumer";
import { baseSeed, compareLoad, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/09-message-queues/chapter.ts";

const { budgets } = kataOf(chapter, "09-message-queues", "idempotent-consumer");

type Options = learner.ConsumerOptions;
type LogRecord = learner.LogRecord;
type Effect = learner.Effect;
type DeadLetter = learner.DeadLetter;
type Consumer = Pick<learner.IdempotentConsumer, "poll">;
type Kata = {
  IdempotentConsumer: new (
    partition: learner.Partition,
    sink: learner.Sink,
    offsets: learner.Offsets,
    handler: learner.Handler,
    options: Options,
  ) => Consumer;
  TransientError: new (message: string) => Error;
};

/** how a record's handler behaves: fails its first `failures` calls transiently, or always */
type Kind = { t: "ok" } | { t: "flaky"; failures: number } | { t: "poison" } | { t: "stuck" };

/** the harness's crash: thrown from the sink or the offsets; the consumer must let it through */
class Crash extends Error {
  override readonly name = "Crash";
}

/** a handler called this often for one record in one life is retrying forever */
const RUNAWAY = 1_000;

const resultOf = (r: LogRecord) => `${r.key}=${r.value.toUpperCase()}`;
const poisonMessage = (offset: number) => `cannot parse the record at offset ${offset}`;
const transientMessage = (offset: number) => `timeout while handling offset ${offset}`;

type Event = { kind: "transaction"; effects: number[]; letters: number[] } | { kind: "commit"; next: number };
const describeEvent = (e: Event) =>
  e.kind === "commit"
    ? `commit(${e.next})`
    : `transaction(effects [${e.effects.join(",")}], dead letters [${e.letters.join(",")}])`;

/**
 * One partition, its sink and its committed offset: the durable world a consumer runs in. Every
 * life of the consumer gets its own handles; a crash kills them, so a consumer that swallowed
 * the crash can do nothing more.
 */
class World {
  readonly records: LogRecord[];
  /** the partition's end as the consumer sees it (the load test grows it) */
  end: number;
  readonly effects: Effect[] = [];
  readonly letters: DeadLetter[] = [];
  readonly values = new Map<string, string>();
  committed = 0;
  /** every offset below this has its outcome in the sink */
  #prefix = 0;
  readonly #done = new Set<number>();
  /** handler calls per offset, over all lives, and in the current life */
  readonly calls: number[];
  #callsThisLife: number[];
  #durableCalls = 0;
  #scriptedDone = false;
  life = 0;
  #dead = false;
  readonly violations: string[] = [];
  /** what happened, for failure messages: each crash with the durable call it hit */
  readonly crashes: string[] = [];

  constructor(
    readonly kinds: Kind[],
    /** crash at these durable calls (sink transactions and commits, counted over all lives) */
    readonly plan: ReadonlyMap<number, "before" | "after"> = new Map(),
    /** crash right after the first durable call that this accepts (once: a duplicate must show, not loop) */
    readonly crashAfter: (e: Event) => boolean = () => false,
  ) {
    this.records = kinds.map((_, offset) => ({ offset, key: `k${(offset * 7) % 5}`, value: `v${offset}` }));
    this.end = kinds.length;
    this.calls = kinds.map(() => 0);
    this.#callsThisLife = kinds.map(() => 0);
  }

  /** the current life crashed */
  get dead(): boolean {
    return this.#dead;
  }

  start(kata: Kata, options: Options): Consumer {
    this.life++;
    this.#dead = false;
    this.#callsThisLife = this.kinds.map(() => 0);
    const life = this.life;
    const alive = () => {
      if (this.#dead || life !== this.life) throw new Crash(`life ${life} crashed`);
    };
    const partition: learner.Partition = {
      fetch: (offset, max) => {
        alive();
        if (!Number.isInteger(offset) || offset < 0 || !(max >= 1))
          throw new RangeError(`fetch(${offset}, ${max}): the offset must be an integer ≥ 0, max ≥ 1`);
        return this.records.slice(offset, Math.min(this.end, offset + max)).map((r) => ({ ...r }));
      },
    };
    const sink: learner.Sink = {
      get: <T>(key: string) => {
        alive();
        const json = this.values.get(key);
        return json === undefined ? undefined : (JSON.parse(json) as T);
      },
      transaction: (fill) => {
        alive();
        const effects: Effect[] = [];
        const letters: DeadLetter[] = [];
        const values: [string, string][] = [];
        fill({
          write: (e) => effects.push({ offset: e.offset, key: e.key, result: e.result }),
          deadLetter: (l) => letters.push({ offset: l.offset, key: l.key, error: l.error, attempts: l.attempts }),
          put: (key, value) => values.push([key, JSON.stringify(value) ?? "null"]),
        });
        this.#durable(
          {
            kind: "transaction",
            effects: effects.map((e) => e.offset),
            letters: letters.map((l) => l.offset),
          },
          () => {
            for (const e of effects) this.#land(e.offset);
            for (const l of letters) this.#land(l.offset);
            this.effects.push(...effects);
            this.letters.push(...letters);
            for (const [key, json] of values) this.values.set(key, json);
          },
        );
      },
    };
    const offsets: learner.Offsets = {
      committed: () => {
        alive();
        return this.committed;
      },
      commit: (next) => {
        alive();
        this.#durable({ kind: "commit", next }, () => {
          if (!Number.isInteger(next) || next > this.#prefix) {
            this.violations.push(
              `commit(${next}) while the sink holds the outcome of every offset below ${this.#prefix} only: a crash now loses the records in between`,
            );
          }
          this.committed = next;
        });
      },
    };
    const handler: learner.Handler = (record) => this.#handle(kata, alive, record);
    return new kata.IdempotentConsumer(partition, sink, offsets, handler, options);
  }

  #land(offset: number): void {
    this.#done.add(offset);
    while (this.#done.has(this.#prefix)) this.#prefix++;
  }

  #durable(event: Event, apply: () => void): void {
    const at = this.#durableCalls++;
    const when = this.plan.get(at);
    if (when === "before") this.#crash(`before durable call #${at}, ${describeEvent(event)}`);
    apply();
    const scripted = !this.#scriptedDone && this.crashAfter(event);
    if (scripted) this.#scriptedDone = true;
    if (when === "after" || scripted) this.#crash(`after durable call #${at}, ${describeEvent(event)}`);
  }

  #crash(what: string): never {
    this.#dead = true;
    this.crashes.push(what);
    throw new Crash(what);
  }

  #handle(kata: Kata, alive: () => void, record: LogRecord): string {
    alive();
    const { offset } = record;
    const kind = this.kinds[offset];
    if (kind === undefined || record.key !== this.records[offset]?.key)
      throw new Error(`the handler got a record that is not in the log: ${JSON.stringify(record)}`);
    this.calls[offset] = (this.calls[offset] ?? 0) + 1;
    const call = (this.#callsThisLife[offset] ?? 0) + 1;
    this.#callsThisLife[offset] = call;
    if (call > RUNAWAY) {
      this.violations.push(
        `the handler was called ${call - 1} times for offset ${offset} in one run: retries must stop`,
      );
      this.#dead = true; // stop this life: whatever it does next throws a crash
      throw new Error("retried forever");
    }
    if (kind.t === "poison") throw new Error(poisonMessage(offset));
    if (kind.t === "stuck" || (kind.t === "flaky" && call <= kind.failures))
      throw new kata.TransientError(transientMessage(offset));
    return resultOf(record);
  }
}

/** polls, restarting after each crash, until poll() returns 0 */
function runToEnd(world: World, options: Options, kata: Kata = learner): void {
  let consumer = world.start(kata, options);
  const maxPolls = 2 * world.records.length + 2 * world.plan.size + 20;
  for (let polls = 1; ; polls++) {
    if (polls > maxPolls) throw new Error(`poll() was called ${maxPolls} times without reaching the end of the log`);
    let fetched: number;
    try {
      fetched = consumer.poll();
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
      if (world.violations.length > 0) return;
      consumer = world.start(kata, options);
      continue;
    }
    if (world.violations.length > 0) return;
    if (world.dead) {
      consumer = world.start(kata, options); // the consumer swallowed the crash: it is dead all the same
      continue;
    }
    if (fetched === 0) return;
  }
}

function context(world: World, options: Options): string {
  const kinds = world.kinds.map((k, i) => `${i}:${k.t}${k.t === "flaky" ? k.failures : ""}`).join(" ");
  return `\nrecords: ${kinds}\noptions: ${JSON.stringify(options)}\ncrashes: ${world.crashes.length === 0 ? "none" : world.crashes.join("; ")}\nbase seed ${baseSeed()}`;
}

/** every offset once, in the sink if its handler can succeed within maxAttempts, else in the dead-letter queue */
function expectExactlyOnce(world: World, options: Options): void {
  const where = `${context(world, options)}`;
  if (world.violations.length > 0) throw new Error(`${world.violations[0]}${where}`);
  const n = world.records.length;
  if (world.committed !== n)
    throw new Error(`poll() returned 0 with the committed offset at ${world.committed}, the log ends at ${n}${where}`);
  const seen = new Map<number, string[]>();
  for (const e of world.effects) seen.set(e.offset, [...(seen.get(e.offset) ?? []), "effect"]);
  for (const l of world.letters) seen.set(l.offset, [...(seen.get(l.offset) ?? []), "dead letter"]);
  for (const [offset, kind] of world.kinds.entries()) {
    const landed = seen.get(offset) ?? [];
    const succeeds = kind.t === "ok" || (kind.t === "flaky" && kind.failures < options.maxAttempts);
    const want = succeeds ? "effect" : "dead letter";
    if (landed.length !== 1 || landed[0] !== want) {
      throw new Error(
        `offset ${offset} (${kind.t}) should land once as ${succeeds ? "an effect" : "a dead letter"}; the sink has ${landed.length === 0 ? "nothing" : landed.join(", ")}${where}`,
      );
    }
    const record = world.records[offset] as LogRecord;
    if (succeeds) {
      const e = world.effects.find((x) => x.offset === offset) as Effect;
      if (e.key !== record.key || e.result !== resultOf(record))
        throw new Error(
          `offset ${offset}'s effect is ${JSON.stringify(e)}, expected key ${record.key}, result ${resultOf(record)}${where}`,
        );
    } else {
      const l = world.letters.find((x) => x.offset === offset) as DeadLetter;
      const error = kind.t === "poison" ? poisonMessage(offset) : transientMessage(offset);
      if (l.key !== record.key || l.error !== error)
        throw new Error(
          `offset ${offset}'s dead letter is ${JSON.stringify(l)}, expected key ${record.key}, error "${error}"${where}`,
        );
    }
  }
  for (const offset of seen.keys()) {
    if (!(offset >= 0 && offset < n && Number.isInteger(offset)))
      throw new Error(`the sink has an outcome for offset ${offset}, which is not in the log${where}`);
  }
}

function expectKeyOrder(world: World, options: Options): void {
  const last = new Map<string, number>();
  for (const e of world.effects) {
    const before = last.get(e.key) ?? -1;
    if (e.offset <= before)
      throw new Error(
        `key ${e.key}: the effect of offset ${e.offset} reached the sink after that of ${before}${context(world, options)}`,
      );
    last.set(e.key, e.offset);
  }
}

const ok: Kind = { t: "ok" };
const options: Options = { maxAttempts: 3, maxPollRecords: 4 };

describe("handling records", () => {
  it("writes each record's effect once and commits the end of the log, without crashes", () => {
    const world = new World([ok, ok, ok, ok, ok, ok, ok]);
    runToEnd(world, options);
    expectExactlyOnce(world, options);
    expectKeyOrder(world, options);
  });

  it("refuses maxAttempts or maxPollRecords that is not a positive integer with a RangeError", () => {
    for (const bad of [
      { maxAttempts: 0, maxPollRecords: 4 },
      { maxAttempts: 1.5, maxPollRecords: 4 },
      { maxAttempts: 3, maxPollRecords: 0 },
      { maxAttempts: 3, maxPollRecords: Number.NaN },
    ]) {
      expectThrows(() => new World([ok]).start(learner, bad), RangeError);
    }
  });

  it("retries a transient error and writes the effect once a retry succeeds", () => {
    const world = new World([ok, { t: "flaky", failures: 2 }, ok]);
    runToEnd(world, options);
    expectExactlyOnce(world, options);
    if (world.calls[1] !== 3)
      throw new Error(
        `the handler was called ${world.calls[1]} times for offset 1, which fails twice then succeeds: expected 3${context(world, options)}`,
      );
  });

  it("dead-letters a poison message on its first attempt and moves on to the next record", () => {
    const world = new World([ok, { t: "poison" }, ok, ok]);
    runToEnd(world, options);
    expectExactlyOnce(world, options);
    const letter = world.letters[0];
    if (world.calls[1] !== 1 || letter?.attempts !== 1)
      throw new Error(
        `a permanent error is not retried: the handler was called ${world.calls[1]} times for offset 1, the dead letter says ${JSON.stringify(letter)}${context(world, options)}`,
      );
  });

  it("dead-letters a record whose transient errors never stop after maxAttempts attempts", () => {
    const world = new World([ok, { t: "stuck" }, ok]);
    runToEnd(world, options);
    expectExactlyOnce(world, options);
    const letter = world.letters[0];
    if (world.calls[1] !== options.maxAttempts || letter?.attempts !== options.maxAttempts)
      throw new Error(
        `expected ${options.maxAttempts} attempts at offset 1: the handler was called ${world.calls[1]} times, the dead letter says ${JSON.stringify(letter)}${context(world, options)}`,
      );
  });

  it("never commits an offset before the outcome of every record below it is in the sink", () => {
    const world = new World([ok, { t: "poison" }, ok, { t: "flaky", failures: 1 }, ok, ok]);
    runToEnd(world, options);
    expectExactlyOnce(world, options);
  });
});

describe("crashes", () => {
  it("a crash after a record's effect is written, before its commit: redelivered, its effect is not written twice", () => {
    const world = new World([ok, ok, ok, ok, ok], new Map(), (e) => e.kind === "transaction" && e.effects.includes(2));
    runToEnd(world, options);
    if (world.crashes.length === 0) throw new Error("the consumer never wrote offset 2's effect");
    expectExactlyOnce(world, options);
  });

  it("a crash after a record is dead-lettered, before its commit: it is not dead-lettered twice", () => {
    const world = new World(
      [ok, { t: "poison" }, ok, ok],
      new Map(),
      (e) => e.kind === "transaction" && e.letters.includes(1),
    );
    runToEnd(world, options);
    if (world.crashes.length === 0) throw new Error("the consumer never dead-lettered offset 1");
    expectExactlyOnce(world, options);
  });

  const kindArb = (maxAttempts: number): fc.Arbitrary<Kind> =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constant<Kind>({ t: "ok" }) },
      {
        weight: 3,
        arbitrary: fc.integer({ min: 1, max: maxAttempts - 1 }).map((failures): Kind => ({ t: "flaky", failures })),
      },
      { weight: 2, arbitrary: fc.constant<Kind>({ t: "poison" }) },
      { weight: 2, arbitrary: fc.constant<Kind>({ t: "stuck" }) },
    );
  const scheduleArb = fc.integer({ min: 2, max: 4 }).chain((maxAttempts) =>
    fc.record({
      options: fc.record({ maxAttempts: fc.constant(maxAttempts), maxPollRecords: fc.integer({ min: 1, max: 8 }) }),
      kinds: fc.array(kindArb(maxAttempts), { minLength: 1, maxLength: 30 }),
      crashes: fc.uniqueArray(
        fc.record({ at: fc.nat(70), when: fc.constantFrom<"before" | "after">("before", "after") }),
        {
          selector: (c) => c.at,
          maxLength: 12,
        },
      ),
    }),
  );
  type Schedule = { options: Options; kinds: Kind[]; crashes: { at: number; when: "before" | "after" }[] };
  const crashRun = (s: Schedule): World => {
    const world = new World(s.kinds, new Map(s.crashes.map((c) => [c.at, c.when])));
    runToEnd(world, s.options);
    return world;
  };

  prop(
    "every offset lands exactly once in the sink or the dead-letter queue across 200 seeded crash schedules",
    scheduleArb,
    (s) => {
      expectExactlyOnce(crashRun(s), s.options);
    },
    { numRuns: 200 },
  );

  prop("keeps each key's effects in offset order across seeded crash schedules", scheduleArb, (s) => {
    const world = crashRun(s);
    expectExactlyOnce(world, s.options);
    expectKeyOrder(world, s.options);
  });
});

describe("load", () => {
  // the hot path is the per-record work: a fetch, a dedup check, one sink transaction and a commit
  loadTest("keeps pace with the reference: 20k records, one in 50 failing once", budgets, () => {
    const rng = random(seedFor("idempotent-consumer load", baseSeed()));
    const kinds = Array.from({ length: 20_000 }, (): Kind => (rng.int(0, 49) === 0 ? { t: "flaky", failures: 1 } : ok));
    const loadOptions = { maxAttempts: 3, maxPollRecords: 100 };
    type Subject = { world: World; consumer: Consumer };
    const make = (kata: Kata) => (): Subject => {
      const world = new World(kinds);
      world.end = 0;
      return { world, consumer: world.start(kata, loadOptions) };
    };
    return compareLoad<Subject>({
      learner: make(learner),
      reference: make(reference),
      ops: kinds.length,
      run: (s, _from, to) => {
        s.world.end = to;
        const before = s.world.effects.length;
        while (s.consumer.poll() > 0);
        return s.world.effects.length - before + (s.world.committed === to ? 0 : 1e9);
      },
      answers: { what: "effects written, plus 1e9 for a chunk left uncommitted" },
    });
  });
});
