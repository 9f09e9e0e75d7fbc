import { describe, expect, it } from "vitest";
import * as learner from "#kata/05-resilience/pg-idempotent-payments";
import type { Database } from "#kit";
import * as reference from "#ref/05-resilience/pg-idempotent-payments";
import { compareConcurrent, kataOf, loadTest, randomFor } from "#spec";
import chapter from "../../../chapters/05-resilience/chapter.ts";
import { isNotImplemented } from "../../kit/todo.ts";
import { type LabDatabase, labDatabase, labDatabasesPerTest } from "../../spec/lab.ts";

const { budgets } = kataOf(chapter, "05-resilience", "pg-idempotent-payments");
type Store = typeof learner;
type PaymentRequest = learner.PaymentRequest;
type PaymentResponse = learner.PaymentResponse;
type ChargeRequest = learner.ChargeRequest;
type ChargeOutcome = learner.ChargeOutcome;

const REQUEST = {
  account: "acct_alice",
  amountCents: 4_200,
  currency: "EUR",
  description: "order 17",
} as const satisfies PaymentRequest;

const schema = labDatabasesPerTest("pg_idempotent_payments");
async function lab(): Promise<LabDatabase> {
  const database = await schema();
  await learner.createStore(database.db);
  return database;
}

class ProviderUnreachable extends Error {
  override readonly name = "ProviderUnreachable";
}

/**
 * The payment processor, the grader's: it records every call, so "charged once" is counted here,
 * not taken from the lab. It can decline, fail (throw, having charged nothing), or hold its
 * answers until the test opens its gate.
 */
class FakeProvider {
  readonly calls: ChargeRequest[] = [];
  readonly charges: Array<ChargeRequest & { chargeId: string }> = [];
  /** how many of the next calls throw */
  failNext = 0;
  /** a decline code for the requests it declines */
  declines: (request: ChargeRequest) => string | undefined = () => undefined;
  /** while set, every call waits on it: the test opens it once the retries have caught up */
  gate: Promise<void> | undefined;
  /** latency of every call, for the load test only */
  latencyMs = 0;
  readonly firstCall: Promise<void>;
  #calledFirst: () => void = () => {};

  constructor() {
    this.firstCall = new Promise((resolve) => {
      this.#calledFirst = resolve;
    });
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const seen = {
      key: request.key,
      account: request.account,
      amountCents: request.amountCents,
      currency: request.currency,
    };
    this.calls.push(seen);
    this.#calledFirst();
    if (this.gate) await this.gate;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failNext > 0) {
      this.failNext--;
      throw new ProviderUnreachable(`the processor could not be reached (key ${request.key})`);
    }
    const declineCode = this.declines(seen);
    if (declineCode !== undefined) return { ok: false, declineCode };
    const chargeId = `ch_${this.charges.length + 1}_${request.key}`;
    this.charges.push({ ...seen, chargeId });
    return { ok: true, chargeId };
  }

  callsFor(key: string): number {
    return this.calls.filter((call) => call.key === key).length;
  }
  chargesFor(key: string): number {
    return this.charges.filter((charge) => charge.key === key).length;
  }
}

/** rows the server holds for a key: read by the grader, not asked of the lab */
async function rowsFor(database: LabDatabase, key: string): Promise<{ keys: number; payments: number }> {
  const { rows } = await database.check.query<{ keys: number; payments: number }>(
    `SELECT (SELECT count(*)::int FROM idempotency_keys WHERE key = $1) AS keys,
            (SELECT count(*)::int FROM payments WHERE idempotency_key = $1) AS payments`,
    [key],
  );
  return rows[0] ?? { keys: -1, payments: -1 };
}

/** pay's rejection; a stub's "not implemented" goes on, so an unwritten lab reads as todo */
async function rejectionOf(paying: Promise<PaymentResponse>): Promise<unknown> {
  const outcome = await paying.then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  );
  if ("error" in outcome) {
    if (isNotImplemented(outcome.error)) throw outcome.error;
    return outcome.error;
  }
  expect.fail(
    `pay resolved with ${JSON.stringify(outcome.response)} while the provider threw: pay throws, and stores nothing`,
  );
}

/** an answer as text with its fields sorted: a replay read back from the server may list them in another order */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "undefined";
}

/** a Database that notes when the lab first uses it */
function noting(db: Database, used: () => void): Database {
  return {
    query: (sql, params) => {
      used();
      return db.query(sql, params);
    },
    transaction: (work) => {
      used();
      return db.transaction(work);
    },
  };
}

describe("one key, one charge", () => {
  it("charges a new key once and answers 201 with the charge", async () => {
    const database = await lab();
    const provider = new FakeProvider();
    const response = await learner.pay(database.db, "key-1", REQUEST, provider);
    expect(provider.calls, "provider calls for one payment").toEqual([
      { key: "key-1", account: REQUEST.account, amountCents: REQUEST.amountCents, currency: REQUEST.currency },
    ]);
    expect(response.status, `pay("key-1", ${JSON.stringify(REQUEST)}) on a new key`).toBe(201);
    expect(response.body).toMatchObject({
      chargeId: provider.charges[0]?.chargeId,
      account: REQUEST.account,
      amountCents: REQUEST.amountCents,
      currency: REQUEST.currency,
    });
    expect(await rowsFor(database, "key-1"), "rows for key-1 after it was charged").toEqual({ keys: 1, payments: 1 });
    const { rows } = await database.check.query<{ charge_id: string }>(
      "SELECT charge_id FROM payments WHERE idempotency_key = $1",
      ["key-1"],
    );
    expect(rows[0]?.charge_id, "payments.charge_id is the provider's chargeId").toBe(provider.charges[0]?.chargeId);
  });

  it("answers a retry of the same request with the stored response and does not charge again", async () => {
    const database = await lab();
    const other = database.another(4);
    const provider = new FakeProvider();
    const first = await learner.pay(database.db, "key-1", REQUEST, provider);
    const retry = await learner.pay(database.db, "key-1", { ...REQUEST }, provider);
    const fromAnotherProcess = await learner.pay(other, "key-1", { ...REQUEST }, provider);
    expect(provider.callsFor("key-1"), "provider calls after a payment and two retries of key-1").toBe(1);
    expect(retry, "the retry's answer against the first").toEqual(first);
    expect(fromAnotherProcess, "the answer to a retry through another pool against the first").toEqual(first);
    expect(await rowsFor(database, "key-1")).toEqual({ keys: 1, payments: 1 });
  });

  it("treats the same fields in another order as the same request", async () => {
    const database = await lab();
    const provider = new FakeProvider();
    const first = await learner.pay(database.db, "key-1", REQUEST, provider);
    const reordered: PaymentRequest = {
      description: REQUEST.description,
      currency: REQUEST.currency,
      amountCents: REQUEST.amountCents,
      account: REQUEST.account,
    };
    const retry = await learner.pay(database.db, "key-1", reordered, provider);
    expect(retry, `a retry whose body lists the fields in another order: ${JSON.stringify(reordered)}`).toEqual(first);
    expect(provider.callsFor("key-1")).toBe(1);
  });

  it("keeps the key and its response after the payment succeeded, so a later retry cannot charge again", async () => {
    const database = await lab();
    const provider = new FakeProvider();
    const first = await learner.pay(database.db, "key-1", REQUEST, provider);
    expect(first.status).toBe(201);
    expect(
      await rowsFor(database, "key-1"),
      "rows in idempotency_keys and payments for key-1 once pay answered 201",
    ).toEqual({ keys: 1, payments: 1 });
    const later = await learner.pay(database.db, "key-1", REQUEST, provider);
    expect(provider.callsFor("key-1"), "provider calls after a payment and a later retry").toBe(1);
    expect(later).toEqual(first);
  });
});

describe("a key reused for another request", () => {
  const variants: Array<[string, PaymentRequest]> = [
    ["another amount", { ...REQUEST, amountCents: REQUEST.amountCents + 1 }],
    ["another account", { ...REQUEST, account: "acct_bob" }],
    ["another currency", { ...REQUEST, currency: "USD" }],
    ["another description", { ...REQUEST, description: "order 18" }],
    ["no description", { account: REQUEST.account, amountCents: REQUEST.amountCents, currency: REQUEST.currency }],
  ];

  it("refuses a different request under a used key with 422, charges nothing and keeps the stored response", async () => {
    const database = await lab();
    const provider = new FakeProvider();
    const first = await learner.pay(database.db, "key-1", REQUEST, provider);
    for (const [what, body] of variants) {
      const refused = await learner.pay(database.db, "key-1", body, provider);
      expect(refused.status, `key-1 used for ${JSON.stringify(REQUEST)}, then sent with ${what}`).toBe(422);
      expect(provider.calls.length, `provider calls after key-1 came back with ${what}`).toBe(1);
    }
    expect(await rowsFor(database, "key-1")).toEqual({ keys: 1, payments: 1 });
    expect(
      await learner.pay(database.db, "key-1", REQUEST, provider),
      "the original request after the refusals",
    ).toEqual(first);
    expect(provider.calls.length).toBe(1);
  });
});

describe("declines and failures", () => {
  it("stores a declined payment's 402 and replays it without asking the provider again", async () => {
    const database = await lab();
    const provider = new FakeProvider();
    provider.declines = (request) => (request.account === REQUEST.account ? "insufficient_funds" : undefined);
    const declined = await learner.pay(database.db, "key-1", REQUEST, provider);
    expect(declined.status, "the provider declined the charge").toBe(402);
    expect(declined.body.declineCode).toBe("insufficient_funds");
    const retry = await learner.pay(database.db, "key-1", REQUEST, provider);
    expect(provider.callsFor("key-1"), "provider calls after a declined payment and its retry").toBe(1);
    expect(retry, "the retry of a declined payment against the first answer").toEqual(declined);
    expect(await rowsFor(database, "key-1"), "rows for a declined key: its key, no payment").toEqual({
      keys: 1,
      payments: 0,
    });
  });

  it("frees the key when the provider throws, so that a retry charges once; it never replays the failure", async () => {
    const database = await lab();
    const provider = new FakeProvider();
    provider.failNext = 1;
    const error = await rejectionOf(learner.pay(database.db, "key-1", REQUEST, provider));
    expect(error, "pay's rejection when the provider throws").toBeInstanceOf(Error);
    expect((await rowsFor(database, "key-1")).payments, "payments rows after the provider threw").toBe(0);
    const retry = await learner.pay(database.db, "key-1", REQUEST, provider);
    expect(retry.status, "a retry once the provider is back, after a first attempt where it threw").toBe(201);
    expect(provider.callsFor("key-1"), "provider calls: the one that threw and the retry").toBe(2);
    expect(provider.chargesFor("key-1")).toBe(1);
    expect(await learner.pay(database.db, "key-1", REQUEST, provider), "a retry after the success").toEqual(retry);
    expect(await rowsFor(database, "key-1")).toEqual({ keys: 1, payments: 1 });
  });
});

describe("retries at once", () => {
  it("charges once when 32 retries of one request arrive at once over two pools, and answers all 32 alike", async () => {
    const database = await lab();
    const other = database.another(16);
    const provider = new FakeProvider();
    let open: () => void = () => {};
    provider.gate = new Promise((resolve) => {
      open = resolve;
    });
    const RETRIES = 32;
    const used = Array.from({ length: RETRIES }, () => false);
    const paying = Array.from({ length: RETRIES }, (_, i) =>
      learner.pay(
        noting(i % 2 === 0 ? database.db : other, () => {
          used[i] = true;
        }),
        "key-1",
        { ...REQUEST },
        provider,
      ),
    );
    // hold the first charge until every retry has reached the server and the others wait on it
    // (on a lock, or polling): the server's own state says so; it bounds the waiting, never the verdict
    await Promise.race([provider.firstCall, Promise.allSettled(paying)]);
    for (let look = 0; look < 100 && provider.calls.length === 1; look++) {
      if (used.every(Boolean) && (await database.waitingOnLocks()) >= RETRIES - 1) break;
      await database.check.query("SELECT 1");
    }
    open();
    const responses = await Promise.all(paying);
    expect(provider.callsFor("key-1"), `provider calls for ${RETRIES} requests with key-1 at once`).toBe(1);
    const unlike = responses.flatMap((response, i) =>
      canonical(response) === canonical(responses[0]) ? [] : [`answer ${i}: ${canonical(response)}`],
    );
    expect(unlike.slice(0, 3), `answers unlike answer 0, ${canonical(responses[0])}`).toEqual([]);
    expect(responses[0]?.status).toBe(201);
    expect(responses[0]?.body.chargeId).toBe(provider.charges[0]?.chargeId);
    expect(await rowsFor(database, "key-1"), `rows for key-1 after ${RETRIES} requests at once`).toEqual({
      keys: 1,
      payments: 1,
    });
  });

  it("pays 500 keys with 16 workers over two pools, a fifth of them retried at once: each charged once, all answered alike", async ({
    task,
  }) => {
    const database = await lab();
    const other = database.another(10);
    const draw = randomFor(task);
    const provider = new FakeProvider();
    // a tenth of the accounts have no funds: their 402s are answers too
    provider.declines = (request) => (request.account.endsWith("7") ? "insufficient_funds" : undefined);
    const KEYS = 500;
    const WORKERS = 16;
    const payments = Array.from({ length: KEYS }, (_, i) => ({
      key: `key-${i}`,
      request: { account: `acct_${i % 40}`, amountCents: 100 + i, currency: "EUR" },
      copies: draw.float() < 0.2 ? 2 + Math.floor(draw.float() * 3) : 1,
    }));
    const answers = new Map<string, PaymentResponse[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let item = payments[next++]; item; item = payments[next++]) {
          const { key, request, copies } = item;
          const got = await Promise.all(
            Array.from({ length: copies }, (_, c) =>
              learner.pay((w + c) % 2 === 0 ? database.db : other, key, { ...request }, provider),
            ),
          );
          answers.set(key, got);
        }
      }),
    );
    const retried = payments.filter((p) => p.copies > 1).length;
    const twice = payments
      .filter((p) => provider.callsFor(p.key) !== 1)
      .map((p) => `${p.key} (${p.copies} at once): ${provider.callsFor(p.key)} provider calls`);
    expect(twice.slice(0, 5), `${KEYS} keys, ${retried} of them sent 2 to 4 times at once`).toEqual([]);
    const unlike = payments
      .filter((p) => new Set(answers.get(p.key)?.map(canonical)).size !== 1)
      .map((p) => `${p.key}: ${answers.get(p.key)?.map(canonical).join(" / ")}`);
    expect(unlike.slice(0, 3), "keys whose copies got different answers").toEqual([]);
    const wrongStatus = payments.flatMap((p) => {
      const expected = p.request.account.endsWith("7") ? 402 : 201;
      const status = answers.get(p.key)?.[0]?.status;
      return status === expected ? [] : [`${p.key} for ${p.request.account}: ${status}, not ${expected}`];
    });
    expect(wrongStatus.slice(0, 3), "201 for a charge, 402 for a decline").toEqual([]);
    const { rows } = await database.check.query<{ keys: number; payments: number; distinct_keys: number }>(
      `SELECT (SELECT count(*)::int FROM idempotency_keys) AS keys,
              (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(DISTINCT idempotency_key)::int FROM payments) AS distinct_keys`,
    );
    expect(rows[0], "rows on the server: a key per payment, a payment per charge").toEqual({
      keys: KEYS,
      payments: provider.charges.length,
      distinct_keys: provider.charges.length,
    });
    const ledger = await database.check.query<{ charge_id: string }>(
      "SELECT charge_id FROM payments ORDER BY charge_id",
    );
    expect(
      ledger.rows.map((r) => r.charge_id),
      "payments.charge_id against the provider's charges",
    ).toEqual(provider.charges.map((c) => c.chargeId).sort());
  });
});

describe("against the reference", () => {
  const PAYMENTS = 240;
  const WORKERS = 16;
  // the processor is a network call: 5 ms each, so that payments serialised behind one
  // another show up as what they cost, not hidden by how fast a local server commits
  const PROVIDER_MS = 5;
  const subject = (store: Store, as: "learner" | "reference") => async () => {
    const database = await labDatabase("pg_idempotent_payments_load", as);
    await store.createStore(database.db);
    const provider = new FakeProvider();
    provider.latencyMs = PROVIDER_MS;
    return { database, store, provider };
  };
  loadTest(
    `pays ${PAYMENTS.toLocaleString("en-US")} keys with ${WORKERS} workers, every fourth retried, as fast as the reference`,
    budgets,
    () =>
      compareConcurrent({
        learner: subject(learner, "learner"),
        reference: subject(reference, "reference"),
        ops: PAYMENTS,
        workers: WORKERS,
        work: async ({ database, store, provider }, w, timed) => {
          for (let i = w; i < PAYMENTS; i += WORKERS) {
            const request = { account: `acct_${i % 50}`, amountCents: 100 + i, currency: "EUR" };
            await timed(() => store.pay(database.db, `key-${i}`, request, provider));
            if (i % 4 === 0) await timed(() => store.pay(database.db, `key-${i}`, request, provider));
          }
        },
        close: ({ database }) => database.close(),
      }),
  );
});
