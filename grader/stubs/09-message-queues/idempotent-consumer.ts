/**
 * Kata: idempotent consumer (difficulty 2, about an hour)
 * Read:  chapters/09-message-queues/README.md#deep-dive-delivery-semantics-and-exactly-once
 * Grade: npm run grade -- idempotent-consumer
 * Hint:  npm run hint -- idempotent-consumer (one more hint each time you ask)
 *
 * A consumer of one partition whose every record's outcome lands in the sink
 * exactly once, though delivery is only at least once and the spec crashes it.
 * - poll() fetches up to maxPollRecords records from where the consumer stands,
 *   handles each, and returns how many it fetched: 0 only when the log is
 *   consumed. A new consumer (a restart) stands at offsets.committed().
 * - Handling a record: call the handler; its result goes to the sink as the
 *   record's Effect ({ offset, key, result }). A TransientError is retried, up
 *   to maxAttempts handler calls in all; any other error is permanent (a poison
 *   message) and is not retried. A record that fails permanently, or still
 *   fails transiently on its last attempt, goes to the dead-letter queue
 *   ({ offset, key, error: the error's message, attempts: the calls made }) and
 *   the consumer moves on to the next record.
 * - Commit an offset (offsets.commit(next): the offset to resume from) only once
 *   every record below it has its effect or dead letter durably in the sink. The
 *   spec checks every commit; you may commit after each record or each poll. When
 *   poll() returns 0, the committed offset is the end of the log.
 * - Crashes: the spec crashes the consumer at random points (before or after a
 *   sink transaction, before or after a commit) by throwing from the sink or the
 *   offsets; do not catch those errors. It then builds a new consumer on the same
 *   partition, sink and offsets. Everything in memory is lost; what a completed
 *   sink transaction or commit wrote is kept.
 * - Exactly once: at the end every offset is in exactly one of the sink's effects
 *   and the dead-letter queue, once, whatever the crashes. A record delivered
 *   again after a crash must be recognised from durable state: put a mark with
 *   tx.put in the same transaction as the effect (or dead letter), so that both
 *   reach the sink or neither does.
 * - Order: one partition is handled in offset order, so the effects of one key
 *   reach the sink in the order of their offsets; the spec checks that per key.
 * - RangeError for maxAttempts or maxPollRecords not a positive integer.
 * - Speed: the load test runs 20k records through the consumer at the
 *   reference's pace; an O(1) dedup check per record is enough.
 */
import { todo } from "#kit";

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

export class IdempotentConsumer {
  constructor(partition: Partition, sink: Sink, offsets: Offsets, handler: Handler, options: ConsumerOptions) {
    // TODO: check the options, keep the collaborators, and stand at the committed offset.
    todo("IdempotentConsumer constructor", partition, sink, offsets, handler, options);
  }

  /** fetches and handles the next records; returns how many were fetched, 0 when the log is consumed */
  poll(): number {
    // TODO: fetch from your position; for each record skip it if the sink already has its outcome,
    // else handle it (retrying transient errors), write the outcome and your mark in one transaction,
    // then commit.
    return todo("IdempotentConsumer.poll");
  }
}
