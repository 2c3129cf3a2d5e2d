// The text rule at both doors (REST and tRPC, body and query): broken text (a lone surrogate, U+0000,
// another control character) is 400 INVALID_INPUT and nothing is written: no money moves, no ledger
// row, no audit entry, no product. The schemas' side (every field of every procedure) is
// test/text-rule.test.ts.
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

const h = useHarness();
let admin: TestUser;
let alice: TestUser;
let account: string;
let purchaseId: string;
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

/** What must not change: the account, the number of ledger rows, audit entries and products. */
async function snapshot() {
  const counts = await h.db.prisma.$queryRaw<{ ledger: number; audit: number; products: number }[]>`
    SELECT (SELECT count(*)::int4 FROM ledger_entries) AS ledger, (SELECT count(*)::int4 FROM audit_log) AS audit,
           (SELECT count(*)::int4 FROM products) AS products`;
  return { ...counts[0]!, account: await ledgerAndBalance(h, account) };
}

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  alice = await createUser(h, { numericId: providerId() });
  account = (await credit(h, alice, providerId(), "100.00")).accountId;
  const product = await createProduct(h, admin, "30.00", "Lamp");
  const bought = await h.http
    .post("/products/buy")
    .set(auth(alice))
    .send({ productId: product.id, accountId: account });
  expect(bought.status, bought.text).toBe(200);
  purchaseId = bought.body.purchase.id;
});

/** A JSON body sent as these exact bytes (`\ud800` stays an escape in the text, as a client writes it). */
const json = (text: string) => ({ "Content-Type": "application/json", text });

describe("REST bodies", () => {
  it('an adjustment of 1,000,000,000.00 with reason "x \\ud800 y" is 400 and moves nothing', async () => {
    const before = await snapshot();
    const body = json(String.raw`{"direction":"credit","amount":"1000000000","reason":"x \ud800 y"}`);
    const res = await h.http
      .post(`/accounts/${account}/adjustments`)
      .set(auth(admin))
      .set("Content-Type", body["Content-Type"])
      .send(body.text);
    expectError(res, 400, "BAD_REQUEST", "INVALID_INPUT");
    expect(res.body.issues[0].path).toEqual(["reason"]);
    // Retried with an Idempotency-Key: refused the same way, still nothing written.
    const retried = await h.http
      .post(`/accounts/${account}/adjustments`)
      .set(auth(admin))
      .set("Idempotency-Key", randomUUID())
      .set("Content-Type", body["Content-Type"])
      .send(body.text);
    expectError(retried, 400, "BAD_REQUEST", "INVALID_INPUT");
    expect(await snapshot()).toEqual(before);
  });

  it("a refund with such a reason (or U+0000, or another control character) is 400 and moves nothing", async () => {
    const before = await snapshot();
    for (const reason of [
      String.raw`x \ud800 y`,
      String.raw`x \udc00 y`,
      String.raw`x \u0000 y`,
      String.raw`x \u001b y`,
    ]) {
      const res = await h.http
        .post(`/transactions/${purchaseId}/refund`)
        .set(auth(admin))
        .set("Content-Type", "application/json")
        .send(`{"amount":"10","reason":"${reason}"}`);
      expectError(res, 400, "BAD_REQUEST", "INVALID_INPUT");
    }
    expect(await snapshot()).toEqual(before);
    // The same refund with clean text (line breaks are allowed in a reason) goes through.
    const ok = await h.http
      .post(`/transactions/${purchaseId}/refund`)
      .set(auth(admin))
      .send({ amount: "10", reason: "Dented\nbox 😀" });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.refund.reason).toBe("Dented\nbox 😀");
  });

  it("a product titled with a control character or a lone surrogate is not created", async () => {
    const before = await snapshot();
    for (const title of ["Lamp\u0007", "Lamp\u007f", "Lamp\u0085", "Lamp\ud800", "Lamp\nshade"]) {
      const res = await h.http.post("/products").set(auth(admin)).send({ title, price: "1.00" });
      expectError(res, 400, "BAD_REQUEST", "INVALID_INPUT");
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("REST query strings", () => {
  it("a filter or a search with a control character is 400", async () => {
    expectError(
      await h.http.get("/audit").query({ targetId: "a\u0001b" }).set(auth(admin)),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
    expectError(
      await h.http.get("/audit").query({ targetId: "a\u0000b" }).set(auth(admin)),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
    expectError(
      await h.http.get("/products").query({ search: "lamp\u001b" }).set(auth(alice)),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
    expectError(
      await h.http.get("/users").query({ search: "a\u007fb" }).set(auth(admin)),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
  });
});

describe("tRPC", () => {
  /** A tRPC query with its input in the URL, as the client sends it. */
  const trpcQuery = (path: string, input: string) =>
    h.http.get(`/trpc/${path}?input=${encodeURIComponent(input)}`).set(auth(admin));

  it('GET /trpc/audit.list?input={"targetId":"a\\u0000b"} is 400, not 500', async () => {
    for (const input of [
      String.raw`{"targetId":"a\u0000b"}`,
      String.raw`{"targetId":"a\ud800b"}`,
      String.raw`{"targetId":"a\u0007b"}`,
    ]) {
      const res = await trpcQuery("audit.list", input);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.data.appCode).toBe("INVALID_INPUT");
    }
    const ok = await trpcQuery("audit.list", `{"targetId":"${account}"}`);
    expect(ok.status, ok.text).toBe(200);
  });

  it("a tRPC search query and a tRPC adjustment with broken text are 400, nothing moved", async () => {
    const search = await h.http
      .get(`/trpc/products.list?input=${encodeURIComponent(String.raw`{"search":"\ud800"}`)}`)
      .set(auth(alice));
    expect(search.status, search.text).toBe(400);
    const before = await snapshot();
    const res = await h.http
      .post("/trpc/accounts.adjust")
      .set(auth(admin))
      .set("Content-Type", "application/json")
      .send(String.raw`{"id":"${account}","direction":"credit","amount":"1000000000","reason":"x \ud800 y"}`);
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.data.appCode).toBe("INVALID_INPUT");
    expect(await snapshot()).toEqual(before);
  });
});
