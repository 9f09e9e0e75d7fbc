/**
 * Design problem: a sharded key-value store with a cache (difficulty 2, about an hour)
 * Read:  chapters/03-sharding/README.md#estimate
 * Grade: npm run grade -- design-kv-store
 * Hint:  npm run hint -- design-kv-store (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 30 TB of data three years out, 60k writes
 * a second at peak and five reads a write (300k a second); the hot 5% of the
 * data (1.5 TB) is what a cache must hold to answer most reads.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a read within 20 ms at p99, a write within 50 ms;
 * - [ ] each flow up 99.95% of the time, no single point of failure on it;
 * - [ ] the data, with its replicas, in 70% of the stores' disks;
 * - [ ] at most $50k a month, at the list prices of grader/design/cost.ts;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] one cache node restarting empty at peak: what is behind it takes its misses;
 * - [ ] a hot key (ten times its 1% of reads): the instance holding it under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards and
 * replicas), what one instance serves, its mean latency, a cache's memory, a
 * store's disk and the zones it is in; and the two flows, "read" and "write".
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { read: ..., write: ... } })
  return todo("design");
}
