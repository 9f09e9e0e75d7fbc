/**
 * Design problem: nearby search, Yelp-like (difficulty 2, about 45 minutes)
 * Read:  chapters/08-search-and-proximity/README.md#design-problem-nearby-search-yelp-like
 * Grade: npm run grade -- design-nearby-search
 * Hint:  npm run hint -- design-nearby-search (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate, from seed 003): 200M places of 100 bytes
 * (20 GB), 100k searches a second for the places near a point, each showing 20
 * of them, and 1k place updates a second. The popular places, a fifth of them,
 * answer nine lookups in ten.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a search answered within 100 ms at p99 (the seed's objective), an
 *       update acknowledged within 200 ms;
 * - [ ] each flow up 99.9% of the time, no single point of failure on it;
 * - [ ] the places, with their replicas, in 70% of the disks that keep them;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits holds back what is past it at once);
 * - [ ] one cache node restarting empty at peak, and the store behind it copes;
 * - [ ] the busiest city centre (ten times its 3% of the searches): the
 *       instances holding it under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: its
 * shards and replicas), what one instance serves, its mean latency, a cache's
 * memory, a store's disk and the zones it is in; and the two flows, "search"
 * and "update", as the hops a request takes (a cache hop's hitRatio and onMiss;
 * a hop with async: true is handed on, not waited for).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { search: ..., update: ... } })
  return todo("design");
}
