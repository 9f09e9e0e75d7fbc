import { describe } from "vitest";
import { Controller, Replica } from "#kata/09-message-queues/isr-replication";
import { nemesis } from "#sim";
import { simTest } from "#spec";
import { expectSameHistory } from "../12-consensus-and-coordination/_raft.ts";
import {
  CONTROLLER as CONTROLLER_ID,
  cluster,
  config,
  expectAcksKept,
  expectCleanElections,
  followersOf,
  type IsrKata,
  keepsAcksAndReadsUnderFaults,
  ms,
  PRODUCER,
  type Producer,
  replicas,
  servesAfterHeal,
} from "./_isr.ts";

const kata: IsrKata = { Controller, Replica };

describe("acks=all and min.insync.replicas", () => {
  simTest("an acknowledged record survives any clean election", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: null });
    const leader = c.settle(1_000);
    const [near, far] = followersOf(leader) as [string, string];
    // far fetches on a slow link: its copy arrives 120 ms after near's, inside replica.lag.time.max.ms
    c.sim.link(leader, far, { delayMs: { min: 120, max: 120 } });
    c.sim.runFor(300);
    const id = c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce());
    const acked = () => c.producer().outcomes.get(id ?? "")?.ack !== undefined;
    if (!c.sim.runFor(1_000, acked)) throw new Error(`${id} was not acknowledged within 1 s: ${c.describeCluster()}`);
    // the moment it is acknowledged: the leader and near go down; far is the only in-sync replica left
    c.sim.cut(leader, far);
    c.sim.crash(leader);
    c.sim.crash(near);
    c.sim.runFor(1_000, () => c.state().leader === far && c.statusOf(far)?.role === "leader");
    c.sim.restart(leader);
    c.sim.restart(near);
    c.sim.heal();
    c.sim.link(leader, far, { delayMs: { min: 1, max: 10 } });
    const last = c.settle(2_000);
    c.expectUnbroken();
    expectAcksKept(c, last);
  });

  simTest("produce is refused below min.insync.replicas, and nothing refused is appended", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: null });
    const leader = c.settle(1_000);
    for (const id of followersOf(leader)) c.sim.crash(id);
    // the leader drops both from the ISR after replica.lag.time.max.ms: an ISR of 1 < min.insync.replicas 2
    c.sim.runFor(config.replicaLagTimeMaxMs + 300);
    const before = c.statusOf(leader)?.logEndOffset ?? 0;
    const id = c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce()) as string;
    c.sim.runFor(200, () => c.producer().outcomes.get(id)?.error !== undefined);
    const outcome = c.producer().outcomes.get(id);
    if (outcome?.ack || outcome?.error !== "NOT_ENOUGH_REPLICAS") {
      throw new Error(
        `${leader} alone, its two followers down for ${config.replicaLagTimeMaxMs + 300} ms (min.insync.replicas ${config.minInsyncReplicas}), ` +
          `answered a produce with ${outcome?.ack ? `an ack at offset ${outcome.ack.offset}` : (outcome?.error ?? "nothing within 200 ms")}, ` +
          `not NOT_ENOUGH_REPLICAS: ${c.describeCluster()}`,
      );
    }
    const after = c.statusOf(leader)?.logEndOffset ?? 0;
    if (after !== before) {
      throw new Error(
        `${leader} refused the produce with NOT_ENOUGH_REPLICAS but its log end went from ${before} to ${after}: a refused record is not appended`,
      );
    }
  });

  simTest("with min.insync.replicas 2 of 3 and one replica down, produces still succeed", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: 20 });
    const leader = c.settle(1_000);
    for (const down of [followersOf(leader)[0] as string, leader]) {
      c.sim.crash(down);
      // a follower leaves the ISR after replica.lag.time.max.ms; a leader is replaced after the session timeout
      const from = c.sim.now + config.replicaLagTimeMaxMs + config.sessionTimeoutMs + 500;
      c.sim.runUntil(from);
      const served = c.sim.runFor(1_000, () => c.producer().acks.some((a) => a.t >= from));
      if (!served) {
        throw new Error(
          `${down} went down at ${ms(from - config.replicaLagTimeMaxMs - config.sessionTimeoutMs - 500)} and no produce was acknowledged ` +
            `from ${ms(from)} to ${ms(from + 1_000)}, with 2 of 3 replicas up and min.insync.replicas 2: ${c.describeCluster()}`,
        );
      }
      c.sim.restart(down);
      c.settle(2_000);
    }
  });
});

describe("the high watermark", () => {
  simTest("a consumer never reads above the high watermark", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: 30, consumer: true, until: 1_500 });
    const leader = c.settle(1_000);
    // the followers' copies arrive late: a leader that serves its log end shows records no other replica has
    for (const id of followersOf(leader)) c.sim.link(leader, id, { delayMs: { min: 60, max: 100 } });
    c.watchAgreement(2_000);
    c.sim.runUntil(2_000, () => c.broken.length > 0);
    c.expectUnbroken();
    if (c.consumer().read.size === 0) throw new Error(`the consumer read nothing in 2 s: ${c.describeCluster()}`);
  });

  simTest("serves every acknowledged record to consumers, in offset order", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: 10, consumer: true, until: 1_000 });
    c.sim.runUntil(1_800);
    const acks = c.producer().acks;
    if (acks.length < 20)
      throw new Error(`only ${acks.length} of ~100 produces acknowledged in 1 s: ${c.describeCluster()}`);
    for (const ack of acks) {
      const read = c.consumer().read.get(ack.offset);
      if (read?.value !== ack.value) {
        throw new Error(
          `${ack.id} was acknowledged at offset ${ack.offset} (${ack.value}) at ${ms(ack.t)}, but 800 ms later the consumer ` +
            `${read ? `read ${read.value} there` : "has not read it"}: the high watermark passes every acknowledged record`,
        );
      }
    }
  });
});

describe("the ISR", () => {
  simTest("a lagging follower leaves the ISR and rejoins when caught up", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: 20 });
    const leader = c.settle(1_000);
    const lagging = followersOf(leader)[1] as string;
    c.sim.cut(lagging, leader);
    c.sim.cut(leader, lagging);
    const out = () => !c.state().isr.includes(lagging) && !(c.statusOf(leader)?.isr ?? []).includes(lagging);
    if (!c.sim.runFor(config.replicaLagTimeMaxMs + 500, out)) {
      throw new Error(
        `${lagging} fetched nothing from ${leader} for ${config.replicaLagTimeMaxMs + 500} ms (replica.lag.time.max.ms ${config.replicaLagTimeMaxMs}) ` +
          `and is still in the ISR: ${c.describeCluster()}`,
      );
    }
    c.sim.heal();
    const back = () => c.state().isr.includes(lagging) && (c.statusOf(leader)?.isr ?? []).includes(lagging);
    if (!c.sim.runFor(1_500, back)) {
      throw new Error(`${lagging} is not back in the ISR 1.5 s after it could fetch again: ${c.describeCluster()}`);
    }
    c.checkAgreement();
    c.expectUnbroken();
  });

  simTest("elects only an in-sync replica: with the ISR down, the partition waits for it", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: 20 });
    const leader = c.settle(1_000);
    const [near, far] = followersOf(leader) as [string, string];
    c.sim.crash(far);
    c.sim.runFor(1_000, () => !c.state().isr.includes(far));
    c.sim.runFor(300); // records acknowledged by leader and near alone
    const acked = c.producer().acks.length;
    c.sim.crash(leader);
    c.sim.crash(near);
    c.sim.restart(far);
    c.sim.runFor(1_500);
    expectCleanElections(c.sim);
    c.sim.restart(leader);
    c.sim.restart(near);
    const last = c.settle(3_000);
    expectCleanElections(c.sim);
    if (acked === 0) throw new Error(`nothing was acknowledged with ${far} down: ${c.describeCluster()}`);
    expectAcksKept(c, last);
  });
});

describe("the ISR through the controller", () => {
  simTest(
    "counts a follower it asked to add back in the high watermark until the controller answers (the maximal ISR)",
    { seeds: 5 },
    (run) => {
      const c = cluster(run, kata, { produceEveryMs: 20 });
      const leader = c.settle(1_000);
      const [returning, steady] = followersOf(leader) as [string, string];
      c.watchAgreement(4_000);
      // returning falls out of the ISR...
      c.sim.cut(leader, returning);
      c.sim.cut(returning, leader);
      const out = () => !c.state().isr.includes(returning) && !(c.statusOf(leader)?.isr ?? []).includes(returning);
      if (!c.sim.runFor(1_000, out)) {
        throw new Error(
          `${returning}, cut off from ${leader}, did not leave the ISR within 1 s: ${c.describeCluster()}`,
        );
      }
      // ...and comes back; the controller adds it, but its answers to the leader are lost
      c.sim.heal();
      c.sim.cut(CONTROLLER_ID, leader);
      if (!c.sim.runFor(1_000, () => c.state().isr.includes(returning))) {
        throw new Error(`${returning} was not added back to the ISR within 1 s of the heal: ${c.describeCluster()}`);
      }
      // returning now fetches on a slow link; steady drops out for a while, so the leader asks for something else
      c.sim.link(leader, returning, { delayMs: { min: 80, max: 100 } });
      c.sim.cut(leader, steady);
      c.sim.cut(steady, leader);
      c.sim.runFor(config.replicaLagTimeMaxMs + 200);
      c.sim.heal();
      c.sim.cut(CONTROLLER_ID, leader);
      c.sim.runFor(400);
      // the leader learns that returning is in the ISR: it must already have counted it
      c.sim.heal();
      c.sim.runFor(500, () => c.broken.length > 0);
      c.expectUnbroken();
    },
  );
});

describe("leader epochs", () => {
  simTest("a returning old leader truncates to the new leader's epoch", { seeds: 5 }, (run) => {
    const c = cluster(run, kata, { produceEveryMs: null });
    const old = c.settle(1_000);
    // the old leader appends records its followers never fetch...
    for (const id of followersOf(old)) c.sim.cut(old, id);
    for (let i = 0; i < 5; i++) c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce());
    c.sim.runFor(50);
    c.sim.crash(old);
    c.sim.heal();
    // ...and the new leader writes other records at those offsets, and more
    const fresh = () => {
      const s = c.state();
      return s.leader !== null && s.leader !== old && c.statusOf(s.leader)?.role === "leader";
    };
    if (!c.sim.runFor(1_500, fresh))
      throw new Error(`no new leader 1.5 s after ${old} crashed: ${c.describeCluster()}`);
    const successor = c.state().leader as string;
    for (let i = 0; i < 10; i++) {
      c.sim.call(PRODUCER, "produce", (p) => (p as Producer).produce());
      c.sim.runFor(20);
    }
    c.sim.restart(old);
    const back = () => (c.statusOf(successor)?.isr ?? []).includes(old);
    if (!c.sim.runFor(2_000, back)) {
      throw new Error(`${old} is not back in ${successor}'s ISR 2 s after it restarted: ${c.describeCluster()}`);
    }
    c.sim.runFor(200);
    const [mine, theirs] = [c.logOf(old) ?? [], c.logOf(successor) ?? []];
    const hw = c.statusOf(successor)?.highWatermark ?? 0;
    for (let offset = 0; offset < hw; offset++) {
      if (mine[offset]?.value === theirs[offset]?.value && mine[offset]?.epoch === theirs[offset]?.epoch) continue;
      throw new Error(
        `${old} led before ${successor} and is back in its ISR, but at offset ${offset} (below the high watermark ${hw}) it holds ` +
          `${JSON.stringify(mine[offset])} and ${successor} holds ${JSON.stringify(theirs[offset])}: a returning replica cuts its log ` +
          "where the new leader's log ends for its last epoch (KIP-101) before it fetches",
      );
    }
    expectAcksKept(c, successor);
  });
});

describe("restarts", () => {
  simTest(
    "a restarted follower keeps every record it fetched: it does not cut its log to its own high watermark",
    { seeds: 5 },
    (run) => {
      const c = cluster(run, kata, { produceEveryMs: 10 });
      const leader = c.settle(1_000);
      const [restarting, other] = followersOf(leader) as [string, string];
      c.sim.runFor(500);
      // the follower restarts under a steady stream, so its high watermark lags the leader's; the
      // leader and the other follower fail before it can fetch again, leaving it the only ISR member
      c.sim.crash(restarting);
      c.sim.restart(restarting);
      c.sim.crash(leader);
      c.sim.crash(other);
      const elected = () => c.state().leader === restarting && c.statusOf(restarting)?.role === "leader";
      if (!c.sim.runFor(1_500, elected)) {
        throw new Error(`${restarting} was not elected within 1.5 s, its peers down: ${c.describeCluster()}`);
      }
      c.sim.restart(leader);
      c.sim.restart(other);
      const last = c.settle(2_000);
      if (c.producer().acks.length === 0) throw new Error(`nothing was acknowledged in 500 ms: ${c.describeCluster()}`);
      c.expectUnbroken();
      expectAcksKept(c, last);
    },
  );
});

describe("under faults", () => {
  simTest(
    "no acknowledged record is lost and no consumer reads above the high watermark, whatever the network and crashes do",
    { seeds: 20 },
    (run) => keepsAcksAndReadsUnderFaults(run, kata),
  );

  simTest("takes produces again within 2 s once the network heals and every replica is back", { seeds: 20 }, (run) =>
    servesAfterHeal(run, kata),
  );

  simTest("replays the same history from the same seed (use ctx.random(), not Math.random)", { seeds: 2 }, (run) => {
    const once = () => {
      const c = cluster(run, kata, { consumer: true, until: 2_000, network: { dropRate: 0.03, duplicateRate: 0.03 } });
      nemesis(c.sim, {
        from: 200,
        until: 1_500,
        everyMs: { min: 100, max: 400 },
        faults: ["crash", "partition"],
        nodes: replicas,
      });
      c.sim.runUntil(2_000);
      return c.sim.history;
    };
    expectSameHistory(run.seed, once(), once());
  });
});
