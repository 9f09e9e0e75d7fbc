// a simulated disk for the write-ahead-log spec: one file, writes buffered (the page cache) until an
// fsync covers them, fsyncs completed by the test, and crashes that keep any prefix of the unsynced
// bytes, the end of it possibly garbage (a block allocated but never written: zeros or leftovers).
// Nothing here imports vitest or the kata.

export type Fill = "none" | "zeros" | "random";

export interface Tear {
  /** unsynced bytes that reach the platter, from the first unsynced byte */
  keep: number;
  /** from this many bytes into the kept ones, they are garbage */
  garbageFrom: number;
  fill: Fill;
  /** draws the random garbage: needed when fill is "random" */
  next?: () => number;
}

interface Sync {
  mark: number;
  resolve: () => void;
}

export class SimulatedDisk {
  #bytes: Uint8Array;
  #size: number;
  /** bytes below this survive a crash */
  #synced: number;
  #inFlight: Sync[] = [];
  #dead = false;
  /** fsyncs complete by themselves, in a microtask: for workloads that do not test timing */
  readonly auto: boolean;
  fsyncCalls = 0;
  writeCalls = 0;
  maxInFlight = 0;

  constructor(contents: Uint8Array = new Uint8Array(0), options: { auto?: boolean } = {}) {
    this.#bytes = new Uint8Array(Math.max(1024, contents.length * 2));
    this.#bytes.set(contents);
    this.#size = contents.length;
    this.#synced = contents.length;
    this.auto = options.auto ?? false;
  }

  size(): number {
    return this.#size;
  }

  read(offset: number, length: number): Uint8Array {
    if (!(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0)) {
      throw new RangeError(`read(${offset}, ${length}): offset and length must be non-negative integers`);
    }
    const end = Math.min(this.#size, offset + length);
    return this.#bytes.slice(Math.min(offset, end), end);
  }

  write(bytes: Uint8Array): void {
    if (this.#dead) return; // the process that wrote this has crashed
    if (!(bytes instanceof Uint8Array)) throw new TypeError("write takes a Uint8Array");
    this.writeCalls++;
    if (this.#size + bytes.length > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#size + bytes.length));
      grown.set(this.#bytes.subarray(0, this.#size));
      this.#bytes = grown;
    }
    this.#bytes.set(bytes, this.#size); // copied: the caller may reuse its buffer
    this.#size += bytes.length;
  }

  truncate(size: number): void {
    if (this.#dead) return;
    if (!(Number.isInteger(size) && size >= 0 && size <= this.#size)) {
      throw new RangeError(`truncate(${size}) on a file of ${this.#size} bytes`);
    }
    this.#size = size;
    this.#synced = Math.min(this.#synced, size);
  }

  fsync(): Promise<void> {
    if (this.#dead) return new Promise(() => {}); // never completes: the process is gone
    this.fsyncCalls++;
    return new Promise((resolve) => {
      const sync = { mark: this.#size, resolve };
      if (this.auto) {
        this.#synced = Math.max(this.#synced, Math.min(sync.mark, this.#size));
        resolve();
        return;
      }
      this.#inFlight.push(sync);
      this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight.length);
    });
  }

  /** fsyncs started and not completed */
  get syncsInFlight(): number {
    return this.#inFlight.length;
  }

  /** bytes written and not yet durable */
  get unsynced(): number {
    return this.#size - this.#synced;
  }

  /** completes the oldest fsync in flight: the bytes written before it was called become durable */
  completeSync(): boolean {
    const sync = this.#inFlight.shift();
    if (!sync) return false;
    this.#synced = Math.max(this.#synced, Math.min(sync.mark, this.#size));
    sync.resolve();
    return true;
  }

  /** the disk as a restart finds it; this one is dead from now on (its writes and fsyncs go nowhere) */
  crash(tear: Tear): SimulatedDisk {
    this.#dead = true;
    const keep = Math.max(0, Math.min(tear.keep, this.#size - this.#synced));
    const survived = this.#bytes.slice(0, this.#synced + keep);
    if (tear.fill === "random" && !tear.next) throw new Error("a random fill needs a seeded next()");
    if (tear.fill !== "none") {
      for (let i = this.#synced + Math.max(0, tear.garbageFrom); i < survived.length; i++) {
        survived[i] = tear.fill === "zeros" ? 0 : Math.floor((tear.next as () => number)() * 256);
      }
    }
    this.#inFlight = []; // never resolved: the process is gone
    return new SimulatedDisk(survived, { auto: this.auto });
  }

  /** a crash that keeps a random share of the unsynced bytes, the end of them garbage a third of the time each */
  crashRandomly(next: () => number): SimulatedDisk {
    const keep = Math.floor(next() * (this.unsynced + 1));
    const roll = next();
    const fill: Fill = roll < 1 / 3 ? "none" : roll < 2 / 3 ? "zeros" : "random";
    return this.crash({ keep, garbageFrom: Math.floor(next() * (keep + 1)), fill, next });
  }

  /** what a crash right now, tearing nothing, would leave: this disk goes on */
  durableCopy(): SimulatedDisk {
    return new SimulatedDisk(this.#bytes.slice(0, this.#synced));
  }

  /** the whole file, for building logs to recover under load */
  contents(): Uint8Array {
    return this.#bytes.slice(0, this.#size);
  }
}
