/**
 * Design problem: a multi-region key-value store (difficulty 3, about an hour)
 * Read:  chapters/11-replication-and-consistency/README.md#design-problem-a-multi-region-key-value-store
 * Grade: npm run grade -- design-global-kv
 * Hint:  npm run hint -- design-global-kv (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): users in three regions, us-east (40%),
 * eu-west (35%) and ap-northeast (25%); us-east is 80 ms from eu-west and 170 ms
 * from Tokyo, eu-west 220 ms from Tokyo. They read their profiles and carts
 * 300k times a second and update them 30k times (1B users, 10 KB each): any
 * recent value will do. 1k times a second they claim something unique (a
 * username, the last item in stock): that read must see the latest claim
 * anywhere.
 * - [ ] every component at 70% of its capacity or less at peak, each region's
 *       instances with what its users send them;
 * - [ ] a get within 20 ms at p99, a put within 30 ms, a claim within 500 ms,
 *       round trips between regions included;
 * - [ ] a claim strong: its reads overlap the writes' replicas (R + W > N), its
 *       writes wait for a majority, no cache on its path;
 * - [ ] each flow up 99.99% of the time, no single point of failure on it;
 * - [ ] the profiles, with their replicas, in 70% of the disks that keep them;
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits holds back what is past it at once);
 * - [ ] any one region lost at peak: its users served by the nearest region
 *       left, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones, which here are the three regions; the components, each with its
 * kind, its count (a store: its shards, its replicas, spread over the regions
 * in turn, and quorum: true for writes that wait for a majority), what one
 * instance serves, its mean latency, a store's disk and the regions it is in;
 * and the three flows, "get", "put" and "claim", as the hops a request takes (a
 * store read's consistency: "one", the nearest replica, or "quorum", the
 * nearest majority).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: ["us-east", "eu-west", "ap-northeast"], components: { ... }, flows: { get: ..., put: ..., claim: ... } })
  return todo("design");
}
