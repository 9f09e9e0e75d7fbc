import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/08-search-and-proximity/proximity-index";
import * as reference from "#ref/08-search-and-proximity/proximity-index";
import { compareGrowth, expectThrows, kataOf, loadTest, prop, random } from "#spec";
import chapter from "../../../chapters/08-search-and-proximity/chapter.ts";

const { budgets } = kataOf(chapter, "08-search-and-proximity", "proximity-index");

type Neighbour = learner.Neighbour;
type Index = learner.ProximityIndex;
interface Point {
  lat: number;
  lng: number;
}

const R = 6_371_000;
const RAD = Math.PI / 180;
// haversine formulas arranged differently (asin or atan2) differ by far less than a metre, even at
// antipodes: a point within this of the radius may be found or not, and a distance may be off by it
const TOLERANCE_M = 1;

/** the spec's own great-circle distance: haversine in its atan2 form */
function greatCircle(a: Point, b: Point): number {
  const h =
    Math.sin(((b.lat - a.lat) * RAD) / 2) ** 2 +
    Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(((b.lng - a.lng) * RAD) / 2) ** 2;
  return 2 * R * Math.atan2(Math.sqrt(h), Math.sqrt(Math.max(0, 1 - h)));
}

/** the point `metres` from `from` in direction `bearing` (degrees clockwise from north), on the sphere */
function destination(from: Point, bearing: number, metres: number): Point {
  const d = metres / R;
  const φ1 = from.lat * RAD;
  const θ = bearing * RAD;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ2 =
    from.lng * RAD + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  const lng = ((((λ2 / RAD + 180) % 360) + 360) % 360) - 180;
  return { lat: φ2 / RAD, lng };
}

const show = (list: Neighbour[]) => list.map((n) => `${n.id}@${n.distance.toFixed(1)}m`).join(", ") || "(none)";
const at = (p: Point) => `(${p.lat}, ${p.lng})`;

/** the ids a search returned, checked against the contract's order: nearer first, then the smaller id */
function expectOrdered(got: Neighbour[], what: string): void {
  for (let i = 1; i < got.length; i++) {
    const a = got[i - 1] as Neighbour;
    const b = got[i] as Neighbour;
    const ordered = a.distance < b.distance || (a.distance === b.distance && a.id < b.id);
    expect(
      ordered,
      `${what} = [${show(got)}]: ${a.id} comes before ${b.id}, out of order (nearest first, then id)`,
    ).toBe(true);
  }
}

/** each result is a held point, once, with its distance right */
function expectTrueDistances(got: Neighbour[], points: Map<string, Point>, query: Point, what: string): void {
  const seen = new Set<string>();
  for (const n of got) {
    const p = points.get(n.id);
    expect(
      p,
      `${what} = [${show(got)}] returned ${n.id}, which is not in the index (removed or never inserted)`,
    ).toBeDefined();
    expect(seen.has(n.id), `${what} = [${show(got)}] returned ${n.id} twice`).toBe(false);
    seen.add(n.id);
    const d = greatCircle(query, p as Point);
    expect(
      Math.abs(n.distance - d) <= TOLERANCE_M,
      `${what}: ${n.id} at ${at(p as Point)} is ${d.toFixed(3)} m away, reported ${n.distance} m`,
    ).toBe(true);
  }
}

/** withinRadius against a scan of every point */
function checkRadius(index: Index, points: Map<string, Point>, query: Point, radius: number, history: string): void {
  const what = `withinRadius(${query.lat}, ${query.lng}, ${radius}) after ${history}`;
  const got = index.withinRadius(query.lat, query.lng, radius);
  expectTrueDistances(got, points, query, what);
  expectOrdered(got, what);
  const ids = new Set(got.map((n) => n.id));
  for (const [id, p] of points) {
    const d = greatCircle(query, p);
    if (d > radius + TOLERANCE_M) {
      expect(
        ids.has(id),
        `${what} = [${show(got)}] returned ${id} at ${at(p)}, ${d.toFixed(1)} m away: out of range`,
      ).toBe(false);
    } else if (d <= radius - TOLERANCE_M || d === 0) {
      expect(ids.has(id), `${what} = [${show(got)}] missed ${id} at ${at(p)}, ${d.toFixed(1)} m away`).toBe(true);
    }
  }
}

/** nearest against a scan of every point */
function checkNearest(index: Index, points: Map<string, Point>, query: Point, k: number, history: string): void {
  const what = `nearest(${query.lat}, ${query.lng}, ${k}) after ${history}`;
  const got = index.nearest(query.lat, query.lng, k);
  expect(got.length, `${what} = [${show(got)}]: the index holds ${points.size} points`).toBe(Math.min(k, points.size));
  expectTrueDistances(got, points, query, what);
  expectOrdered(got, what);
  const last = got[got.length - 1];
  if (last === undefined) return;
  const lastPoint = points.get(last.id) as Point;
  const farthest = greatCircle(query, lastPoint);
  const ids = new Set(got.map((n) => n.id));
  for (const [id, p] of points) {
    if (ids.has(id)) continue;
    const d = greatCircle(query, p);
    expect(
      d >= farthest - TOLERANCE_M,
      `${what} = [${show(got)}] left out ${id} at ${at(p)}, ${d.toFixed(1)} m away, nearer than ${last.id}`,
    ).toBe(true);
    if (p.lat === lastPoint.lat && p.lng === lastPoint.lng) {
      expect(id > last.id, `${what} = [${show(got)}]: ${id} is as near as ${last.id} and sorts first`).toBe(true);
    }
  }
}

/** an index holding the points, and the model of what it holds */
function holding(entries: [string, number, number][]): { index: Index; points: Map<string, Point> } {
  const index = new learner.ProximityIndex();
  const points = new Map<string, Point>();
  for (const [id, lat, lng] of entries) {
    index.insert(id, lat, lng);
    points.set(id, { lat, lng });
  }
  return { index, points };
}

describe("distance", () => {
  it("measures great circles by haversine: 111.2 km a degree at the equator, 55.6 km a degree of longitude at 60°N", () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 1],
      [60, 10, 60, 11],
      [0, 0, 1, 0],
      [51.5007, -0.1246, 48.8584, 2.2945],
      [-33.8568, 151.2153, 35.6586, 139.7454],
      [0, 0, 0, 180],
      [90, 0, -90, 0],
    ];
    for (const [lat1, lng1, lat2, lng2] of cases) {
      const want = greatCircle({ lat: lat1, lng: lng1 }, { lat: lat2, lng: lng2 });
      const got = learner.distanceMetres(lat1, lng1, lat2, lng2);
      expect(
        Math.abs(got - want) <= TOLERANCE_M,
        `distanceMetres(${lat1}, ${lng1}, ${lat2}, ${lng2}) = ${got}, want ${want.toFixed(3)} (R = 6,371 km)`,
      ).toBe(true);
    }
    expect(learner.distanceMetres(12.5, -7.25, 12.5, -7.25), "distanceMetres of a point to itself").toBe(0);
  });

  it("measures across the antimeridian: 179.9° and -179.9° are 0.2° apart", () => {
    const got = learner.distanceMetres(0, 179.9, 0, -179.9);
    const want = greatCircle({ lat: 0, lng: 179.9 }, { lat: 0, lng: -179.9 });
    expect(
      Math.abs(got - want) <= TOLERANCE_M,
      `distanceMetres(0, 179.9, 0, -179.9) = ${got}, want ${want.toFixed(1)}`,
    ).toBe(true);
  });
});

describe("radius search", () => {
  it("finds what is within the radius, inclusive: radius 0 finds the points at exactly that position", () => {
    const { index, points } = holding([
      ["a", 40, -74],
      ["b", 40, -74],
      ["c", 40.001, -74],
      ["d", 41, -74],
    ]);
    const history = "a and b at (40, -74), c 111 m north, d 111 km north";
    const zero = index.withinRadius(40, -74, 0);
    expect(
      zero.map((n) => n.id),
      `withinRadius(40, -74, 0) = [${show(zero)}] after ${history}`,
    ).toEqual(["a", "b"]);
    expect(
      zero.map((n) => n.distance),
      `distances of withinRadius(40, -74, 0) after ${history}`,
    ).toEqual([0, 0]);
    checkRadius(index, points, { lat: 40, lng: -74 }, 0, history);
    checkRadius(index, points, { lat: 40, lng: -74 }, 200, history);
    checkRadius(index, points, { lat: 40, lng: -74 }, 200_000, history);
    checkRadius(index, points, { lat: 40.0005, lng: -74 }, 10, history);
  });

  it("measures on the sphere: at 60°N a point 1° of longitude east is 55.6 km away, inside 60 km", () => {
    const { index, points } = holding([
      ["east", 60, 11],
      ["north", 60.3, 10],
      ["far", 60, 12],
    ]);
    const history = "east at (60, 11), north at (60.3, 10), far at (60, 12)";
    const got = index.withinRadius(60, 10, 60_000);
    expect(
      got.map((n) => n.id),
      `withinRadius(60, 10, 60000) = [${show(got)}] after ${history}`,
    ).toEqual(["north", "east"]);
    checkRadius(index, points, { lat: 60, lng: 10 }, 60_000, history);
  });

  it("finds points just inside the radius all around a search at 60°N, where cells are half as wide as tall", () => {
    // 16 points at 0.99 r around each of 20 queries a few hundred metres apart: whatever the grid,
    // some query sits near its cell's edge, and a block of cells as narrow as the radius misses
    for (const radius of [1_000, 10_000, 50_000]) {
      for (let q = 0; q < 20; q++) {
        const query = { lat: 60 + q * 0.0031, lng: 10 + q * 0.0173 };
        const entries: [string, number, number][] = [];
        for (let i = 0; i < 16; i++) {
          const p = destination(query, i * 22.5, radius * 0.99);
          entries.push([`p${i}`, p.lat, p.lng]);
        }
        const { index, points } = holding(entries);
        checkRadius(index, points, query, radius, `16 points at 0.99 × ${radius} m around it, every 22.5°`);
      }
    }
  });

  it("finds points across the antimeridian, from either side and from ±180 itself", () => {
    const { index, points } = holding([
      ["west-side", 0.01, -179.95],
      ["east-side", -0.01, 179.95],
      ["on-180", 0, 180],
      ["on-minus-180", 0.02, -180],
      ["far", 0, 178],
    ]);
    const history = "points at -179.95, 179.95, 180, -180 and 178 near the equator";
    for (const lng of [179.99, -179.99, 180, -180, 179.9]) {
      checkRadius(index, points, { lat: 0, lng }, 15_000, history);
      checkRadius(index, points, { lat: 0.01, lng }, 150_000, history);
    }
    const got = index.withinRadius(0, 179.99, 15_000);
    expect(got.length, `withinRadius(0, 179.99, 15000) = [${show(got)}] after ${history}`).toBe(4);
  });

  it("finds points beyond a pole, on the far side of the map", () => {
    const { index, points } = holding([
      ["across", 89.9, 180],
      ["beside", 89.9, 90],
      ["here", 89.95, 0.5],
      ["south", 89, 0],
      ["pole", 90, 0],
      ["antarctic", -89.95, -120],
    ]);
    const history = "points around the north pole, on it, and one by the south pole";
    checkRadius(index, points, { lat: 89.9, lng: 0 }, 30_000, history);
    checkRadius(index, points, { lat: 90, lng: 45 }, 12_000, history);
    checkRadius(index, points, { lat: -89.95, lng: 60 }, 15_000, history);
    checkRadius(index, points, { lat: 89.9, lng: -179.99 }, 150_000, history);
    const got = index.withinRadius(89.9, 0, 30_000);
    expect(got.map((n) => n.id).sort(), `withinRadius(89.9, 0, 30000) = [${show(got)}] after ${history}`).toEqual([
      "across",
      "beside",
      "here",
      "pole",
    ]);
  });

  it("never finds a removed point, and finds a moved point only where it is now", () => {
    const { index, points } = holding([
      ["stays", 35.68, 139.76],
      ["moves", 35.681, 139.761],
      ["goes", 35.679, 139.759],
    ]);
    expect(index.remove("goes"), "remove(goes), which is indexed").toBe(true);
    expect(index.remove("goes"), "remove(goes) a second time").toBe(false);
    points.delete("goes");
    index.move("moves", -33.86, 151.21);
    points.set("moves", { lat: -33.86, lng: 151.21 });
    expect(index.size, "size after 3 inserts and 1 remove").toBe(2);
    const history = "3 points in Tokyo, goes removed, moves moved to Sydney";
    const tokyo = index.withinRadius(35.68, 139.76, 5_000);
    expect(
      tokyo.map((n) => n.id),
      `withinRadius(35.68, 139.76, 5000) after ${history}`,
    ).toEqual(["stays"]);
    const sydney = index.withinRadius(-33.86, 151.21, 100);
    expect(
      sydney.map((n) => n.id),
      `withinRadius(-33.86, 151.21, 100) after ${history}`,
    ).toEqual(["moves"]);
    checkNearest(index, points, { lat: 35.68, lng: 139.76 }, 5, history);
    index.insert("goes", 0, 0);
    expect(index.size, "size after goes is inserted again").toBe(3);
  });
});

describe("nearest", () => {
  it("gives the k nearest, nearest first; equal distances by id; every point when k is larger than the count", () => {
    const { index, points } = holding([
      ["m", 10, 10],
      ["c", 10, 10],
      ["x", 10, 10],
      ["near", 10.001, 10],
      ["far", -10, -170],
    ]);
    const history = "m, c, x at (10, 10), near 111 m north, far on the other side of the Earth";
    const three = index.nearest(10, 10, 3);
    expect(
      three.map((n) => n.id),
      `nearest(10, 10, 3) = [${show(three)}] after ${history}`,
    ).toEqual(["c", "m", "x"]);
    const two = index.nearest(10, 10, 2);
    expect(
      two.map((n) => n.id),
      `nearest(10, 10, 2) = [${show(two)}] after ${history}`,
    ).toEqual(["c", "m"]);
    const all = index.nearest(10.001, 10, 50);
    expect(
      all.map((n) => n.id),
      `nearest(10.001, 10, 50) = [${show(all)}] after ${history}`,
    ).toEqual(["near", "c", "m", "x", "far"]);
    expect(index.nearest(10, 10, 0), `nearest(10, 10, 0) after ${history}`).toEqual([]);
    for (const k of [1, 4, 5, 6]) checkNearest(index, points, { lat: 0, lng: 0 }, k, history);
    const empty = new learner.ProximityIndex();
    expect(empty.nearest(0, 0, 3), "nearest(0, 0, 3) on an empty index").toEqual([]);
  });
});

// positions where indexes go wrong: anywhere, by the antimeridian, by the poles, in one dense city
const anywhere = fc.record({
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lng: fc.double({ min: -180, max: 180, noNaN: true }),
});
const byAntimeridian = fc.record({
  lat: fc.double({ min: -60, max: 60, noNaN: true }),
  lng: fc.oneof(fc.double({ min: 179, max: 180, noNaN: true }), fc.double({ min: -180, max: -179, noNaN: true })),
});
const byPole = fc.record({
  lat: fc.oneof(fc.double({ min: 88, max: 90, noNaN: true }), fc.double({ min: -90, max: -88, noNaN: true })),
  lng: fc.double({ min: -180, max: 180, noNaN: true }),
});
const inCity = fc.record({
  lat: fc.double({ min: 45, max: 45.2, noNaN: true }),
  lng: fc.double({ min: 7.5, max: 7.8, noNaN: true }),
});
const position = fc.oneof(anywhere, byAntimeridian, byPole, inCity);
// radii from 0 through metres and kilometres to more than half the Earth
const radius = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 2_000, noNaN: true }),
  fc.double({ min: 0, max: 300_000, noNaN: true }),
  fc.double({ min: 0, max: 21_000_000, noNaN: true }),
);

type Op =
  | { op: "insert"; id: number; at: Point }
  | { op: "move"; id: number; at: Point }
  | { op: "remove"; id: number }
  | { op: "radius"; at: Point | number; radius: number }
  | { op: "nearest"; at: Point | number; k: number };

const id = fc.integer({ min: 0, max: 24 });
// a query is a position, or an id: the position of that point, so radius 0 has something to find
const queryAt = fc.oneof(position, id);
const operation: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("insert" as const), id, at: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("move" as const), id, at: position }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), id }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("radius" as const), at: queryAt, radius }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("nearest" as const), at: queryAt, k: fc.integer({ min: 0, max: 30 }) }),
  },
);

const describeOp = (o: Op) =>
  o.op === "insert" || o.op === "move"
    ? `${o.op} p${o.id} ${at(o.at)}`
    : o.op === "remove"
      ? `remove p${o.id}`
      : `${o.op} ${typeof o.at === "number" ? `at p${o.at}` : at(o.at)}`;

describe("against a scan of every point", () => {
  prop(
    "after any inserts, moves and removes, searches equal a scan of every point by haversine",
    fc.array(operation, { minLength: 1, maxLength: 60 }),
    (ops) => {
      const index = new learner.ProximityIndex();
      const points = new Map<string, Point>();
      ops.forEach((o, i) => {
        const history = `${ops.slice(0, i).map(describeOp).join("; ") || "nothing"}`;
        if (o.op === "insert" || o.op === "move") {
          const name = `p${o.id}`;
          // insert what is not there and move what is: the mistakes are covered by the contract tests
          if (points.has(name)) index.move(name, o.at.lat, o.at.lng);
          else index.insert(name, o.at.lat, o.at.lng);
          points.set(name, o.at);
        } else if (o.op === "remove") {
          const name = `p${o.id}`;
          expect(index.remove(name), `remove(${name}) after ${history}`).toBe(points.delete(name));
        } else {
          const query = typeof o.at === "number" ? (points.get(`p${o.at}`) ?? { lat: 0, lng: 0 }) : o.at;
          if (o.op === "radius") checkRadius(index, points, query, o.radius, history);
          else checkNearest(index, points, query, o.k, history);
        }
        expect(index.size, `size after ${history}; ${describeOp(o)}`).toBe(points.size);
      });
    },
    { numRuns: 150 },
  );
});

describe("contract", () => {
  it("rejects a position off the map, a bad radius, a bad k, a second insert of an id and a move of an unknown one", () => {
    const index = new learner.ProximityIndex();
    index.insert("a", 0, 0);
    for (const [lat, lng] of [
      [91, 0],
      [-90.5, 0],
      [0, 181],
      [0, -180.1],
      [Number.NaN, 0],
      [0, Number.NaN],
    ] as const) {
      expectThrows(() => index.insert("b", lat, lng), RangeError, `insert("b", ${lat}, ${lng})`);
      expectThrows(() => index.withinRadius(lat, lng, 10), RangeError, `withinRadius(${lat}, ${lng}, 10)`);
      expectThrows(() => index.nearest(lat, lng, 1), RangeError, `nearest(${lat}, ${lng}, 1)`);
      expectThrows(() => index.move("a", lat, lng), RangeError, `move("a", ${lat}, ${lng})`);
      expectThrows(() => learner.distanceMetres(lat, lng, 0, 0), RangeError, `distanceMetres(${lat}, ${lng}, 0, 0)`);
    }
    for (const r of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectThrows(() => index.withinRadius(0, 0, r), RangeError, `withinRadius(0, 0, ${r})`);
    }
    for (const k of [-1, 1.5, Number.NaN])
      expectThrows(() => index.nearest(0, 0, k), RangeError, `nearest(0, 0, ${k})`);
    expectThrows(() => index.insert("a", 1, 1), RangeError, 'insert("a", 1, 1) when a is indexed');
    expectThrows(() => index.move("zz", 1, 1), RangeError, 'move("zz", 1, 1) when zz is not indexed');
    expect(index.size, "size after only rejected calls beside one insert").toBe(1);
    const got = index.withinRadius(0, 0, 0);
    expect(
      got.map((n) => n.id),
      "withinRadius(0, 0, 0) after only rejected calls beside insert a at (0, 0)",
    ).toEqual(["a"]);
  });
});

describe("performance against the reference", () => {
  type Subject = { index: Index };
  type Make = new () => Index;
  // a city of 1,000 points round Paris, the same in both states; the large state adds 99 more
  // cities elsewhere on the map, far from every query: a search's work should not change
  const CITY = { lat: 48.85, lng: 2.35 };
  const citySpread = 0.1;
  const cityPoints = (count: number, seed: number): Point[] => {
    const r = random(seed);
    const spread = () => (r.float() * 2 - 1) * citySpread;
    return Array.from({ length: count }, () => ({ lat: CITY.lat + spread(), lng: CITY.lng + spread() }));
  };
  // places cluster in cities: the other points are cities of 1,000 like this one, far from it
  const farPoints = (count: number): Point[] => {
    const r = random(2);
    const out: Point[] = [];
    while (out.length < count) {
      const centre = { lat: r.float() * 120 - 60, lng: r.float() * 360 - 180 };
      if (Math.abs(centre.lat - CITY.lat) < 5 && Math.abs(centre.lng - CITY.lng) < 8) continue;
      for (let i = 0; i < 1_000 && out.length < count; i++) {
        out.push({
          lat: centre.lat + (r.float() * 2 - 1) * citySpread,
          lng: centre.lng + (r.float() * 2 - 1) * citySpread,
        });
      }
    }
    return out;
  };
  const city = cityPoints(1_000, 1);
  const queries = cityPoints(64, 3);

  loadTest("a search costs the same beside 1,000 or 100,000 points", budgets, () => {
    const state = (Make: Make) => (size: number) => {
      const index = new Make();
      for (const [i, p] of city.entries()) index.insert(`c${i}`, p.lat, p.lng);
      for (const [i, p] of farPoints(size - city.length).entries()) index.insert(`f${i}`, p.lat, p.lng);
      return { index };
    };
    return compareGrowth<Subject>({
      learner: state(learner.ProximityIndex),
      reference: state(reference.ProximityIndex),
      n: 1_000,
      factor: 100,
      ops: 4_000,
      // half radius searches of 1.5 km, half the 5 nearest; each batch counts what they found
      run: (s, from, to) => {
        let found = 0;
        for (let i = from; i < to; i++) {
          const q = queries[i % queries.length] as Point;
          found +=
            i % 2 === 0 ? s.index.withinRadius(q.lat, q.lng, 1_500).length : s.index.nearest(q.lat, q.lng, 5).length;
        }
        return found;
      },
      answers: { what: "the points the searches found" },
    });
  });
});
