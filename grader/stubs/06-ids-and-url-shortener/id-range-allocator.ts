/**
 * Kata: id ranges from a central counter (difficulty 1, about 30 minutes)
 * Read:  chapters/06-ids-and-url-shortener/README.md#ranges-from-a-central-counter
 * Grade: npm run grade -- id-range-allocator
 * Hint:  npm run hint -- id-range-allocator (one more hint each time you ask)
 *
 * A coordinator hands out blocks of ids; each server spends its block locally.
 * RangeAllocator, the coordinator:
 * - [ ] The store holds the first id not yet promised to anyone. Load it once,
 *       before the first block (a failed load hands out nothing; try again on
 *       the next call), then keep it in memory.
 * - [ ] allocate() hands out [next, next + blockSize) and moves next on. Save
 *       the new value, and wait for the save, BEFORE the block is handed out:
 *       after a crash, the restarted allocator loads that value and continues
 *       above every block anyone got. A lost block is a gap; a reused one is a
 *       duplicate short URL.
 * - [ ] Many servers call allocate() at once: their blocks never overlap. Keep
 *       at most one save in flight: two saves in flight may land in either order,
 *       and the smaller landing last would move the durable counter back.
 * - [ ] A save that fails hands out nothing (reject); never offer that range
 *       again, as the save may have landed after all.
 * - [ ] RangeError for a blockSize that is not a positive safe integer.
 * IdPool, on each server:
 * - [ ] take() returns the next id of the block in hand, or undefined when it
 *       is used up, without waiting. Ids start..end − 1, each once.
 * - [ ] next() returns an id, fetching a block first when the pool is empty.
 *       Callers that find the pool empty at once share one fetch; a failed
 *       fetch rejects them all, and the next call fetches again. (Fetching
 *       the next block early, before the pool runs dry, is allowed.)
 */
import { todo } from "#kit";

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
  constructor(options: RangeAllocatorOptions) {
    // TODO: check blockSize; keep the store, and room for the next id once it is loaded.
    todo("RangeAllocator constructor", options);
  }

  /** a block no one else has had or will have; rejects, handing out nothing, if the store fails */
  allocate(): Promise<Block> {
    // TODO: one allocation at a time: load if needed, move the counter on, save, then hand out the block.
    return todo("RangeAllocator.allocate");
  }
}

export class IdPool {
  constructor(source: BlockSource) {
    // TODO: keep the source, the block in hand (none yet), and the fetch in flight (none yet).
    todo("IdPool constructor", source);
  }

  /** the next id from the block in hand, or undefined when it is used up; never waits */
  take(): bigint | undefined {
    // TODO
    return todo("IdPool.take");
  }

  /** the next id, fetching a block first when the pool is empty; rejects if the fetch fails */
  next(): Promise<bigint> {
    // TODO: take(); when the pool is empty, wait for the one shared fetch, then take() again.
    return todo("IdPool.next");
  }
}
