/**
 * Design problem: a URL shortener (difficulty 2, about an hour)
 * Read:  chapters/06-ids-and-url-shortener/README.md#design
 * Grade: npm run grade -- design-url-shortener
 * Hint:  npm run hint -- design-url-shortener (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 100M new short links a day, a hundred
 * redirects for each, three times the average at the busiest hour: 347k
 * redirects and 3.5k creations a second at peak. A link is 500 B, kept ten
 * years; the hot links (20% of a week's) are 70 GB.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a redirect within 50 ms at p99, a creation within 200 ms;
 * - [ ] each flow up 99.9% of the time, no single point of failure on it;
 * - [ ] ten years of links, with their replicas, in 70% of the stores' disks;
 * - [ ] at most $120k a month, at the list prices of grader/design/cost.ts;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] one cache node restarting empty at peak: what is behind it takes its misses;
 * - [ ] a link gone viral (ten times its 0.1% of redirects): the instance holding it
 *       under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards and
 * replicas), what one instance serves ("10k req/s"), its mean latency ("2 ms"),
 * a cache's memory, a store's disk and the zones it is in; and the two flows,
 * "redirect" and "create", as the hops a request takes.
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { redirect: ..., create: ... } })
  return todo("design");
}
