/**
 * Design problem: search typeahead (difficulty 2, about 45 minutes)
 * Read:  chapters/08-search-and-proximity/README.md#design-problem-search-typeahead
 * Grade: npm run grade -- design-typeahead
 * Hint:  npm run hint -- design-typeahead (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 10B searches a day, each sending 4
 * debounced suggestion requests, at a peak of twice the average: 926k
 * suggestions a second, and each search logged once (231k a second) so the
 * counts behind the suggestions stay fresh.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a suggestion answered within 50 ms at p99 at the servers (the seed's
 *       100 ms a keystroke, end to end, leaves the rest to the network), and a
 *       search logged within 50 ms;
 * - [ ] each flow up 99.9% of the time, no single point of failure on it;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits holds back what is past it at once);
 * - [ ] a hot prefix (a breaking story: ten times its 2% of the suggestions):
 *       the instances holding it under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: its
 * shards and replicas), what one instance serves, its mean latency and the
 * zones it is in; and the two flows, "suggest" and "record", as the hops a
 * request takes (a hop with async: true is handed on, not waited for).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { suggest: ..., record: ... } })
  return todo("design");
}
