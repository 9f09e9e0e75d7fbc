/**
 * Mutant of solutions/06-ids-and-url-shortener/id-range-allocator.ts: loads-every-block.
 *
 * The bug: every allocation reads the counter from the store again instead of
 * keeping it in memory. Allocations still run one at a time, so the blocks are
 * right while every save succeeds, at the price of a read per block; after a
 * failed save the re-read gives the old value back, and the range is offered
 * again.
 * @caughtBy loads the counter once, before the first block, then keeps it in memory
 */

/** ids start, start + 1, ..., end - 1 */
export interface Block {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * Where the coordinator keeps its counter: a database row, a ZooKeeper node.
 * What `save` resolved is durable; a save still pending when the process dies
 * may be lost. A new store loads its initial value (0n, or wherever ids start).
 */
export interface CounterStore {
  load(): Promise<bigint>;
  save(next: bigint): Promise<void>;
}

/** anything that hands out blocks: the coordinator, or a client that calls it over the network */
export interface BlockSource {
  allocate(): Promise<Block>;
}

export interface RangeAllocatorOptions {
  store: CounterStore;
  /** ids per block: a positive safe integer */
  blockSize: number;
}

export class RangeAllocator implements BlockSource {
  readonly #store: CounterStore;
  readonly #blockSize: bigint;
  /** allocations run one at a time: two saves in flight could land in either order */
  #queue: Promise<unknown> = Promise.resolve();

  constructor({ store, blockSize }: RangeAllocatorOptions) {
    if (!(Number.isSafeInteger(blockSize) && blockSize > 0)) {
      throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
    }
    this.#store = store;
    this.#blockSize = BigInt(blockSize);
  }

  /** a block no one else has had or will have; rejects, handing out nothing, if the store fails */
  allocate(): Promise<Block> {
    const block = this.#queue.then(() => this.#allocateOne());
    this.#queue = block.catch(() => undefined);
    return block;
  }

  async #allocateOne(): Promise<Block> {
    const start = await this.#store.load();
    const end = start + this.#blockSize;
    await this.#store.save(end);
    return { start, end };
  }
}

export class IdPool {
  readonly #source: BlockSource;
  #cursor = 0n;
  #end = 0n;
  /** the fetch in flight, shared by every caller that finds the pool empty */
  #fetching: Promise<void> | undefined;

  constructor(source: BlockSource) {
    this.#source = source;
  }

  /** the next id from the block in hand, or undefined when it is used up; never waits */
  take(): bigint | undefined {
    if (this.#cursor >= this.#end) return undefined;
    const id = this.#cursor;
    this.#cursor = id + 1n;
    return id;
  }

  /** the next id, fetching a block first when the pool is empty; rejects if the fetch fails */
  async next(): Promise<bigint> {
    for (;;) {
      const id = this.take();
      if (id !== undefined) return id;
      await this.#refill();
    }
  }

  #refill(): Promise<void> {
    this.#fetching ??= this.#source
      .allocate()
      .then((block) => {
        this.#cursor = block.start;
        this.#end = block.end;
      })
      .finally(() => {
        this.#fetching = undefined;
      });
    return this.#fetching;
  }
}
