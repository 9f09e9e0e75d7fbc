/**
 * Lab: idempotent payments on PostgreSQL (difficulty 2, about an hour)
 * Read:  chapters/05-resilience/README.md#lab-idempotent-payments-on-postgresql
 * Grade: npm run grade -- pg-idempotent-payments (starts the labs' own PostgreSQL: nothing to install)
 * Hint:  npm run hint -- pg-idempotent-payments (one more hint each time you ask)
 *
 * A client that times out retries, and a retry of a payment must not charge twice. The client
 * sends an idempotency key with each request, the same key with every retry of it; the service
 * answers every retry with the answer it gave the first. Each function is given `db`, a
 * connection to a schema of the lab's own (#kit's Database: query with $1, $2 parameters, and
 * transaction), and `pay` the payment processor (`provider`) to charge through.
 *
 * - createStore(db): make the tables. The grader reads two of them itself:
 *   - `idempotency_keys`, with a text column `key`: one row per key, for every key that
 *     was answered 201 or 402, kept after the answer (clearing keys a day old is a
 *     sweeper's job, never pay's);
 *   - `payments`, with `idempotency_key` and `charge_id` (the provider's chargeId): one row
 *     per successful charge, written in the same transaction as the stored answer.
 *   Anything else (columns, indexes, more tables) is yours.
 * - pay(db, key, request, provider), the first time a key is seen: charge through
 *   provider.charge once, with the key and the request's account, amountCents and currency.
 *   - charged: answer { status: 201, body } where body has the provider's chargeId and the
 *     request's account, amountCents and currency (more fields are fine);
 *   - declined: answer { status: 402, body } where body has the provider's declineCode.
 *   Store the answer with the key: both are answers, and both are replayed.
 * - pay again with a key already answered and the same request: the stored answer, equal
 *   field for field to the first, without calling the provider. The same request means the
 *   same fields with the same values, in any order.
 * - pay with a key already used for a different request (any field differs, description
 *   included): { status: 422, body } and nothing else: no charge, the stored answer unchanged.
 *   Keys are global: the same key for another account is a different request, not a new key.
 * - Retries that arrive while the first is still being charged (32 at once, from two pools,
 *   as two processes of the service would) wait for it and answer what it answered: one
 *   charge, 32 equal answers. Not a 409, not a second charge.
 * - When provider.charge throws, it charged nothing (it could not be reached). pay throws
 *   too and keeps nothing of the attempt: the key is free again, and a retry with the same
 *   key and request charges. A retry never gets an error replayed.
 * Leave no transaction open: the grader checks after every test.
 */
import type { Database } from "#kit";
import { todo } from "#kit";

export interface PaymentRequest {
  account: string;
  amountCents: number;
  currency: string;
  description?: string;
}

/** what the service answers, as an HTTP API would: 201 charged, 402 declined, 422 key reused */
export interface PaymentResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface ChargeRequest {
  /** the idempotency key: a real processor takes one too, so that its own retries are safe */
  key: string;
  account: string;
  amountCents: number;
  currency: string;
}

export type ChargeOutcome = { ok: true; chargeId: string } | { ok: false; declineCode: string };

/** the payment processor; it throws when it could not be reached, and then charged nothing */
export interface Provider {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
}

export async function createStore(db: Database): Promise<void> {
  // TODO: CREATE TABLE IF NOT EXISTS idempotency_keys (key text PRIMARY KEY, ...) and payments (...)
  return todo("createStore", db);
}

export async function pay(
  db: Database,
  key: string,
  request: PaymentRequest,
  provider: Provider,
): Promise<PaymentResponse> {
  // TODO: claim the key (the unique constraint decides who charges), charge once, store the answer with the key
  return todo("pay", db, key, request, provider);
}
