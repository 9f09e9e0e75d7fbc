/**
 * Kata: driver matcher (difficulty 2, about 1 hour)
 * Read:  chapters/08-search-and-proximity/README.md#deep-dive-distances-and-matching
 * Grade: npm run grade -- driver-matcher
 * Hint:  npm run hint -- driver-matcher (one more hint each time you ask)
 *
 * Give each ride the nearest free driver, and never one driver to two rides.
 * The drivers live in a store you reach only through awaited calls: while one
 * request waits, other requests' calls and the drivers' own reports land.
 * - [ ] match(ride, lat, lng) gives the id of a driver now on this ride, or
 *       null. The driver must be online, have no ride, and be at most
 *       maxRadiusM metres from the pickup (haversine, EARTH_RADIUS_M).
 * - [ ] Nearest, under concurrency: no driver that stayed online, rideless and
 *       in place from the moment match was called until your claim landed may
 *       be nearer than the one you give (between equal distances, the smaller
 *       id as a string comes first). Null only if no such driver was in range.
 * - [ ] Never one driver on two open rides, however the calls interleave. A
 *       read followed by a write is not a claim: use store.claim, which writes
 *       only if the driver still has no ride, and try the next driver when it
 *       says no. (claim does not look at online: that is yours to check.)
 * - [ ] finish(ride, driver) ends the ride: once it resolves, the driver is
 *       free for the next request. False if the driver did not have that ride.
 * - [ ] No timers: every wait is a store call.
 * - [ ] RangeError for: a maxRadiusM that is negative, NaN or infinite; a
 *       pickup latitude outside [-90, 90] or longitude outside [-180, 180].
 */
import { todo } from "#kit";

/** the sphere distances are measured on: the Earth's mean radius, in metres */
export const EARTH_RADIUS_M = 6_371_000;

/** a driver as the store holds it: where it last reported, whether it is on shift, its ride if any */
export interface Driver {
  id: string;
  lat: number;
  lng: number;
  online: boolean;
  ride: string | null;
}

/** the drivers' store: every call is a round trip, and other requests' calls may land in between */
export interface DriverStore {
  /** copies of every driver's record, as the store holds them when the call lands */
  drivers(): Promise<Driver[]>;
  /** a copy of one driver's record, or undefined */
  driver(id: string): Promise<Driver | undefined>;
  /** writes the driver's ride, whatever it was (null: no ride) */
  setRide(id: string, ride: string | null): Promise<void>;
  /** the conditional write: gives the driver this ride only if it has none (it does not look at online); true if it did */
  claim(id: string, ride: string): Promise<boolean>;
  /** ends the driver's ride only if it is this one; true if it did */
  release(id: string, ride: string): Promise<boolean>;
}

export interface MatcherOptions {
  /** the farthest a driver may be from the pickup, in metres (inclusive) */
  maxRadiusM: number;
}

/** great-circle distance in metres, by the haversine formula */
export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  // TODO: 2R · asin(√(sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2))), angles in radians.
  return todo("distanceMetres", lat1, lng1, lat2, lng2);
}

export class DriverMatcher {
  constructor(store: DriverStore, options: MatcherOptions) {
    // TODO: check maxRadiusM; keep the store and the radius.
    todo("DriverMatcher.constructor", store, options);
  }

  /** Claims the nearest free driver within the radius for this ride and gives its id; null if none could be claimed. */
  async match(ride: string, lat: number, lng: number): Promise<string | null> {
    // TODO: read the drivers; keep the online ones with no ride in range; claim them nearest first until one holds.
    return todo("DriverMatcher.match", ride, lat, lng);
  }

  /** The ride is over: its driver is free again once this resolves. False if the driver did not have this ride. */
  async finish(ride: string, driver: string): Promise<boolean> {
    // TODO: release the driver from this ride, and wait for it.
    return todo("DriverMatcher.finish", ride, driver);
  }
}
