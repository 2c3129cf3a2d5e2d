// Keyset paging of every listing: nextCursor walks the whole filter in the same order as one big page,
// prevCursor walks back, `cursor=last` is the last page, rows inserted meanwhile neither repeat nor go
// missing, and a cursor that is not one of this listing (forged, another listing's, another sort's) is a
// 400, never a 500.
import { MAX_OFFSET } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  expectError,
  providerId,
  uniqueLogin,
  useHarness,
} from "./harness.ts";

const h = useHarness();
let admin: TestUser;
let alice: TestUser;
let aliceAccount: string;
const stem = uniqueLogin("cur");
const users: TestUser[] = [];

type Page = {
  items: { id: string }[];
  total: number;
  totalIsEstimate: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
};

async function page(path: string, query: Record<string, unknown>, as: TestUser = admin): Promise<Page> {
  const res = await h.http.get(path).query(query).set(bearer(as));
  expect(res.status, res.text).toBe(200);
  return res.body as Page;
}

/** Every id of the filter, following nextCursor from the first page (limit 2). */
async function forward(path: string, query: Record<string, unknown>, as?: TestUser) {
  const ids: string[] = [];
  let p = await page(path, { ...query, limit: 2 }, as);
  expect(p.prevCursor).toBeNull();
  for (let i = 0; ; i++) {
    ids.push(...p.items.map((x) => x.id));
    if (!p.nextCursor) break;
    expect(i).toBeLessThan(100);
    p = await page(path, { ...query, limit: 2, cursor: p.nextCursor }, as);
  }
  return ids;
}

/** Every id of the filter, from `cursor=last` following prevCursor, in listing order. */
async function backward(path: string, query: Record<string, unknown>, as?: TestUser) {
  const pages: string[][] = [];
  let p = await page(path, { ...query, limit: 2, cursor: "last" }, as);
  expect(p.nextCursor).toBeNull();
  for (let i = 0; ; i++) {
    pages.unshift(p.items.map((x) => x.id));
    if (!p.prevCursor) break;
    expect(i).toBeLessThan(100);
    p = await page(path, { ...query, limit: 2, cursor: p.prevCursor }, as);
  }
  return pages.flat();
}

/** The whole filter in one page, by offset: the order the cursors must reproduce. */
async function all(path: string, query: Record<string, unknown>, as?: TestUser) {
  const p = await page(path, { ...query, limit: 100 }, as);
  expect(p.nextCursor).toBeNull();
  expect(p.total).toBe(p.items.length);
  expect(p.totalIsEstimate).toBe(false);
  return p.items.map((x) => x.id);
}

async function walksBothWays(path: string, query: Record<string, unknown>, as?: TestUser) {
  const expected = await all(path, query, as);
  expect(expected.length).toBeGreaterThan(2);
  expect(await forward(path, query, as)).toEqual(expected);
  expect(await backward(path, query, as)).toEqual(expected);
}

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  for (let i = 0; i < 5; i++) users.push(await createUser(h, { numericId: providerId(), login: `${stem}u${i}` }));
  alice = users[0]!;
  for (const [i, u] of users.entries()) {
    const { accountId } = await credit(h, u, providerId(), `${10 + (i % 3)}.00`);
    if (i === 0) aliceAccount = accountId;
  }
  for (let i = 0; i < 4; i++) await credit(h, alice, providerId(), "1.00");
  const product = await createProduct(h, admin, "1.50", `Cursor lamp ${stem}`);
  for (let i = 0; i < 3; i++) await createProduct(h, admin, `${2 + i}.00`, `Cursor item ${stem} ${i}`);
  for (let i = 0; i < 3; i++) {
    const bought = await h.http
      .post("/products/buy")
      .set(bearer(alice))
      .send({ productId: product.id, accountId: aliceAccount });
    expect(bought.status, bought.text).toBeLessThan(300);
  }
});

describe("keyset cursors", () => {
  it("/transactions: every filter walks forward and back in the order of one page", async () => {
    await walksBothWays("/transactions", {});
    await walksBothWays("/transactions", { kind: "credit" });
    await walksBothWays("/transactions", { userId: alice.id });
    await walksBothWays("/transactions", { accountId: aliceAccount });
    await walksBothWays("/transactions", { from: new Date(Date.now() - 3_600_000).toISOString() });
  });

  it("/users: each sort, both orders", async () => {
    for (const sort of ["login", "joined", "balance"]) {
      for (const order of ["asc", "desc"]) await walksBothWays("/users", { search: stem, sort, order });
    }
    await walksBothWays("/users", { search: stem, status: "active" });
  });

  it("/webhooks, /audit, a user's history, the user's own history and /products", async () => {
    await walksBothWays("/webhooks", { outcome: "credited" });
    await walksBothWays("/audit", {});
    await walksBothWays(`/users/${alice.id}/transactions`, {});
    await walksBothWays("/users/me/transactions", {}, alice);
    await walksBothWays("/products", { search: stem, sort: "price", order: "desc" });
    await walksBothWays("/products", { search: stem, sort: "title" });
  });

  it("a page's prevCursor leads back to the page before it", async () => {
    const first = await page("/transactions", { limit: 2 });
    const second = await page("/transactions", { limit: 2, cursor: first.nextCursor });
    expect(second.prevCursor).not.toBeNull();
    const back = await page("/transactions", { limit: 2, cursor: second.prevCursor });
    expect(back.items.map((x) => x.id)).toEqual(first.items.map((x) => x.id));
    expect(back.nextCursor).not.toBeNull();
  });

  it("is stable under inserts: rows written after the first page neither repeat nor shift it", async () => {
    const query = { accountId: aliceAccount };
    const expected = await all("/transactions", query);
    const first = await page("/transactions", { ...query, limit: 2 });
    await credit(h, alice, providerId(), "3.00");
    const ids = first.items.map((x) => x.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const p = await page("/transactions", { ...query, limit: 2, cursor });
      ids.push(...p.items.map((x) => x.id));
      cursor = p.nextCursor;
    }
    expect(ids).toEqual(expected);
  });

  it("offset still works, bounded", async () => {
    const expected = await all("/transactions", { kind: "credit" });
    const p = await page("/transactions", { kind: "credit", limit: 2, offset: 2 });
    expect(p.items.map((x) => x.id)).toEqual(expected.slice(2, 4));
    expect(p.prevCursor).not.toBeNull();
    // At most 10,000 (MAX_OFFSET): deeper, the answer says to page with a cursor.
    const deep = await h.http.get("/users").query({ offset: MAX_OFFSET }).set(bearer(admin));
    expect(deep.status, deep.text).toBe(200);
    const tooDeep = await h.http
      .get("/users")
      .query({ offset: MAX_OFFSET + 1 })
      .set(bearer(admin));
    expectError(tooDeep, 400, "BAD_REQUEST");
    expect(tooDeep.body).toMatchObject({ appCode: "INVALID_INPUT" });
    expect(tooDeep.body.issues).toEqual([
      expect.objectContaining({ path: ["offset"], message: expect.stringMatching(/10000 at most.*cursor/) }),
    ]);
  });

  it("refuses a cursor that is not one of this listing with 400 INVALID_INPUT", async () => {
    const usersCursor = (await page("/users", { search: stem, limit: 1 })).nextCursor!;
    const loginDesc = (await page("/users", { search: stem, sort: "login", order: "desc", limit: 1 })).nextCursor!;
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const bad: [string, Record<string, unknown>][] = [
      ["/transactions", { cursor: usersCursor }],
      ["/users", { search: stem, sort: "login", cursor: usersCursor }],
      ["/transactions", { cursor: forged(["ledger.createdAt.desc", "n", "2026-02-30 00:00:00+00", "1"]) }],
      ["/users", { search: stem, sort: "login", order: "asc", cursor: loginDesc }],
      ["/transactions", { cursor: "abc" }],
      ["/transactions", { cursor: forged(["ledger.createdAt.desc", "n", "yesterday", "1"]) }],
      ["/transactions", { cursor: forged(["ledger.createdAt.desc", "n", "2026-01-01 00:00:00+00", "1; DROP"]) }],
      ["/transactions", { cursor: forged(["ledger.createdAt.desc", "x", "2026-01-01 00:00:00+00", "1"]) }],
      ["/users", { sort: "balance", cursor: forged(["users.balance.asc", "n", "1e9", "1"]) }],
      ["/webhooks", { cursor: forged({ a: 1 }) }],
    ];
    for (const [path, query] of bad) {
      const res = await h.http.get(path).query(query).set(bearer(admin));
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.appCode, `${path} ${JSON.stringify(query)}`).toBe("INVALID_INPUT");
    }
    // Not even base64url: the contract's pattern refuses it.
    expectError(await h.http.get("/audit").query({ cursor: "a+b/" }).set(bearer(admin)), 400, "BAD_REQUEST");
  });
});
