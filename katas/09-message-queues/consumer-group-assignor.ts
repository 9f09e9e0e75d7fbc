/**
 * Kata: consumer-group assignor (difficulty 2, about an hour)
 * Read:  chapters/09-message-queues/README.md#deep-dive-consumer-groups
 * Grade: npm run grade -- consumer-group-assignor
 * Hint:  npm run hint -- consumer-group-assignor (one more hint each time you ask)
 *
 * Share a group's partitions among its members so that each partition is read by
 * exactly one member, in order.
 * - Every function returns an Assignment with every member as a key (perhaps
 *   with []), and every partition of every topic that some member subscribes to
 *   given to exactly one member subscribed to that topic. A topic nobody
 *   subscribes to is not assigned; a subscription to a topic not in `topics` is
 *   ignored. Partitions may be listed in any order.
 * - rangeAssign: Kafka's RangeAssignor, topic by topic. Sort the topic's
 *   subscribers by id (plain string order, a < b); with P partitions and n
 *   subscribers, subscriber i takes the contiguous block that starts at
 *   ⌊P/n⌋·i + min(i, P mod n), of ⌊P/n⌋ partitions plus one if i < P mod n.
 * - stickyAssign: keep every partition of `previous` that its owner may still
 *   read (still a member, still subscribed, the partition still exists), give
 *   the rest to the least loaded subscribers, and end balanced: no member reads
 *   two partitions more than another member subscribed to one of its topics.
 *   Move nothing balance does not need: when a member leaves, only its
 *   partitions move; when one joins, partitions move only to it, and only as
 *   many as balance needs. Any assignment that keeps these rules passes.
 * - cooperativeRound(previous, target): the first of KIP-429's two rounds. Each
 *   member gets its target partitions except those still read by another member
 *   of the group (a member that is a key of `target`): that member revokes them
 *   first, and they are handed over in the second round (the target itself).
 * - Speed: 5,000 partitions over 500 members from nothing in O(P log M): find
 *   the least loaded member with a heap, not by scanning every member for each
 *   partition.
 */
import { todo } from "#kit";

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

export function rangeAssign(members: readonly Member[], topics: Topics): Assignment {
  // TODO: per topic, its subscribers sorted by id take contiguous blocks; the first P mod n one more.
  return todo("rangeAssign", members, topics);
}

export function stickyAssign(members: readonly Member[], topics: Topics, previous: Assignment = {}): Assignment {
  // TODO: keep what may be kept, give orphans to the least loaded, then move only what balance needs.
  return todo("stickyAssign", members, topics, previous);
}

export function cooperativeRound(previous: Assignment, target: Assignment): Assignment {
  // TODO: the target, minus partitions another member of the group still reads.
  return todo("cooperativeRound", previous, target);
}
