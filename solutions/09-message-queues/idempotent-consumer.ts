/**
 * An idempotent consumer of one partition, the reference: at-least-once
 * delivery into a sink that makes each record's effect happen once.
 *
 * The consumer reads from its committed offset, handles each record, writes the
 * outcome (the effect, or a dead letter) to the sink, and then commits the next
 * offset: a crash before the commit redelivers the record (at least once). The
 * sink keeps a mark, the offset one past the last record applied, written in the
 * same transaction as each outcome, so a redelivered record below the mark is
 * skipped: the effect and the mark reach the disk together or not at all.
 * A transient error is retried up to maxAttempts attempts in all; any other
 * error, or a transient one on the last attempt, sends the record to the
 * dead-letter queue, and the consumer moves on.
 */

/** a record of the partition: offsets 0, 1, 2, … with no gaps */
export interface LogRecord {
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/** the partition being consumed */
export interface Partition {
  /** the records from `offset` on, at most `max` of them, in offset order; [] at the end of the log */
  fetch(offset: number, max: number): LogRecord[];
}

/** what a record's successful handling leaves in the sink */
export interface Effect {
  offset: number;
  key: string;
  /** what the handler returned */
  result: string;
}

/** a record that could not be handled, parked in the dead-letter queue */
export interface DeadLetter {
  offset: number;
  key: string;
  /** the last error's message */
  error: string;
  /** how many times the handler was called for it before giving up */
  attempts: number;
}

/** the writes of one transaction: buffered, then applied all at once */
export interface Transaction {
  /** adds the record's effect to the sink */
  write(effect: Effect): void;
  /** adds a record to the dead-letter queue */
  deadLetter(letter: DeadLetter): void;
  /** sets a durable value (stored as JSON), read back with Sink.get */
  put(key: string, value: unknown): void;
}

/** the durable sink: a database with the effects, the dead-letter queue and values of your own */
export interface Sink {
  /** a value set by an applied transaction (a copy), or undefined */
  get<T>(key: string): T | undefined;
  /** calls `fill` to collect the writes, then applies them all at once: a crash leaves all or none */
  transaction(fill: (tx: Transaction) => void): void;
}

/** the group's committed position in the partition, as Kafka's __consumer_offsets keeps it */
export interface Offsets {
  /** the offset to resume from: one past the last record committed, 0 at first */
  committed(): number;
  /** durably records `next` as the offset to resume from */
  commit(next: number): void;
}

/** handles a record and returns its result; throws TransientError to ask for a retry */
export type Handler = (record: LogRecord) => string;

/** an error worth retrying (a timeout, a busy database); any other error is permanent */
export class TransientError extends Error {
  override readonly name = "TransientError";
}

export interface ConsumerOptions {
  /** handler calls per record at most, the first one included */
  maxAttempts: number;
  /** records fetched per poll at most */
  maxPollRecords: number;
}

type Outcome = { ok: true; result: string } | { ok: false; error: string; attempts: number };

/** the sink's mark: one past the offset of the last record whose outcome is in the sink */
const APPLIED = "applied";

export class IdempotentConsumer {
  readonly #partition: Partition;
  readonly #sink: Sink;
  readonly #offsets: Offsets;
  readonly #handler: Handler;
  readonly #options: ConsumerOptions;
  #position: number;

  constructor(partition: Partition, sink: Sink, offsets: Offsets, handler: Handler, options: ConsumerOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    this.#partition = partition;
    this.#sink = sink;
    this.#offsets = offsets;
    this.#handler = handler;
    this.#options = { ...options };
    // a restart resumes from the commit: what came after it may be delivered again
    this.#position = offsets.committed();
  }

  /** fetches and handles the next records; returns how many were fetched, 0 when the log is consumed */
  poll(): number {
    const records = this.#partition.fetch(this.#position, this.#options.maxPollRecords);
    for (const record of records) {
      this.#apply(record);
      // only once the outcome is durable: a crash before this line redelivers the record
      this.#offsets.commit(record.offset + 1);
      this.#position = record.offset + 1;
    }
    return records.length;
  }

  #apply(record: LogRecord): void {
    // below the mark: applied before a crash that lost its commit
    if (record.offset < (this.#sink.get<number>(APPLIED) ?? 0)) return;
    const outcome = this.#attempt(record);
    const { offset, key } = record;
    this.#sink.transaction((tx) => {
      if (outcome.ok) tx.write({ offset, key, result: outcome.result });
      else tx.deadLetter({ offset, key, error: outcome.error, attempts: outcome.attempts });
      // in the same transaction as the outcome: both reach the disk, or neither
      tx.put(APPLIED, offset + 1);
    });
  }

  #attempt(record: LogRecord): Outcome {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, result: this.#handler(record) };
      } catch (error) {
        const retry = error instanceof TransientError && attempt < this.#options.maxAttempts;
        if (!retry)
          return { ok: false, error: error instanceof Error ? error.message : String(error), attempts: attempt };
      }
    }
  }
}
