// Administration of users: list, inspect, enable and disable — over REST (supertest) and tRPC (caller).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  createProduct,
  createUser,
  credit,
  providerId,
  uniqueLogin,
  bearer,
  expectError,
  expectNoSecrets,
  rejectsWith,
  useHarness,
} from "./harness.ts";
import { rollupsRepository } from "../src/repositories/rollups.repository.ts";

describe("admin users over REST", () => {
  const h = useHarness();
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    user = await createUser(h);
  });

  async function signIn(u: TestUser) {
    return h.http.post("/auth").send({ login: u.login, password: u.password });
  }

  describe("GET /users", () => {
    it("lists users with their accounts and balances", async () => {
      const rich = await createUser(h);
      const bill = providerId();
      await credit(h, rich, bill, "150.5");
      const res = await h.http.get("/users").query({ search: rich.login }).set(bearer(admin));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            id: rich.id,
            numericId: rich.numericId,
            login: rich.login,
            isActive: true,
            status: "active",
            isAdmin: false,
            createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            accounts: [{ id: expect.any(String), numericId: bill, balance: "150.50" }],
            totalBalance: "150.50",
          },
        ],
        total: 1,
        totalIsEstimate: false,
        limit: 20,
        offset: 0,
        nextCursor: null,
        prevCursor: null,
      });
      expectNoSecrets(res, "password-123");
    });

    it("pages, and searches logins case-insensitively with wildcards taken literally", async () => {
      const stem = uniqueLogin("Srch");
      const a = await createUser(h, { login: `${stem}_one` });
      const b = await createUser(h, { login: `${stem}Xone` });
      const upper = await h.http.get("/users").query({ search: stem.toUpperCase() }).set(bearer(admin));
      expect(upper.body.total).toBe(2);
      const lit = await h.http
        .get("/users")
        .query({ search: `${stem}_` })
        .set(bearer(admin));
      expect(lit.body.items.map((u: { id: string }) => u.id)).toEqual([a.id]);
      const page = await h.http.get("/users").query({ search: stem, limit: 1, offset: 1 }).set(bearer(admin));
      expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(page.body.items.map((u: { id: string }) => u.id)).toEqual([b.id]);
      expectError(await h.http.get("/users").query({ limit: 101 }).set(bearer(admin)), 400, "BAD_REQUEST");
      expectError(await h.http.get("/users").query({ offset: -1 }).set(bearer(admin)), 400, "BAD_REQUEST");
    });

    it("filters by isActive", async () => {
      const stem = uniqueLogin("Flt");
      const on = await createUser(h, { login: `${stem}a` });
      const off = await createUser(h, { login: `${stem}b`, isActive: false });
      const active = await h.http.get("/users").query({ search: stem, isActive: "true" }).set(bearer(admin));
      expect(active.body.items.map((u: { id: string }) => u.id)).toEqual([on.id]);
      const inactive = await h.http.get("/users").query({ search: stem, isActive: "false" }).set(bearer(admin));
      expect(inactive.body.items.map((u: { id: string }) => u.id)).toEqual([off.id]);
      expectError(await h.http.get("/users").query({ isActive: "no" }).set(bearer(admin)), 400, "BAD_REQUEST");
    });
    it("sorts by login (case-insensitive), join time or total balance, either way, and refuses other sorts", async () => {
      const stem = uniqueLogin("Srt");
      // Joined in this order; logins out of that order and in mixed case; totals over two accounts.
      const carol = await createUser(h, { login: `${stem}_Carol` });
      const alice = await createUser(h, { login: `${stem}_alice` });
      const bob = await createUser(h, { login: `${stem}_BOB` });
      await credit(h, carol, providerId(), "9.99");
      await credit(h, alice, providerId(), "100.00");
      await credit(h, alice, providerId(), "0.01");
      const ids = async (query: Record<string, string>) => {
        const res = await h.http
          .get("/users")
          .query({ search: stem, ...query })
          .set(bearer(admin));
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.items.map((u: { id: string; totalBalance: string }) => [u.id, u.totalBalance]);
      };
      const [c, a, b] = [
        [carol.id, "9.99"],
        [alice.id, "100.01"],
        [bob.id, "0.00"],
      ];
      expect(await ids({})).toEqual([c, a, b]); // joined, ascending: the default
      expect(await ids({ sort: "joined", order: "desc" })).toEqual([b, a, c]);
      expect(await ids({ sort: "login" })).toEqual([a, b, c]);
      expect(await ids({ sort: "login", order: "desc" })).toEqual([c, b, a]);
      // The balance sort orders by the report roll-up's totals (kept a minute behind the ledger by the
      // server's job): fold the credits above first.
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 10 });
      expect(await ids({ sort: "balance" })).toEqual([b, c, a]);
      expect(await ids({ sort: "balance", order: "desc" })).toEqual([a, c, b]);
      // Paging keeps the order.
      const second = await h.http
        .get("/users")
        .query({ search: stem, sort: "balance", order: "desc", limit: 1, offset: 1 })
        .set(bearer(admin));
      expect(second.body.items.map((u: { id: string }) => u.id)).toEqual([carol.id]);

      for (const query of [{ sort: "password" }, { sort: "BALANCE" }, { order: "up" }, { sort: ["login", "joined"] }]) {
        const res = await h.http.get("/users").query(query).set(bearer(admin));
        expectError(res, 400, "BAD_REQUEST", "INVALID_INPUT");
      }
      // tRPC takes the same input.
      const trpc = await h.caller(admin.token).adminUsers.list({ search: stem, sort: "login", order: "desc" });
      expect(trpc.items.map((u) => u.id)).toEqual([carol.id, bob.id, alice.id]);
    });
  });

  describe("GET /users/{id}", () => {
    it("returns the user with accounts and transactions, newest first", async () => {
      const buyer = await createUser(h);
      const { accountId } = await credit(h, buyer, providerId(), "100");
      const product = await createProduct(h, admin, "30.00", "Kettle");
      const buy = await h.http.post("/products/buy").set(bearer(buyer)).send({ productId: product.id, accountId });
      expect(buy.status).toBe(200);

      const res = await h.http.get(`/users/${buyer.id}`).set(bearer(admin));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        id: buyer.id,
        numericId: buyer.numericId,
        login: buyer.login,
        isActive: true,
        isAdmin: false,
        accounts: [{ id: accountId, balance: "70.00" }],
      });
      expect(res.body.transactions).toHaveLength(2);
      expect(res.body.transactions.map((t: { kind: string }) => t.kind).sort()).toEqual(["credit", "purchase"]);
      const purchase = res.body.transactions.find((t: { kind: string }) => t.kind === "purchase");
      expect(purchase).toMatchObject({
        amount: "30.00",
        balanceAfter: "70.00",
        productId: product.id,
        productTitle: "Kettle",
      });
      expectNoSecrets(res, "password-123");

      const history = await h.http.get(`/users/${buyer.id}/transactions`).query({ limit: 1 }).set(bearer(admin));
      expect(history.status).toBe(200);
      expect(history.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
      expect(history.body.items).toHaveLength(1);
    });

    it("answers 404 for an unknown id and 400 for a malformed one", async () => {
      expectError(await h.http.get(`/users/${randomUUID()}`).set(bearer(admin)), 404, "NOT_FOUND");
      expectError(await h.http.get(`/users/${randomUUID()}/transactions`).set(bearer(admin)), 404, "NOT_FOUND");
      expectError(await h.http.get("/users/12345").set(bearer(admin)), 400, "BAD_REQUEST");
    });
  });

  describe("PUT /users/{id}", () => {
    it("disabling refuses the user's existing token at once and their sign-in; enabling lets them back", async () => {
      const victim = await createUser(h);
      expect((await h.http.get("/users/me").set(bearer(victim))).status).toBe(200);

      const off = await h.http.put(`/users/${victim.id}`).set(bearer(admin)).send({ isActive: false });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expect(off.body).toMatchObject({ id: victim.id, isActive: false, accounts: [], transactions: [] });
      expectNoSecrets(off, "password-123");

      const refused = await h.http.get("/users/me").set(bearer(victim));
      expect([401, 403]).toContain(refused.status);
      expectError(refused, refused.status);
      expectError(await h.http.get("/products").set(bearer(victim)), refused.status);
      const login = await signIn(victim);
      expectError(login, 403, "FORBIDDEN");
      expect(login.body.message).toMatch(/disabled/i);

      const on = await h.http.put(`/users/${victim.id}`).set(bearer(admin)).send({ isActive: true });
      expect(on.status).toBe(200);
      expect(on.body.isActive).toBe(true);
      const back = await signIn(victim);
      expect(back.status).toBe(200);
      expect((await h.http.get("/users/me").set(bearer(back.body.accessToken))).status).toBe(200);
      // The token issued before the disable stays revoked.
      expectError(await h.http.get("/users/me").set(bearer(victim)), 401, "UNAUTHORIZED");
    });

    it("disabling twice keeps the user disabled; enabling an active user is harmless", async () => {
      const u = await createUser(h);
      expect((await h.http.put(`/users/${u.id}`).set(bearer(admin)).send({ isActive: false })).status).toBe(200);
      expect((await h.http.put(`/users/${u.id}`).set(bearer(admin)).send({ isActive: false })).body.isActive).toBe(
        false,
      );
      expect((await h.http.put(`/users/${u.id}`).set(bearer(admin)).send({ isActive: true })).body.isActive).toBe(true);
      expect((await h.http.put(`/users/${u.id}`).set(bearer(admin)).send({ isActive: true })).body.isActive).toBe(true);
      expect((await signIn(u)).status).toBe(200);
    });

    it("enabling a user who never followed the link activates them and retires the link", async () => {
      const login = uniqueLogin("late");
      const reg = await h.http.post("/users").send({ login, password: "password-123" });
      expect(reg.status).toBe(201);
      const on = await h.http.put(`/users/${reg.body.id}`).set(bearer(admin)).send({ isActive: true });
      expect(on.status).toBe(200);
      expect((await h.http.post("/auth").send({ login, password: "password-123" })).status).toBe(200);
      expectError(await h.http.get(new URL(reg.body.activationUrl).pathname), 404, "NOT_FOUND");
    });

    it("disabling a user who never followed the link retires the link: it cannot undo the disable", async () => {
      const login = uniqueLogin("pend");
      const reg = await h.http.post("/users").send({ login, password: "password-123" });
      expect(reg.status).toBe(201);
      const off = await h.http.put(`/users/${reg.body.id}`).set(bearer(admin)).send({ isActive: false });
      expect(off.status).toBe(200);
      expectError(await h.http.get(new URL(reg.body.activationUrl).pathname), 404, "NOT_FOUND");
      expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: reg.body.id } })).isActive).toBe(false);
      const denied = await h.http.post("/auth").send({ login, password: "password-123" });
      expectError(denied, 403, "FORBIDDEN");
      expect(denied.body.message).toMatch(/disabled/i);
      expect((await h.http.put(`/users/${reg.body.id}`).set(bearer(admin)).send({ isActive: true })).status).toBe(200);
      expect((await h.http.post("/auth").send({ login, password: "password-123" })).status).toBe(200);
    });

    it("refuses an admin disabling themselves (400), and they stay active", async () => {
      const res = await h.http.put(`/users/${admin.id}`).set(bearer(admin)).send({ isActive: false });
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.message).toMatch(/yourself/i);
      expect((await h.http.get("/users/me").set(bearer(admin))).status).toBe(200);
      // The same UUID in upper case is still oneself.
      const upper = await h.http.put(`/users/${admin.id.toUpperCase()}`).set(bearer(admin)).send({ isActive: false });
      expectError(upper, 400, "BAD_REQUEST");
      expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).isActive).toBe(true);
      expect((await h.http.get("/users/me").set(bearer(admin))).status).toBe(200);
      // Re-enabling oneself is a no-op, not an error.
      expect((await h.http.put(`/users/${admin.id}`).set(bearer(admin)).send({ isActive: true })).status).toBe(200);
    });

    it("lets an admin disable another admin, whose token then stops working", async () => {
      const other = await createUser(h, { isAdmin: true });
      expect((await h.http.put(`/users/${other.id}`).set(bearer(admin)).send({ isActive: false })).status).toBe(200);
      const res = await h.http.get("/users").set(bearer(other));
      expect([401, 403]).toContain(res.status);
    });

    it.each([
      ['the string "false"', "false"],
      ['the string "true"', "true"],
      ["the number 0", 0],
      ["the number 1", 1],
      ["null", null],
      ["an empty string", ""],
      ["an array", [false]],
    ])("refuses isActive as %s (400) and changes nothing", async (_label, isActive) => {
      const u = await createUser(h);
      const res = await h.http.put(`/users/${u.id}`).set(bearer(admin)).send({ isActive });
      expectError(res, 400, "BAD_REQUEST");
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
      expect(row.isActive).toBe(true);
      expect(row.tokenVersion).toBe(0);
      expect((await h.http.get("/users/me").set(bearer(u))).status).toBe(200);
    });

    it("refuses a missing isActive, and answers 404 for an unknown user", async () => {
      const u = await createUser(h);
      expectError(await h.http.put(`/users/${u.id}`).set(bearer(admin)).send({}), 400, "BAD_REQUEST");
      expectError(
        await h.http.put(`/users/${randomUUID()}`).set(bearer(admin)).send({ isActive: false }),
        404,
        "NOT_FOUND",
      );
      expectError(
        await h.http.put(`/users/${randomUUID()}`).set(bearer(admin)).send({ isActive: true }),
        404,
        "NOT_FOUND",
      );
    });

    it("ignores other fields: no promotion to admin through PUT", async () => {
      const u = await createUser(h);
      const res = await h.http
        .put(`/users/${u.id}`)
        .set(bearer(admin))
        .send({ isActive: true, isAdmin: true, login: "root" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ isAdmin: false, login: u.login });
    });
  });

  describe("access control", () => {
    it("answers 403 to a non-admin and 401 to an anonymous caller", async () => {
      const routes = [
        () => h.http.get("/users"),
        () => h.http.get(`/users/${user.id}`),
        () => h.http.get(`/users/${user.id}/transactions`),
        () => h.http.put(`/users/${admin.id}`).send({ isActive: false }),
        () => h.http.put(`/users/${user.id}`).send({ isActive: true }),
      ];
      for (const route of routes) {
        expectError(await route().set(bearer(user)), 403, "FORBIDDEN");
        expectError(await route(), 401, "UNAUTHORIZED");
      }
      // A non-admin cannot disable even themselves through the admin route.
      expectError(await h.http.put(`/users/${user.id}`).set(bearer(user)).send({ isActive: false }), 403, "FORBIDDEN");
      expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).isActive).toBe(true);
    });
  });
});

describe("admin users over tRPC (caller)", () => {
  const h = useHarness();
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
  });

  it("lists, gets, disables and enables", async () => {
    const a = h.caller(admin.token);
    const u = await createUser(h);
    const page = await a.adminUsers.list({ search: u.login.toUpperCase() });
    expect(page.items).toEqual([expect.objectContaining({ id: u.id, numericId: u.numericId, accounts: [] })]);
    expect(await a.adminUsers.get({ id: u.id })).toMatchObject({ id: u.id, transactions: [] });

    expect(await a.adminUsers.setActive({ id: u.id, isActive: false })).toMatchObject({ isActive: false });
    await rejectsWith(h.caller(u.token).me.get(), "UNAUTHORIZED");
    await rejectsWith(h.caller().auth.login({ login: u.login, password: u.password }), "FORBIDDEN");
    expect(await a.adminUsers.setActive({ id: u.id, isActive: true })).toMatchObject({ isActive: true });
    const session = await h.caller().auth.login({ login: u.login, password: u.password });
    expect((await h.caller(session.accessToken).me.get()).id).toBe(u.id);
  });

  it("refuses non-booleans, self-disable, unknown ids and non-admins", async () => {
    const a = h.caller(admin.token);
    const u = await createUser(h);
    await rejectsWith(a.adminUsers.setActive({ id: u.id, isActive: "false" as unknown as boolean }), "BAD_REQUEST");
    expect((await a.adminUsers.get({ id: u.id })).isActive).toBe(true);
    await rejectsWith(a.adminUsers.setActive({ id: admin.id, isActive: false }), "BAD_REQUEST");
    await rejectsWith(a.adminUsers.setActive({ id: admin.id.toUpperCase(), isActive: false }), "BAD_REQUEST");
    expect((await a.adminUsers.get({ id: admin.id })).isActive).toBe(true);
    await rejectsWith(a.adminUsers.setActive({ id: randomUUID(), isActive: false }), "NOT_FOUND");
    await rejectsWith(a.adminUsers.get({ id: randomUUID() }), "NOT_FOUND");
    await rejectsWith(h.caller(u.token).adminUsers.list({}), "FORBIDDEN");
    await rejectsWith(h.caller(u.token).adminUsers.setActive({ id: u.id, isActive: false }), "FORBIDDEN");
    await rejectsWith(h.caller().adminUsers.list({}), "UNAUTHORIZED");
  });
});
