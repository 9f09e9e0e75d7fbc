/**
 * Design problem: top songs, trending now (difficulty 2, about an hour)
 * Read:  chapters/07-stream-counting/README.md#design
 * Grade: npm run grade -- design-trending
 * Hint:  npm run hint -- design-trending (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 50M daily users play 20 songs and look
 * at the trending list 10 times a day each, three times the average at peak:
 * 35k plays and 17k list reads a second.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a play recorded within 100 ms at p99, the list read within 50 ms;
 * - [ ] each flow up 99.9% of the time, no single point of failure on it;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] one cache node restarting empty at peak: what is behind it takes its misses;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards and
 * replicas), what one instance serves, its mean latency, a cache's memory and
 * the zones it is in; and the two flows, "play" and "top", as the hops a request
 * takes (work nobody waits for is async).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { play: ..., top: ... } })
  return todo("design");
}
