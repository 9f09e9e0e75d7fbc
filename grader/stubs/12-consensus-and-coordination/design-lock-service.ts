/**
 * Design problem: a configuration and lock service (difficulty 2, about an hour)
 * Read:  chapters/12-consensus-and-coordination/README.md#design
 * Grade: npm run grade -- design-lock-service
 * Hint:  npm run hint -- design-lock-service (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 2,000 writes a second (config changes,
 * locks taken and released) on disks that sync in 5 ms, and 20k config reads a
 * second (10k clients, twice a second each), in one region of three zones.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a write (done when a majority holds it) and a read within 50 ms at p99;
 * - [ ] each flow up 99.99% of the time, no single point of failure on it;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] any one zone lost at peak, and a majority is left to carry the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards,
 * replicas, and quorum: true when it agrees by majority), what one instance
 * serves, its mean latency and the zones it is in; and the two flows, "write"
 * and "read", as the hops a request takes.
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { write: ..., read: ... } })
  return todo("design");
}
