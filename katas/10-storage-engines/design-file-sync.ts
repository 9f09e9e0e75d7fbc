/**
 * Design problem: file sync, like Dropbox (difficulty 3, about an hour)
 * Read:  chapters/10-storage-engines/README.md#design-problem-file-sync
 * Grade: npm run grade -- design-file-sync
 * Hint:  npm run hint -- design-file-sync (one more hint each time you ask)
 *
 * The whole system, as code the grader checks against the problem's requirements.
 * The problem (the chapter's estimate): 100M users with 10 GB each, 1 EB synced,
 * 667 PB once deduplicated (a third saved). 100M file edits a day, three times
 * the average at peak: 3,472 a second. Files are cut into content-defined
 * chunks of 1 MB on average (the chunked-dedup kata); an edit changes about two
 * of them. Each user has two other devices that must hear of the edit and
 * download the changed chunks.
 * - [ ] every component at 70% of its capacity or less at peak;
 * - [ ] an upload within 300 ms at p99, a commit within 200 ms, a device told
 *       within 2 s, a download within 300 ms;
 * - [ ] each flow up 99.9% of the time, no single point of failure on it;
 * - [ ] the 667 PB, with its replicas, in 70% of the disks of the store that
 *       keeps it (the written store, write: true, with the most room: the
 *       metadata written beside it is not asked to hold the chunks);
 * - [ ] at most $85M a month, at the list prices of grader/design/cost.ts (the
 *       disks are the bill: dedup is what keeps it there);
 * - [ ] steady peak, a ramp, a diurnal wave and a 10× spike, second by second:
 *       every p99 met, nothing refused up to peak, the spike's queues empty
 *       within 5 minutes (a flow's admits refuses what is past it at once);
 * - [ ] any one zone lost at peak, and what is left carries the load.
 * Return a design from defineDesign (each field is described in #kit's Design):
 * the zones; the components, each with its kind, its count (a store: shards and
 * replicas), what one instance serves ("10k req/s"), its mean latency ("2 ms"),
 * a store's disk and the zones it is in; and the four flows, "upload",
 * "commit", "notify" and "download", as the hops a request takes (a fanout for
 * the chunks an edit moves, async for what nobody waits for).
 */
import { type Design, todo } from "#kit";

export function design(): Design {
  // TODO: return defineDesign({ zones: [...], components: { ... }, flows: { upload: ..., commit: ..., notify: ..., download: ... } })
  return todo("design");
}
