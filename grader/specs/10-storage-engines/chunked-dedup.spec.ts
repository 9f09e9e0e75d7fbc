import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as learner from "#kata/10-storage-engines/chunked-dedup";
import * as reference from "#ref/10-storage-engines/chunked-dedup";
import { compareLoad, expectThrows, kataOf, loadTest, prop, type Random, randomFor } from "#spec";
import chapter from "../../../chapters/10-storage-engines/chapter.ts";

const { budgets } = kataOf(chapter, "10-storage-engines", "chunked-dedup");

const small = { minSize: 256, avgSize: 1024, maxSize: 4096 };
const describeOptions = (o: learner.ChunkOptions) => `minSize ${o.minSize}, avgSize ${o.avgSize}, maxSize ${o.maxSize}`;

/** n seeded random bytes, four at a time */
function randomBytes(rng: Random, n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i + 4 <= n; i += 4) view.setUint32(i, Math.floor(rng.float() * 2 ** 32));
  for (let i = n - (n % 4); i < n; i++) bytes[i] = rng.int(0, 255);
  return bytes;
}

/** the file with `inserted` put in at `at`, or `deleted` bytes taken out there */
function edit(data: Uint8Array, at: number, inserted: Uint8Array, deleted: number): Uint8Array {
  const out = new Uint8Array(data.length + inserted.length - deleted);
  out.set(data.subarray(0, at));
  out.set(inserted, at);
  out.set(data.subarray(at + deleted), at + inserted.length);
  return out;
}

/** where two byte arrays first differ, or -1 if they are equal */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** whether ends cover n bytes exactly, in order: the problem, or undefined */
function boundsProblem(ends: number[], n: number): string | undefined {
  if (n === 0) return ends.length === 0 ? undefined : `no bytes gave chunks ending at ${ends.slice(0, 5).join(", ")}`;
  if (ends.at(-1) !== n) return `the last chunk ends at ${ends.at(-1)}, not at the data's length ${n}`;
  let start = 0;
  for (const [i, end] of ends.entries()) {
    if (!Number.isInteger(end) || end <= start) return `chunk ${i} ends at ${end}, not after its start ${start}`;
    start = end;
  }
  return undefined;
}

function minProblem(ends: number[], o: learner.ChunkOptions): string | undefined {
  let start = 0;
  for (const [i, end] of ends.entries()) {
    if (i < ends.length - 1 && end - start < o.minSize)
      return `chunk ${i} of ${ends.length} is bytes [${start}, ${end}): ${end - start} long, under minSize`;
    start = end;
  }
  return undefined;
}

function maxProblem(ends: number[], o: learner.ChunkOptions): string | undefined {
  let start = 0;
  for (const [i, end] of ends.entries()) {
    if (end - start > o.maxSize)
      return `chunk ${i} of ${ends.length} is bytes [${start}, ${end}): ${end - start} long, over maxSize`;
    start = end;
  }
  return undefined;
}

/**
 * The chunks of the original that are not in the edited file at their place (the same offsets before
 * the edit, shifted by the edit after it), and the first of them that ends more than maxSize before it.
 */
function changedChunks(
  before: number[],
  after: number[],
  at: number,
  inserted: number,
  deleted: number,
  maxSize: number,
): { changed: number; early?: string } {
  const pairs = new Set<string>();
  let s = 0;
  for (const end of after) {
    pairs.add(`${s}:${end}`);
    s = end;
  }
  let changed = 0;
  let early: string | undefined;
  s = 0;
  for (const end of before) {
    const shift = inserted - deleted;
    const kept =
      end <= at ? pairs.has(`${s}:${end}`) : s >= at + deleted ? pairs.has(`${s + shift}:${end + shift}`) : false;
    if (!kept) {
      changed++;
      if (end <= at - maxSize && early === undefined) early = `[${s}, ${end})`;
    }
    s = end;
  }
  return early === undefined ? { changed } : { changed, early };
}

/** the number of original chunks an edit may change: the one it falls in, and a few while the cuts find their places again */
const NEARBY = 8;

function localityCheck(rng: Random, seed: number | undefined, insert: boolean): void {
  const data = randomBytes(rng, 512 * 1024);
  const before = learner.chunk(data, small);
  for (let trial = 0; trial < 20; trial++) {
    const at = rng.int(data.length / 4, (3 * data.length) / 4);
    const size = rng.int(1, 8);
    const inserted = insert ? randomBytes(rng, size) : new Uint8Array(0);
    const deleted = insert ? 0 : size;
    const after = learner.chunk(edit(data, at, inserted, deleted), small);
    const { changed, early } = changedChunks(before, after, at, inserted.length, deleted, small.maxSize);
    const what = `${insert ? `inserting ${size} bytes` : `deleting ${size} bytes`} at ${at} of 512 KB of random bytes (seed ${seed}, ${describeOptions(small)}), ${before.length} chunks before`;
    expect(early, `${what}: the chunk ${early} ends more than maxSize before the edit, yet changed`).toBeUndefined();
    expect(changed, `${what}: chunks not found at their place after the edit`).toBeLessThanOrEqual(NEARBY);
  }
}

describe("chunking", () => {
  prop(
    "the chunks cover the data exactly: ends ascending, the last at data.length, [] for no bytes",
    fc.record({
      data: fc.uint8Array({ maxLength: 3000 }),
      options: fc.constantFrom(
        { minSize: 1, avgSize: 2, maxSize: 2 },
        { minSize: 16, avgSize: 64, maxSize: 256 },
        { minSize: 64, avgSize: 64, maxSize: 64 },
        { minSize: 100, avgSize: 512, maxSize: 1000 },
      ),
    }),
    ({ data, options }) => {
      const ends = learner.chunk(data, options);
      expect(boundsProblem(ends, data.length), `${data.length} bytes, ${describeOptions(options)}`).toBeUndefined();
    },
  );

  it("no chunk but the last is shorter than minSize", ({ task }) => {
    const rng = randomFor(task);
    for (const options of [
      small,
      { minSize: 1000, avgSize: 1024, maxSize: 1500 },
      { minSize: 8, avgSize: 64, maxSize: 512 },
    ]) {
      const data = randomBytes(rng, 256 * 1024 + rng.int(0, 999));
      const ends = learner.chunk(data, options);
      const problem = boundsProblem(ends, data.length) ?? minProblem(ends, options);
      expect(
        problem,
        `${data.length} random bytes (seed ${task.meta.seed}), ${describeOptions(options)}`,
      ).toBeUndefined();
    }
  });

  it("no chunk is longer than maxSize, even in a zero-filled region", ({ task }) => {
    const rng = randomFor(task);
    const random = randomBytes(rng, 64 * 1024);
    // random bytes, 100 KB of zeros, random bytes
    const data = new Uint8Array(random.length * 2 + 100_000);
    data.set(random.subarray(0, 32 * 1024));
    data.set(random.subarray(32 * 1024), 32 * 1024 + 100_000);
    for (const options of [small, { minSize: 16, avgSize: 64, maxSize: 100 }]) {
      for (const [name, bytes] of [
        ["100 KB of zeros between random bytes", data],
        ["100 KB of 0xff", new Uint8Array(100_000).fill(0xff)],
      ] as const) {
        const ends = learner.chunk(bytes, options);
        const problem = boundsProblem(ends, bytes.length) ?? maxProblem(ends, options);
        expect(problem, `${name} (seed ${task.meta.seed}), ${describeOptions(options)}`).toBeUndefined();
      }
    }
  });

  it("cuts random data into chunks of avgSize on average, within 0.5× to 2×", ({ task }) => {
    const rng = randomFor(task);
    for (const options of [
      { minSize: 512, avgSize: 2048, maxSize: 8192 },
      { minSize: 64, avgSize: 256, maxSize: 1024 },
    ]) {
      const data = randomBytes(rng, 1024 * 1024);
      const ends = learner.chunk(data, options);
      const mean = data.length / ends.length;
      const what = `the mean chunk length over 1 MB of random bytes (seed ${task.meta.seed}), ${describeOptions(options)}`;
      expect(mean, what).toBeGreaterThanOrEqual(options.avgSize / 2);
      expect(mean, what).toBeLessThanOrEqual(options.avgSize * 2);
    }
  });

  it("cuts the same bytes the same way every time", ({ task }) => {
    const data = randomBytes(randomFor(task), 64 * 1024);
    expect(learner.chunk(data.slice(), small), `64 KB of random bytes (seed ${task.meta.seed}), chunked twice`).toEqual(
      learner.chunk(data, small),
    );
  });

  it("throws a RangeError for sizes not integers, avgSize not a power of two, or not 1 ≤ minSize ≤ avgSize ≤ maxSize", () => {
    const data = new Uint8Array(100);
    for (const options of [
      { minSize: 0, avgSize: 64, maxSize: 256 },
      { minSize: 16, avgSize: 100, maxSize: 256 },
      { minSize: 16, avgSize: 1, maxSize: 256 },
      { minSize: 128, avgSize: 64, maxSize: 256 },
      { minSize: 16, avgSize: 64, maxSize: 32 },
      { minSize: 16.5, avgSize: 64, maxSize: 256 },
      { minSize: 16, avgSize: 64, maxSize: Number.NaN },
    ]) {
      expectThrows(() => learner.chunk(data, options), RangeError, `chunk with ${describeOptions(options)}`);
      expectThrows(() => new learner.ChunkStore(options), RangeError, `a ChunkStore with ${describeOptions(options)}`);
    }
  });
});

describe("locality", () => {
  it("an insertion of a few bytes in the middle changes only the chunks near it", ({ task }) => {
    localityCheck(randomFor(task), task.meta.seed, true);
  });

  it("a deletion of a few bytes in the middle changes only the chunks near it: the cuts after it find their places again", ({
    task,
  }) => {
    localityCheck(randomFor(task), task.meta.seed, false);
  });
});

describe("the chunk store", () => {
  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  it("names each chunk by the SHA-256 of its bytes, lowercase hex, cut as chunk() cuts", ({ task }) => {
    const data = randomBytes(randomFor(task), 64 * 1024);
    const expected: string[] = [];
    let start = 0;
    for (const end of learner.chunk(data, small)) {
      expected.push(sha256(data.subarray(start, end)));
      start = end;
    }
    const manifest = new learner.ChunkStore(small).put(data);
    expect(
      manifest,
      `the manifest of 64 KB of random bytes (seed ${task.meta.seed}), ${describeOptions(small)}`,
    ).toEqual(expected);
    expect(new learner.ChunkStore(small).put(new Uint8Array(0)), "the manifest of no bytes").toEqual([]);
  });

  it("returns each file put byte for byte, also after other files sharing its chunks were put", ({ task }) => {
    const rng = randomFor(task);
    const store = new learner.ChunkStore(small);
    const original = randomBytes(rng, 256 * 1024);
    const files = [original];
    for (let i = 0; i < 4; i++) {
      const at = rng.int(1000, original.length - 1000);
      files.push(edit(original, at, randomBytes(rng, rng.int(1, 8)), i % 2 === 0 ? 0 : rng.int(1, 8)));
    }
    files.push(new Uint8Array(0), original.subarray(0, 100));
    const manifests = files.map((file) => store.put(file));
    for (const [i, file] of files.entries()) {
      const back = store.get(manifests[i] as string[]);
      const at = firstDifference(back, file);
      expect(
        at,
        `file ${i} of ${files.length} (${file.length} bytes; an edited copy of 256 KB of random bytes, seed ${task.meta.seed}) read back ${back.length} bytes, differing at byte`,
      ).toBe(-1);
    }
  });

  it("stores a chunk shared by a file and its edited copy once", ({ task }) => {
    const rng = randomFor(task);
    const store = new learner.ChunkStore(small);
    const original = randomBytes(rng, 256 * 1024);
    const copy = edit(original, rng.int(64 * 1024, 192 * 1024), randomBytes(rng, 5), 0);
    const first = store.put(original);
    const what = `256 KB of random bytes (seed ${task.meta.seed}), ${describeOptions(small)}`;
    expect(store.stats(), `stats after putting ${what}`).toEqual({
      chunks: new Set(first).size,
      bytes: original.length,
    });
    const second = store.put(copy);
    const added = [...new Set(second)].filter((key) => !first.includes(key));
    const addedBytes = added.reduce((sum, key) => sum + store.get([key]).length, 0);
    expect(store.stats(), `stats after putting ${what}, then a copy with 5 bytes inserted`).toEqual({
      chunks: new Set([...first, ...second]).size,
      bytes: original.length + addedBytes,
    });
    expect(added.length, `chunks of the edited copy not stored with the original (${what})`).toBeLessThanOrEqual(
      NEARBY + 1,
    );
    const stats = store.stats();
    store.put(copy);
    store.put(original);
    expect(store.stats(), `stats after putting both files again (${what})`).toEqual(stats);
  });

  it("keeps its own copy: a caller reusing its buffer after put changes nothing stored", ({ task }) => {
    const data = randomBytes(randomFor(task), 32 * 1024);
    const kept = data.slice();
    const store = new learner.ChunkStore(small);
    const manifest = store.put(data);
    data.fill(7);
    const back = store.get(manifest);
    expect(
      firstDifference(back, kept),
      `32 KB of random bytes (seed ${task.meta.seed}) read back after the caller overwrote its buffer, differing at byte`,
    ).toBe(-1);
    back.fill(9);
    expect(
      firstDifference(store.get(manifest), kept),
      "read back after the caller overwrote what get returned, differing at byte",
    ).toBe(-1);
  });

  it("throws a RangeError for a chunk it does not hold", () => {
    const store = new learner.ChunkStore(small);
    const manifest = store.put(new Uint8Array(5000).fill(1));
    expectThrows(
      () => store.get([...manifest, "0".repeat(64)]),
      RangeError,
      "get of a manifest naming a chunk never put",
    );
  });
});

describe("performance against the reference", () => {
  loadTest("keeps pace with the reference: chunking 16 MB of random bytes, 32 KB a call", budgets, () => {
    const rng = randomFor({ fullName: "chunked-dedup load", meta: {} });
    const buffers = Array.from({ length: 128 }, () => randomBytes(rng, 32 * 1024));
    type Subject = { chunk: (data: Uint8Array, options: learner.ChunkOptions) => number[] };
    return compareLoad<Subject>({
      learner: () => ({ chunk: learner.chunk }),
      reference: () => ({ chunk: reference.chunk }),
      ops: 512,
      run: (s, from, to) => {
        let covered = 0;
        for (let i = from; i < to; i++)
          covered += s.chunk(buffers[i % buffers.length] as Uint8Array, small).at(-1) ?? 0;
        return covered;
      },
      answers: { what: "the bytes the chunks covered" },
    });
  });
});
