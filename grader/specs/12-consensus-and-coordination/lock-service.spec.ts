import { describe, expect, inject } from "vitest";
import {
  DEFAULT_LOCK_CONFIG,
  FencedStore,
  type LockMessage,
  LockServer,
} from "#kata/12-consensus-and-coordination/lock-service";
import type { NodeContext } from "#kit";
import { deriveSeed, type LinkOptions, nemesis, random, type Simulation } from "#sim";
import { type SimRun, simTest } from "#spec";
import {
  type ClientPlan,
  describeLockMessage,
  expectFencedWrites,
  expectNoHerd,
  expectNoOverlap,
  expectTokensGrow,
  LockClient,
  leasesOf,
} from "./_lock.ts";
import { expectSameHistory, Puppet } from "./_raft.ts";

const SERVER = "locks";
const STORE = "store";
const LEASE = DEFAULT_LOCK_CONFIG.leaseMs;
const ms = (t: number) => `${t.toFixed(1)} ms`;

interface WorldOptions {
  /** nodes the spec drives by hand */
  puppets?: string[];
  /** clients that run on their own, each with its plan */
  clients?: Array<{ id: string; plan: ClientPlan }>;
  network?: Partial<LinkOptions>;
}

/** the lock server, the store, and the clients that use them */
function world(run: SimRun, options: WorldOptions = {}): Simulation<LockMessage> {
  const puppets = options.puppets ?? [];
  const clients = options.clients ?? [];
  return run.simulation<LockMessage>(
    {
      nodes: [
        { id: SERVER, create: (ctx: NodeContext<LockMessage>) => new LockServer(ctx) },
        { id: STORE, create: (ctx: NodeContext<LockMessage>) => new FencedStore(ctx) },
        ...puppets.map((id) => ({
          id,
          peers: [SERVER, STORE],
          create: (ctx: NodeContext<LockMessage>) => new Puppet(ctx),
        })),
        ...clients.map(({ id, plan }) => ({
          id,
          peers: [SERVER, STORE],
          create: (ctx: NodeContext<LockMessage>) => new LockClient(ctx, plan),
        })),
      ],
      // one message at a time in order on each link: the scripted tests read exact conversations
      network: { delayMs: { min: 1, max: 5 }, reorder: false, ...options.network },
      maxEvents: 5_000_000,
    },
    { describe: describeLockMessage },
  );
}

const puppet = (sim: Simulation<LockMessage>, id: string) => sim.node(id) as Puppet<LockMessage>;
const inbox = (sim: Simulation<LockMessage>, id: string) => puppet(sim, id).inbox.map((m) => m.message);
const store = (sim: Simulation<LockMessage>) => sim.node(STORE) as FencedStore;

/** the puppet `from` sends `message` to the server (or the store) at time t */
function say(sim: Simulation<LockMessage>, t: number, from: string, message: LockMessage, to = SERVER): void {
  sim.at(t, () =>
    sim.call(from, `send ${message.type}`, (node) => (node as Puppet<LockMessage>).ctx.send(to, message)),
  );
}

const acquire = (lock = "x"): LockMessage => ({ type: "Acquire", lock });
const release = (token: number, lock = "x"): LockMessage => ({ type: "Release", lock, token });
const renew = (token: number, lock = "x"): LockMessage => ({ type: "Renew", lock, token });

/** every message the server sent, with its time */
function sentByServer(sim: Simulation<LockMessage>, from = 0) {
  return sim.history.flatMap((e) =>
    e.kind === "send" && e.from === SERVER && e.t >= from
      ? [{ t: e.t, to: e.to, message: JSON.parse(e.message) as LockMessage }]
      : [],
  );
}

/** when the server sent `client` a Granted, and with which token */
function grantsTo(sim: Simulation<LockMessage>, client: string) {
  return sentByServer(sim).flatMap(({ t, to, message }) =>
    to === client && message.type === "Granted" ? [{ t, token: message.token }] : [],
  );
}

/** the time the server took a message of `type` from `from` */
function deliveredAt(sim: Simulation<LockMessage>, from: string, type: string): number {
  const event = sim.history.find(
    (e) => e.kind === "deliver" && e.from === from && e.to === SERVER && JSON.parse(e.message).type === type,
  );
  if (!event) throw new Error(`the server never received ${type} from ${from}`);
  return event.t;
}

function plan(overrides: Partial<ClientPlan> = {}): ClientPlan {
  return {
    server: SERVER,
    store: STORE,
    lock: "x",
    sessions: 1_000,
    start: { min: 0, max: 100 },
    holdMs: { min: 20, max: 400 },
    retryMs: 500,
    renewMs: LEASE / 3,
    ...overrides,
  };
}

const LOCKS = ["x", "y"];
const CLIENTS = Array.from({ length: 8 }, (_, i) => ({ id: `c${i + 1}`, lock: LOCKS[i % LOCKS.length] as string }));
const FAULTS_UNTIL = 8_000;

/** two locks, four clients each, on a lossy network; the server and the clients crash, pause and get cut off */
function stormy(run: SimRun): Simulation<LockMessage> {
  const sim = world(run, {
    clients: CLIENTS.map(({ id, lock }) => ({ id, plan: plan({ lock }) })),
    network: { dropRate: 0.05, duplicateRate: 0.1, delayMs: { min: 1, max: 20 }, reorder: true },
  });
  nemesis(sim, {
    from: 200,
    until: FAULTS_UNTIL,
    // pauses of up to 2 s outlast a 1 s lease: the paused holder wakes up and writes with its old token
    everyMs: { min: 200, max: 2_000 },
    faults: ["crash", "pause", "isolate"],
    nodes: [SERVER, ...CLIENTS.map((c) => c.id)],
  });
  sim.runUntil(FAULTS_UNTIL + 6_000);
  return sim;
}

describe("granting and queueing", () => {
  simTest(`grants a free lock at once, with token 1 and a lease of ${LEASE} ms`, { seeds: 5 }, (run) => {
    const sim = world(run, { puppets: ["c1"] });
    say(sim, 10, "c1", acquire());
    sim.runUntil(40);
    expect(inbox(sim, "c1"), "what c1 hears after asking for the free lock x").toEqual([
      { type: "Granted", lock: "x", token: 1, leaseMs: LEASE },
    ]);
  });

  simTest("queues later clients and tells each its place in line (1 is next)", { seeds: 5 }, (run) => {
    const sim = world(run, { puppets: ["c1", "c2", "c3", "c4"] });
    for (const [i, id] of ["c1", "c2", "c3", "c4"].entries()) say(sim, 10 + 10 * i, id, acquire());
    sim.runUntil(80);
    expect(inbox(sim, "c2"), "c2 asked while c1 held x").toEqual([{ type: "Queued", lock: "x", position: 1 }]);
    expect(inbox(sim, "c3"), "c3 asked after c2").toEqual([{ type: "Queued", lock: "x", position: 2 }]);
    expect(inbox(sim, "c4"), "c4 asked after c3").toEqual([{ type: "Queued", lock: "x", position: 3 }]);
  });

  simTest(
    "hands a released lock to its waiters in first-in-first-out order, each with the next token",
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2", "c3", "c4"] });
      for (const [i, id] of ["c1", "c2", "c3", "c4"].entries()) say(sim, 10 + 10 * i, id, acquire());
      // each holder releases 100 ms after the one before it
      for (const [i, id] of ["c1", "c2", "c3"].entries()) say(sim, 100 + 100 * i, id, release(i + 1));
      sim.runUntil(400);
      const order = sentByServer(sim).flatMap(({ to, message }) =>
        message.type === "Granted" ? [`${to} token ${message.token}`] : [],
      );
      expect(order, "the grants of x, in the order the server sent them (c2, c3, c4 queued in that order)").toEqual([
        "c1 token 1",
        "c2 token 2",
        "c3 token 3",
        "c4 token 4",
      ]);
    },
  );

  simTest(
    "a repeated Acquire does not queue a client twice: the holder gets its lease again, a waiter its place",
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2", "c3"] });
      say(sim, 10, "c1", acquire());
      say(sim, 20, "c1", acquire());
      say(sim, 30, "c2", acquire());
      say(sim, 40, "c2", acquire());
      say(sim, 50, "c3", acquire());
      say(sim, 60, "c2", acquire());
      say(sim, 70, "c3", acquire());
      sim.runUntil(90);
      const [first, again] = inbox(sim, "c1");
      expect(first, "c1's first answer").toEqual({ type: "Granted", lock: "x", token: 1, leaseMs: LEASE });
      expect(again, "c1 asks again while it holds x: the same lease, with the time it has left").toMatchObject({
        type: "Granted",
        lock: "x",
        token: 1,
      });
      const granted = grantsTo(sim, "c1")[0]?.t ?? Number.NaN;
      const [, askedAgain] = sim.history.flatMap((e) =>
        e.kind === "deliver" && e.from === "c1" && e.to === SERVER ? [e.t] : [],
      );
      expect(
        (again as { leaseMs: number }).leaseMs,
        `the lease time left in the repeated Granted: c1's lease of ${LEASE} ms began at ${ms(granted)}, ` +
          `and its second Acquire reached the server at ${ms(askedAgain ?? Number.NaN)}`,
      ).toBeCloseTo(granted + LEASE - (askedAgain ?? Number.NaN), 6);
      expect(
        inbox(sim, "c2"),
        "c2 asked three times while c1 held x, the last time after c3 had queued behind it",
      ).toEqual([
        { type: "Queued", lock: "x", position: 1 },
        { type: "Queued", lock: "x", position: 1 },
        { type: "Queued", lock: "x", position: 1 },
      ]);
      expect(inbox(sim, "c3"), "c3 asked twice, second in line, not third or fourth").toEqual([
        { type: "Queued", lock: "x", position: 2 },
        { type: "Queued", lock: "x", position: 2 },
      ]);
      say(sim, 100, "c1", release(1));
      say(sim, 200, "c2", release(2));
      say(sim, 300, "c3", release(3));
      sim.runUntil(400);
      const order = sentByServer(sim).flatMap(({ to, message }) => (message.type === "Granted" ? [to] : []));
      expect(order, "who got x, in order: c2 once, then c3, then nobody").toEqual(["c1", "c1", "c2", "c3"]);
    },
  );

  simTest("a release wakes only the next waiter: one message for 100 waiters, not a herd", { seeds: 3 }, (run) => {
    const waiters = Array.from({ length: 100 }, (_, i) => `w${i + 1}`);
    const sim = world(run, { puppets: ["c0", ...waiters] });
    say(sim, 10, "c0", acquire());
    for (const [i, id] of waiters.entries()) say(sim, 20 + i, id, acquire());
    sim.runUntil(200);
    const next = waiters.find((id) => {
      const first = inbox(sim, id)[0];
      return first?.type === "Queued" && first.position === 1;
    });
    if (!next) throw new Error("no waiter was told it is next (position 1) in line");
    say(sim, 200, "c0", release(1));
    sim.runUntil(300);
    const after = sentByServer(sim, 200).map(({ to, message }) => `${to}: ${describeLockMessage(message)}`);
    expect(after, "what the server sent when c0 released x with 100 clients in line").toEqual([
      `${next}: Granted x token 2 for ${LEASE} ms`,
    ]);
  });

  simTest(
    "ignores a Release or Renew with a stale token, or from a client that does not hold it, and answers Lost",
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2", "c3"] });
      say(sim, 10, "c1", acquire());
      say(sim, 50, "c1", release(1));
      say(sim, 60, "c2", acquire());
      // c1's release arrives again (a retry or a duplicate), and it tries to renew the lease it gave up
      say(sim, 100, "c1", release(1));
      say(sim, 110, "c1", renew(1));
      say(sim, 150, "c3", acquire());
      // c3, in line, sends the holder's token: a token is no proof of who holds it
      say(sim, 155, "c3", release(2));
      say(sim, 157, "c3", renew(2));
      say(sim, 170, "c2", renew(2));
      sim.runUntil(200);
      expect(inbox(sim, "c1").slice(1), "c1 after it released token 1").toEqual([
        { type: "Lost", lock: "x", token: 1 },
        { type: "Lost", lock: "x", token: 1 },
      ]);
      expect(inbox(sim, "c3"), "c3 asks while c2 holds x, then sends a Release and a Renew with c2's token 2").toEqual([
        { type: "Queued", lock: "x", position: 1 },
        { type: "Lost", lock: "x", token: 2 },
        { type: "Lost", lock: "x", token: 2 },
      ]);
      expect(inbox(sim, "c2"), "c2 holds token 2 and renews it").toEqual([
        { type: "Granted", lock: "x", token: 2, leaseMs: LEASE },
        { type: "Renewed", lock: "x", token: 2, leaseMs: LEASE },
      ]);
    },
  );
});

describe("leases", () => {
  simTest(
    `a crashed holder does not block the lock: its lease runs out after ${LEASE} ms and the next waiter gets it then, not before`,
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2"] });
      say(sim, 10, "c1", acquire());
      say(sim, 20, "c2", acquire());
      sim.at(30, () => sim.crash("c1"));
      sim.runUntil(3 * LEASE);
      const [granted] = grantsTo(sim, "c1");
      if (!granted) throw new Error("c1 was never granted x");
      const handed = grantsTo(sim, "c2");
      if (handed.length === 0) {
        throw new Error(
          `c1 crashed holding x (granted at ${ms(granted.t)}) and c2 waited ${ms(3 * LEASE - 20)} without getting it: ` +
            "a lease must run out when its holder stops renewing",
        );
      }
      expect(handed[0]?.token, "c2's token").toBe(2);
      expect(
        handed[0]?.t,
        `when the server granted x to c2: c1's lease ran from ${ms(granted.t)} for ${LEASE} ms`,
      ).toBeCloseTo(granted.t + LEASE, 6);
    },
  );

  simTest(
    "renewing extends the lease by leaseMs from the renewal; a renewal after the lease ran out gets Lost",
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2", "c3", "c4"] });
      say(sim, 10, "c1", acquire());
      say(sim, 20, "c2", acquire());
      say(sim, 600, "c1", renew(1));
      // c3 holds y alone and renews too late, when nobody waits: the lock is free, not c3's again
      say(sim, 10, "c3", acquire("y"));
      say(sim, 10 + LEASE + 100, "c3", renew(1, "y"));
      say(sim, 10 + LEASE + 200, "c4", acquire("y"));
      sim.runUntil(600 + LEASE + 200);
      const renewedAt = deliveredAt(sim, "c1", "Renew");
      expect(inbox(sim, "c1"), "c1 renews in time").toEqual([
        { type: "Granted", lock: "x", token: 1, leaseMs: LEASE },
        { type: "Renewed", lock: "x", token: 1, leaseMs: LEASE },
      ]);
      const handed = grantsTo(sim, "c2")[0];
      if (!handed) throw new Error(`c1 renewed at ${ms(renewedAt)} and stopped, yet c2 never got x`);
      expect(handed.t, `when the server granted x to c2 (c1 renewed at ${ms(renewedAt)})`).toBeCloseTo(
        renewedAt + LEASE,
        6,
      );
      expect(inbox(sim, "c3").slice(1), "c3 renews y after its lease ran out").toEqual([
        { type: "Lost", lock: "y", token: 1 },
      ]);
      expect(inbox(sim, "c4"), "c4 asks for y after c3's lease ran out").toEqual([
        { type: "Granted", lock: "y", token: 2, leaseMs: LEASE },
      ]);
    },
  );
});

describe("fencing tokens", () => {
  simTest(
    "tokens grow by one with every grant of a lock, also across a server crash: the counter is on disk",
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2"] });
      say(sim, 10, "c1", acquire());
      say(sim, 50, "c1", release(1));
      say(sim, 100, "c1", acquire());
      say(sim, 150, "c1", release(2));
      say(sim, 160, "c2", acquire("y"));
      sim.at(200, () => sim.crash(SERVER));
      sim.at(210, () => sim.restart(SERVER));
      say(sim, 300 + LEASE, "c1", acquire());
      say(sim, 300 + LEASE, "c2", acquire("y"));
      sim.runUntil(400 + LEASE);
      const tokens = (id: string) => grantsTo(sim, id).map((g) => g.token);
      expect(tokens("c1"), "the tokens c1 got for x: two grants, a server crash, a third grant").toEqual([1, 2, 3]);
      expect(tokens("c2"), "the tokens c2 got for y, a lock of its own: before and after the crash").toEqual([1, 2]);
    },
  );

  simTest(
    "after a restart, grants nothing for one lease (one granted before the crash may still run), then serves the waiters",
    { seeds: 5 },
    (run) => {
      const sim = world(run, { puppets: ["c1", "c2"] });
      say(sim, 10, "c1", acquire());
      sim.at(100, () => sim.crash(SERVER));
      sim.at(200, () => sim.restart(SERVER));
      say(sim, 250, "c2", acquire());
      say(sim, 300, "c1", renew(1));
      sim.runUntil(200 + 2 * LEASE);
      expect(inbox(sim, "c1").slice(1), "c1 renews token 1 after the restart: the server no longer knows it").toEqual([
        { type: "Lost", lock: "x", token: 1 },
      ]);
      const [handed] = grantsTo(sim, "c2");
      expect(inbox(sim, "c2")[0], "c2 asks 50 ms after the restart").toEqual({
        type: "Queued",
        lock: "x",
        position: 1,
      });
      if (!handed) throw new Error(`c2 was never granted x after the restart at ${ms(200)}`);
      expect(handed.t, `when the server granted x to c2 (it restarted at ${ms(200)})`).toBeGreaterThanOrEqual(
        200 + LEASE - 1e-6,
      );
      expect(handed.t, "the waiter gets the lock as soon as the lease is over").toBeLessThan(200 + LEASE + 50);
      expect(
        handed.token,
        "c2's token: the first grant of x after token 1, which the server granted before its crash",
      ).toBe(2);
    },
  );
});

describe("the fenced store", () => {
  simTest(
    "rejects a write whose token is lower than one it accepted for the key, and says the highest",
    { seeds: 3 },
    (run) => {
      const sim = world(run, { puppets: ["w"] });
      const write = (t: number, key: string, token: number) =>
        say(sim, t, "w", { type: "Write", key, value: `${key}@${token}`, token }, STORE);
      write(10, "x", 2);
      write(20, "x", 1);
      write(30, "x", 2);
      write(40, "x", 3);
      write(50, "y", 1);
      sim.runUntil(80);
      expect(
        inbox(sim, "w"),
        "the store's answers to writes of x with tokens 2, 1, 2, 3, then of y with token 1",
      ).toEqual([
        { type: "WriteOk", key: "x", token: 2 },
        { type: "WriteRejected", key: "x", token: 1, highest: 2 },
        { type: "WriteOk", key: "x", token: 2 },
        { type: "WriteOk", key: "x", token: 3 },
        { type: "WriteOk", key: "y", token: 1 },
      ]);
      expect(store(sim).value("x"), "x after the writes").toBe("x@3");
      expect(store(sim).value("y"), "y after its one write").toBe("y@1");
    },
  );

  simTest(
    "a holder paused past its lease cannot corrupt the data: the store rejects its late write",
    { seeds: 10 },
    (run) => {
      let sim: Simulation<LockMessage> | undefined;
      const pauseOnce = (client: string) => {
        if (client !== "c1" || !sim) return;
        const s = sim;
        // a GC pause right after the grant, before c1 writes, two and a half leases long
        s.at(s.now, () => s.pause("c1"));
        s.at(s.now + 2.5 * LEASE, () => s.resume("c1"));
      };
      sim = world(run, {
        clients: [
          {
            id: "c1",
            plan: plan({ sessions: 1, start: { min: 0, max: 10 }, holdMs: { min: 50, max: 50 }, onGranted: pauseOnce }),
          },
          // c2 asks once c1 holds x
          { id: "c2", plan: plan({ sessions: 1, start: { min: 100, max: 200 }, holdMs: { min: 50, max: 50 } }) },
        ],
      });
      sim.runUntil(4 * LEASE);
      const answers = sim.history.flatMap((e) =>
        e.kind === "send" && e.from === STORE ? [`${e.to}: ${describeLockMessage(JSON.parse(e.message))}`] : [],
      );
      const c1 = grantsTo(sim, "c1")[0];
      const c2 = grantsTo(sim, "c2")[0];
      if (!c1 || !c2) throw new Error(`both clients should have held x once: c1 ${!!c1}, c2 ${!!c2}`);
      expect(
        answers,
        `the store's answers: c2 (token ${c2.token}) wrote while c1 slept, then c1 woke up and wrote with token ${c1.token}`,
      ).toEqual([
        `c2: WriteOk x token ${c2.token}`,
        `c2: WriteOk x token ${c2.token}`,
        `c1: WriteRejected x token ${c1.token}, seen ${c2.token}`,
        `c1: WriteRejected x token ${c1.token}, seen ${c2.token}`,
      ]);
      expect(store(sim).value("x"), "x at the end").toBe(`c2 with token ${c2.token}`);
    },
  );
});

describe("under faults", () => {
  simTest(
    "never lets two clients hold a lock at once, whatever crashes, pauses and the network do",
    { seeds: 100 },
    (run) => {
      expectNoOverlap(leasesOf(stormy(run).history, SERVER));
    },
  );

  simTest(
    "fencing tokens only grow and the store never takes an older one after a newer, whatever crashes, pauses and the network do",
    { seeds: 100 },
    (run) => {
      const sim = stormy(run);
      expectTokensGrow(leasesOf(sim.history, SERVER));
      expectFencedWrites(sim.history, STORE);
    },
  );

  simTest("grants every client the lock again within 6 s once the faults are over", { seeds: 100 }, (run) => {
    const sim = stormy(run);
    for (const { id, lock } of CLIENTS) {
      if (grantsTo(sim, id).some((g) => g.t >= FAULTS_UNTIL)) continue;
      throw new Error(`${id} got no grant of ${lock} in the 6 s after the faults ended at ${ms(FAULTS_UNTIL)}`);
    }
  });

  simTest(
    "serves 1,000 clients through 10,000 handoffs, one message per handoff, while 5% of holders pause past their lease",
    { seeds: 1 },
    (run) => {
      // a heavy test: a sweep of many seeds runs it for the first seed only (a replay runs the seed it names)
      const range = inject("seeds");
      if (range && run.seed !== range.from) return;
      const locks = Array.from({ length: 10 }, (_, i) => `lock${i}`);
      const rng = random(deriveSeed(run.seed, "pauses"));
      let sim: Simulation<LockMessage> | undefined;
      let paused = 0;
      const sometimesPause = (client: string) => {
        if (!sim || rng.float() >= 0.05) return;
        const s = sim;
        paused += 1;
        s.at(s.now, () => s.pause(client));
        s.at(s.now + LEASE * (1.2 + rng.float()), () => s.resume(client));
      };
      const clients = Array.from({ length: 1_000 }, (_, i) => ({
        id: `c${i + 1}`,
        plan: plan({
          lock: locks[i % locks.length] as string,
          sessions: 10,
          start: { min: 0, max: 1_000 },
          holdMs: { min: 1, max: 10 },
          retryMs: 5 * LEASE,
          onGranted: sometimesPause,
        }),
      }));
      sim = world(run, { clients, network: { delayMs: { min: 1, max: 3 } } });
      sim.runUntil(600_000);
      const unserved = clients.filter(({ id }) => (sim.node(id) as LockClient).done < 10);
      if (unserved.length > 0) {
        throw new Error(
          `${unserved.length} clients did not finish their 10 sessions in 600 s, e.g. ${unserved[0]?.id} with ${(sim.node(unserved[0]?.id as string) as LockClient).done}`,
        );
      }
      expect(paused, "holders paused past their lease").toBeGreaterThan(300);
      expectNoHerd(sim.history, SERVER);
      const leases = leasesOf(sim.history, SERVER);
      expect(leases.length, "leases granted").toBeGreaterThanOrEqual(10_000);
      expectNoOverlap(leases);
      expectFencedWrites(sim.history, STORE);
    },
  );

  simTest("replays the same history from the same seed (time from ctx.now(), never Date.now)", { seeds: 3 }, (run) => {
    expectSameHistory(run.seed, stormy(run).history, stormy(run).history);
  });
});
