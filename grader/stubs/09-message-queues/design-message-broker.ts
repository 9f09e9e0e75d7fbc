/**
 * Design problem: a Kafka-like message broker (difficulty 3, about an hour)
 * Read:  chapters/09-message-queues/README.md#design-problem-a-kafka-like-message-broker
 * Grade: npm run grade -- design-message-broker
 * Hint:  npm run hint -- design-message-broker (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): producers append 1M records a second of
 * 1 kB (1 GB/s), kept 7 days (604.8 TB before replicas) and read by 3 consumer
 * groups (3M reads a second); one tenant's key carries 1% of the records.
 * - [ ] every component at 70% of its capacity or less at peak (a partitioned
 *       log's brokers and each of its partitions; its consumers, of which each
 *       group has one member a partition at work);
 * - [ ] a record acknowledged within 10 ms at p99, read and processed within 50 ms;
 * - [ ] each flow up 99.95% of the time, no single point of failure on it;
 * - [ ] the 7 days, with their replicas, in 70% of the brokers' disks;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits holds back what is past it at once);
 * - [ ] a hot key (ten times its 1% of the records): the partition holding it under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count, what one instance
 * serves, its mean latency and the zones it is in (a partitioned log: a queue
 * with partitions, replicas, what one partition takes and each broker's disk);
 * and the two flows, "produce" and "consume", as the hops a record takes (a
 * hop's keySpread: the partitions one key's records spread over).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { produce: ..., consume: ... } })
  return todo("design");
}
