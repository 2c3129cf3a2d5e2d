// Two-phase purchases (issue 21): POST /products/buy with capture: false holds the price (201,
// status authorized, expiresAt, balance / held / available); POST /transactions/{id}/capture posts (part
// of) it as a purchase, /void releases it; from expiresAt on it is expired for every read and check.
// Available balance everywhere. Concurrency: 20 parallel captures → one; capture racing expiry → one
// outcome; authorizations and purchases racing never make available negative; a random mix of every
// move leaves the books balanced and the stored held consistent.
import { randomInt, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  expectError,
  ledgerAndBalance,
  providerId,
  useHarness,
} from "./harness.ts";

const h = useHarness({ poolSize: 25 });
let admin: TestUser;
let moneyKey: string;

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  const key = await h.http
    .post("/api-keys")
    .set(bearer(admin))
    .send({ name: "fulfilment", scopes: ["money"] });
  moneyKey = key.body.key;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A user with an account holding `funds`, and a product at `price`. */
async function shop(funds = "100.00", price = "30.00") {
  const user = await createUser(h, { numericId: providerId() });
  const bill = providerId();
  const { accountId } = await credit(h, user, bill, funds);
  const product = await createProduct(h, admin, price, "Bike");
  return { user, accountId, product, bill };
}

const authorize = (user: TestUser, productId: string, accountId: string, extra: object = {}, key?: string) => {
  const req = h.http.post("/products/buy").set(bearer(user));
  return (key ? req.set("Idempotency-Key", key) : req).send({ productId, accountId, capture: false, ...extra });
};
const capture = (id: string, body: object = {}, who: string = admin.token, key?: string) => {
  const req = h.http.post(`/transactions/${id}/capture`).set(bearer(who));
  return (key ? req.set("Idempotency-Key", key) : req).send(body);
};
const voidHold = (id: string, who: string = admin.token, key?: string) => {
  const req = h.http.post(`/transactions/${id}/void`).set(bearer(who));
  return (key ? req.set("Idempotency-Key", key) : req).send({});
};

async function accountOf(user: TestUser, accountId: string) {
  const me = await h.http.get("/users/me").set(bearer(user));
  return (me.body.accounts as { id: string; balance: string; held: string; available: string }[]).find(
    (a) => a.id === accountId,
  )!;
}

/** The stored held and the sum of the account's holds still `authorized` (expired or not). */
async function storedHeld(accountId: string) {
  const [row] = await h.db.prisma.$queryRaw<{ held: string; authorized: string }[]>`
    SELECT a.held::text AS held,
           COALESCE((SELECT sum(amount) FROM authorizations WHERE account_id = a.id AND status = 'authorized'), 0)
             ::numeric(20,2)::text AS authorized
      FROM accounts a WHERE a.id = ${accountId}::uuid`;
  return row!;
}

/** The books of an account: stored balance = ledger; stored held = its authorized holds. */
async function expectBooks(accountId: string) {
  const books = await ledgerAndBalance(h, accountId);
  expect(books.balance).toBe(books.ledger);
  const held = await storedHeld(accountId);
  expect(held.held).toBe(held.authorized);
  return books.balance;
}

describe("authorize (capture: false)", () => {
  it("holds the price: 201 authorized with expiresAt; balance unchanged, held and available everywhere", async () => {
    const { user, accountId, product } = await shop("100.00", "30.00");
    const res = await authorize(user, product.id, accountId, { holdSeconds: 3600 });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      purchase: { status: "authorized", amount: "30.00", capturedAmount: null, accountId, productId: product.id },
      account: { id: accountId, balance: "100.00", held: "30.00", available: "70.00" },
      balance: "100.00",
      held: "30.00",
      available: "70.00",
      replayed: false,
    });
    expect(Date.parse(res.body.purchase.expiresAt) - Date.parse(res.body.purchase.createdAt)).toBe(3600_000);
    expect(await accountOf(user, accountId)).toMatchObject({ balance: "100.00", held: "30.00", available: "70.00" });
    // Nothing posted: the ledger has the credit only.
    expect((await ledgerAndBalance(h, accountId)).ledger).toBe("100.00");
    await expectBooks(accountId);
  });

  it("defaults to HOLD_TTL_SECONDS (7 days); refuses more than 30 days and a non-boolean capture", async () => {
    const { user, accountId, product } = await shop();
    const res = await authorize(user, product.id, accountId);
    expect(res.status, res.text).toBe(201);
    expect(Date.parse(res.body.purchase.expiresAt) - Date.parse(res.body.purchase.createdAt)).toBe(7 * 86_400_000);
    expectError(await authorize(user, product.id, accountId, { holdSeconds: 30 * 86_400 + 1 }), 400, "BAD_REQUEST");
    expectError(await authorize(user, product.id, accountId, { holdSeconds: 0 }), 400, "BAD_REQUEST");
    expectError(
      await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId, capture: "false" }),
      400,
      "BAD_REQUEST",
    );
  });

  it("authorizations and purchases check the available balance (402 naming what is held)", async () => {
    const { user, accountId, product } = await shop("50.00", "30.00");
    expect((await authorize(user, product.id, accountId)).status).toBe(201);
    const second = await authorize(user, product.id, accountId);
    expectError(second, 402, "PAYMENT_REQUIRED", "INSUFFICIENT_FUNDS");
    expect(second.body.message).toMatch(
      /available balance 20\.00 \(30\.00 of the balance 50\.00 is held\), short by 10\.00/,
    );
    const buy = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
    expectError(buy, 402, "PAYMENT_REQUIRED", "INSUFFICIENT_FUNDS");
    const debit = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(bearer(admin))
      .send({ direction: "debit", amount: "20.01", reason: "more than available" });
    expectError(debit, 402, "PAYMENT_REQUIRED", "INSUFFICIENT_FUNDS");
    const ok = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(bearer(admin))
      .send({ direction: "debit", amount: "20.00", reason: "all that is available" });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.account).toMatchObject({ balance: "30.00", held: "30.00", available: "0.00" });
    await expectBooks(accountId);
  });
});

describe("capture and void", () => {
  it("captures part: the purchase is posted with the authorization's id, the rest released; then refundable", async () => {
    const { user, accountId, product } = await shop("100.00", "30.00");
    const { purchase: hold } = (await authorize(user, product.id, accountId)).body;
    const res = await capture(hold.id, { amount: "12.50" }, moneyKey);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      purchase: { id: hold.id, kind: "purchase", amount: "12.50", balanceAfter: "87.50", productId: product.id },
      authorization: { id: hold.id, status: "captured", amount: "30.00", capturedAmount: "12.50" },
      account: { balance: "87.50", held: "0.00", available: "87.50" },
      replayed: false,
    });
    expect(await accountOf(user, accountId)).toMatchObject({ balance: "87.50", held: "0.00", available: "87.50" });
    expectError(await capture(hold.id), 409, "CONFLICT", "HOLD_NOT_AUTHORIZED");
    expectError(await voidHold(hold.id), 409, "CONFLICT", "HOLD_NOT_AUTHORIZED");
    const refund = await h.http.post(`/transactions/${hold.id}/refund`).set(bearer(admin)).send({ reason: "returned" });
    expect(refund.status, refund.text).toBe(201);
    expect(refund.body.refund.amount).toBe("12.50");
    expect(await expectBooks(accountId)).toBe("100.00");
    const audit = await h.http.get(`/audit?targetId=${hold.id}&action=transaction.capture`).set(bearer(admin));
    expect(audit.body.items[0].actor.type).toBe("api_key");
  });

  it("refuses a capture above the hold, a refund before capture, and another user's or a read key's call", async () => {
    const { user, accountId, product } = await shop("100.00", "30.00");
    const { purchase: hold } = (await authorize(user, product.id, accountId)).body;
    expectError(await capture(hold.id, { amount: "30.01" }), 409, "CONFLICT", "CAPTURE_EXCEEDS_HOLD");
    expectError(
      await h.http.post(`/transactions/${hold.id}/refund`).set(bearer(admin)).send({ reason: "not captured" }),
      404,
      "NOT_FOUND",
      "TRANSACTION_NOT_FOUND",
    );
    expectError(await capture(hold.id, {}, user.token), 403, "FORBIDDEN", "ADMIN_ONLY");
    const reader = await h.http
      .post("/api-keys")
      .set(bearer(admin))
      .send({ name: "reader", scopes: ["read"] });
    expectError(await capture(hold.id, {}, reader.body.key), 403, "FORBIDDEN", "INSUFFICIENT_SCOPE");
    expectError(await capture(randomUUID()), 404, "NOT_FOUND", "TRANSACTION_NOT_FOUND");
    expect(await accountOf(user, accountId)).toMatchObject({ balance: "100.00", held: "30.00" });
  });

  it("void releases the hold; nothing is debited", async () => {
    const { user, accountId, product } = await shop("100.00", "30.00");
    const { purchase: hold } = (await authorize(user, product.id, accountId)).body;
    const res = await voidHold(hold.id);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      authorization: { id: hold.id, status: "voided" },
      account: { balance: "100.00", held: "0.00", available: "100.00" },
    });
    expectError(await capture(hold.id), 409, "CONFLICT", "HOLD_NOT_AUTHORIZED");
    expect(await expectBooks(accountId)).toBe("100.00");
  });

  it("Idempotency-Key on all three: the same request replays, another is 409", async () => {
    const { user, accountId, product } = await shop("100.00", "30.00");
    const key = `auth-${randomUUID()}`;
    const first = await authorize(user, product.id, accountId, {}, key);
    const again = await authorize(user, product.id, accountId, {}, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expectError(
      await h.http
        .post("/products/buy")
        .set(bearer(user))
        .set("Idempotency-Key", key)
        .send({ productId: product.id, accountId }),
      409,
      "CONFLICT",
      "IDEMPOTENCY_KEY_REUSED",
    );
    const hold = first.body.purchase.id as string;
    const c1 = await capture(hold, { amount: "10.00" }, admin.token, "cap-1");
    const c2 = await capture(hold, { amount: "10.00" }, admin.token, "cap-1");
    expect(c2.status).toBe(201);
    expect(c2.body).toEqual({ ...c1.body, replayed: true });
    expectError(
      await capture(hold, { amount: "11.00" }, admin.token, "cap-1"),
      409,
      "CONFLICT",
      "IDEMPOTENCY_KEY_REUSED",
    );
    const other = (await authorize(user, product.id, accountId)).body.purchase.id as string;
    const v1 = await voidHold(other, admin.token, "void-1");
    const v2 = await voidHold(other, admin.token, "void-1");
    expect(v2.body).toEqual({ ...v1.body, replayed: true });
    expect(await expectBooks(accountId)).toBe("90.00");
  });
});

describe("expiry at exactly expiresAt", () => {
  it("from expiresAt on: reads show it expired and nothing held; capture and void are HOLD_EXPIRED; the money is usable", async () => {
    const { user, accountId, product } = await shop("40.00", "30.00");
    const { purchase: hold } = (await authorize(user, product.id, accountId, { holdSeconds: 1 })).body;
    expect(await accountOf(user, accountId)).toMatchObject({ held: "30.00", available: "10.00" });
    await sleep(Math.max(0, Date.parse(hold.expiresAt) - Date.now()) + 5);
    // No sweep ran: the stored row still says authorized, every read says expired.
    expect((await storedHeld(accountId)).held).toBe("30.00");
    expect(await accountOf(user, accountId)).toMatchObject({ balance: "40.00", held: "0.00", available: "40.00" });
    expectError(await capture(hold.id), 409, "CONFLICT", "HOLD_EXPIRED");
    expectError(await voidHold(hold.id), 409, "CONFLICT", "HOLD_EXPIRED");
    // A purchase of the whole balance passes: its check treats the expired hold as released.
    const bigger = await createProduct(h, admin, "40.00", "Everything");
    const buy = await h.http.post("/products/buy").set(bearer(user)).send({ productId: bigger.id, accountId });
    expect(buy.status, buy.text).toBe(200);
    expect(buy.body.account).toMatchObject({ balance: "0.00", held: "0.00", available: "0.00" });
    expect(await storedHeld(accountId)).toEqual({ held: "0.00", authorized: "0.00" });
    expect(await expectBooks(accountId)).toBe("0.00");
  });
});

describe("money held in the reports", () => {
  /** The held of /reconciliation (both modes) and of /stats' totals; all three must agree. */
  async function heldInReports() {
    const rec = await h.http.get("/reconciliation").set(bearer(admin));
    expect(rec.status, rec.text).toBe(200);
    const full = await h.http.get("/reconciliation").query({ full: "true" }).set(bearer(admin));
    expect(full.status, full.text).toBe(200);
    const stats = await h.http.get("/stats").set(bearer(admin));
    expect(stats.status, stats.text).toBe(200);
    expect(full.body.held).toBe(rec.body.held);
    expect(stats.body.totals.held).toBe(rec.body.held);
    expect(rec.body.balanced).toBe(true);
    return rec.body.held as string;
  }
  const cents = (money: string) => BigInt(money.replace(".", ""));

  it("an authorization counts in /reconciliation and /stats until it is voided or expires", async () => {
    // Let the other tests' short holds end, so only this test's holds change the figure.
    await sleep(1100);
    const before = cents(await heldInReports());
    const { user, accountId, product } = await shop("100.00", "30.00");
    const voided = (await authorize(user, product.id, accountId, { holdSeconds: 3600 })).body.purchase;
    const expiring = (await authorize(user, product.id, accountId, { holdSeconds: 1 })).body.purchase;
    expect(cents(await heldInReports())).toBe(before + 6000n);
    expect((await voidHold(voided.id)).status).toBe(200);
    expect(cents(await heldInReports())).toBe(before + 3000n);
    await sleep(Math.max(0, Date.parse(expiring.expiresAt) - Date.now()) + 5);
    // No sweep ran: the stored status is still authorized; the reports follow expiresAt.
    expect((await storedHeld(accountId)).held).toBe("30.00");
    expect(cents(await heldInReports())).toBe(before);
  });
});

describe("GET /accounts/{id}/authorizations", () => {
  it("lists an account's authorizations newest first, filtered by their status as it is now", async () => {
    const { user, accountId, product } = await shop("200.00", "20.00");
    const ids: string[] = [];
    for (const holdSeconds of [3600, 3600, 3600, 1]) {
      const res = await authorize(user, product.id, accountId, { holdSeconds });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.purchase.id);
    }
    const [captured, voided, live, expiring] = ids as [string, string, string, string];
    expect((await capture(captured, { amount: "5.50" })).status).toBe(201);
    expect((await voidHold(voided)).status).toBe(200);
    await sleep(1100);
    const list = (query: object = {}, who: string = admin.token) =>
      h.http.get(`/accounts/${accountId}/authorizations`).query(query).set(bearer(who));

    const all = await list();
    expect(all.status, all.text).toBe(200);
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual([expiring, live, voided, captured]);
    expect(all.body.items.map((a: { status: string }) => a.status)).toEqual([
      "expired",
      "authorized",
      "voided",
      "captured",
    ]);
    expect(all.body.items[3]).toMatchObject({ amount: "20.00", capturedAmount: "5.50", accountId });
    for (const [status, id] of [
      ["authorized", live],
      ["expired", expiring],
      ["voided", voided],
      ["captured", captured],
    ] as const) {
      const res = await list({ status });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
    }
    expect((await list({ limit: 2 })).body.items.map((a: { id: string }) => a.id)).toEqual([expiring, live]);

    // A read key may list; a customer may not (not even their own account's); bad input is 400; no account 404.
    const key = await h.http
      .post("/api-keys")
      .set(bearer(admin))
      .send({ name: "reader", scopes: ["read"] });
    expect((await list({}, key.body.key)).status).toBe(200);
    expectError(await list({}, moneyKey), 403, "FORBIDDEN", "INSUFFICIENT_SCOPE");
    expect((await list({}, user.token)).status).toBe(403);
    expectError(await list({ status: "pending" }), 400, "BAD_REQUEST");
    expectError(await list({ limit: 101 }), 400, "BAD_REQUEST");
    expectError(await list({ limit: 0 }), 400, "BAD_REQUEST");
    expectError(
      await h.http.get(`/accounts/${randomUUID()}/authorizations`).set(bearer(admin)),
      404,
      "NOT_FOUND",
      "ACCOUNT_NOT_FOUND",
    );
  });
});

describe("concurrency", () => {
  it("20 parallel captures of one authorization: exactly one succeeds, the money moves once", async () => {
    const { user, accountId, product } = await shop("100.00", "30.00");
    const { purchase: hold } = (await authorize(user, product.id, accountId)).body;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        capture(hold.id, i % 2 ? { amount: "30.00" } : {}, i % 3 ? admin.token : moneyKey),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expectError(r, 409, "CONFLICT", "HOLD_NOT_AUTHORIZED");
    expect(await expectBooks(accountId)).toBe("70.00");
    expect(await accountOf(user, accountId)).toMatchObject({ held: "0.00", available: "70.00" });
  });

  it("captures racing the expiry: one outcome per hold — captured once, or expired with nothing debited", async () => {
    const { user, accountId, product } = await shop("100.00", "10.00");
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const { purchase: hold } = (await authorize(user, product.id, accountId, { holdSeconds: 1 })).body;
      const at = Date.parse(hold.expiresAt);
      // Round by round, the first capture fires from 60 ms before expiresAt to 30 ms after it; the
      // others follow every 10 ms, so some rounds straddle the instant.
      await sleep(Math.max(0, at - Date.now() - 60 + round * 30));
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          await sleep(i * 10);
          return capture(hold.id);
        }),
      );
      const won = results.filter((r) => r.status === 201);
      expect(won.length).toBeLessThanOrEqual(1);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status, r.text).toBe(409);
        expect(["HOLD_EXPIRED", "HOLD_NOT_AUTHORIZED"]).toContain(r.body.appCode);
      }
      if (won.length === 0) for (const r of results) expect(r.body.appCode).toBe("HOLD_EXPIRED");
      // Whatever happened, reads agree: captured (and in the ledger) or expired (and nothing debited).
      const rows = await h.db.prisma.ledgerEntry.count({ where: { id: hold.id } });
      expect(rows).toBe(won.length);
      outcomes.push(won.length ? "captured" : "expired");
    }
    console.log(`[two-phase] capture racing expiry, 4 holds: ${outcomes.join(", ")}`);
    const captured = outcomes.filter((o) => o === "captured").length;
    expect(await expectBooks(accountId)).toBe((100 - 10 * captured).toFixed(2));
    expect((await accountOf(user, accountId)).held).toBe("0.00");
  });

  it("authorizations and purchases racing on one account never make available negative", async () => {
    const { user, accountId, product } = await shop("100.00", "7.00");
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2
          ? authorize(user, product.id, accountId)
          : h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId }),
      ),
    );
    const ok = results.filter((r) => r.status === 200 || r.status === 201);
    for (const r of results.filter((x) => x.status >= 300))
      expectError(r, 402, "PAYMENT_REQUIRED", "INSUFFICIENT_FUNDS");
    expect(ok).toHaveLength(14); // floor(100 / 7): every success used available money, no more
    const account = await accountOf(user, accountId);
    expect(account.available).toBe("2.00");
    const bought = ok.filter((r) => r.status === 200).length;
    expect(account.balance).toBe((100 - 7 * bought).toFixed(2));
    expect(account.held).toBe((7 * (14 - bought)).toFixed(2));
    await expectBooks(accountId);
  });

  it("a random mix of every move, partly concurrent, leaves the books balanced and held consistent", async () => {
    const seed = randomInt(1e9);
    let state = seed;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const users = await Promise.all([shop("60.00", "9.00"), shop("45.00", "4.50")]);
    const holds: string[] = [];
    const tally: Record<string, number> = {};
    for (let wave = 0; wave < 12; wave++) {
      const wave_ = Array.from({ length: 6 }, async () => {
        const { user, accountId, product, bill } = users[rand(2)]!;
        const pick = rand(7);
        let res: { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON
        if (pick === 0) res = await authorize(user, product.id, accountId, { holdSeconds: 1 + rand(2) });
        else if (pick === 1) res = await authorize(user, product.id, accountId);
        else if (pick === 2 && holds.length)
          res = await capture(holds[rand(holds.length)]!, rand(2) ? { amount: "1.00" } : {});
        else if (pick === 3 && holds.length) res = await voidHold(holds[rand(holds.length)]!);
        else if (pick === 4)
          res = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
        else if (pick === 5)
          res = await h.http
            .post(`/accounts/${accountId}/adjustments`)
            .set(bearer(admin))
            .send({ direction: rand(2) ? "debit" : "credit", amount: "3.00", reason: "random mix" });
        else res = { status: 200, body: (await credit(h, user, bill, "5.00")) as Record<string, unknown> };
        if (res.status === 201 && res.body?.purchase?.status === "authorized") holds.push(res.body.purchase.id);
        const key = `${pick}:${res.status}${res.body?.appCode ? `:${res.body.appCode}` : ""}`;
        tally[key] = (tally[key] ?? 0) + 1;
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      });
      await Promise.all(wave_);
      if (wave === 6) await sleep(1_100);
    }
    console.log(`[two-phase] random mix (seed ${seed}): ${JSON.stringify(tally)}`);
    for (const { accountId, user } of users) {
      await expectBooks(accountId);
      const a = await accountOf(user, accountId);
      expect(Number(a.available)).toBeGreaterThanOrEqual(0);
    }
    const reconciliation = await h.http.get("/reconciliation").set(bearer(admin));
    expect(reconciliation.body.balanced).toBe(true);
  });
});
