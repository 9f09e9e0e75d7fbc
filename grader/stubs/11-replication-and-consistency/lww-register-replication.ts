/**
 * Kata: last-writer-wins replication with hybrid logical clocks (difficulty 1, about 45 minutes)
 * Read:  chapters/11-replication-and-consistency/README.md#deep-dive-concurrent-writes-last-writer-wins-vector-clocks-crdts
 * Grade: npm run grade -- lww-register-replication
 * Hint:  npm run hint -- lww-register-replication (one more hint each time you ask)
 *
 * Registers replicated between regions, each write stamped by a hybrid logical
 * clock (HLC; Kulkarni et al., 2014) and the latest kept everywhere.
 * - [ ] compareTimestamps: a total order, by wall, then logical, then node id
 *       (a < b as strings). Every replica decides ties the same way.
 * - [ ] HybridClock.now(), with pt the wall clock: if pt > wall, wall = pt and
 *       logical = 0; else logical + 1. Never behind the wall clock, always after
 *       the last reading, even when the wall clock jumps back.
 * - [ ] HybridClock.receive(m): wall' = max(wall, m.wall, pt); logical is
 *       max(logical, m.logical) + 1 if wall' equals both walls, logical + 1 if
 *       only ours, m.logical + 1 if only the message's, 0 if pt is ahead of both.
 * - [ ] LwwReplica.write stamps with now() and returns the record to send (a
 *       copy); receive(key, record) reads the clock with receive() and keeps the
 *       record if its timestamp is later than the one held. Records may arrive
 *       late, out of order and more than once: every replica ends with each
 *       key's write of the largest timestamp, and a write always wins over every
 *       write its node had seen.
 * - [ ] RangeError for an empty node id.
 */
import { todo } from "#kit";

/** a hybrid logical clock's reading, with the node that made it */
export interface Timestamp {
  /** the largest physical time (ms) this clock has heard of */
  wall: number;
  /** events since `wall` last moved on */
  logical: number;
  /** the node that took the reading: breaks ties, the same way everywhere */
  node: string;
}

/** a value and the timestamp of the write that made it: what replicas send each other */
export interface Versioned {
  value: string;
  ts: Timestamp;
}

/** the total order of timestamps: negative if a is first, positive if b is, 0 if they are the same */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  // TODO: wall, then logical, then node id
  return todo("compareTimestamps", a, b);
}

export class HybridClock {
  /** `physical` reads this node's wall clock in ms: it may run ahead, behind, or jump back */
  constructor(
    readonly node: string,
    private readonly physical: () => number,
  ) {
    // TODO: check the node id; start at wall 0, logical 0.
    todo("HybridClock.constructor", node, physical);
  }

  /** a reading for a local event (a write) */
  now(): Timestamp {
    return todo("HybridClock.now");
  }

  /** a reading for the receipt of `remote` */
  receive(remote: Timestamp): Timestamp {
    return todo("HybridClock.receive", remote);
  }
}

/** one replica's registers, keyed: a write is stamped here and sent to the others */
export class LwwReplica {
  constructor(node: string, physical: () => number) {
    // TODO: a HybridClock for this node, and a map of key → the record held.
    todo("LwwReplica.constructor", node, physical);
  }

  /** writes a value here; the record returned is what the other replicas receive */
  write(key: string, value: string): Versioned {
    return todo("LwwReplica.write", key, value);
  }

  /** a record from another replica, in any order, any number of times: the later write wins */
  receive(key: string, record: Versioned): void {
    todo("LwwReplica.receive", key, record);
  }

  read(key: string): string | undefined {
    return todo("LwwReplica.read", key);
  }

  /** the value and the timestamp this replica holds for a key */
  entry(key: string): Versioned | undefined {
    return todo("LwwReplica.entry", key);
  }
}
