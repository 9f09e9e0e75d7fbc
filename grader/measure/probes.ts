// What `npm run measure` times on the learner's machine: each probe says what it does in one line
// (its method), which row of chapter 01's latency table it stands beside, and how it is set up.
// Fast operations are timed in batches, so the timer's own cost (tens of ns) is not measured.
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { deflateRawSync } from "node:zlib";

export interface Probe {
  id: string;
  label: string;
  /** how it is measured, in one line (quick: with the smaller working sets) */
  method: (quick: boolean) => string;
  /** the chapter's row it stands beside, if it has one */
  chapterRow?: string;
  /** operations one call of `run` makes: the median call is divided by it */
  batch: number;
  /** makes what the probe needs; returns the operation to time and how to clean up */
  prepare(context: ProbeContext): Promise<Prepared>;
}

export interface ProbeContext {
  /** a scratch folder of the project's own (.grade/measure), on the disk the learner works on */
  scratch: string;
  /** smaller working sets and files, for tests */
  quick: boolean;
  /** the labs' PostgreSQL, if it is initialised: a connection string */
  postgresUrl?: string;
}

export interface Prepared {
  run: () => unknown;
  close?: () => Promise<void> | void;
}

/** a deterministic stream of numbers in [0, 1): the same offsets and keys on every run */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1 KB of text that compresses like a web page's JSON, not like random bytes or zeros */
function kilobyteOfText(): string {
  const words = ["user", "id", "name", "created", "score", "tags", "region", "status", "active", "items"];
  const next = random(7);
  let text = "";
  while (text.length < 1024) text += `${words[Math.floor(next() * words.length)]}:${Math.floor(next() * 1e6)},`;
  return text.slice(0, 1024);
}

const BATCH = 1_000;

export const PROBES: Probe[] = [
  {
    id: "map-lookup",
    label: "Map lookup",
    method: () => "get() on a Map of 100,000 string keys, in a fixed shuffled order; batches of 1,000",
    batch: BATCH,
    async prepare() {
      const map = new Map<string, number>();
      for (let i = 0; i < 100_000; i++) map.set(`key-${i}`, i);
      const next = random(1);
      const keys = Array.from({ length: BATCH }, () => `key-${Math.floor(next() * 100_000)}`);
      return {
        run: () => {
          let sum = 0;
          for (const key of keys) sum += map.get(key) ?? 0;
          return sum;
        },
      };
    },
  },
  {
    id: "memory-random-read",
    label: "Main memory reference",
    chapterRow: "Main memory reference",
    method: (quick) =>
      `pointer chasing around one random cycle through ${quick ? 16 : 256} MB (each read waits for the last); batches of 1,000`,
    batch: BATCH,
    async prepare({ quick }) {
      // Sattolo's shuffle makes a single cycle, so the chase visits the whole array, never a short loop
      const size = quick ? 1 << 22 : 1 << 26;
      const next = new Uint32Array(size);
      for (let i = 0; i < size; i++) next[i] = i;
      const draw = random(2);
      for (let i = size - 1; i > 0; i--) {
        const j = Math.floor(draw() * i);
        const t = next[i] as number;
        next[i] = next[j] as number;
        next[j] = t;
      }
      let at = 0;
      return {
        run: () => {
          for (let i = 0; i < BATCH; i++) at = next[at] as number;
          return at;
        },
      };
    },
  },
  {
    id: "json-parse-1kb",
    label: "JSON.parse of 1 KB",
    method: () => "JSON.parse of a 1 KB object of short string fields",
    batch: 1,
    async prepare() {
      // fields added until the text is 1 KB
      const fields: Record<string, string> = {};
      for (let i = 0; JSON.stringify(fields).length < 1024 - 40; i++)
        fields[`field${i}`] = `value-${i}-${"x".repeat(16)}`;
      const text = JSON.stringify(fields);
      JSON.parse(text);
      return { run: () => JSON.parse(text) };
    },
  },
  {
    id: "sha256-1kb",
    label: "SHA-256 of 1 KB",
    method: () => "node:crypto createHash('sha256') over 1 KB, digested",
    batch: 1,
    async prepare() {
      const data = Buffer.from(kilobyteOfText());
      return { run: () => createHash("sha256").update(data).digest() };
    },
  },
  {
    id: "zlib-1kb",
    label: "Compress 1 KB (zlib)",
    chapterRow: "Compress 1 KB (Snappy-class)",
    method: () =>
      "node:zlib deflateRawSync of 1 KB of text at the default level 6 (zlib is slower than Snappy by design)",
    batch: 1,
    async prepare() {
      const data = Buffer.from(kilobyteOfText());
      return { run: () => deflateRawSync(data) };
    },
  },
  {
    id: "tcp-loopback",
    label: "TCP round trip on loopback",
    chapterRow: "Round trip within a datacenter",
    method: () =>
      "64 bytes to an echo server on 127.0.0.1 and back, Nagle off (no NIC or switch: a floor under a datacenter's)",
    batch: 1,
    async prepare() {
      const server = net.createServer((socket) => {
        socket.setNoDelay(true);
        socket.on("data", (chunk) => socket.write(chunk));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect(port, "127.0.0.1");
      client.setNoDelay(true);
      await new Promise<void>((resolve) => client.once("connect", resolve));
      const payload = Buffer.alloc(64, 1);
      let waiting: (() => void) | undefined;
      let received = 0;
      client.on("data", (chunk) => {
        received += chunk.length;
        if (received >= payload.length) {
          received -= payload.length;
          waiting?.();
        }
      });
      return {
        run: () =>
          new Promise<void>((resolve) => {
            waiting = resolve;
            client.write(payload);
          }),
        close: async () => {
          client.destroy();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    },
  },
  {
    id: "file-4kb-random",
    label: "Read 4 KB at random from a file",
    chapterRow: "Read 4 KB at random from an SSD",
    method: () =>
      "readSync of 4 KB at a random aligned offset of a 256 MB file just written (the OS's page cache likely serves it)",
    batch: 1,
    async prepare({ scratch, quick }) {
      const { fd, size } = scratchFile(scratch, quick ? 16 : 256);
      const buffer = Buffer.alloc(4096);
      const draw = random(3);
      return {
        run: () => readSync(fd, buffer, 0, 4096, Math.floor(draw() * (size / 4096)) * 4096),
        close: () => closeSync(fd),
      };
    },
  },
  {
    id: "file-1mb-sequential",
    label: "Read 1 MB sequentially from a file",
    chapterRow: "Read 1 MB sequentially from an SSD",
    method: (quick) =>
      `readSync of the next 1 MB of a ${quick ? 16 : 256} MB file just written, wrapping (the page cache likely serves it)`,
    batch: 1,
    async prepare({ scratch, quick }) {
      const { fd, size } = scratchFile(scratch, quick ? 16 : 256);
      const buffer = Buffer.alloc(1 << 20);
      let offset = 0;
      return {
        run: () => {
          const read = readSync(fd, buffer, 0, buffer.length, offset);
          offset = (offset + buffer.length) % size;
          return read;
        },
        close: () => closeSync(fd),
      };
    },
  },
  {
    id: "fsync-small",
    label: "fsync of a small write",
    method: () =>
      "writeSync of 100 bytes appended to a file in .grade/, then fsyncSync: the write is on the disk when it returns",
    batch: 1,
    async prepare({ scratch }) {
      const fd = openSync(path.join(scratch, "fsync.log"), "w");
      const record = Buffer.alloc(100, 65);
      return {
        run: () => {
          writeSync(fd, record);
          fsyncSync(fd);
        },
        close: () => closeSync(fd),
      };
    },
  },
];

/** the labs' PostgreSQL's SELECT 1, a probe only when the cluster is initialised */
export const POSTGRES_PROBE: Probe = {
  id: "postgres-select-1",
  label: "PostgreSQL SELECT 1 round trip",
  method: () => "SELECT 1 on one pg connection to the labs' PostgreSQL on loopback (parse, plan, execute, reply)",
  batch: 1,
  async prepare({ postgresUrl }) {
    if (!postgresUrl) throw new Error("no PostgreSQL to ask");
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    return { run: () => client.query("SELECT 1"), close: () => client.end() };
  },
};

/** a file of `mb` MB in the scratch folder, written once, opened for reading */
function scratchFile(scratch: string, mb: number): { fd: number; size: number } {
  const file = path.join(scratch, `read-${mb}mb.bin`);
  const size = mb << 20;
  const fd = openSync(file, "w+");
  const chunk = Buffer.alloc(1 << 20);
  const draw = random(4);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE(Math.floor(draw() * 2 ** 32), i);
  for (let written = 0; written < size; written += chunk.length) writeSync(fd, chunk, 0, chunk.length, written);
  return { fd, size };
}
