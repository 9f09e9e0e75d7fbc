// Idempotent payments on PostgreSQL: the reference. The key's primary key is the lock: pay inserts
// the key first, in the transaction that charges and stores the answer, so a retry that inserts the
// same key waits on the first transaction and, once it commits, reads its stored answer instead of
// charging. A provider failure rolls the whole attempt back, key included: the next retry charges.
import type { Database, Queryable } from "#kit";

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
  // status and body stay null only inside the transaction that claimed the key: no one else sees that row
  await db.query(`
    CREATE TABLE IF NOT EXISTS idempotency_keys (
      key text PRIMARY KEY,
      request jsonb NOT NULL,
      status int,
      body jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS payments (
      id bigserial PRIMARY KEY,
      idempotency_key text NOT NULL UNIQUE,
      account text NOT NULL,
      amount_cents bigint NOT NULL,
      currency text NOT NULL,
      charge_id text NOT NULL
    )`);
}

export async function pay(
  db: Database,
  key: string,
  request: PaymentRequest,
  provider: Provider,
): Promise<PaymentResponse> {
  // jsonb compares as a value: the same fields in another order are the same request
  const requestJson = JSON.stringify(request);
  return db.transaction(async (tx) => {
    // an INSERT that meets a key another transaction inserted and has not committed waits for it:
    // then it does nothing if that one committed, and inserts if it rolled back
    const claimed = await tx.query(
      "INSERT INTO idempotency_keys (key, request) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [key, requestJson],
    );
    if (claimed.rowCount === 0) return storedAnswer(tx, key, requestJson);

    const outcome = await provider.charge({
      key,
      account: request.account,
      amountCents: request.amountCents,
      currency: request.currency,
    });
    let response: PaymentResponse;
    if (outcome.ok) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO payments (idempotency_key, account, amount_cents, currency, charge_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [key, request.account, request.amountCents, request.currency, outcome.chargeId],
      );
      response = {
        status: 201,
        body: {
          paymentId: String(rows[0]?.id),
          chargeId: outcome.chargeId,
          account: request.account,
          amountCents: request.amountCents,
          currency: request.currency,
        },
      };
    } else {
      response = { status: 402, body: { error: "card_declined", declineCode: outcome.declineCode } };
    }
    await tx.query("UPDATE idempotency_keys SET status = $2, body = $3 WHERE key = $1", [
      key,
      response.status,
      JSON.stringify(response.body),
    ]);
    return response;
  });
}

/** the answer stored with a key another request claimed first, or 422 when this request is not that one */
async function storedAnswer(tx: Queryable, key: string, requestJson: string): Promise<PaymentResponse> {
  const { rows } = await tx.query<{ same: boolean; status: number; body: Record<string, unknown> }>(
    "SELECT request = $2::jsonb AS same, status, body FROM idempotency_keys WHERE key = $1",
    [key, requestJson],
  );
  const stored = rows[0];
  if (!stored) throw new Error(`idempotency key ${key} conflicted but has no row`);
  if (!stored.same) return { status: 422, body: { error: "idempotency_key_reused", key } };
  return { status: stored.status, body: stored.body };
}
