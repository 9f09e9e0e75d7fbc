/**
 * Design problem: rate limiting for an API gateway (difficulty 2, about an hour)
 * Read:  chapters/04-rate-limiting/README.md#design
 * Grade: npm run grade -- design-api-rate-limiter
 * Hint:  npm run hint -- design-api-rate-limiter (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 500k API calls a second at peak, each
 * checked against its key's counter before it goes on; 10M active keys; one
 * Redis core runs about 150k short scripts a second.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] a call through the gateway and its check within 20 ms at p99;
 * - [ ] calls up 99.95% of the time, no single point of failure on the path;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] one heavy client (ten times its 1% of calls): the instance holding its
 *       counter under 100%;
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards and
 * replicas), what one instance serves, its mean latency and the zones it is in;
 * and the flow "call", as the hops a request takes (a check that changes a
 * counter is a write).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { call: ... } })
  return todo("design");
}
