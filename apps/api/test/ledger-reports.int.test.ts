// The operator's views of the money: the whole ledger (GET /transactions and its CSV), the stats of a
// range of days (GET /stats) and the reconciliation of the books (GET /reconciliation).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type TestUser, createProduct, createUser, credit, expectError, providerId, useHarness } from "./harness.ts";
import { parseCsv } from "./support/csv.ts";

const h = useHarness();
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let aliceAccount: string;
let bobAccount: string;
let product: { id: string; title: string };
let purchaseId: string;
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
const today = () => new Date().toISOString().slice(0, 10);

// One small world for the whole file: alice gets 100.00, buys a 30.00 lamp, is refunded 10.00 and
// adjusted +5.00; bob gets 20.00 and is adjusted −2.00.
beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  alice = await createUser(h, { numericId: providerId() });
  bob = await createUser(h, { numericId: providerId() });
  aliceAccount = (await credit(h, alice, providerId(), "100.00")).accountId;
  bobAccount = (await credit(h, bob, providerId(), "20.00")).accountId;
  product = await createProduct(h, admin, "30.00", "Lamp, brass");
  const bought = await h.http
    .post("/products/buy")
    .set(auth(alice))
    .send({ productId: product.id, accountId: aliceAccount });
  purchaseId = bought.body.purchase.id;
  const steps = [
    h.http.post(`/transactions/${purchaseId}/refund`).set(auth(admin)).send({ amount: "10", reason: "Dented" }),
    h.http
      .post(`/accounts/${aliceAccount}/adjustments`)
      .set(auth(admin))
      .send({ direction: "credit", amount: "5", reason: "Goodwill" }),
    h.http
      .post(`/accounts/${bobAccount}/adjustments`)
      .set(auth(admin))
      .send({ direction: "debit", amount: "2", reason: 'Fee, "quoted"' }),
  ];
  for (const step of steps) expect((await step).status).toBe(201);
});

describe("GET /transactions", () => {
  it("lists the whole ledger newest first, with each row's user and a total", async () => {
    const res = await h.http.get("/transactions").set(auth(admin));
    expect(res.status, res.text).toBe(200);
    expect(res.body.total).toBe(6);
    expect(res.body.items.map((t: { kind: string }) => t.kind)).toEqual([
      "adjustment",
      "adjustment",
      "refund",
      "purchase",
      "credit",
      "credit",
    ]);
    expect(res.body.items[3]).toMatchObject({
      id: purchaseId,
      userId: alice.id,
      userLogin: alice.login,
      refundedAmount: "10.00",
    });
  });

  it("filters by kind, user, account, product and time, and pages", async () => {
    const get = async (query: Record<string, string | number>) => {
      const res = await h.http.get("/transactions").query(query).set(auth(admin));
      expect(res.status, res.text).toBe(200);
      return res.body as { items: { kind: string; userId: string }[]; total: number };
    };
    expect((await get({ kind: "adjustment" })).total).toBe(2);
    expect((await get({ userId: bob.id })).items.map((t) => t.kind)).toEqual(["adjustment", "credit"]);
    expect((await get({ accountId: aliceAccount })).total).toBe(4);
    expect((await get({ productId: product.id })).items.map((t) => t.kind)).toEqual(["refund", "purchase"]);
    expect((await get({ from: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);
    expect((await get({ to: "2000-01-01T00:00:00Z" })).total).toBe(0);
    expect((await get({ from: "2000-01-01T00:00:00+02:00" })).total).toBe(6);
    const page = await get({ limit: 2, offset: 4 });
    expect([page.items.length, page.total]).toEqual([2, 6]);
    expect((await get({ limit: 2, offset: 10 })).total).toBe(6);
  });

  it("refuses a bad filter with 400 and a non-admin with 403", async () => {
    for (const query of [{ kind: "gift" }, { from: "yesterday" }, { userId: "42" }, { limit: 0 }]) {
      const res = await h.http.get("/transactions").query(query).set(auth(admin));
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.appCode).toBe("INVALID_INPUT");
    }
    const res = await h.http.get("/transactions").set(auth(alice));
    expectError(res, 403, "FORBIDDEN");
    expect(res.body.appCode).toBe("ADMIN_ONLY");
  });
});

describe("GET /transactions.csv", () => {
  it("answers text/csv with a header row and one record per transaction of the filter", async () => {
    const res = await h.http.get("/transactions.csv").set(auth(admin)).buffer(true);
    expect(res.status, res.text).toBe(200);
    expect(res.type).toBe("text/csv");
    const [header, ...records] = parseCsv(res.text);
    expect(header).toEqual([
      "id",
      "kind",
      "direction",
      "counterparty",
      "amount",
      "balanceAfter",
      "accountId",
      "accountNumericId",
      "userId",
      "userLogin",
      "createdAt",
      "transactionId",
      "productId",
      "productTitle",
      "refundOf",
      "refundedAmount",
      "reason",
    ]);
    expect(records).toHaveLength(6);
    const json = (await h.http.get("/transactions").set(auth(admin))).body.items as Record<string, unknown>[];
    records.forEach((record, i) => {
      const row = Object.fromEntries(header!.map((name, j) => [name, record[j]]));
      expect(row.id).toBe(json[i]!.id);
      expect(row.amount).toBe(json[i]!.amount);
      expect(row.reason).toBe(json[i]!.reason ?? "");
    });
    expect(res.text).toContain('"Fee, ""quoted"""');
    expect(res.text).toContain('"Lamp, brass"');
  });

  it("takes the same filters, and refuses like the JSON listing", async () => {
    const res = await h.http.get("/transactions.csv").query({ kind: "refund" }).set(auth(admin));
    expect(parseCsv(res.text)).toHaveLength(2);
    expectError(await h.http.get("/transactions.csv").query({ kind: "gift" }).set(auth(admin)), 400, "BAD_REQUEST");
    const forbidden = await h.http.get("/transactions.csv").set(auth(alice));
    expectError(forbidden, 403, "FORBIDDEN");
    expect(forbidden.body.appCode).toBe("ADMIN_ONLY");
    expectError(await h.http.get("/transactions.csv"), 401, "UNAUTHORIZED");
  });
});

describe("GET /stats", () => {
  it("totals the range, lists every day and the top products", async () => {
    const res = await h.http.get("/stats").query({ from: today(), to: today() }).set(auth(admin));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      asOf: expect.any(String),
      from: today(),
      to: today(),
      totals: {
        sales: "30.00",
        salesCount: 1,
        refunds: "10.00",
        netRevenue: "20.00",
        credits: "120.00",
        creditsCount: 2,
        adjustmentsIn: "5.00",
        adjustmentsOut: "2.00",
        walletsTotal: "103.00",
        held: "0.00",
        users: { pending: 0, active: 3, disabled: 0 },
      },
      daily: [{ date: today(), sales: "30.00", refunds: "10.00", credits: "120.00", newUsers: 3 }],
      topProducts: [{ productId: product.id, title: "Lamp, brass", count: 1, netRevenue: "20.00" }],
    });
  });

  it("defaults to the last 30 days, every day present", async () => {
    const res = await h.http.get("/stats").set(auth(admin));
    expect(res.status, res.text).toBe(200);
    expect(res.body.to).toBe(today());
    expect(res.body.daily).toHaveLength(30);
    expect(res.body.daily.at(-1).date).toBe(today());
    expect(res.body.daily[0]).toEqual({
      date: res.body.from,
      sales: "0.00",
      refunds: "0.00",
      credits: "0.00",
      newUsers: 0,
    });
  });

  it("refuses a bad date, a reversed range and more than 366 days (400)", async () => {
    for (const query of [{ from: "2026-02-30" }, { to: "01/12/2026" }, { from: "2026-12-01T00:00:00Z" }]) {
      expectError(await h.http.get("/stats").query(query).set(auth(admin)), 400, "BAD_REQUEST");
    }
    const reversed = await h.http.get("/stats").query({ from: "2026-02-02", to: "2026-02-01" }).set(auth(admin));
    expect(reversed.body.appCode).toBe("INVALID_DATE_RANGE");
    const long = await h.http.get("/stats").query({ from: "2024-01-01", to: "2025-01-01" }).set(auth(admin));
    expectError(long, 400, "BAD_REQUEST");
    expect(long.body.appCode).toBe("INVALID_DATE_RANGE");
    const leap = await h.http.get("/stats").query({ from: "2024-01-01", to: "2024-12-31" }).set(auth(admin));
    expect(leap.status).toBe(200);
    expect(leap.body.daily).toHaveLength(366);
    expectError(await h.http.get("/stats").set(auth(bob)), 403, "FORBIDDEN");
  });
});

describe("GET /reconciliation", () => {
  it("balances: Σ wallets = credits − sales + refunds + adjustments in − adjustments out", async () => {
    const res = await h.http.get("/reconciliation").set(auth(admin));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      asOf: expect.any(String),
      balanced: true,
      walletsTotal: "103.00",
      held: "0.00",
      providerCredits: "120.00",
      sales: "30.00",
      refunds: "10.00",
      adjustmentsIn: "5.00",
      adjustmentsOut: "2.00",
      mismatches: [],
    });
    expectError(await h.http.get("/reconciliation").set(auth(bob)), 403, "FORBIDDEN");
  });

  it("names a wallet whose stored balance differs from its ledger", async () => {
    // A separate harness world would be cleaner; here the damage is made and undone by hand.
    await h.db.prisma.$executeRaw`UPDATE accounts SET balance = balance + 1 WHERE id = ${bobAccount}::uuid`;
    try {
      const res = await h.http.get("/reconciliation").set(auth(admin));
      expect(res.body.balanced).toBe(false);
      expect(res.body.mismatches).toEqual([{ accountId: bobAccount, storedBalance: "19.00", ledgerBalance: "18.00" }]);
    } finally {
      await h.db.prisma.$executeRaw`UPDATE accounts SET balance = balance - 1 WHERE id = ${bobAccount}::uuid`;
    }
    expect((await h.http.get("/reconciliation").set(auth(admin))).body.balanced).toBe(true);
  });
});

it("a transaction id that is not one answers 404 on refund", async () => {
  const res = await h.http.post(`/transactions/${randomUUID()}/refund`).set(auth(admin)).send({ reason: "nothing" });
  expectError(res, 404, "NOT_FOUND");
});
