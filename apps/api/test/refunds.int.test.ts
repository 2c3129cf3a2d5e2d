// The operator's money moves: refunds of purchases (POST /transactions/{id}/refund) and manual
// adjustments (POST /accounts/{id}/adjustments), with their refusals, idempotency and concurrency. After
// each, the wallet equals its ledger.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
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
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
});

/** A user with a funded account who bought one product at `price`. */
async function purchased(price = "10.00", funds = "100.00") {
  const user = await createUser(h, { numericId: providerId() });
  const { accountId } = await credit(h, user, providerId(), funds);
  const product = await createProduct(h, admin, price, "Kettle");
  const res = await h.http.post("/products/buy").set(auth(user)).send({ productId: product.id, accountId });
  expect(res.status, res.text).toBe(200);
  return { user, accountId, product, purchase: res.body.purchase as { id: string; amount: string } };
}

const refund = (id: string, body: object, key?: string) => {
  const req = h.http.post(`/transactions/${id}/refund`).set(auth(admin));
  return (key ? req.set("Idempotency-Key", key) : req).send(body);
};
const adjust = (id: string, body: object, key?: string) => {
  const req = h.http.post(`/accounts/${id}/adjustments`).set(auth(admin));
  return (key ? req.set("Idempotency-Key", key) : req).send(body);
};

async function expectBooksOf(accountId: string, balance: string) {
  expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: balance, balance });
}

describe("POST /transactions/{id}/refund", () => {
  it("gives (part of) the price back to the account it was paid from, and the user sees it", async () => {
    const { user, accountId, purchase } = await purchased("10.00");
    const res = await refund(purchase.id, { amount: "2.50", reason: "Arrived scratched" });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      refund: expect.objectContaining({
        kind: "refund",
        direction: "in",
        counterparty: "shop",
        amount: "2.50",
        balanceAfter: "92.50",
        accountId,
        refundOf: purchase.id,
        refundedAmount: null,
        reason: "Arrived scratched",
        transactionId: null,
      }),
      account: { id: accountId, numericId: expect.any(Number), balance: "92.50" },
      replayed: false,
    });
    await expectBooksOf(accountId, "92.50");

    const history = await h.http.get("/users/me/transactions").set(auth(user));
    expect(history.body.items.map((t: { kind: string }) => t.kind)).toEqual(["refund", "purchase", "credit"]);
    const bought = history.body.items[1];
    expect(bought).toMatchObject({ id: purchase.id, refundedAmount: "2.50", refundOf: null, reason: null });
    expect(history.body.items[2]).toMatchObject({ counterparty: "provider", direction: "in", refundedAmount: null });
  });

  it("refunds what is left when no amount is given, then refuses a fully refunded purchase with 409", async () => {
    const { accountId, purchase } = await purchased("10.00");
    expect((await refund(purchase.id, { amount: "4.00", reason: "partial" })).status).toBe(201);
    const rest = await refund(purchase.id, { reason: "the rest" });
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body.refund.amount).toBe("6.00");
    await expectBooksOf(accountId, "100.00");
    const again = await refund(purchase.id, { reason: "once more" });
    expectError(again, 409, "CONFLICT");
    expect(again.body.appCode).toBe("REFUND_EXCEEDS_PURCHASE");
    await expectBooksOf(accountId, "100.00");
  });

  it("refuses more than what is left (409 REFUND_EXCEEDS_PURCHASE) and writes nothing", async () => {
    const { accountId, purchase } = await purchased("10.00");
    expect((await refund(purchase.id, { amount: "7.00", reason: "most" })).status).toBe(201);
    const res = await refund(purchase.id, { amount: "3.01", reason: "too much" });
    expectError(res, 409, "CONFLICT");
    expect(res.body.appCode).toBe("REFUND_EXCEEDS_PURCHASE");
    expect(res.body.message).toContain("3.00");
    await expectBooksOf(accountId, "97.00");
  });

  it("refuses anything but a purchase (409 NOT_A_PURCHASE), a refund of a refund included", async () => {
    const { user, purchase } = await purchased("10.00");
    const first = await refund(purchase.id, { amount: "1.00", reason: "partial" });
    const notPurchase = await refund(first.body.refund.id, { reason: "refund of a refund" });
    expectError(notPurchase, 409, "CONFLICT");
    expect(notPurchase.body.appCode).toBe("NOT_A_PURCHASE");
    const history = await h.http.get("/users/me/transactions").set(auth(user));
    const creditTx = history.body.items.find((t: { kind: string }) => t.kind === "credit");
    expect((await refund(creditTx.id, { reason: "a credit" })).body.appCode).toBe("NOT_A_PURCHASE");
    const missing = await refund(randomUUID(), { reason: "nothing" });
    expectError(missing, 404, "NOT_FOUND");
    expect(missing.body.appCode).toBe("TRANSACTION_NOT_FOUND");
  });

  it("checks the reason (3–500 characters) and the amount", async () => {
    const { accountId, purchase } = await purchased("10.00");
    for (const body of [
      { reason: "no" },
      { reason: "x".repeat(501) },
      {},
      { reason: "fine reason", amount: "0" },
      { reason: "fine reason", amount: "1.001" },
      { reason: "fine reason", amount: -1 },
    ]) {
      const res = await refund(purchase.id, body);
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.appCode).toBe("INVALID_INPUT");
    }
    await expectBooksOf(accountId, "90.00");
  });

  it("works for a disabled user and a deleted product", async () => {
    const { user, accountId, product, purchase } = await purchased("10.00");
    expect((await h.http.put(`/users/${user.id}`).set(auth(admin)).send({ isActive: false })).status).toBe(200);
    expect((await h.http.delete(`/products/${product.id}`).set(auth(admin))).status).toBe(200);
    const res = await refund(purchase.id, { reason: "Shop closed the product line" });
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund).toMatchObject({ amount: "10.00", productId: product.id, productTitle: "Kettle" });
    await expectBooksOf(accountId, "100.00");
  });

  it("a repeated Idempotency-Key answers the first answer again: 201, replayed: true, Idempotent-Replayed", async () => {
    const { accountId, purchase } = await purchased("10.00");
    const key = randomUUID();
    const first = await refund(purchase.id, { amount: "1.00", reason: "retry me" }, key);
    expect(first.status).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const again = await refund(purchase.id, { amount: "1.00", reason: "retry me" }, key);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual({ ...first.body, replayed: true });
    await expectBooksOf(accountId, "91.00");
    const other = await refund(purchase.id, { amount: "2.00", reason: "another amount" }, key);
    expectError(other, 409, "CONFLICT");
    expect(other.body.appCode).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("20 parallel refunds of 1.00 on a 10.00 purchase: exactly 10 succeed", async () => {
    const { accountId, purchase } = await purchased("10.00", "10.00");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => refund(purchase.id, { amount: "1.00", reason: "parallel" })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.appCode).toBe("REFUND_EXCEEDS_PURCHASE");
    await expectBooksOf(accountId, "10.00");
    const row = await h.db.prisma.ledgerEntry.findUniqueOrThrow({ where: { id: purchase.id } });
    expect(row.refundedAmount.toFixed(2)).toBe("10.00");
  });

  it("parallel refunds with one Idempotency-Key refund once", async () => {
    const { accountId, purchase } = await purchased("10.00", "10.00");
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => refund(purchase.id, { amount: "3.00", reason: "same key" }, key)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(results.filter((r) => r.body.replayed === false)).toHaveLength(1);
    expect(results.filter((r) => r.headers["idempotent-replayed"] === "true")).toHaveLength(7);
    expect(new Set(results.map((r) => r.body.refund.id)).size).toBe(1);
    await expectBooksOf(accountId, "3.00");
  });

  it("is for administrators only (403 ADMIN_ONLY)", async () => {
    const { user, accountId, purchase } = await purchased("10.00");
    const res = await h.http.post(`/transactions/${purchase.id}/refund`).set(auth(user)).send({ reason: "mine" });
    expectError(res, 403, "FORBIDDEN");
    expect(res.body.appCode).toBe("ADMIN_ONLY");
    expectError(await h.http.post(`/transactions/${purchase.id}/refund`).send({ reason: "anon" }), 401);
    await expectBooksOf(accountId, "90.00");
  });
});

describe("POST /accounts/{id}/adjustments", () => {
  async function wallet(funds = "50.00") {
    const user = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, user, providerId(), funds);
    return { user, accountId };
  }

  it("credits and debits with a reason, facing the adjustments account", async () => {
    const { accountId } = await wallet("50.00");
    const up = await adjust(accountId, { direction: "credit", amount: "12.34", reason: "Goodwill gesture" });
    expect(up.status, up.text).toBe(201);
    expect(up.body).toEqual({
      adjustment: expect.objectContaining({
        kind: "adjustment",
        direction: "in",
        counterparty: "adjustments",
        amount: "12.34",
        balanceAfter: "62.34",
        reason: "Goodwill gesture",
        refundOf: null,
        refundedAmount: null,
        productId: null,
      }),
      account: { id: accountId, numericId: expect.any(Number), balance: "62.34" },
      replayed: false,
    });
    const down = await adjust(accountId, { direction: "debit", amount: 62.34, reason: "Chargeback" });
    expect(down.status, down.text).toBe(201);
    expect(down.body.adjustment).toMatchObject({ direction: "out", balanceAfter: "0.00" });
    await expectBooksOf(accountId, "0.00");
  });

  it("never overdraws: 402 INSUFFICIENT_FUNDS and nothing written", async () => {
    const { accountId } = await wallet("5.00");
    const before = await h.db.prisma.ledgerEntry.count({ where: { accountId } });
    const res = await adjust(accountId, { direction: "debit", amount: "5.01", reason: "too much" });
    expectError(res, 402, "PAYMENT_REQUIRED");
    expect(res.body.appCode).toBe("INSUFFICIENT_FUNDS");
    expect(await h.db.prisma.ledgerEntry.count({ where: { accountId } })).toBe(before);
    await expectBooksOf(accountId, "5.00");
  });

  it("parallel debits never take the wallet below zero", async () => {
    const { accountId } = await wallet("10.00");
    const results = await Promise.all(
      Array.from({ length: 15 }, () => adjust(accountId, { direction: "debit", amount: "1.00", reason: "parallel" })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 402)).toHaveLength(5);
    await expectBooksOf(accountId, "0.00");
  });

  it("replays an Idempotency-Key (201, replayed, Idempotent-Replayed) and refuses it for another adjustment", async () => {
    const { accountId } = await wallet("10.00");
    const key = randomUUID();
    const first = await adjust(accountId, { direction: "credit", amount: "1.00", reason: "once" }, key);
    const again = await adjust(accountId, { direction: "credit", amount: "1.00", reason: "once" }, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual({ ...first.body, replayed: true });
    const other = await adjust(accountId, { direction: "debit", amount: "1.00", reason: "other" }, key);
    expect(other.body.appCode).toBe("IDEMPOTENCY_KEY_REUSED");
    await expectBooksOf(accountId, "11.00");
  });

  it("refuses bad input (400), an unknown account (404) and a non-admin (403)", async () => {
    const { user, accountId } = await wallet("10.00");
    for (const body of [
      { direction: "up", amount: "1", reason: "bad direction" },
      { direction: "credit", amount: "0", reason: "zero" },
      { direction: "credit", amount: "1", reason: "ab" },
      { direction: "credit", reason: "no amount" },
    ]) {
      expect((await adjust(accountId, body)).body.appCode).toBe("INVALID_INPUT");
    }
    const missing = await adjust(randomUUID(), { direction: "credit", amount: "1", reason: "nobody" });
    expectError(missing, 404, "NOT_FOUND");
    expect(missing.body.appCode).toBe("ACCOUNT_NOT_FOUND");
    const mine = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(auth(user))
      .send({ direction: "credit", amount: "1", reason: "free money" });
    expectError(mine, 403, "FORBIDDEN");
    expect(mine.body.appCode).toBe("ADMIN_ONLY");
    await expectBooksOf(accountId, "10.00");
  });
});

describe("the ledger refuses edits", () => {
  it("a ledger row cannot be deleted or changed, only a purchase's refunded amount raised", async () => {
    const { purchase } = await purchased("10.00");
    await expect(h.db.prisma.ledgerEntry.delete({ where: { id: purchase.id } })).rejects.toThrow();
    await expect(
      h.db.prisma.ledgerEntry.update({ where: { id: purchase.id }, data: { amount: "1.00" } }),
    ).rejects.toThrow();
    await expect(
      h.db.prisma.ledgerEntry.update({ where: { id: purchase.id }, data: { refundedAmount: "10.01" } }),
    ).rejects.toThrow();
  });
});
