/**
 * Reference: a proximity index on a grid of geohash-like cells, kept at every
 * level from the whole map down to cells of about 1.2 km. A search picks the
 * finest level whose cells are at least as tall as the radius, lists every
 * cell of the circle's bounding box at that level (all longitudes when the
 * circle holds a pole, wrapped across the antimeridian), and filters the
 * points in them by haversine distance.
 */

/** the sphere distances are measured on: the Earth's mean radius, in metres */
export const EARTH_RADIUS_M = 6_371_000;

/** a point found by a search and its distance from the query, in metres */
export interface Neighbour {
  id: string;
  distance: number;
}

interface Point {
  lat: number;
  lng: number;
}

// level L has 2^(L+1) columns and 2^L rows of square cells, 180 / 2^L degrees a side
const LEVELS = 15;
const RAD = Math.PI / 180;

/** great-circle distance in metres between two points, by the haversine formula */
export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  checkPosition(lat1, lng1);
  checkPosition(lat2, lng2);
  return haversine(lat1, lng1, lat2, lng2);
}

function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  // rounding can push h a hair past 1 for antipodes
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, h)));
}

function checkPosition(lat: number, lng: number): void {
  if (!(lat >= -90 && lat <= 90)) throw new RangeError(`latitude must be in [-90, 90], got ${lat}`);
  if (!(lng >= -180 && lng <= 180)) throw new RangeError(`longitude must be in [-180, 180], got ${lng}`);
}

const cellSide = (level: number) => 180 / 2 ** level;
const columns = (level: number) => 2 ** (level + 1);
const rows = (level: number) => 2 ** level;

function rowOf(level: number, lat: number): number {
  return Math.min(rows(level) - 1, Math.max(0, Math.floor((lat + 90) / cellSide(level))));
}

/** the column of a longitude, wrapped: 180 and -180 are the same meridian */
function columnOf(level: number, lng: number): number {
  const n = columns(level);
  return ((Math.floor((lng + 180) / cellSide(level)) % n) + n) % n;
}

const cellKey = (level: number, row: number, column: number) => row * columns(level) + column;

export class ProximityIndex {
  readonly #points = new Map<string, Point>();
  /** per level: cell → the points in it, with their positions */
  readonly #cells: Map<number, Map<string, Point>>[] = Array.from({ length: LEVELS }, () => new Map());

  get size(): number {
    return this.#points.size;
  }

  /** Adds a point. RangeError if the id is already indexed (move it instead). */
  insert(id: string, lat: number, lng: number): void {
    checkPosition(lat, lng);
    if (this.#points.has(id)) throw new RangeError(`${id} is already indexed: move it instead`);
    this.#add(id, { lat, lng });
  }

  /** Takes a point out; false if it was not there. */
  remove(id: string): boolean {
    const point = this.#points.get(id);
    if (point === undefined) return false;
    this.#delete(id, point);
    return true;
  }

  /** Puts an indexed point somewhere else. RangeError if the id is not indexed. */
  move(id: string, lat: number, lng: number): void {
    checkPosition(lat, lng);
    const point = this.#points.get(id);
    if (point === undefined) throw new RangeError(`${id} is not indexed: insert it first`);
    this.#delete(id, point);
    this.#add(id, { lat, lng });
  }

  /** Every point within radius metres (inclusive), nearest first, then by id. */
  withinRadius(lat: number, lng: number, radius: number): Neighbour[] {
    checkPosition(lat, lng);
    if (!(radius >= 0 && radius < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`radius must be a finite number of metres >= 0, got ${radius}`);
    }
    return this.#search(lat, lng, radius).sort(byDistanceThenId);
  }

  /** The k points nearest to the position, nearest first, then by id; all of them if fewer than k. */
  nearest(lat: number, lng: number, k: number): Neighbour[] {
    checkPosition(lat, lng);
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer >= 0, got ${k}`);
    if (k === 0) return [];
    // widen the circle until it holds k points: every point outside is farther than all inside
    const halfCircumference = Math.PI * EARTH_RADIUS_M;
    for (let radius = 1000; ; radius *= 4) {
      const found = this.#search(lat, lng, Math.min(radius, halfCircumference));
      if (found.length >= k || radius >= halfCircumference) return found.sort(byDistanceThenId).slice(0, k);
    }
  }

  #add(id: string, point: Point): void {
    this.#points.set(id, point);
    for (let level = 0; level < LEVELS; level++) {
      const key = cellKey(level, rowOf(level, point.lat), columnOf(level, point.lng));
      const cells = this.#cells[level] as Map<number, Map<string, Point>>;
      let cell = cells.get(key);
      if (cell === undefined) {
        cell = new Map();
        cells.set(key, cell);
      }
      cell.set(id, point);
    }
  }

  #delete(id: string, point: Point): void {
    this.#points.delete(id);
    for (let level = 0; level < LEVELS; level++) {
      const key = cellKey(level, rowOf(level, point.lat), columnOf(level, point.lng));
      const cells = this.#cells[level] as Map<number, Map<string, Point>>;
      const cell = cells.get(key);
      cell?.delete(id);
      if (cell?.size === 0) cells.delete(key);
    }
  }

  #search(lat: number, lng: number, radius: number): Neighbour[] {
    const found: Neighbour[] = [];
    const cells = this.#cells;
    for (const [level, key] of cellsCovering(lat, lng, radius)) {
      const cell = (cells[level] as Map<number, Map<string, Point>>).get(key);
      if (cell === undefined) continue;
      for (const [id, point] of cell) {
        const distance = haversine(lat, lng, point.lat, point.lng);
        if (distance <= radius) found.push({ id, distance });
      }
    }
    return found;
  }
}

/**
 * The cells of the circle's bounding box, at the finest level whose cells are
 * at least as tall as the radius: at most 3 rows, and as many columns as the
 * box is wide at that latitude (all of them if the circle holds a pole).
 */
function* cellsCovering(lat: number, lng: number, radius: number): Generator<[number, number]> {
  const angle = radius / EARTH_RADIUS_M; // radians
  const angleDegrees = angle / RAD;
  let level = LEVELS - 1;
  while (level > 0 && cellSide(level) < angleDegrees) level--;
  // a hair of margin: the filter is exact, the box only has to hold the circle
  const margin = 1e-9;
  const south = lat - angleDegrees - margin;
  const north = lat + angleDegrees + margin;
  let everyColumn = south <= -90 || north >= 90 || angle >= Math.PI;
  let west = 0;
  let east = 0;
  if (!everyColumn) {
    // the widest the circle gets in longitude (the cap's bounding box on a sphere)
    const spread = Math.asin(Math.min(1, Math.sin(angle) / Math.cos(lat * RAD))) / RAD + margin;
    west = lng - spread;
    east = lng + spread;
    everyColumn = east - west >= 360;
  }
  const n = columns(level);
  const first = Math.floor((west + 180) / cellSide(level));
  const last = everyColumn ? first + n - 1 : Math.floor((east + 180) / cellSide(level));
  // a box nearly 360° wide would list a column twice
  const count = Math.min(n, last - first + 1);
  for (let row = rowOf(level, south); row <= rowOf(level, north); row++) {
    for (let c = first; c < first + count; c++) {
      yield [level, cellKey(level, row, ((c % n) + n) % n)];
    }
  }
}

function byDistanceThenId(a: Neighbour, b: Neighbour): number {
  return a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
