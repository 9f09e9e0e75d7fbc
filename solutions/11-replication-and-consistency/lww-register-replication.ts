/**
 * Reference: last-writer-wins registers replicated between regions, stamped by hybrid logical
 * clocks (Kulkarni, Demirbas, Madappa, Avva and Leone, "Logical Physical Clocks and Consistent
 * Snapshots in Globally Distributed Databases", 2014). A timestamp is (wall, logical) from the
 * HLC, then the writer's node id: one total order every replica applies the same way.
 */

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

/** the total order of timestamps: wall, then logical, then node id (a < b) */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

export class HybridClock {
  private wall = 0;
  private logical = 0;

  /** `physical` reads this node's wall clock in ms: it may run ahead, behind, or jump back */
  constructor(
    readonly node: string,
    private readonly physical: () => number,
  ) {
    if (typeof node !== "string" || node === "") throw new RangeError("a clock needs a node id");
  }

  /** a reading for a local event (a write): never behind this node's wall clock, always after the last */
  now(): Timestamp {
    const pt = this.physical();
    if (pt > this.wall) {
      this.wall = pt;
      this.logical = 0;
    } else this.logical++;
    return this.reading();
  }

  /** a reading for the receipt of `remote`: after it and after everything this clock has read */
  receive(remote: Timestamp): Timestamp {
    const pt = this.physical();
    const wall = Math.max(this.wall, remote.wall, pt);
    if (wall === this.wall && wall === remote.wall) this.logical = Math.max(this.logical, remote.logical) + 1;
    else if (wall === this.wall) this.logical++;
    else if (wall === remote.wall) this.logical = remote.logical + 1;
    else this.logical = 0;
    this.wall = wall;
    return this.reading();
  }

  private reading(): Timestamp {
    return { wall: this.wall, logical: this.logical, node: this.node };
  }
}

/** one replica's registers, keyed: a write is stamped here and sent to the others */
export class LwwReplica {
  private readonly clock: HybridClock;
  private readonly registers = new Map<string, Versioned>();

  constructor(node: string, physical: () => number) {
    this.clock = new HybridClock(node, physical);
  }

  /** writes a value here; the record returned is what the other replicas receive */
  write(key: string, value: string): Versioned {
    const record = { value, ts: this.clock.now() };
    this.registers.set(key, record);
    return { value, ts: { ...record.ts } };
  }

  /** a record from another replica, in any order, any number of times: the later write wins */
  receive(key: string, record: Versioned): void {
    this.clock.receive(record.ts);
    const mine = this.registers.get(key);
    if (!mine || compareTimestamps(record.ts, mine.ts) > 0)
      this.registers.set(key, { value: record.value, ts: { ...record.ts } });
  }

  read(key: string): string | undefined {
    return this.registers.get(key)?.value;
  }

  /** the value and the timestamp this replica holds for a key */
  entry(key: string): Versioned | undefined {
    const record = this.registers.get(key);
    return record && { value: record.value, ts: { ...record.ts } };
  }
}
