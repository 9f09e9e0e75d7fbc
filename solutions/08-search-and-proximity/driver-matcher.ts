/**
 * Reference: read every driver once, keep the online ones with no ride within
 * the radius, and claim them nearest first with the store's conditional write
 * until one claim holds. A claim lost to another request moves on to the next.
 */

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

const RAD = Math.PI / 180;

/** great-circle distance in metres, by the haversine formula */
export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const h =
    Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 +
    Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lng2 - lng1) * RAD) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, h)));
}

export class DriverMatcher {
  readonly #store: DriverStore;
  readonly #maxRadius: number;

  constructor(store: DriverStore, options: MatcherOptions) {
    const { maxRadiusM } = options;
    if (!(maxRadiusM >= 0 && maxRadiusM < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`maxRadiusM must be a finite number of metres >= 0, got ${maxRadiusM}`);
    }
    this.#store = store;
    this.#maxRadius = maxRadiusM;
  }

  /** Claims the nearest free driver within the radius for this ride and gives its id; null if none could be claimed. */
  async match(ride: string, lat: number, lng: number): Promise<string | null> {
    if (!(lat >= -90 && lat <= 90)) throw new RangeError(`latitude must be in [-90, 90], got ${lat}`);
    if (!(lng >= -180 && lng <= 180)) throw new RangeError(`longitude must be in [-180, 180], got ${lng}`);
    const candidates = (await this.#store.drivers())
      .filter((d) => d.online && d.ride === null)
      .map((d) => ({ id: d.id, distance: distanceMetres(lat, lng, d.lat, d.lng) }))
      .filter((c) => c.distance <= this.#maxRadius)
      .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // the read is a snapshot: another request may take a driver before our claim lands, so claim, don't write
    for (const candidate of candidates) {
      if (await this.#store.claim(candidate.id, ride)) return candidate.id;
    }
    return null;
  }

  /** The ride is over: its driver is free again once this resolves. False if the driver did not have this ride. */
  async finish(ride: string, driver: string): Promise<boolean> {
    return await this.#store.release(driver, ride);
  }
}
