// Statements (issue 21): GET /users/me/statement, GET /accounts/{id}/statement (admin), ?format=csv, and
// GET /accounts/{id}/balance?at=. The property: for any window, openingBalance + totalIn − totalOut =
// closingBalance, the entries are exactly the ledger rows with from ≤ createdAt < to, consecutive windows
// chain, and each balance equals the balance at that instant — checked against a history made of every
// kind of move through the API.
import { centsToMoney, moneyToCents, type TStatement, type TTransaction } from "@shop/contracts";
import fc from "fast-check";
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

const h = useHarness();
let admin: TestUser;
let owner: TestUser;
let accountId: string;
/** Every entry of the account, oldest first, as GET /users/me/transactions reports them. */
let history: TTransaction[];
/** Before the first entry, and after the last. */
let start: number;
let end: number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms: number) => new Date(ms).toISOString();

async function statementOf(from: number, to: number): Promise<TStatement> {
  const res = await h.http
    .get(`/users/me/statement?accountId=${accountId}&from=${iso(from)}&to=${iso(to)}`)
    .set(bearer(owner));
  expect(res.status, res.text).toBe(200);
  return res.body as TStatement;
}

async function balanceAt(at: number): Promise<string> {
  const res = await h.http.get(`/accounts/${accountId}/balance?at=${iso(at)}`).set(bearer(owner));
  expect(res.status, res.text).toBe(200);
  return res.body.balance as string;
}

/** The balance at `at` from the history alone: the balanceAfter of the last entry at or before it. */
const expectedBalanceAt = (at: number) =>
  history.filter((e) => Date.parse(e.createdAt) <= at).at(-1)?.balanceAfter ?? "0.00";

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  owner = await createUser(h, { numericId: providerId() });
  start = Date.now();
  await sleep(3);
  // Every kind of move, a few milliseconds apart (the ledger keeps milliseconds), some in one burst.
  const bill = providerId();
  ({ accountId } = await credit(h, owner, bill, "100.00"));
  const product = await createProduct(h, admin, "12.50", "Lamp");
  const purchases: string[] = [];
  for (let i = 0; i < 6; i++) {
    await sleep(2);
    const res = await h.http.post("/products/buy").set(bearer(owner)).send({ productId: product.id, accountId });
    expect(res.status, res.text).toBe(200);
    purchases.push(res.body.purchase.id);
  }
  await credit(h, owner, bill, "40.05");
  await Promise.all([credit(h, owner, bill, "1.01"), credit(h, owner, bill, "2.02"), credit(h, owner, bill, "3.03")]);
  for (const [i, id] of purchases.slice(0, 3).entries()) {
    await sleep(2);
    const res = await h.http
      .post(`/transactions/${id}/refund`)
      .set(bearer(admin))
      .send({ amount: `${i + 1}.00`, reason: "partly broken" });
    expect(res.status, res.text).toBe(201);
  }
  for (const [direction, amount] of [
    ["debit", "0.99"],
    ["credit", "7.00"],
  ]) {
    await sleep(2);
    const res = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(bearer(admin))
      .send({ direction, amount, reason: "correction" });
    expect(res.status, res.text).toBe(201);
  }
  await sleep(3);
  end = Date.now();
  const page = await h.http.get(`/users/me/transactions?accountId=${accountId}&limit=100`).set(bearer(owner));
  history = (page.body.items as TTransaction[]).reverse();
  expect(history.length).toBe(16);
});

describe("GET /users/me/statement", () => {
  it("covers the whole history: opening 0.00, closing the balance, every entry oldest first", async () => {
    const s = await statementOf(start, end);
    const { balance } = await ledgerAndBalance(h, accountId);
    expect(s).toMatchObject({ accountId, from: iso(start), to: iso(end), openingBalance: "0.00" });
    expect(s.closingBalance).toBe(balance);
    expect(s.entries.map((e) => e.id)).toEqual(history.map((e) => e.id));
    const sum = (d: "in" | "out") =>
      centsToMoney(history.filter((e) => e.direction === d).reduce((t, e) => t + moneyToCents(e.amount), 0n));
    expect(s.totalIn).toBe(sum("in"));
    expect(s.totalOut).toBe(sum("out"));
  });

  it("property: any window balances, holds exactly its entries, and chains with the next", async () => {
    const span = end - start;
    // Instants anywhere around the history, and exactly on its entries' times (the boundaries that matter).
    const instant = fc.oneof(
      fc.integer({ min: start - 5, max: end + 5 }),
      fc.constantFrom(...history.map((e) => Date.parse(e.createdAt))),
    );
    await fc.assert(
      fc.asyncProperty(instant, instant, instant, async (a, b, c) => {
        const [t0, t1, t2] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
        const first = await statementOf(t0, t1);
        const second = await statementOf(t1, t2);
        for (const [s, from, to] of [
          [first, t0, t1],
          [second, t1, t2],
        ] as const) {
          const opening = moneyToCents(s.openingBalance);
          expect(centsToMoney(opening + moneyToCents(s.totalIn) - moneyToCents(s.totalOut))).toBe(s.closingBalance);
          expect(s.entries.map((e) => e.id)).toEqual(
            history.filter((e) => from <= Date.parse(e.createdAt) && Date.parse(e.createdAt) < to).map((e) => e.id),
          );
          expect(s.openingBalance).toBe(expectedBalanceAt(from - 1));
          expect(s.closingBalance).toBe(expectedBalanceAt(to - 1));
        }
        expect(second.openingBalance).toBe(first.closingBalance);
      }),
      { numRuns: span > 0 ? 60 : 1 },
    );
  });

  it("refuses another user's account as not found, reversed or over-long windows, and API keys", async () => {
    const stranger = await createUser(h);
    expectError(
      await h.http.get(`/users/me/statement?accountId=${accountId}`).set(bearer(stranger)),
      404,
      "NOT_FOUND",
      "ACCOUNT_NOT_FOUND",
    );
    expectError(
      await h.http
        .get(`/users/me/statement?accountId=${accountId}&from=${iso(end)}&to=${iso(start)}`)
        .set(bearer(owner)),
      400,
      "BAD_REQUEST",
      "INVALID_DATE_RANGE",
    );
    expectError(
      await h.http
        .get(`/users/me/statement?accountId=${accountId}&from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:01Z`)
        .set(bearer(owner)),
      400,
      "BAD_REQUEST",
      "INVALID_DATE_RANGE",
    );
    expectError(
      await h.http.get(`/users/me/statement?accountId=${accountId}&from=yesterday`).set(bearer(owner)),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
    const key = await h.http
      .post("/api-keys")
      .set(bearer(admin))
      .send({ name: "reader", scopes: ["read"] });
    expectError(
      await h.http.get(`/users/me/statement?accountId=${accountId}`).set(bearer(key.body.key)),
      403,
      "FORBIDDEN",
      "INSUFFICIENT_SCOPE",
    );
    expectError(
      await h.http.get(`/users/me/statement?accountId=${accountId}&format=csv`).set(bearer(key.body.key)),
      403,
      "FORBIDDEN",
      "INSUFFICIENT_SCOPE",
    );
  });

  it("defaults to the 30 days before now", async () => {
    const res = await h.http.get(`/users/me/statement?accountId=${accountId}`).set(bearer(owner));
    expect(res.status, res.text).toBe(200);
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(30 * 86_400_000);
    expect(res.body.entries).toHaveLength(history.length);
  });
});

describe("GET /accounts/{id}/statement (administrators, read keys)", () => {
  it("is the owner's statement, for an admin and a read key; refused to others", async () => {
    const mine = await statementOf(start, end);
    const path = `/accounts/${accountId}/statement?from=${iso(start)}&to=${iso(end)}`;
    const res = await h.http.get(path).set(bearer(admin));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual(mine);
    const key = await h.http
      .post("/api-keys")
      .set(bearer(admin))
      .send({ name: "statements", scopes: ["read"] });
    expect((await h.http.get(path).set(bearer(key.body.key))).body).toEqual(mine);
    expectError(await h.http.get(path).set(bearer(owner)), 403, "FORBIDDEN", "ADMIN_ONLY");
    expectError(await h.http.get(`${path}&format=csv`).set(bearer(owner)), 403, "FORBIDDEN", "ADMIN_ONLY");
    expectError(await h.http.get(path), 401, "UNAUTHORIZED", "AUTH_REQUIRED");
    expectError(
      await h.http.get("/accounts/00000000-0000-4000-8000-000000000000/statement").set(bearer(admin)),
      404,
      "NOT_FOUND",
      "ACCOUNT_NOT_FOUND",
    );
  });
});

describe("?format=csv", () => {
  it("answers the statement as text/csv: opening row, entries oldest first, closing row", async () => {
    const s = await statementOf(start, end);
    for (const [who, path] of [
      [owner, `/users/me/statement?accountId=${accountId}&from=${iso(start)}&to=${iso(end)}&format=csv`],
      [admin, `/accounts/${accountId}/statement?from=${iso(start)}&to=${iso(end)}&format=csv`],
    ] as const) {
      const res = await h.http.get(path).set(bearer(who));
      expect(res.status, res.text).toBe(200);
      expect(res.type).toBe("text/csv");
      expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="statement-[0-9a-f-]{36}-/);
      const lines = res.text.trimEnd().split("\r\n");
      expect(lines[0]).toBe(
        "createdAt,id,kind,direction,counterparty,amount,balanceAfter,productTitle,reason,refundOf,transactionId",
      );
      expect(lines[1]).toBe(`${s.from},,opening balance,,,,0.00,,,,`);
      expect(lines.at(-1)).toBe(`${s.to},,closing balance,,,,${s.closingBalance},,,,`);
      expect(lines.slice(2, -1).map((l) => l.split(",")[1])).toEqual(s.entries.map((e) => e.id));
    }
  });

  it("guards cells a spreadsheet would run as formulas", async () => {
    const buyer = await createUser(h, { numericId: providerId() });
    const { accountId: account } = await credit(h, buyer, providerId(), "10.00");
    const product = await createProduct(h, admin, "1.00", '=HYPERLINK("http://e.x","c")');
    await h.http
      .post("/products/buy")
      .set(bearer(buyer))
      .send({ productId: product.id, accountId: account })
      .expect(200);
    const res = await h.http.get(`/users/me/statement?accountId=${account}&format=csv`).set(bearer(buyer));
    expect(res.text).toContain(`"'=HYPERLINK(""http://e.x"",""c"")"`);
  });
});

describe("GET /accounts/{id}/balance?at=", () => {
  it("is the balance after the last entry at or before the instant; 0.00 before the first", async () => {
    expect(await balanceAt(start)).toBe("0.00");
    for (const e of history) {
      const at = Date.parse(e.createdAt);
      expect(await balanceAt(at)).toBe(expectedBalanceAt(at));
      expect(await balanceAt(at - 1)).toBe(expectedBalanceAt(at - 1));
    }
    const now = await h.http.get(`/accounts/${accountId}/balance`).set(bearer(owner));
    expect(now.body.balance).toBe((await ledgerAndBalance(h, accountId)).balance);
  });

  it("for the owner, an administrator and a read key; anyone else's account is not found", async () => {
    const at = iso(end);
    const byAdmin = await h.http.get(`/accounts/${accountId}/balance?at=${at}`).set(bearer(admin));
    expect(byAdmin.body).toEqual({ accountId, at, balance: expectedBalanceAt(end) });
    const key = await h.http
      .post("/api-keys")
      .set(bearer(admin))
      .send({ name: "balances", scopes: ["read"] });
    expect((await h.http.get(`/accounts/${accountId}/balance?at=${at}`).set(bearer(key.body.key))).body).toEqual(
      byAdmin.body,
    );
    const money = await h.http
      .post("/api-keys")
      .set(bearer(admin))
      .send({ name: "money only", scopes: ["money"] });
    expectError(
      await h.http.get(`/accounts/${accountId}/balance`).set(bearer(money.body.key)),
      403,
      "FORBIDDEN",
      "INSUFFICIENT_SCOPE",
    );
    const stranger = await createUser(h);
    expectError(
      await h.http.get(`/accounts/${accountId}/balance`).set(bearer(stranger)),
      404,
      "NOT_FOUND",
      "ACCOUNT_NOT_FOUND",
    );
    expectError(
      await h.http.get(`/accounts/${accountId}/balance?at=now`).set(bearer(owner)),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
  });
});
