// API keys (issue 21): made by administrators, shown once, stored hashed; sent as a bearer like a token;
// scopes read / write / money (403 INSUFFICIENT_SCOPE outside them); every write made with a key audited
// with the key as its actor; a revocation refused at the very next call; the typed client takes a key.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../src/client.ts";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  expectError,
  providerId,
  rejectsWith,
  useHarness,
} from "./harness.ts";

const h = useHarness();
let admin: TestUser;

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
});

async function newKey(scopes: string[], by: TestUser = admin, name = `key ${scopes.join("+")}`) {
  const res = await h.http.post("/api-keys").set(bearer(by)).send({ name, scopes });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; key: string; prefix: string; name: string; scopes: string[] };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("POST /api-keys, GET /api-keys", () => {
  it("shows the key once (shop_sk_ + 32 random bytes), stores only its hash, lists it without it", async () => {
    const created = await newKey(["money", "read"], admin, "shipping backend");
    expect(created.key).toMatch(/^shop_sk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.key.slice("shop_sk_".length), "base64url")).toHaveLength(32);
    expect(created).toMatchObject({
      name: "shipping backend",
      prefix: created.key.slice(0, 12),
      scopes: ["read", "money"],
      createdBy: { id: admin.id, login: admin.login },
      lastUsedAt: null,
      revokedAt: null,
    });
    const [row] = await h.db.prisma.$queryRaw<{ key_hash: string }[]>`
      SELECT key_hash FROM api_keys WHERE id = ${created.id}::uuid`;
    expect(row!.key_hash).toBe(sha256(created.key));
    const stored = await h.db.prisma.$queryRaw<{ t: string }[]>`SELECT row_to_json(k)::text AS t FROM api_keys k`;
    for (const { t } of stored) expect(t).not.toContain(created.key.slice(12));

    const list = await h.http.get("/api-keys").set(bearer(admin));
    expect(list.status, list.text).toBe(200);
    expect(list.text).not.toContain(created.key);
    expect(list.body.items.find((k: { id: string }) => k.id === created.id)).toEqual({
      id: created.id,
      name: created.name,
      prefix: created.prefix,
      scopes: ["read", "money"],
      createdBy: { id: admin.id, login: admin.login },
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
  });

  it("two keys never share a hash; the creation is audited with the person as actor", async () => {
    const [a, b] = [await newKey(["read"]), await newKey(["read"])];
    expect(a.key).not.toBe(b.key);
    const audit = await h.http.get(`/audit?targetId=${a.id}`).set(bearer(admin));
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: "api_key.create",
        targetType: "api_key",
        actor: { type: "user", id: admin.id, login: admin.login },
        after: { name: a.name, prefix: a.prefix, scopes: ["read"] },
      }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(a.key);
  });

  it("refuses bad input, other users and anonymous callers", async () => {
    const user = await createUser(h);
    expectError(
      await h.http.post("/api-keys").send({ name: "x", scopes: ["read"] }),
      401,
      "UNAUTHORIZED",
      "AUTH_REQUIRED",
    );
    expectError(
      await h.http
        .post("/api-keys")
        .set(bearer(user))
        .send({ name: "x", scopes: ["read"] }),
      403,
      "FORBIDDEN",
      "ADMIN_ONLY",
    );
    for (const body of [
      { name: "x", scopes: [] },
      { name: "x", scopes: ["read", "read"] },
      { name: "x", scopes: ["admin"] },
      { name: "", scopes: ["read"] },
      { name: "x".repeat(101), scopes: ["read"] },
      { scopes: ["read"] },
    ]) {
      expectError(await h.http.post("/api-keys").set(bearer(admin)).send(body), 400, "BAD_REQUEST", "INVALID_INPUT");
    }
  });
});

describe("calls made with a key", () => {
  it("read: every administrative GET and the product list; nothing else", async () => {
    const { key } = await newKey(["read"]);
    for (const path of [
      "/transactions",
      "/users",
      "/audit",
      "/reconciliation",
      "/stats",
      "/webhooks",
      "/products",
      "/api-keys",
    ]) {
      const res = await h.http.get(path).set(bearer(key));
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
    const csv = await h.http.get("/transactions.csv").set(bearer(key));
    expect(csv.status).toBe(200);
    expectError(
      await h.http.post("/products").set(bearer(key)).send({ title: "T", description: "", price: "1" }),
      403,
      "FORBIDDEN",
      "INSUFFICIENT_SCOPE",
    );
    // A person's own wallet and key management: never with a key.
    expectError(await h.http.get("/users/me").set(bearer(key)), 403, "FORBIDDEN", "INSUFFICIENT_SCOPE");
    expectError(await h.http.get("/auth/session").set(bearer(key)), 403, "FORBIDDEN", "INSUFFICIENT_SCOPE");
    expectError(
      await h.http
        .post("/api-keys")
        .set(bearer(key))
        .send({ name: "child", scopes: ["read"] }),
      403,
      "FORBIDDEN",
      "INSUFFICIENT_SCOPE",
    );
  });

  it("write: products and users, audited with the key as the actor", async () => {
    const k = await newKey(["write"], admin, "catalogue sync");
    const created = await h.http
      .post("/products")
      .set(bearer(k.key))
      .send({ title: "Synced", description: "", price: "3.00" });
    expect(created.status, created.text).toBe(201);
    const user = await createUser(h);
    const disabled = await h.http.put(`/users/${user.id}`).set(bearer(k.key)).send({ isActive: false });
    expect(disabled.status, disabled.text).toBe(200);
    expectError(await h.http.get("/transactions").set(bearer(k.key)), 403, "FORBIDDEN", "INSUFFICIENT_SCOPE");
    expectError(
      await h.http.post(`/accounts/${created.body.id}/adjustments`).set(bearer(k.key)).send({
        direction: "credit",
        amount: "1",
        reason: "not allowed",
      }),
      403,
      "FORBIDDEN",
      "INSUFFICIENT_SCOPE",
    );
    const audit = await h.http.get(`/audit?actorId=${k.id}`).set(bearer(admin));
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      "product.create",
      "user.disable",
    ]);
    for (const entry of audit.body.items) {
      expect(entry.actor).toEqual({ type: "api_key", id: k.id, login: "catalogue sync" });
    }
  });

  it("money: refunds and adjustments, audited with the key as the actor", async () => {
    const k = await newKey(["money"], admin, "payments");
    const user = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, user, providerId(), "50.00");
    const product = await createProduct(h, admin, "10.00");
    const bought = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
    expect(bought.status, bought.text).toBe(200);
    const refund = await h.http
      .post(`/transactions/${bought.body.purchase.id}/refund`)
      .set(bearer(k.key))
      .send({ reason: "never shipped" });
    expect(refund.status, refund.text).toBe(201);
    const adjust = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(bearer(k.key))
      .send({ direction: "debit", amount: "5", reason: "fee" });
    expect(adjust.status, adjust.text).toBe(201);
    expect(adjust.body.account.balance).toBe("45.00");
    const audit = await h.http.get(`/audit?actorId=${k.id}`).set(bearer(admin));
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      "account.adjust",
      "transaction.refund",
    ]);
    expect(audit.body.items[0].actor).toEqual({ type: "api_key", id: k.id, login: "payments" });
  });

  it("the typed client takes a key like a token", async () => {
    const k = await newKey(["read"]);
    const res = await h.caller(k.key).transactions.list({});
    expect(res.items).toBeInstanceOf(Array);
    await rejectsWith(h.caller(k.key).me.get(), "FORBIDDEN", /people signed in/);
    // createClient(baseUrl, key) sends it as the bearer: its header is the one the server reads.
    expect(typeof createClient("http://shop.test", k.key).transactions.list.query).toBe("function");
  });

  it("notes when a key was last used (to the minute)", async () => {
    const k = await newKey(["read"]);
    await h.http.get("/transactions").set(bearer(k.key)).expect(200);
    const list = await h.http.get("/api-keys").set(bearer(admin));
    const seen = list.body.items.find((i: { id: string }) => i.id === k.id);
    expect(Date.now() - Date.parse(seen.lastUsedAt)).toBeLessThan(60_000);
  });

  it("refuses made-up, malformed and truncated keys as invalid", async () => {
    const k = await newKey(["read"]);
    for (const key of ["shop_sk_", "shop_sk_short", `shop_sk_${"A".repeat(43)}`, k.key.slice(0, -1), `${k.key}x`]) {
      expectError(await h.http.get("/transactions").set(bearer(key)), 401, "UNAUTHORIZED", "TOKEN_INVALID");
    }
  });
});

describe("DELETE /api-keys/{id}", () => {
  it("refuses the key from the next call on, audits the revocation once, and says so again idempotently", async () => {
    const k = await newKey(["read", "write"]);
    await h.http.get("/transactions").set(bearer(k.key)).expect(200);
    const revoked = await h.http.delete(`/api-keys/${k.id}`).set(bearer(admin));
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expectError(await h.http.get("/transactions").set(bearer(k.key)), 401, "UNAUTHORIZED", "TOKEN_REVOKED");
    await rejectsWith(h.caller(k.key).transactions.list({}), "UNAUTHORIZED", /revoked/);

    const again = await h.http.delete(`/api-keys/${k.id}`).set(bearer(admin));
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const audit = await h.http.get(`/audit?targetId=${k.id}&action=api_key.revoke`).set(bearer(admin));
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].actor).toEqual({ type: "user", id: admin.id, login: admin.login });
  });

  it("404 for an unknown key; a key cannot revoke keys", async () => {
    expectError(
      await h.http.delete("/api-keys/00000000-0000-4000-8000-000000000000").set(bearer(admin)),
      404,
      "NOT_FOUND",
      "API_KEY_NOT_FOUND",
    );
    const k = await newKey(["read", "write", "money"]);
    expectError(await h.http.delete(`/api-keys/${k.id}`).set(bearer(k.key)), 403, "FORBIDDEN", "INSUFFICIENT_SCOPE");
  });

  it("a key stops working when its creator is disabled or loses the admin role", async () => {
    const creator = await createUser(h, { isAdmin: true });
    const k = await newKey(["read"], creator);
    await h.http.get("/transactions").set(bearer(k.key)).expect(200);
    await h.db.prisma.user.update({ where: { id: creator.id }, data: { isAdmin: false } });
    expectError(await h.http.get("/transactions").set(bearer(k.key)), 401, "UNAUTHORIZED", "TOKEN_REVOKED");
    await h.db.prisma.user.update({ where: { id: creator.id }, data: { isAdmin: true } });
    await h.http.get("/transactions").set(bearer(k.key)).expect(200);
    const off = await h.http.put(`/users/${creator.id}`).set(bearer(admin)).send({ isActive: false });
    expect(off.status, off.text).toBe(200);
    expectError(await h.http.get("/transactions").set(bearer(k.key)), 401, "UNAUTHORIZED", "TOKEN_REVOKED");
  });
});

describe("the document", () => {
  it("lists per operation whether a key may call it and with which scope", async () => {
    const doc = (await h.http.get("/openapi.json")).body;
    expect(doc.components.securitySchemes.ApiKeyMoney).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/transactions/{id}/refund"].post.security).toEqual([{ Authorization: [] }, { ApiKeyMoney: [] }]);
    expect(doc.paths["/products"].post.security).toEqual([{ Authorization: [] }, { ApiKeyWrite: [] }]);
    expect(doc.paths["/transactions"].get.security).toEqual([{ Authorization: [] }, { ApiKeyRead: [] }]);
    expect(doc.paths["/users/me"].get.security).toEqual([{ Authorization: [] }]);
    expect(doc.paths["/api-keys"].post.security).toEqual([{ Authorization: [] }]);
    const forbidden = doc.paths["/users/me"].get.responses["403"].content["application/json"].schema;
    expect(forbidden.properties.appCode.enum).toContain("INSUFFICIENT_SCOPE");
    expect(doc.paths["/api-keys"].post.responses["201"]).toBeDefined();
  });
});
