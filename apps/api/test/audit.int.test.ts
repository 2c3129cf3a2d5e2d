// The audit log (GET /audit, append-only in the database) and the administrative writes it records:
// products (incl. POST /products/{id}/restore), users (status, enable/disable, activation links),
// refunds, adjustments, and the admin bootstrap of start-up and the CLI.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { AdminLoginTakenError, ensureAdmin } from "../src/services/admin-bootstrap.service.ts";
import { CLI_ACTOR } from "../src/services/audit.service.ts";
import {
  type TestUser,
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
let user: TestUser;
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  user = await createUser(h, { numericId: providerId() });
});

async function auditOf(query: Record<string, string>) {
  const res = await h.http.get("/audit").query(query).set(auth(admin));
  expect(res.status, res.text).toBe(200);
  return res.body.items as Record<string, unknown>[];
}

describe("products", () => {
  it("create, update (both prices), delete and restore are audited with the admin as actor", async () => {
    const product = await createProduct(h, admin, "10.00", "Mug");
    const update = await h.http.put(`/products/${product.id}`).set(auth(admin)).send({ price: "12.00" });
    expect(update.status).toBe(200);
    expect((await h.http.delete(`/products/${product.id}`).set(auth(admin))).status).toBe(200);
    const restored = await h.http
      .post(`/products/${product.id}/restore`)
      .send({})
      .set(auth(admin))
      .set("X-Request-Id", "req-restore-1");
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body).toMatchObject({ id: product.id, deletedAt: null, price: "12.00" });

    const entries = await auditOf({ targetId: product.id });
    expect(entries.map((e) => e.action)).toEqual([
      "product.restore",
      "product.delete",
      "product.update",
      "product.create",
    ]);
    expect(entries[2]).toMatchObject({
      actor: { type: "user", id: admin.id, login: admin.login },
      targetType: "product",
      before: { price: "10.00" },
      after: { price: "12.00" },
    });
    expect(entries[0]).toMatchObject({ requestId: "req-restore-1", after: { deletedAt: null } });
    expect(entries[3]!.after).toEqual({ title: "Mug", description: "A product", price: "10.00" });
  });

  it("restoring a live product changes nothing, not even updatedAt, and writes no audit entry", async () => {
    const product = await createProduct(h, admin, "3.00", "Live");
    const before = (await h.http.get(`/products/${product.id}`).set(auth(admin))).body;
    const res = await h.http.post(`/products/${product.id}/restore`).send({}).set(auth(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
    expect((await auditOf({ targetId: product.id })).map((e) => e.action)).toEqual(["product.create"]);
    expectError(await h.http.post(`/products/${randomUUID()}/restore`).send({}).set(auth(admin)), 404, "NOT_FOUND");
    const forbidden = await h.http.post(`/products/${product.id}/restore`).send({}).set(auth(user));
    expectError(forbidden, 403, "FORBIDDEN");
    expect(forbidden.body.appCode).toBe("ADMIN_ONLY");
  });
});

describe("users", () => {
  async function register() {
    const login = uniqueLogin("pend");
    const res = await h.http.post("/users").send({ login, password: "password-123" });
    expect(res.status).toBe(201);
    return res.body as { id: string; activationUrl: string };
  }

  it("status is pending until activation, active after, disabled by an admin; GET /users?status= filters", async () => {
    const pending = await register();
    const view = async () => (await h.http.get(`/users/${pending.id}`).set(auth(admin))).body.status;
    expect(await view()).toBe("pending");
    const listed = await h.http.get("/users").query({ status: "pending", limit: 100 }).set(auth(admin));
    expect(listed.body.items.map((u: { id: string }) => u.id)).toContain(pending.id);
    expect(listed.body.items.every((u: { status: string }) => u.status === "pending")).toBe(true);
    expectError(await h.http.get("/users").query({ status: "sleeping" }).set(auth(admin)), 400, "BAD_REQUEST");

    expect((await h.http.get(new URL(pending.activationUrl).pathname)).status).toBe(200);
    expect(await view()).toBe("active");
    expect((await h.http.put(`/users/${pending.id}`).set(auth(admin)).send({ isActive: false })).status).toBe(200);
    expect(await view()).toBe("disabled");
    expect((await h.http.put(`/users/${pending.id}`).set(auth(admin)).send({ isActive: true })).status).toBe(200);
    const entries = await auditOf({ targetId: pending.id });
    expect(entries.map((e) => e.action)).toEqual(["user.enable", "user.disable"]);
    expect(entries[1]).toMatchObject({ before: { status: "active" }, after: { status: "disabled", isActive: false } });
  });

  it("POST /users/{id}/activation-link: 201 a new link for a pending user, the old one stops working", async () => {
    const pending = await register();
    const res = await h.http.post(`/users/${pending.id}/activation-link`).send({}).set(auth(admin));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      activationUrl: expect.stringMatching(/^http:\/\/shop\.test\/users\/activate\/[\w-]+$/),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const old = await h.http.get(new URL(pending.activationUrl).pathname);
    expectError(old, 404, "NOT_FOUND");
    expect((await h.http.get(new URL(res.body.activationUrl).pathname)).status).toBe(200);
    const [entry] = await auditOf({ targetId: pending.id, action: "user.activation_link" });
    expect(JSON.stringify(entry)).not.toContain(new URL(res.body.activationUrl).pathname.split("/").at(-1));

    const again = await h.http.post(`/users/${pending.id}/activation-link`).send({}).set(auth(admin));
    expectError(again, 409, "CONFLICT");
    expect(again.body.appCode).toBe("NOT_PENDING");
    expect((await h.http.post(`/users/${randomUUID()}/activation-link`).send({}).set(auth(admin))).status).toBe(404);
    expectError(await h.http.post(`/users/${pending.id}/activation-link`).send({}).set(auth(user)), 403, "FORBIDDEN");
  });
});

describe("money and bootstrap", () => {
  it("refunds and adjustments are audited with their amounts and reasons", async () => {
    const { accountId } = await credit(h, user, providerId(), "50.00");
    const product = await createProduct(h, admin, "20.00", "Book");
    const bought = await h.http.post("/products/buy").set(auth(user)).send({ productId: product.id, accountId });
    const purchaseId = bought.body.purchase.id as string;
    const refund = await h.http
      .post(`/transactions/${purchaseId}/refund`)
      .set(auth(admin))
      .send({ amount: "5", reason: "Late" });
    expect(refund.status).toBe(201);
    const adjust = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(auth(admin))
      .send({ direction: "debit", amount: "1.50", reason: "Fee" });
    expect(adjust.status).toBe(201);
    const [r] = await auditOf({ action: "transaction.refund", targetId: purchaseId });
    expect(r).toMatchObject({
      targetType: "transaction",
      after: { amount: "5.00", reason: "Late", refundId: refund.body.refund.id },
    });
    const [a] = await auditOf({ action: "account.adjust", targetId: accountId });
    expect(a).toMatchObject({
      targetType: "account",
      before: { balance: "35.00" },
      after: { balance: "33.50", direction: "debit", amount: "1.50", reason: "Fee" },
    });
  });

  it("start-up (system) and the CLI (cli) are audited, without passwords or hashes", async () => {
    const login = uniqueLogin("boot");
    await ensureAdmin(h.db, { login, password: "bootstrap-pass-1" });
    const created = await h.db.prisma.user.findFirstOrThrow({ where: { login } });
    await ensureAdmin(
      h.db,
      { login, password: "another-pass-2", resetPassword: true },
      { actor: CLI_ACTOR, requestId: null },
    );
    // Start-up never promotes an existing user (it refuses to start, writing nothing); the CLI does.
    const promoted = await createUser(h);
    await expect(ensureAdmin(h.db, { login: promoted.login, password: "x-password-3" })).rejects.toBeInstanceOf(
      AdminLoginTakenError,
    );
    await ensureAdmin(
      h.db,
      { login: promoted.login, password: "x-password-3", resetPassword: true },
      { actor: CLI_ACTOR, requestId: null },
    );
    const entries = [...(await auditOf({ targetId: created.id })), ...(await auditOf({ targetId: promoted.id }))];
    expect(entries.map((e) => [e.action, (e.actor as { type: string }).type])).toEqual([
      ["admin.password_reset", "cli"],
      ["admin.bootstrap", "system"],
      ["admin.password_reset", "cli"],
      ["admin.promote", "cli"],
    ]);
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/pass-|\$2[aby]\$/);
  });
});

describe("GET /audit", () => {
  it("filters by actor, action, target type and time; refuses bad filters and non-admins", async () => {
    const mine = await auditOf({ actorId: admin.id, targetType: "product" });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.targetType === "product")).toBe(true);
    expect(await auditOf({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    for (const query of [{ action: "product.steal" }, { actorId: "me" }, { from: "now" }]) {
      expectError(await h.http.get("/audit").query(query).set(auth(admin)), 400, "BAD_REQUEST");
    }
    const res = await h.http.get("/audit").set(auth(user));
    expectError(res, 403, "FORBIDDEN");
    expect(res.body.appCode).toBe("ADMIN_ONLY");
    expect((await h.http.post("/audit").set(auth(admin)).send({})).status).toBe(404);
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await expect(h.db.prisma.$executeRaw`UPDATE audit_log SET action = 'product.create'`).rejects.toThrow(
      /append-only/,
    );
    await expect(h.db.prisma.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
    await expect(h.db.prisma.$executeRaw`TRUNCATE audit_log`).rejects.toThrow(/append-only/);
    expect((await auditOf({})).length).toBeGreaterThan(0);
  });
});
