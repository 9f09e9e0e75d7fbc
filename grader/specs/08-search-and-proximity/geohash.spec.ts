import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/08-search-and-proximity/geohash";
import * as reference from "#ref/08-search-and-proximity/geohash";
import { compareLoad, expectThrows, kataOf, loadTest, prop, random, seedFor } from "#spec";
import chapter from "../../../chapters/08-search-and-proximity/chapter.ts";

type Cell = learner.Cell;
const { cellSize, decode, encode, neighbours } = learner;
const { budgets } = kataOf(chapter, "08-search-and-proximity", "geohash");

// Published examples: geohash.org (Niemeyer, 2008) and the Wikipedia article "Geohash", which
// gives u4pruydqqvj ≈ 57.64911, 10.40744; ezs42 ≈ 42.605 ± 0.022, −5.603 ± 0.022; and
// 6gkzwgjzn820 for −25.382708, −49.265506.
const ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
const DIRECTIONS = ["n", "ne", "e", "se", "s", "sw", "w", "nw"] as const;
const STEP: Record<(typeof DIRECTIONS)[number], [number, number]> = {
  n: [1, 0],
  ne: [1, 1],
  e: [0, 1],
  se: [-1, 1],
  s: [-1, 0],
  sw: [-1, -1],
  w: [0, -1],
  nw: [1, -1],
};
// bounds are sums of powers of two: exact in a double, whichever way a correct decode adds them
const EPS = 1e-9;

const latitude = fc.double({ min: -90, max: 90, noNaN: true });
const longitude = fc.double({ min: -180, max: 180, noNaN: true });
const precision = fc.integer({ min: 1, max: 12 });
const hash = (min = 1, max = 12) => fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: min, maxLength: max });

const describeCell = (c: Cell) => `[${c.south}, ${c.north}] × [${c.west}, ${c.east}]`;

/** expects the cell to hold the point, its bounds closed */
function expectInside(cell: Cell, lat: number, lon: number, what: string): void {
  const inside = lat >= cell.south - EPS && lat <= cell.north + EPS && lon >= cell.west - EPS && lon <= cell.east + EPS;
  expect(inside, `${what}: (${lat}, ${lon}) should lie in its cell ${describeCell(cell)}`).toBe(true);
}

/** the exact size of a cell of p characters: longitude takes the odd bit */
function degrees(p: number): { width: number; height: number } {
  return { width: 360 / 2 ** Math.ceil((5 * p) / 2), height: 180 / 2 ** Math.floor((5 * p) / 2) };
}

describe("encoding", () => {
  it("encodes the published examples: 6gkzwgjzn820, ezs42, u4pruydq", () => {
    expect(encode(-25.382708, -49.265506, 12), "encode(-25.382708, -49.265506, 12)").toBe("6gkzwgjzn820");
    expect(encode(42.6, -5.6, 5), "encode(42.6, -5.6, 5)").toBe("ezs42");
    expect(encode(57.64911, 10.40744, 8), "encode(57.64911, 10.40744, 8)").toBe("u4pruydq");
  });

  it("gives a hash of exactly `precision` characters, the prefix of every longer one", () => {
    const full = "6gkzwgjzn820";
    for (let p = 1; p <= 12; p++) {
      expect(encode(-25.382708, -49.265506, p), `encode(-25.382708, -49.265506, ${p})`).toBe(full.slice(0, p));
    }
  });

  it("uses the geohash alphabet, 0-9 then b-z without a, i, l and o: each character names its cell at precision 1", () => {
    // a first character's 5 bits halve longitude, latitude, longitude, latitude, longitude
    for (let digit = 0; digit < 32; digit++) {
      const bits = (i: number) => (digit >> (4 - i)) & 1;
      const lonIndex = bits(0) * 4 + bits(2) * 2 + bits(4);
      const latIndex = bits(1) * 2 + bits(3);
      const lat = -90 + 45 * latIndex + 22.5;
      const lon = -180 + 45 * lonIndex + 22.5;
      expect(encode(lat, lon, 1), `encode(${lat}, ${lon}, 1), the cell of digit ${digit}`).toBe(ALPHABET[digit]);
    }
  });

  it("accepts the edges of the map: latitude ±90 and longitude ±180", () => {
    for (const [lat, lon] of [
      [90, 180],
      [-90, -180],
      [90, -180],
      [-90, 180],
    ] as const) {
      expectInside(decode(encode(lat, lon, 6)), lat, lon, `encode(${lat}, ${lon}, 6)`);
    }
  });

  it("rejects a latitude, longitude or precision out of range with a RangeError", () => {
    for (const [lat, lon, p] of [
      [90.000001, 0, 5],
      [-91, 0, 5],
      [0, 180.5, 5],
      [0, -181, 5],
      [Number.NaN, 0, 5],
      [0, Number.NaN, 5],
      [0, 0, 0],
      [0, 0, 13],
      [0, 0, 2.5],
    ] as const) {
      expectThrows(() => encode(lat, lon, p), RangeError, `encode(${lat}, ${lon}, ${p})`);
    }
  });
});

describe("decoding", () => {
  it("decodes the published examples to their cells and centres", () => {
    const u = decode("u4pruydqqvj");
    expect(Math.abs(u.lat - 57.64911), `decode("u4pruydqqvj").lat is ${u.lat}, not ≈ 57.64911`).toBeLessThan(5e-6);
    expect(Math.abs(u.lon - 10.40744), `decode("u4pruydqqvj").lon is ${u.lon}, not ≈ 10.40744`).toBeLessThan(5e-6);
    const e = decode("ezs42");
    expect(e, 'decode("ezs42")').toMatchObject({
      south: 42.5830078125,
      north: 42.626953125,
      west: -5.625,
      east: -5.5810546875,
      lat: 42.60498046875,
      lon: -5.60302734375,
    });
  });

  it("rejects an empty hash, one longer than 12, and characters outside the alphabet with a RangeError", () => {
    for (const bad of ["", "u4pruydqqvjzz", "a", "u4pi", "ezl42", "o", "ezs4-", "ezs 42"]) {
      expectThrows(() => decode(bad), RangeError, `decode("${bad}")`);
    }
  });
});

describe("properties", () => {
  prop(
    "encode then decode puts the point in its cell, whose centre is the middle of its bounds",
    fc.tuple(latitude, longitude, precision),
    ([lat, lon, p]) => {
      const h = encode(lat, lon, p);
      const cell = decode(h);
      expectInside(cell, lat, lon, `decode(encode(${lat}, ${lon}, ${p})) = decode("${h}")`);
      expect(cell.lat, `centre latitude of "${h}"`).toBeCloseTo((cell.south + cell.north) / 2, 9);
      expect(cell.lon, `centre longitude of "${h}"`).toBeCloseTo((cell.west + cell.east) / 2, 9);
    },
  );

  prop("a cell of p characters is 360/2^⌈5p/2⌉ degrees wide and 180/2^⌊5p/2⌋ tall", hash(), (h) => {
    const cell = decode(h);
    const { width, height } = degrees(h.length);
    expect(cell.east - cell.west, `width of "${h}"`).toBeCloseTo(width, 12);
    expect(cell.north - cell.south, `height of "${h}"`).toBeCloseTo(height, 12);
    expect(encode(cell.lat, cell.lon, h.length), `encode(centre of "${h}")`).toBe(h);
  });

  prop("a longer hash's cell lies inside the cell of its prefix", fc.tuple(hash(2), fc.nat()), ([h, cut]) => {
    const prefix = h.slice(0, 1 + (cut % (h.length - 1)));
    const [inner, outer] = [decode(h), decode(prefix)];
    const inside =
      inner.south >= outer.south - EPS &&
      inner.north <= outer.north + EPS &&
      inner.west >= outer.west - EPS &&
      inner.east <= outer.east + EPS;
    expect(inside, `"${h}" ${describeCell(inner)} inside "${prefix}" ${describeCell(outer)}`).toBe(true);
  });
});

/** the neighbour's cell lies one cell away in its direction, longitude taken round the globe */
function expectNeighbour(h: string, direction: (typeof DIRECTIONS)[number], found: string): void {
  const [cell, next] = [decode(h), decode(found)];
  const [up, right] = STEP[direction];
  const width = cell.east - cell.west;
  const height = cell.north - cell.south;
  const what = `neighbours("${h}").${direction} = "${found}" ${describeCell(next)}, next to ${describeCell(cell)}`;
  expect(found.length, `${what}: same precision`).toBe(h.length);
  expect(next.south, `${what}: its south edge`).toBeCloseTo(cell.south + up * height, 9);
  const shift = (((next.west - (cell.west + right * width)) % 360) + 360) % 360;
  expect(Math.min(shift, 360 - shift), `${what}: its west edge, modulo 360°`).toBeCloseTo(0, 9);
}

describe("neighbours", () => {
  it("gives the 8 cells around a cell, one in each direction", () => {
    const around = neighbours("u4pruydqqvj");
    for (const d of DIRECTIONS) {
      const found = around[d];
      expect(found, `neighbours("u4pruydqqvj").${d}`).toBeTypeOf("string");
      expectNeighbour("u4pruydqqvj", d, found as string);
    }
  });

  prop(
    "each neighbour shares an edge or a corner with the cell, and the nine cells tile the 3×3 block",
    hash(1, 10).filter((h) => {
      const c = decode(h);
      return c.north < 90 && c.south > -90;
    }),
    (h) => {
      const around = neighbours(h);
      const nine = new Set<string>([h]);
      for (const d of DIRECTIONS) {
        const found = around[d];
        expect(found, `neighbours("${h}").${d}: a cell away from the poles`).toBeTypeOf("string");
        expectNeighbour(h, d, found as string);
        nine.add(found as string);
      }
      // at precision 1 the row is 8 cells round: still 9 different cells
      expect(nine.size, `"${h}" and its 8 neighbours: ${[...nine].join(", ")}`).toBe(9);
    },
  );

  it("wraps east and west across the antimeridian", () => {
    expect(neighbours("z").e, 'neighbours("z").e').toBe("b");
    expect(neighbours("b").w, 'neighbours("b").w').toBe("z");
    // Fiji, at 179.99°E: its eastern neighbours start at -180°
    const fiji = encode(-17.7, 179.99, 6);
    const around = neighbours(fiji);
    for (const d of ["ne", "e", "se"] as const) {
      const next = decode(around[d] as string);
      expect(next.west, `neighbours("${fiji}").${d} = "${around[d]}" should start at -180°`).toBeCloseTo(-180, 9);
    }
    expect(decode(neighbours(encode(-17.7, -179.99, 6)).w as string).east, "west of -179.99°").toBeCloseTo(180, 9);
  });

  prop(
    "neighbours across longitude 180° wrap, at every precision",
    fc.tuple(
      latitude.filter((lat) => Math.abs(lat) < 80),
      precision,
    ),
    ([lat, p]) => {
      const east = encode(lat, 180 - degrees(p).width / 2, p);
      const west = encode(lat, -180 + degrees(p).width / 2, p);
      expect(neighbours(east).e, `neighbours("${east}").e`).toBe(west);
      expect(neighbours(west).w, `neighbours("${west}").w`).toBe(east);
    },
  );

  it("gives null for the sides beyond a pole, and the cells along it", () => {
    for (const [lat, p] of [
      [90, 1],
      [90, 6],
      [-90, 4],
      [-90, 11],
    ] as const) {
      const h = encode(lat, 10, p);
      const around = neighbours(h);
      const [beyond, along] =
        lat > 0
          ? [
              ["n", "ne", "nw"],
              ["e", "w", "s"],
            ]
          : [
              ["s", "se", "sw"],
              ["e", "w", "n"],
            ];
      for (const d of beyond) expect(around[d as "n"], `neighbours("${h}").${d}, beyond the pole`).toBeNull();
      for (const d of along) expectNeighbour(h, d as "n", around[d as "n"] as string);
    }
  });

  it("rejects an invalid hash with a RangeError", () => {
    for (const bad of ["", "ezs4a", "u4pruydqqvjzz"]) {
      expectThrows(() => neighbours(bad), RangeError, `neighbours("${bad}")`);
    }
  });
});

describe("cell size", () => {
  it("a precision-5 cell is 4.89 km square at the equator: twice the ±2.4 km error of the seed's table", () => {
    const size = cellSize(5, 0);
    expect(size.widthDeg, "cellSize(5, 0).widthDeg").toBeCloseTo(360 / 2 ** 13, 12);
    expect(size.heightDeg, "cellSize(5, 0).heightDeg").toBeCloseTo(180 / 2 ** 12, 12);
    // 6,371 km: the Earth's mean radius; any radius from 6,356 to 6,378 km (polar to equatorial) is accepted
    for (const [side, metres] of [
      ["widthM", size.widthM],
      ["heightM", size.heightM],
    ] as const) {
      expect(metres, `cellSize(5, 0).${side}, in metres`).toBeGreaterThan(4_875);
      expect(metres, `cellSize(5, 0).${side}, in metres`).toBeLessThan(4_893);
    }
    const p6 = cellSize(6, 0);
    expect(p6.widthM, "cellSize(6, 0).widthM").toBeGreaterThan(1_218);
    expect(p6.heightM, "cellSize(6, 0).heightM").toBeLessThan(612);
  });

  prop(
    "degrees match the decoded cell, and the width in metres shrinks with cos(latitude) while the height does not",
    fc.tuple(precision, latitude),
    ([p, lat]) => {
      const size = cellSize(p, lat);
      const equator = cellSize(p, 0);
      const { width, height } = degrees(p);
      expect(size.widthDeg, `cellSize(${p}, ${lat}).widthDeg`).toBeCloseTo(width, 12);
      expect(size.heightDeg, `cellSize(${p}, ${lat}).heightDeg`).toBeCloseTo(height, 12);
      expect(size.heightM / equator.heightM, `cellSize(${p}, ${lat}).heightM over the equator's`).toBeCloseTo(1, 9);
      const cos = Math.cos((lat * Math.PI) / 180);
      const off = Math.abs(size.widthM - equator.widthM * cos) / equator.widthM;
      expect(off, `cellSize(${p}, ${lat}).widthM = ${size.widthM}, not the equator's × cos(lat)`).toBeLessThan(1e-9);
      // one degree of arc on the sphere in both directions at the equator
      expect(equator.widthM / width, `metres a degree of longitude at p${p}`).toBeCloseTo(equator.heightM / height, 6);
    },
  );

  it("rejects a precision or latitude out of range with a RangeError", () => {
    for (const [p, lat] of [
      [0, 0],
      [13, 0],
      [1.5, 0],
      [5, 91],
      [5, Number.NaN],
    ] as const) {
      expectThrows(() => cellSize(p, lat), RangeError, `cellSize(${p}, ${lat})`);
    }
  });
});

describe("performance against the reference", () => {
  type Codec = { encode: typeof reference.encode; decode: typeof reference.decode };

  loadTest("keeps pace with the reference: 50k points encoded at precision 9 and their hashes decoded", budgets, () => {
    const rng = random(seedFor("geohash load"));
    const ops = 50_000;
    const lats = Array.from({ length: ops }, () => rng.float() * 180 - 90);
    const lons = Array.from({ length: ops }, () => rng.float() * 360 - 180);
    const hashes = lats.map((lat, i) => reference.encode(lat, lons[i] as number, 9));
    return compareLoad<Codec>({
      learner: () => ({ encode: learner.encode, decode: learner.decode }),
      reference: () => ({ encode: reference.encode, decode: reference.decode }),
      ops,
      batches: 25,
      run: (codec, from, to) => {
        let right = 0;
        for (let i = from; i < to; i++) {
          if (codec.encode(lats[i] as number, lons[i] as number, 9) === hashes[i]) right++;
          const cell = codec.decode(hashes[i] as string);
          if (cell.south <= (lats[i] as number) && (lats[i] as number) <= cell.north) right++;
        }
        return right;
      },
      // every hash is fixed by the format, and its cell holds its point
      answers: { what: "encodes and decodes that gave the reference's answer" },
    });
  });
});
