/**
 * Kata: proximity index (difficulty 2, about 1 hour 30 minutes)
 * Read:  chapters/08-search-and-proximity/README.md#deep-dive-a-proximity-index
 * Grade: npm run grade -- proximity-index
 * Hint:  npm run hint -- proximity-index (one more hint each time you ask)
 *
 * "What is near me?": points by id, found by distance, without looking at all
 * of them. A geohash-style grid or a quadtree: your choice.
 * - [ ] distanceMetres(lat1, lng1, lat2, lng2): the great-circle distance on a
 *       sphere of radius EARTH_RADIUS_M, by the haversine formula. Across the
 *       antimeridian too: 179.9° and -179.9° are 0.2° apart. Two points at the
 *       same position are exactly 0 apart.
 * - [ ] insert(id, lat, lng) adds a point (RangeError if the id is already
 *       there); move(id, lat, lng) puts it elsewhere (RangeError if it is not
 *       there); remove(id) takes it out and says whether it was there; size
 *       counts the points. A removed point is never found again, a moved one
 *       only where it is now.
 * - [ ] withinRadius(lat, lng, radius) gives every point whose distance is at
 *       most radius metres (inclusive: radius 0 finds the points at exactly
 *       that position), as { id, distance } with distance in metres.
 * - [ ] nearest(lat, lng, k) gives the k nearest points; all of them when the
 *       index holds fewer than k.
 * - [ ] Both list the nearest first; between equal distances, the id that
 *       sorts first as a string (a < b) comes first.
 * - [ ] Near the poles, across the antimeridian and for radii larger than
 *       your cells, a search finds all that is in range: the spec compares you
 *       with a scan of every point on thousands of random ones.
 * - [ ] A search looks at the cells around the circle, not at every point: the
 *       spec times searches beside 1,000 and 100,000 points.
 * - [ ] RangeError for: a latitude outside [-90, 90], a longitude outside
 *       [-180, 180] (both ends allowed), NaN; a radius that is negative, NaN
 *       or infinite; k that is not an integer >= 0.
 */
import { todo } from "#kit";

/** the sphere distances are measured on: the Earth's mean radius, in metres */
export const EARTH_RADIUS_M = 6_371_000;

/** a point found by a search and its distance from the query, in metres */
export interface Neighbour {
  id: string;
  distance: number;
}

/** great-circle distance in metres between two points, by the haversine formula */
export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  // TODO: check both positions; d = 2R · asin(√(sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2))), angles in radians.
  return todo("distanceMetres", lat1, lng1, lat2, lng2);
}

export class ProximityIndex {
  // TODO: a map of id → position, and the cells (or the tree) that hold the ids.

  /** how many points the index holds */
  get size(): number {
    return todo("ProximityIndex.size");
  }

  /** Adds a point. RangeError if the id is already indexed (move it instead). */
  insert(id: string, lat: number, lng: number): void {
    // TODO: check the position; keep it by id; add the id to its cell(s).
    todo("ProximityIndex.insert", id, lat, lng);
  }

  /** Takes a point out; false if it was not there. */
  remove(id: string): boolean {
    // TODO: out of the map and out of every cell that holds it.
    return todo("ProximityIndex.remove", id);
  }

  /** Puts an indexed point somewhere else. RangeError if the id is not indexed. */
  move(id: string, lat: number, lng: number): void {
    // TODO: out of its old cell(s) first, then in at the new position.
    todo("ProximityIndex.move", id, lat, lng);
  }

  /** Every point within radius metres (inclusive), nearest first, then by id. */
  withinRadius(lat: number, lng: number, radius: number): Neighbour[] {
    // TODO: the cells that cover the circle (wrap longitudes; all longitudes if it holds a pole), then filter by distance.
    return todo("ProximityIndex.withinRadius", lat, lng, radius);
  }

  /** The k points nearest to the position, nearest first, then by id; all of them if fewer than k. */
  nearest(lat: number, lng: number, k: number): Neighbour[] {
    // TODO: widen a radius search until it holds k points (or the whole sphere), then take the first k.
    return todo("ProximityIndex.nearest", lat, lng, k);
  }
}
