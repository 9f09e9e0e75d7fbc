/**
 * Kata: geohash (difficulty 1, about 30 minutes)
 * Read:  chapters/08-search-and-proximity/README.md#deep-dive-geohash
 * Grade: npm run grade -- geohash
 * Hint:  npm run hint -- geohash (one more hint each time you ask)
 *
 * Name a point's cell the way geohash does (Niemeyer, geohash.org, 2008).
 * - [ ] encode(lat, lon, precision) halves the ranges [-180, 180] of longitude
 *       and [-90, 90] of latitude in turn, longitude first: each halving is a
 *       bit, 1 for the upper half. Every 5 bits are one character of BASE32.
 *       encode(42.6, -5.6, 5) is "ezs42".
 * - [ ] decode(hash) gives the cell's bounds (south, north, west, east) and
 *       its centre (lat, lon). decode("ezs42") is centred on 42.605, -5.603.
 * - [ ] neighbours(hash) gives the 8 cells of the same precision around it,
 *       by direction (n, ne, e, se, s, sw, w, nw). East of a cell touching
 *       longitude 180 is the cell at -180: they wrap. A side beyond a pole has
 *       no cell: those directions are null (a cell touching 90°N has null n, ne
 *       and nw; its e, w and s are cells as usual).
 * - [ ] cellSize(precision, lat): the cell's width and height in degrees, and
 *       in metres on a sphere of radius EARTH_RADIUS_M at latitude lat. The
 *       width in metres shrinks with cos(lat); the height does not. A cell is
 *       twice the "± error" of the usual tables: that is half a cell.
 * - [ ] RangeError for: a latitude outside [-90, 90], a longitude outside
 *       [-180, 180] (both ends allowed), NaN, a precision that is not an
 *       integer from 1 to 12, an empty hash or one longer than 12, a character
 *       outside BASE32 (a, i, l and o are not in it).
 */
import { todo } from "#kit";

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

/** The hash of `precision` characters whose cell holds (lat, lon). */
export function encode(lat: number, lon: number, precision: number): string {
  // TODO: check the ranges; then 5 × precision halvings, longitude on even bits and latitude on odd
  // ones (lat >= mid, or lon >= mid, is a 1); every 5 bits, append BASE32[the value of those bits].
  return todo("encode", lat, lon, precision);
}

/** The cell a hash names: its bounds and centre. */
export function decode(hash: string): Cell {
  // TODO: replay the halvings: each character's value is its index in BASE32, 5 bits, most significant first.
  return todo("decode", hash);
}

/**
 * The 8 cells around a hash's cell, of the same precision. East and west wrap
 * across the antimeridian; a side beyond a pole has no cell, and is null.
 */
export function neighbours(hash: string): Record<Direction, string | null> {
  // TODO: step from the cell's centre by whole cells, bring the longitude back into range, null past a pole.
  return todo("neighbours", hash);
}

/** The size of a cell of `precision` characters, in degrees, and in metres at latitude `lat`. */
export function cellSize(precision: number, lat: number): CellSize {
  // TODO: 5 × precision bits, longitude taking the odd one; a degree of latitude is π × EARTH_RADIUS_M / 180 metres.
  return todo("cellSize", precision, lat);
}
