// Buying over HTTP (and a little over tRPC): the conditional single-statement debit, the snapshot
// kept in the ledger, the refusals, Idempotency-Key replays, and many purchases racing on one account.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  ledgerAndBalance,
  providerId,
  rejectsWith,
  useHarness,
} from "./harness.ts";

describe("POST /products/buy", () => {
  const h = useHarness({ poolSize: 20 });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
  });

  function buy(token: string | undefined, body: object, idempotencyKey?: string) {
    const req = h.http.post("/products/buy");
    if (token !== undefined) req.set(bearer(token));
    if (idempotencyKey !== undefined) req.set("Idempotency-Key", idempotencyKey);
    return req.send(body);
  }

  /** A user with one account funded with `amount`. */
  async function funded(amount: string) {
    const user = await createUser(h);
    const { accountId } = await credit(h, user, providerId(), amount);
    return { user, accountId };
  }

  async function balanceOf(accountId: string) {
    return (await h.db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).balance.toFixed(2);
  }

  it("debits the price and answers with the purchase, the account and the balance", async () => {
    const { user, accountId } = await funded("100");
    const product = await createProduct(h, admin, "30.00", "Lamp");
    const res = await buy(user.token, { productId: product.id, accountId });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      purchase: {
        id: expect.any(String),
        kind: "purchase",
        direction: "out",
        counterparty: "shop",
        amount: "30.00",
        balanceAfter: "70.00",
        accountId,
        accountNumericId: expect.any(Number),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        transactionId: null,
        productId: product.id,
        productTitle: "Lamp",
        refundOf: null,
        refundedAmount: "0.00",
        reason: null,
      },
      account: { id: accountId, numericId: res.body.purchase.accountNumericId, balance: "70.00" },
      balance: "70.00",
      replayed: false,
    });
    expect(await balanceOf(accountId)).toBe("70.00");
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "70.00", balance: "70.00" });
  });

  it("can spend the balance down to exactly 0.00", async () => {
    const { user, accountId } = await funded("30.00");
    const product = await createProduct(h, admin, "30.00");
    const res = await buy(user.token, { productId: product.id, accountId });
    expect(res.status).toBe(200);
    expect(res.body.balance).toBe("0.00");
    const again = await buy(user.token, { productId: product.id, accountId });
    expect(again.status).toBe(402);
    expect(again.body.message).toContain("short by 30.00");
  });

  it("keeps the title and price in the ledger after the product is edited, then deleted", async () => {
    const { user, accountId } = await funded("100");
    const product = await createProduct(h, admin, "30.00", "Original title");
    const bought = await buy(user.token, { productId: product.id, accountId });
    expect(bought.status).toBe(200);
    const purchaseId = bought.body.purchase.id as string;

    const edited = await h.http
      .put(`/products/${product.id}`)
      .set(bearer(admin))
      .send({ title: "New title", price: "45.00" });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ title: "New title", price: "45.00" });

    const expectSnapshot = async () => {
      const me = await h.http.get("/users/me").set(bearer(user));
      expect(me.status).toBe(200);
      const entry = (me.body.transactions as { id: string }[]).find((t) => t.id === purchaseId);
      expect(entry).toMatchObject({
        kind: "purchase",
        amount: "30.00",
        balanceAfter: "70.00",
        productId: product.id,
        productTitle: "Original title",
      });
      const row = await h.db.prisma.ledgerEntry.findUniqueOrThrow({ where: { id: purchaseId } });
      expect(row.productTitle).toBe("Original title");
      expect(row.productPrice?.toFixed(2)).toBe("30.00");
    };
    await expectSnapshot();

    // The edited product sells at its new price and title.
    const second = await buy(user.token, { productId: product.id, accountId });
    expect(second.status).toBe(200);
    expect(second.body.purchase).toMatchObject({ amount: "45.00", productTitle: "New title", balanceAfter: "25.00" });

    const deleted = await h.http.delete(`/products/${product.id}`).set(bearer(admin));
    expect(deleted.status, deleted.text).toBe(200);
    await expectSnapshot();
    const history = await h.http.get("/users/me/transactions").set(bearer(user));
    expect(history.body.items.map((t: { productTitle: string | null }) => t.productTitle)).toEqual([
      "New title",
      "Original title",
      null,
    ]);
  });

  describe("refusals", () => {
    let user: TestUser;
    let accountId: string;
    let product: { id: string };

    beforeAll(async () => {
      ({ user, accountId } = await funded("10.00"));
      product = await createProduct(h, admin, "30.00");
    });

    it("402 for insufficient funds, naming the shortfall, balance unchanged", async () => {
      const before = await h.db.prisma.ledgerEntry.count();
      const res = await buy(user.token, { productId: product.id, accountId });
      expect(res.status).toBe(402);
      expect(res.body.code).toBe("PAYMENT_REQUIRED");
      expect(res.body.message).toContain("short by 20.00");
      expect(res.body.message).toContain("30.00");
      expect(res.body.message).toContain("10.00");
      expect(await balanceOf(accountId)).toBe("10.00");
      expect(await h.db.prisma.ledgerEntry.count()).toBe(before);
    });

    it("404 for someone else's account, with the same message as a missing account", async () => {
      const other = await funded("500");
      const foreign = await buy(user.token, { productId: product.id, accountId: other.accountId });
      const missing = await buy(user.token, { productId: product.id, accountId: randomUUID() });
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      expect(foreign.body.code).toBe("NOT_FOUND");
      expect(await balanceOf(other.accountId)).toBe("500.00");
    });

    it("404 for a deleted product and for an unknown one", async () => {
      const rich = await funded("500");
      const doomed = await createProduct(h, admin, "1.00", "Doomed");
      const del = await h.http.delete(`/products/${doomed.id}`).set(bearer(admin));
      expect(del.status).toBe(200);
      const deleted = await buy(rich.user.token, { productId: doomed.id, accountId: rich.accountId });
      expect(deleted.status).toBe(404);
      expect(deleted.body.code).toBe("NOT_FOUND");
      const unknown = await buy(rich.user.token, { productId: randomUUID(), accountId: rich.accountId });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe("NOT_FOUND");
      expect(await balanceOf(rich.accountId)).toBe("500.00");
    });

    it.each([
      ["productId", { productId: "not-a-uuid" }],
      ["accountId", { accountId: "123" }],
      ["productId as a number", { productId: 42 }],
      ["missing accountId", { accountId: undefined }],
    ])("400 for a bad %s", async (_name, change) => {
      const res = await buy(user.token, { productId: product.id, accountId, ...change });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
    });

    it("401 anonymously or with a bad token", async () => {
      const anonymous = await buy(undefined, { productId: product.id, accountId });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe("UNAUTHORIZED");
      const bogus = await buy("not-a-token", { productId: product.id, accountId });
      expect(bogus.status).toBe(401);
      expect(await balanceOf(accountId)).toBe("10.00");
    });
  });

  describe("Idempotency-Key", () => {
    it("replays the first result for the same key and charges once", async () => {
      const { user, accountId } = await funded("100");
      const product = await createProduct(h, admin, "30.00");
      const first = await buy(user.token, { productId: product.id, accountId }, "order-1");
      expect(first.status).toBe(200);
      expect(first.body.replayed).toBe(false);
      const second = await buy(user.token, { productId: product.id, accountId }, "order-1");
      expect(second.status).toBe(200);
      expect(second.body.replayed).toBe(true);
      expect(second.headers["idempotent-replayed"]).toBe("true");
      expect(first.headers["idempotent-replayed"]).toBeUndefined();
      expect(second.body.purchase).toEqual(first.body.purchase);
      expect(second.body.balance).toBe("70.00");
      expect(await balanceOf(accountId)).toBe("70.00");
      expect(await h.db.prisma.ledgerEntry.count({ where: { accountId, kind: "purchase" } })).toBe(1);

      // Another key is another purchase.
      const third = await buy(user.token, { productId: product.id, accountId }, "order-2");
      expect(third.status).toBe(200);
      expect(third.body.replayed).toBe(false);
      expect(await balanceOf(accountId)).toBe("40.00");

      // A later replay still repeats the first answer, balance included.
      const replay = await buy(user.token, { productId: product.id, accountId }, "order-1");
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ ...first.body, replayed: true });
      expect(await balanceOf(accountId)).toBe("40.00");
    });

    it("replays even once the balance no longer covers the price", async () => {
      const { user, accountId } = await funded("30");
      const product = await createProduct(h, admin, "30.00");
      const first = await buy(user.token, { productId: product.id, accountId }, "only-once");
      expect(first.status).toBe(200);
      const again = await buy(user.token, { productId: product.id, accountId }, "only-once");
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ replayed: true, purchase: { id: first.body.purchase.id } });
    });

    it("409 for the same key with another product, charging nothing", async () => {
      const { user, accountId } = await funded("100");
      const a = await createProduct(h, admin, "30.00", "A");
      const b = await createProduct(h, admin, "10.00", "B");
      expect((await buy(user.token, { productId: a.id, accountId }, "same-key")).status).toBe(200);
      const res = await buy(user.token, { productId: b.id, accountId }, "same-key");
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("CONFLICT");
      expect(await balanceOf(accountId)).toBe("70.00");
    });

    it("a key is scoped to the caller: another user's identical key buys for them", async () => {
      const alice = await funded("100");
      const bob = await funded("100");
      const product = await createProduct(h, admin, "30.00");
      expect((await buy(alice.user.token, { productId: product.id, accountId: alice.accountId }, "k")).status).toBe(
        200,
      );
      const res = await buy(bob.user.token, { productId: product.id, accountId: bob.accountId }, "k");
      expect(res.status).toBe(200);
      expect(res.body.replayed).toBe(false);
      expect(await balanceOf(bob.accountId)).toBe("70.00");
      // And bob cannot reach alice's account with a key: his own "k" was for another request (409), a
      // fresh key meets the account check (404, exactly like a missing account).
      const sneaky = await buy(bob.user.token, { productId: product.id, accountId: alice.accountId }, "k");
      expect(sneaky.status).toBe(409);
      expect(sneaky.body.appCode).toBe("IDEMPOTENCY_KEY_REUSED");
      const fresh = await buy(bob.user.token, { productId: product.id, accountId: alice.accountId }, "k2");
      expect(fresh.status).toBe(404);
      expect(await balanceOf(alice.accountId)).toBe("70.00");
    });

    it.each([
      ["a space", "has space"],
      ["too long", "k".repeat(201)],
      ["non-ASCII", "clé"],
      ["empty", ""],
    ])("400 for an invalid key (%s), charging nothing", async (_name, key) => {
      const { user, accountId } = await funded("100");
      const product = await createProduct(h, admin, "30.00");
      const res = await buy(user.token, { productId: product.id, accountId }, key);
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
      expect(await balanceOf(accountId)).toBe("100.00");
    });

    it("10 parallel requests with one key charge exactly once", async () => {
      const { user, accountId } = await funded("100");
      const product = await createProduct(h, admin, "7.00");
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => buy(user.token, { productId: product.id, accountId }, "parallel-key")),
      );
      for (const res of responses) expect(res.status, res.text).toBe(200);
      expect(responses.filter((r) => r.body.replayed === false)).toHaveLength(1);
      expect(new Set(responses.map((r) => r.body.purchase.id)).size).toBe(1);
      for (const res of responses) expect(res.body.balance).toBe("93.00");
      expect(await balanceOf(accountId)).toBe("93.00");
      expect(await h.db.prisma.ledgerEntry.count({ where: { accountId, kind: "purchase" } })).toBe(1);
      expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "93.00", balance: "93.00" });
    });

    it("10 parallel requests with one key when the balance covers only one: all replay the one purchase", async () => {
      const { user, accountId } = await funded("10");
      const product = await createProduct(h, admin, "7.00");
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => buy(user.token, { productId: product.id, accountId }, "tight-key")),
      );
      for (const res of responses) expect(res.status, res.text).toBe(200);
      expect(new Set(responses.map((r) => r.body.purchase.id)).size).toBe(1);
      expect(await balanceOf(accountId)).toBe("3.00");
      expect(await h.db.prisma.ledgerEntry.count({ where: { accountId, kind: "purchase" } })).toBe(1);
    });
  });

  describe("concurrency", () => {
    it("50 parallel purchases on one account: floor(100.00 / 7.00) = 14 succeed, the rest 402, never negative", async () => {
      const { user, accountId } = await funded("100.00");
      const product = await createProduct(h, admin, "7.00");
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => buy(user.token, { productId: product.id, accountId })),
      );
      const ok = responses.filter((r) => r.status === 200);
      const refused = responses.filter((r) => r.status === 402);
      expect(ok).toHaveLength(14);
      expect(refused).toHaveLength(36);
      for (const res of refused) expect(res.body.message).toContain("short by 5.00");
      // Each success saw its own balance: 93.00, 86.00, ... 2.00, one each.
      const afters = ok.map((r) => r.body.purchase.balanceAfter as string);
      const expected = Array.from({ length: 14 }, (_, i) => `${100 - 7 * (i + 1)}.00`);
      expect([...afters].sort()).toEqual([...expected].sort());
      for (const res of ok) {
        expect(res.body.balance).toBe(res.body.purchase.balanceAfter);
        expect(res.body.account.balance).toBe(res.body.purchase.balanceAfter);
      }
      expect(await balanceOf(accountId)).toBe("2.00");
      expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "2.00", balance: "2.00" });
      const negative = await h.db.prisma.ledgerEntry.count({ where: { accountId, balanceAfter: { lt: 0 } } });
      expect(negative).toBe(0);
      // The ledger's times follow the order the balance changed in (taken after the row lock).
      const purchases = await h.db.prisma.ledgerEntry.findMany({ where: { accountId, kind: "purchase" } });
      const chronological = purchases.sort((a, b) => b.balanceAfter.comparedTo(a.balanceAfter));
      const times = chronological.map((e) => e.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it("parallel purchases on two accounts of one user stay independent", async () => {
      const user = await createUser(h);
      const a = (await credit(h, user, providerId(), "21.00")).accountId;
      const b = (await credit(h, user, providerId(), "14.00")).accountId;
      const product = await createProduct(h, admin, "7.00");
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => buy(user.token, { productId: product.id, accountId: i % 2 ? a : b })),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
      expect(await balanceOf(a)).toBe("0.00");
      expect(await balanceOf(b)).toBe("0.00");
      expect(await ledgerAndBalance(h, a)).toEqual({ ledger: "0.00", balance: "0.00" });
      expect(await ledgerAndBalance(h, b)).toEqual({ ledger: "0.00", balance: "0.00" });
    });
  });

  describe("over tRPC", () => {
    it("buys, and maps refusals to tRPC codes", async () => {
      const { user, accountId } = await funded("50");
      const product = await createProduct(h, admin, "30.00", "Via tRPC");
      const caller = h.caller(user.token);
      const result = await caller.products.buy({ productId: product.id, accountId });
      expect(result).toMatchObject({
        purchase: { kind: "purchase", amount: "30.00", balanceAfter: "20.00", productTitle: "Via tRPC" },
        balance: "20.00",
        replayed: false,
      });
      await rejectsWith(
        caller.products.buy({ productId: product.id, accountId }),
        "PAYMENT_REQUIRED",
        /short by 10\.00/,
      );
      await rejectsWith(caller.products.buy({ productId: randomUUID(), accountId }), "NOT_FOUND");
      await rejectsWith(caller.products.buy({ productId: "nope", accountId }), "BAD_REQUEST");
      await rejectsWith(h.caller().products.buy({ productId: product.id, accountId }), "UNAUTHORIZED");
      expect(await balanceOf(accountId)).toBe("20.00");
    });
  });
});
