/**
 * Consumer-group partition assignment, the reference.
 *
 * A consumer group shares the partitions of the topics it reads: each partition
 * is read by exactly one member, so each partition's records are processed in
 * order, once per group. Three ways to choose who reads what:
 * - range (Kafka's RangeAssignor): per topic, the subscribers sorted by id take
 *   contiguous blocks; the first P mod n take one partition more. Simple and
 *   balanced per topic, but the same members get the extras on every topic, and
 *   a change of membership reshuffles nearly everything.
 * - sticky (Kafka's StickyAssignor): keep every partition where it is unless
 *   balance needs it elsewhere; hand the orphans of departed members to the
 *   least loaded; then move partitions one at a time from a member with two more
 *   than another who could read them, until no such pair is left.
 * - cooperative (KIP-429): a partition changing owner is first revoked by its
 *   old owner and only handed to its new owner in a second round, so no two
 *   members ever read it at once, and partitions that stay keep being read.
 */

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface Member {
  readonly id: string;
  /** the topics this member subscribes to */
  readonly topics: readonly string[];
}

/** topic name → its partition count: partitions 0 … count − 1 */
export type Topics = Readonly<Record<string, number>>;

/** member id → the partitions it reads, in any order; every member is a key, perhaps with [] */
export type Assignment = Record<string, TopicPartition[]>;

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** the members subscribed to each topic that exists, sorted by id */
function subscribersByTopic(members: readonly Member[], topics: Topics): Map<string, string[]> {
  const subscribers = new Map<string, string[]>();
  for (const member of members) {
    for (const topic of new Set(member.topics)) {
      if (!Object.hasOwn(topics, topic)) continue;
      const list = subscribers.get(topic) ?? [];
      list.push(member.id);
      subscribers.set(topic, list);
    }
  }
  for (const list of subscribers.values()) list.sort(byId);
  return subscribers;
}

function emptyAssignment(members: readonly Member[]): Assignment {
  const assignment: Assignment = {};
  for (const member of members) assignment[member.id] = [];
  return assignment;
}

export function rangeAssign(members: readonly Member[], topics: Topics): Assignment {
  const assignment = emptyAssignment(members);
  for (const [topic, subscribers] of subscribersByTopic(members, topics)) {
    const count = topics[topic] ?? 0;
    const each = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((id, i) => {
      // member i starts after the i blocks before it, min(i, extra) of which had one more
      const start = each * i + Math.min(i, extra);
      const length = each + (i < extra ? 1 : 0);
      for (let p = start; p < start + length; p++) assignment[id]?.push({ topic, partition: p });
    });
  }
  return assignment;
}

/** a min-heap of member ids by (load, id); entries go stale when a load changes and are re-pushed */
class LeastLoaded {
  #heap: Array<{ load: number; id: string }> = [];

  constructor(
    ids: readonly string[],
    private readonly load: Map<string, number>,
  ) {
    for (const id of ids) this.#push({ load: load.get(id) ?? 0, id });
  }

  /** the member with the smallest load now (ties by id) */
  take(): string {
    for (;;) {
      const top = this.#pop();
      const current = this.load.get(top.id) ?? 0;
      if (current === top.load) {
        this.#push(top);
        return top.id;
      }
      this.#push({ load: current, id: top.id }); // another topic gave it partitions meanwhile
    }
  }

  #less(a: { load: number; id: string }, b: { load: number; id: string }): boolean {
    return a.load < b.load || (a.load === b.load && a.id < b.id);
  }

  #push(entry: { load: number; id: string }): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i] as typeof entry, heap[parent] as typeof entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as typeof entry, heap[i] as typeof entry];
      i = parent;
    }
  }

  #pop(): { load: number; id: string } {
    const heap = this.#heap;
    const top = heap[0] as { load: number; id: string };
    const last = heap.pop() as typeof top;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && this.#less(heap[l] as typeof top, heap[smallest] as typeof top)) smallest = l;
        if (r < heap.length && this.#less(heap[r] as typeof top, heap[smallest] as typeof top)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest] as typeof top, heap[i] as typeof top];
        i = smallest;
      }
    }
    return top;
  }
}

export function stickyAssign(members: readonly Member[], topics: Topics, previous: Assignment = {}): Assignment {
  const subscribers = subscribersByTopic(members, topics);
  const subscribed = new Set<string>(); // "member\ntopic"
  for (const [topic, ids] of subscribers) for (const id of ids) subscribed.add(`${id}\n${topic}`);

  // owned[topic][p]: the member reading partition p, or undefined
  const owned = new Map<string, Array<string | undefined>>();
  for (const topic of subscribers.keys()) owned.set(topic, new Array<string | undefined>(topics[topic] ?? 0));
  const load = new Map<string, number>(members.map((m) => [m.id, 0]));

  // 1. keep what each member still may read: it is still here, subscribed, and the partition exists
  for (const member of members) {
    for (const { topic, partition } of previous[member.id] ?? []) {
      const owners = owned.get(topic);
      if (!owners || !subscribed.has(`${member.id}\n${topic}`)) continue;
      if (!Number.isInteger(partition) || partition < 0 || partition >= owners.length) continue;
      if (owners[partition] !== undefined) continue; // claimed twice: the first claim keeps it
      owners[partition] = member.id;
      load.set(member.id, (load.get(member.id) ?? 0) + 1);
    }
  }

  // 2. orphans (new partitions, departed members' partitions) go to the least loaded subscriber
  for (const [topic, owners] of owned) {
    const heap = new LeastLoaded(subscribers.get(topic) ?? [], load);
    for (let p = 0; p < owners.length; p++) {
      if (owners[p] !== undefined) continue;
      const id = heap.take();
      owners[p] = id;
      load.set(id, (load.get(id) ?? 0) + 1);
    }
  }

  // 3. balance: move one partition at a time from its owner to a subscriber with two fewer;
  // each move lowers the sum of squared loads, so this ends, and only moves what balance needs
  for (let moved = true; moved; ) {
    moved = false;
    for (const [topic, owners] of owned) {
      const ids = subscribers.get(topic) ?? [];
      for (;;) {
        let low = ids[0] as string;
        for (const id of ids) if ((load.get(id) ?? 0) < (load.get(low) ?? 0)) low = id;
        let high = -1;
        for (let p = 0; p < owners.length; p++) {
          if (high < 0 || (load.get(owners[p] as string) ?? 0) > (load.get(owners[high] as string) ?? 0)) high = p;
        }
        const from = owners[high] as string;
        if (high < 0 || (load.get(from) ?? 0) - (load.get(low) ?? 0) < 2) break;
        owners[high] = low;
        load.set(from, (load.get(from) ?? 0) - 1);
        load.set(low, (load.get(low) ?? 0) + 1);
        moved = true;
      }
    }
  }

  const assignment = emptyAssignment(members);
  for (const [topic, owners] of owned) {
    for (let partition = 0; partition < owners.length; partition++) {
      assignment[owners[partition] as string]?.push({ topic, partition });
    }
  }
  return assignment;
}

export function cooperativeRound(previous: Assignment, target: Assignment): Assignment {
  const key = (tp: TopicPartition) => `${tp.topic}\n${tp.partition}`;
  // who read each partition before, counting only members still in the group
  const before = new Map<string, string>();
  for (const [id, partitions] of Object.entries(previous)) {
    if (!Object.hasOwn(target, id)) continue; // a departed member reads nothing any more
    for (const tp of partitions) before.set(key(tp), id);
  }
  const round: Assignment = {};
  for (const [id, partitions] of Object.entries(target)) {
    // a partition moving from a member still here waits for the next round: that member revokes it first
    round[id] = partitions.filter((tp) => {
      const owner = before.get(key(tp));
      return owner === undefined || owner === id;
    });
  }
  return round;
}
