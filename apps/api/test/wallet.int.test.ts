// The user's own view over HTTP (and tRPC): GET /users/me and GET /users/me/transactions.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  providerId,
  rejectsWith,
  useHarness,
} from "./harness.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Tx {
  id: string;
  kind: "credit" | "purchase";
  amount: string;
  balanceAfter: string;
  accountId: string;
  accountNumericId: number;
  createdAt: string;
  transactionId: number | null;
  productId: string | null;
  productTitle: string | null;
}

describe("wallet: GET /users/me and /users/me/transactions", () => {
  const h = useHarness();
  let admin: TestUser;
  let user: TestUser;
  let billA: number;
  let billB: number;
  let accountA: string;
  let accountB: string;
  let product: { id: string; title: string };
  /** Everything done for `user`, oldest first (what the ledger should show newest first). */
  const done: Partial<Tx>[] = [];

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    user = await createUser(h);
    product = await createProduct(h, admin, "12.50", "Book");
    billA = providerId();
    billB = providerId();
    const c1 = await credit(h, user, billA, "100");
    accountA = c1.accountId;
    done.push({ kind: "credit", amount: "100.00", balanceAfter: "100.00", accountId: accountA });
    const c2 = await credit(h, user, billB, "20.5");
    accountB = c2.accountId;
    done.push({ kind: "credit", amount: "20.50", balanceAfter: "20.50", accountId: accountB });
    for (const [accountId, after] of [
      [accountA, "87.50"],
      [accountB, "8.00"],
      [accountA, "75.00"],
    ] as const) {
      const res = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
      expect(res.status, res.text).toBe(200);
      done.push({
        kind: "purchase",
        amount: "12.50",
        balanceAfter: after,
        accountId,
        productId: product.id,
        productTitle: "Book",
      });
    }
  });

  const get = (path: string, token?: string) => {
    return h.http.get(path).set(bearer(token));
  };

  describe("GET /users/me", () => {
    it("has the documented shape: the user, the accounts and the history newest first", async () => {
      const res = await get("/users/me", user.token);
      expect(res.status, res.text).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(
        ["accounts", "id", "isActive", "isAdmin", "login", "numericId", "transactions"].sort(),
      );
      expect(res.body).toMatchObject({
        id: user.id,
        numericId: user.numericId,
        login: user.login,
        isAdmin: false,
        isActive: true,
      });
      // No secrets leak into the view.
      expect(res.text).not.toMatch(/password|tokenVersion|activation/i);

      // Accounts in bill order, money as two-decimal strings.
      const accounts = [
        { id: accountA, numericId: billA, balance: "75.00", held: "0.00", available: "75.00" },
        { id: accountB, numericId: billB, balance: "8.00", held: "0.00", available: "8.00" },
      ].sort((a, b) => a.numericId - b.numericId);
      expect(res.body.accounts).toEqual(accounts);

      const txs = res.body.transactions as Tx[];
      expect(txs).toHaveLength(done.length);
      expect(txs).toEqual([...done].reverse().map((d) => expect.objectContaining(d)));
      for (const t of txs) {
        expect(Object.keys(t).sort()).toEqual(
          [
            "accountId",
            "accountNumericId",
            "amount",
            "balanceAfter",
            "counterparty",
            "createdAt",
            "direction",
            "id",
            "kind",
            "productId",
            "productTitle",
            "reason",
            "refundOf",
            "refundedAmount",
            "transactionId",
          ].sort(),
        );
        expect(t.id).toMatch(UUID);
        expect(t.createdAt).toMatch(ISO);
        expect(t.accountNumericId).toBe(t.accountId === accountA ? billA : billB);
        if (t.kind === "credit") {
          expect(t.transactionId).toEqual(expect.any(Number));
          expect(t.productId).toBeNull();
          expect(t.productTitle).toBeNull();
        } else {
          expect(t.transactionId).toBeNull();
          expect(t.productId).toBe(product.id);
          expect(t.productTitle).toBe("Book");
        }
      }
      // Newest first (the history is ordered by seq; times, taken after the row lock, never go back).
      const times = txs.map((t) => Date.parse(t.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      // The credits carry the provider's transaction ids, as recorded.
      const credits = await h.db.prisma.ledgerEntry.findMany({
        where: { kind: "credit", account: { userId: user.id } },
      });
      expect(new Set(txs.filter((t) => t.kind === "credit").map((t) => t.transactionId))).toEqual(
        new Set(credits.map((c) => Number(c.transactionId))),
      );
    });

    it("shows an empty wallet for a new user, and isAdmin for an admin", async () => {
      const fresh = await createUser(h);
      const res = await get("/users/me", fresh.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: fresh.id, accounts: [], transactions: [] });
      const me = await get("/users/me", admin.token);
      expect(me.body.isAdmin).toBe(true);
    });

    it("shows only the caller's own accounts and history", async () => {
      const other = await createUser(h);
      await credit(h, other, providerId(), "1");
      const res = await get("/users/me", user.token);
      expect(res.body.accounts).toHaveLength(2);
      expect(res.body.transactions).toHaveLength(done.length);
      const theirs = await get("/users/me", other.token);
      expect(theirs.body.accounts).toHaveLength(1);
      expect(theirs.body.transactions).toHaveLength(1);
    });

    it("shows the latest 50 entries across all accounts, exactly as the history endpoint lists them", async () => {
      const busy = await createUser(h);
      const [billA, billB] = [providerId(), providerId()];
      for (let i = 1; i <= 56; i++) await credit(h, busy, i % 2 ? billA : billB, `${i}.0${i % 10}`);
      const me = await get("/users/me", busy.token);
      expect(me.status).toBe(200);
      expect(me.body.transactions).toHaveLength(50);
      expect(me.body.transactions[0]).toMatchObject({ amount: "56.06", accountNumericId: billB });
      expect(me.body.transactions[49]).toMatchObject({ amount: "7.07", accountNumericId: billA });
      const history = await get("/users/me/transactions?limit=50", busy.token);
      expect(history.body.total).toBe(56);
      expect(me.body.transactions).toEqual(history.body.items);
    });

    it("answers 401 anonymously or with a bad token, 403 for a disabled user", async () => {
      expect((await get("/users/me")).status).toBe(401);
      expect((await get("/users/me", "garbage")).status).toBe(401);
      const disabled = await createUser(h, { isActive: false });
      const res = await get("/users/me", disabled.token);
      expect(res.status).toBe(403);
    });

    it("is the same over tRPC", async () => {
      const rest = await get("/users/me", user.token);
      const trpc = await h.caller(user.token).me.get();
      expect(trpc).toEqual(rest.body);
      await rejectsWith(h.caller().me.get(), "UNAUTHORIZED");
    });
  });

  describe("GET /users/me/transactions", () => {
    it("pages the history newest first with limit, offset and total", async () => {
      const all = await get("/users/me/transactions", user.token);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: done.length, limit: 20, offset: 0 });
      const ids = (all.body.items as Tx[]).map((t) => t.id);
      expect(ids).toHaveLength(done.length);
      expect(all.body.items).toEqual([...done].reverse().map((d) => expect.objectContaining(d)));

      const page = await get("/users/me/transactions?limit=2&offset=1", user.token);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: done.length, limit: 2, offset: 1 });
      expect((page.body.items as Tx[]).map((t) => t.id)).toEqual(ids.slice(1, 3));

      const past = await get("/users/me/transactions?limit=10&offset=50", user.token);
      expect(past.body).toMatchObject({ items: [], total: done.length, offset: 50 });

      const max = await get("/users/me/transactions?limit=100", user.token);
      expect(max.status).toBe(200);
      expect(max.body.limit).toBe(100);
    });

    it("filters by account", async () => {
      const res = await get(`/users/me/transactions?accountId=${accountB}`, user.token);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect((res.body.items as Tx[]).map((t) => [t.kind, t.balanceAfter])).toEqual([
        ["purchase", "8.00"],
        ["credit", "20.50"],
      ]);
      for (const t of res.body.items as Tx[]) expect(t.accountId).toBe(accountB);
      const a = await get(`/users/me/transactions?accountId=${accountA}&limit=1`, user.token);
      expect(a.body).toMatchObject({ total: 3, limit: 1 });
      expect(a.body.items[0]).toMatchObject({ kind: "purchase", balanceAfter: "75.00" });
    });

    it("shows nothing of another user's account or an unknown one", async () => {
      const other = await createUser(h);
      const { accountId } = await credit(h, other, providerId(), "5");
      const foreign = await get(`/users/me/transactions?accountId=${accountId}`, user.token);
      expect(foreign.status).toBe(200);
      expect(foreign.body).toMatchObject({ items: [], total: 0 });
      const unknown = await get(`/users/me/transactions?accountId=${randomUUID()}`, user.token);
      expect(unknown.body).toMatchObject({ items: [], total: 0 });
    });

    it.each([
      "limit=101",
      "limit=0",
      "limit=-1",
      "limit=abc",
      "limit=1.5",
      "offset=-1",
      "offset=x",
      "accountId=not-a-uuid",
    ])("answers 400 for %s", async (query) => {
      const res = await get(`/users/me/transactions?${query}`, user.token);
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
    });

    it("answers 401 anonymously", async () => {
      expect((await get("/users/me/transactions")).status).toBe(401);
    });

    it("is the same over tRPC, with the same limits", async () => {
      const rest = await get(`/users/me/transactions?limit=3&offset=1&accountId=${accountA}`, user.token);
      const caller = h.caller(user.token);
      const trpc = await caller.me.transactions({ limit: 3, offset: 1, accountId: accountA });
      expect(trpc).toEqual(rest.body);
      await rejectsWith(caller.me.transactions({ limit: 101 }), "BAD_REQUEST");
      const defaults = await caller.me.transactions({});
      expect(defaults).toMatchObject({ limit: 20, offset: 0, total: done.length });
    });
  });
});
