/**
 * Geohash (Niemeyer, geohash.org, 2008): a point's cell, named by halving the
 * longitude and latitude ranges in turn, five bits a base-32 character.
 */

/** the geohash digits, in ascending value: no a, i, l or o */
export const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

/** the longest hash accepted: 60 bits, 30 of longitude and 30 of latitude */
export const MAX_PRECISION = 12;

/** the sphere that cellSize measures on: the Earth's mean radius, in metres */
export const EARTH_RADIUS_M = 6_371_000;

/** a cell: its bounds in degrees (south ≤ north, west ≤ east) and its centre */
export interface Cell {
  south: number;
  north: number;
  west: number;
  east: number;
  lat: number;
  lon: number;
}

export type Direction = "n" | "ne" | "e" | "se" | "s" | "sw" | "w" | "nw";

/** the size of a cell at a precision: degrees, and metres at a latitude */
export interface CellSize {
  widthDeg: number;
  heightDeg: number;
  widthM: number;
  heightM: number;
}

function checkPrecision(precision: number): void {
  if (!Number.isInteger(precision) || precision < 1 || precision > MAX_PRECISION) {
    throw new RangeError(`precision must be an integer from 1 to ${MAX_PRECISION}, got ${precision}`);
  }
}

function checkLatitude(lat: number): void {
  if (!(lat >= -90 && lat <= 90)) throw new RangeError(`latitude must be within [-90, 90], got ${lat}`);
}

/** The hash of `precision` characters whose cell holds (lat, lon). */
export function encode(lat: number, lon: number, precision: number): string {
  checkLatitude(lat);
  if (!(lon >= -180 && lon <= 180)) throw new RangeError(`longitude must be within [-180, 180], got ${lon}`);
  checkPrecision(precision);
  let [south, north, west, east] = [-90, 90, -180, 180];
  let hash = "";
  let digit = 0;
  for (let bit = 0; bit < precision * 5; bit++) {
    // even bits halve the longitudes, odd bits the latitudes; the upper half is a 1
    if (bit % 2 === 0) {
      const mid = (west + east) / 2;
      if (lon >= mid) [digit, west] = [digit * 2 + 1, mid];
      else [digit, east] = [digit * 2, mid];
    } else {
      const mid = (south + north) / 2;
      if (lat >= mid) [digit, south] = [digit * 2 + 1, mid];
      else [digit, north] = [digit * 2, mid];
    }
    if (bit % 5 === 4) {
      hash += BASE32[digit];
      digit = 0;
    }
  }
  return hash;
}

/** The cell a hash names: its bounds and centre. */
export function decode(hash: string): Cell {
  if (hash.length < 1 || hash.length > MAX_PRECISION) {
    throw new RangeError(`a geohash has 1 to ${MAX_PRECISION} characters, got "${hash}"`);
  }
  let [south, north, west, east] = [-90, 90, -180, 180];
  let bit = 0;
  for (const char of hash) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) throw new RangeError(`"${char}" is not a geohash character (in "${hash}")`);
    for (let i = 4; i >= 0; i--, bit++) {
      const one = ((digit >> i) & 1) === 1;
      if (bit % 2 === 0) {
        const mid = (west + east) / 2;
        if (one) west = mid;
        else east = mid;
      } else {
        const mid = (south + north) / 2;
        if (one) south = mid;
        else north = mid;
      }
    }
  }
  return { south, north, west, east, lat: (south + north) / 2, lon: (west + east) / 2 };
}

const STEPS: Record<Direction, [number, number]> = {
  n: [1, 0],
  ne: [1, 1],
  e: [0, 1],
  se: [-1, 1],
  s: [-1, 0],
  sw: [-1, -1],
  w: [0, -1],
  nw: [1, -1],
};

/** a longitude brought back into [-180, 180) */
function wrap(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * The 8 cells around a hash's cell, of the same precision. East and west wrap
 * across the antimeridian; a side beyond a pole has no cell, and is null.
 */
export function neighbours(hash: string): Record<Direction, string | null> {
  const cell = decode(hash);
  const height = cell.north - cell.south;
  const width = cell.east - cell.west;
  const around = {} as Record<Direction, string | null>;
  for (const [direction, [up, right]] of Object.entries(STEPS) as [Direction, [number, number]][]) {
    // step from the centre by a whole cell: the centre of the neighbour, far from any edge
    const lat = cell.lat + up * height;
    around[direction] = lat > 90 || lat < -90 ? null : encode(lat, wrap(cell.lon + right * width), hash.length);
  }
  return around;
}

/** The size of a cell of `precision` characters, in degrees, and in metres at latitude `lat`. */
export function cellSize(precision: number, lat: number): CellSize {
  checkPrecision(precision);
  checkLatitude(lat);
  const bits = precision * 5;
  const widthDeg = 360 / 2 ** Math.ceil(bits / 2); // longitude takes the odd bit
  const heightDeg = 180 / 2 ** Math.floor(bits / 2);
  const metresPerDegree = (Math.PI * EARTH_RADIUS_M) / 180;
  return {
    widthDeg,
    heightDeg,
    // a degree of longitude shrinks with the cosine of the latitude; a degree of latitude does not
    widthM: widthDeg * metresPerDegree * Math.cos((lat * Math.PI) / 180),
    heightM: heightDeg * metresPerDegree,
  };
}
