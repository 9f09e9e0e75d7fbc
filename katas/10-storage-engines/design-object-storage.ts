/**
 * Design problem: an object store, like S3 (difficulty 3, about an hour)
 * Read:  chapters/10-storage-engines/README.md#design-problem-an-object-store
 * Grade: npm run grade -- design-object-storage
 * Hint:  npm run hint -- design-object-storage (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 1B objects of 1 MB, 1 PB, uploaded over
 * a year and kept; three times the average at peak: 95 PUTs a second. Each
 * object is read a thousand times (95.1k GETs a second) and there is a LIST or
 * HEAD for every ten GETs (9.5k a second). The hottest 1% of the objects, 10 TB,
 * take most of the GETs.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a PUT within 200 ms at p99, a GET within 100 ms, a LIST within 50 ms;
 * - [ ] each flow up 99.99% of the time, no single point of failure on it;
 * - [ ] the 1 PB, with its replicas, in 70% of the disks of the store that
 *       keeps it (the written store, write: true, with the most room: the
 *       metadata written beside it is not asked to hold the bytes);
 * - [ ] at most $250k a month, at the list prices of grader/design/cost.ts;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] one node of each cache (or CDN) restarting empty at peak: what is
 *       behind it takes its misses;
 * - [ ] an object gone viral (ten times its 1% of the GETs): the instances
 *       holding it under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards and
 * replicas), what one instance serves ("10k req/s"), its mean latency ("2 ms"),
 * a cache's memory, a store's disk and the zones it is in; and the three flows,
 * "put", "get" and "list", as the hops a request takes.
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { put: ..., get: ..., list: ... } })
  return todo("design");
}
