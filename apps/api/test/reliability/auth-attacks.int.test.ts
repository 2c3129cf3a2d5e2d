// Auth attacks beyond auth.int.test.ts and admin-users.int.test.ts (which cover: anonymous and
// "garbage" tokens on every route, alg none / other key / HS512 / expiry / tampering on GET /users/me,
// a non-admin's 403 on admin routes, isAdmin / isActive / balance at registration, isAdmin and login in
// PUT /users/{id}, id and deletedAt in product bodies, someone else's account at purchase):
//
// - every forged or broken credential on EVERY protected route, over REST and over tRPC;
// - a validly signed token for a non-admin that claims to be admin (isAdmin, role, scope …);
// - user A paying with user B's account: in every spelling, in parallel, over both transports, and
//   with the price, the owner or the balance smuggled into the body;
// - mass assignment of server-owned fields (numericId, id, tokenVersion, passwordHash, activatedAt,
//   nested accounts / ledger rows, Prisma update operators) in registration, product, user and webhook
//   bodies.
// Each test checks that nothing changed in the database beyond what the legitimate part did.
// Runs on both engines.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import jwt from "jsonwebtoken";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/auth/tokens.ts";
import { appRouter } from "../../src/routers/_app.ts";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  providerId,
  uniqueLogin,
  webhookBody,
  useHarness,
} from "../harness.ts";
import { ENGINE, summary } from "./figures.ts";
import { expectMoneyInvariants, moneyFigures } from "./invariants.ts";

type Operation = { method: string; path: string; security?: unknown[]; tags?: string[] };
type Procedure = { path: string; type: "query" | "mutation"; protect: boolean; admin: boolean };

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe(`auth attacks (${ENGINE})`, () => {
  const h = useHarness();
  let server: Server;
  let agent: ReturnType<typeof request>;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let operations: Operation[];
  let procedures: Procedure[];
  let product: { id: string; price: string };
  let aliceAccount: string;
  let bobAccount: string;
  const figures = { requests: 0, forgedTokens: 0, routesAttacked: 0, procedures: 0, accepted: 0 };

  beforeAll(async () => {
    server = createServer(h.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    agent = request(server);
    admin = await createUser(h, { isAdmin: true });
    alice = await createUser(h);
    bob = await createUser(h);
    aliceAccount = (await credit(h, alice, providerId(), "10.00")).accountId;
    bobAccount = (await credit(h, bob, providerId(), "500.00")).accountId;
    product = await createProduct(h, admin, "7.00", "Attack target");

    const doc = await agent.get("/openapi.json");
    operations = Object.entries(
      doc.body.paths as Record<string, Record<string, Omit<Operation, "method" | "path">>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
    );
    const defs = (
      appRouter as unknown as {
        _def: {
          procedures: Record<
            string,
            { _def: { type: string; meta?: { openapi?: { protect?: boolean; tags?: string[] } } } }
          >;
        };
      }
    )._def.procedures;
    procedures = Object.entries(defs).map(([path, p]) => ({
      path,
      type: p._def.type as "query" | "mutation",
      protect: p._def.meta?.openapi?.protect === true,
      admin: p._def.meta?.openapi?.tags?.includes("admin") ?? false,
    }));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    summary("auth-attacks", figures);
  });

  /** Every row of every table that an attack could touch, summarised. */
  async function snapshot(): Promise<string> {
    const [row] = await h.db.prisma.$queryRawUnsafe<{ f: string }[]>(`
      SELECT concat_ws('|',
        (SELECT md5(COALESCE(string_agg(concat_ws(',', id, numeric_id, login, password_hash, is_active, is_admin,
                 token_version, activation_token_hash, activated_at, updated_at), ';' ORDER BY id), '')) FROM users),
        (SELECT md5(COALESCE(string_agg(concat_ws(',', id, numeric_id, user_id, balance, updated_at), ';' ORDER BY id), ''))
           FROM accounts),
        (SELECT md5(COALESCE(string_agg(concat_ws(',', id, title, description, price, deleted_at, updated_at), ';' ORDER BY id), ''))
           FROM products),
        (SELECT count(*) FROM ledger_entries)) AS f`);
    return row!.f;
  }

  function concrete(path: string): string {
    return path.replace(/\{id\}/g, path.startsWith("/users") ? bob.id : product.id).replace(/\{token\}/g, "x");
  }

  function sendRest(op: { method: string; path: string }, authorization: string | undefined) {
    const m = op.method.toLowerCase() as "get" | "post" | "put" | "delete";
    let req = agent[m](concrete(op.path));
    if (authorization !== undefined) req = req.set("Authorization", authorization);
    figures.requests += 1;
    if (m === "post" || m === "put") {
      const body: Record<string, unknown> = op.path.startsWith("/products/buy")
        ? { productId: product.id, accountId: bobAccount }
        : op.path.startsWith("/products")
          ? { title: "Hijacked", price: "0.01" }
          : { isActive: false };
      return req.send(body);
    }
    return req;
  }

  function trpcInput(path: string): unknown {
    switch (path) {
      case "products.buy":
        return { productId: product.id, accountId: bobAccount };
      case "products.create":
        return { title: "Hijacked", price: "0.01" };
      case "products.update":
        return { id: product.id, price: "0.01" };
      case "products.get":
      case "products.delete":
        return { id: product.id };
      case "adminUsers.setActive":
        return { id: bob.id, isActive: false };
      case "adminUsers.get":
      case "adminUsers.transactions":
        return { id: bob.id };
      case "me.get":
        return undefined;
      default:
        return {};
    }
  }

  function sendTrpc(p: Procedure, authorization: string | undefined) {
    const input = trpcInput(p.path);
    figures.requests += 1;
    let req =
      p.type === "query"
        ? agent.get(
            `/trpc/${p.path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          )
        : agent.post(`/trpc/${p.path}`).set("Content-Type", "application/json");
    if (authorization !== undefined) req = req.set("Authorization", authorization);
    return p.type === "mutation" ? req.send(JSON.stringify(input ?? {})) : req;
  }

  /** Tokens that must never open anything: each names the admin (or alice) as subject. */
  function forgedTokens(): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: admin.id, ver: 0, iat: now, exp: now + 600 };
    const adminToken = admin.token.split(".");
    const aliceParts = alice.token.split(".");
    const hmac = (key: string, header: object, payload: object) => {
      const unsigned = `${b64(header)}.${b64(payload)}`;
      return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
    };
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
      "alg None": `${b64({ alg: "None", typ: "JWT" })}.${b64(claims)}.`,
      "alg NONE with a signature": `${b64({ alg: "NONE", typ: "JWT" })}.${b64(claims)}.${adminToken[2]}`,
      "jsonwebtoken's own unsigned form": jwt.sign({ ver: 0 }, "", { algorithm: "none", subject: admin.id }),
      "HS256 with another key": signAccessToken({ userId: admin.id, tokenVersion: 0 }, "x".repeat(40), 600),
      "HS256 with the webhook key": signAccessToken(
        { userId: admin.id, tokenVersion: 0 },
        h.config.paymentPrivateKey,
        600,
      ),
      "HS256 with an empty key": hmac("", { alg: "HS256", typ: "JWT" }, claims),
      "HS256 with kid pointing elsewhere": hmac("", { alg: "HS256", typ: "JWT", kid: "../../../../dev/null" }, claims),
      "HS512 with the right key": jwt.sign({ ver: 0 }, h.config.jwtSecret, {
        algorithm: "HS512",
        subject: admin.id,
        expiresIn: 600,
      }),
      "HS384 with the right key": jwt.sign({ ver: 0 }, h.config.jwtSecret, {
        algorithm: "HS384",
        subject: admin.id,
        expiresIn: 600,
      }),
      "RS256 (key confusion)": jwt.sign({ ver: 0 }, privateKey, {
        algorithm: "RS256",
        subject: admin.id,
        expiresIn: 600,
      }),
      "expired, right key": jwt.sign({ ver: 0, sub: admin.id, iat: now - 7200, exp: now - 60 }, h.config.jwtSecret, {
        algorithm: "HS256",
      }),
      "not yet valid (nbf), right key": jwt.sign({ ver: 0, sub: admin.id, nbf: now + 3600 }, h.config.jwtSecret, {
        algorithm: "HS256",
      }),
      "alice's signature on admin's payload": `${aliceParts[0]}.${b64({ ...claims, sub: admin.id })}.${aliceParts[2]}`,
      "admin's token without its signature": `${adminToken[0]}.${adminToken[1]}.`,
      "admin's token with its signature cut": `${adminToken[0]}.${adminToken[1]}.${adminToken[2]!.slice(0, 20)}`,
      "right key, stale token version": signAccessToken({ userId: admin.id, tokenVersion: 7 }, h.config.jwtSecret, 600),
      "right key, version as text": jwt.sign({ ver: "0" }, h.config.jwtSecret, {
        algorithm: "HS256",
        subject: admin.id,
      }),
      "right key, numeric subject": jwt.sign({ ver: 0, sub: 1 }, h.config.jwtSecret, { algorithm: "HS256" }),
      "right key, unknown user": signAccessToken({ userId: randomUUID(), tokenVersion: 0 }, h.config.jwtSecret, 600),
      "two tokens in one header": `${admin.token} ${admin.token}`,
    };
  }

  it("every forged or broken token is refused with 401 on every protected route, over REST and tRPC, and changes nothing", async () => {
    const tokens = forgedTokens();
    const secured = operations.filter((o) => o.security && o.security.length > 0);
    const protectedProcedures = procedures.filter((p) => p.protect);
    expect(secured.length).toBeGreaterThanOrEqual(12);
    // Every secured operation is a procedure's, but GET /transactions.csv (a plain Express route).
    expect(protectedProcedures.length).toBe(secured.filter((o) => o.path !== "/transactions.csv").length);
    figures.forgedTokens = Object.keys(tokens).length;
    figures.routesAttacked = secured.length;
    figures.procedures = protectedProcedures.length;
    const before = await snapshot();
    const failures: string[] = [];
    for (const [name, token] of Object.entries(tokens)) {
      const answers = await Promise.all([
        ...secured.map(async (op) => ({
          what: `REST ${op.method} ${op.path}`,
          res: await sendRest(op, `Bearer ${token}`),
        })),
        ...protectedProcedures.map(async (p) => ({
          what: `tRPC ${p.path}`,
          res: await sendTrpc(p, `Bearer ${token}`),
        })),
      ]);
      for (const { what, res } of answers) {
        const code = what.startsWith("REST") ? res.body?.code : res.body?.error?.data?.code;
        if (res.status !== 401 || code !== "UNAUTHORIZED") {
          failures.push(`${name} on ${what}: ${res.status} ${res.text.slice(0, 200)}`);
          if (res.status < 400) figures.accepted += 1;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it("a validly signed token for a non-admin claiming admin (isAdmin, role, scope …) gets 403 on every admin route, REST and tRPC", async () => {
    const forged = jwt.sign(
      {
        ver: 0,
        isAdmin: true,
        is_admin: true,
        admin: true,
        role: "admin",
        roles: ["admin"],
        scope: "admin",
        permissions: ["*"],
        groups: ["administrators"],
      },
      h.config.jwtSecret,
      { algorithm: "HS256", subject: alice.id, expiresIn: 600 },
    );
    const before = await snapshot();
    const adminOps = operations.filter((o) => o.tags?.includes("admin"));
    const adminProcedures = procedures.filter((p) => p.admin);
    expect(adminOps.length).toBeGreaterThanOrEqual(8);
    const answers = await Promise.all([
      ...adminOps.map(async (op) => ({
        what: `REST ${op.method} ${op.path}`,
        res: await sendRest(op, `Bearer ${forged}`),
      })),
      ...adminProcedures.map(async (p) => ({ what: `tRPC ${p.path}`, res: await sendTrpc(p, `Bearer ${forged}`) })),
      {
        what: "REST GET /products?includeDeleted=true",
        res: await agent.get("/products?includeDeleted=true").set(bearer(forged)),
      },
    ]);
    for (const { what, res } of answers) {
      const code = what.startsWith("REST") ? res.body?.code : res.body?.error?.data?.code;
      expect({ what, status: res.status, code }).toEqual({ what, status: 403, code: "FORBIDDEN" });
    }
    // The token is alice's, and alice is no admin: it opens her own wallet, nothing more.
    const me = await agent.get("/users/me").set(bearer(forged));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: alice.id, isAdmin: false });
    expect(await snapshot()).toBe(before);
    figures.requests += answers.length + 1;
  });

  describe("user A paying with user B's account", () => {
    async function balances() {
      const rows = await h.db.prisma.account.findMany({ where: { id: { in: [aliceAccount, bobAccount] } } });
      return Object.fromEntries(rows.map((r) => [r.id, r.balance.toFixed(2)]));
    }

    it("is refused in every spelling of B's account id, exactly like a missing account, and debits nobody", async () => {
      const before = await snapshot();
      const missing = await agent
        .post("/products/buy")
        .set(bearer(alice))
        .send({ productId: product.id, accountId: randomUUID() });
      expect(missing.status).toBe(404);
      for (const accountId of [bobAccount, bobAccount.toUpperCase(), ` ${bobAccount}`, `${bobAccount}\n`]) {
        const res = await agent.post("/products/buy").set(bearer(alice)).send({ productId: product.id, accountId });
        figures.requests += 1;
        expect([400, 404], `${JSON.stringify(accountId)}: ${res.text}`).toContain(res.status);
        if (res.status === 404) expect(res.body).toEqual(missing.body);
      }
      expect(await snapshot()).toBe(before);
    });

    it("is refused 30 times in parallel over REST and tRPC, with and without Idempotency-Key", async () => {
      const before = await balances();
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          figures.requests += 1;
          if (i % 3 === 0) {
            return agent
              .post("/trpc/products.buy")
              .set(bearer(alice))
              .set("Content-Type", "application/json")
              .send(JSON.stringify({ productId: product.id, accountId: bobAccount }));
          }
          const req = agent.post("/products/buy").set(bearer(alice));
          return (i % 3 === 1 ? req.set("Idempotency-Key", `steal-${i}`) : req).send({
            productId: product.id,
            accountId: bobAccount,
          });
        }),
      );
      for (const res of answers) expect(res.status, res.text).toBe(404);
      expect(await balances()).toEqual(before);
    });

    it("ignores the owner, the price and the balance smuggled into the body: alice pays the real price from her own account", async () => {
      const res = await agent
        .post("/products/buy")
        .set(bearer(alice))
        .send({
          productId: product.id,
          accountId: aliceAccount,
          userId: bob.id,
          user_id: bob.numericId,
          price: "0.01",
          amount: "0.01",
          balance: "1000000.00",
          account: { id: bobAccount },
        });
      figures.requests += 1;
      expect(res.status, res.text).toBe(200);
      expect(res.body.purchase).toMatchObject({ amount: "7.00", accountId: aliceAccount });
      expect(await balances()).toEqual({ [aliceAccount]: "3.00", [bobAccount]: "500.00" });
      // alice's query string and headers do not make her bob either.
      const me = await agent.get(`/users/me?userId=${bob.id}&id=${bob.id}`).set(bearer(alice)).set("X-User-Id", bob.id);
      expect(me.body.id).toBe(alice.id);
      const history = await agent.get(`/users/me/transactions?accountId=${bobAccount}`).set(bearer(alice));
      expect(history.status).toBe(200);
      expect(history.body.items).toEqual([]);
      expectMoneyInvariants(await moneyFigures(h.db.prisma));
    });
  });

  describe("mass assignment of server-owned fields", () => {
    it("registration ignores numericId, id, isAdmin, isActive, tokenVersion, passwordHash, activatedAt and nested accounts", async () => {
      const login = uniqueLogin("mass");
      const chosenId = randomUUID();
      const takenNumericId = admin.numericId;
      const res = await agent.post("/users").send({
        login,
        password: "password-123",
        id: chosenId,
        numericId: takenNumericId,
        isAdmin: true,
        isActive: true,
        tokenVersion: -1,
        passwordHash: "$2b$10$abcdefghijklmnopqrstuuM0jVdZ5bX4vUpZcJqGQ9.rz4H9JmS5e",
        activatedAt: new Date().toISOString(),
        activationTokenHash: null,
        accounts: { create: [{ numericId: 4242, balance: "1000000.00" }] },
        balance: "1000000.00",
      });
      figures.requests += 1;
      expect(res.status, res.text).toBe(201);
      expect(res.body.id).not.toBe(chosenId);
      expect(res.body.numericId).not.toBe(takenNumericId);
      expect(res.body.isActive).toBe(false);
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row).toMatchObject({ isAdmin: false, isActive: false, tokenVersion: 0, activatedAt: null });
      expect(row.passwordHash).not.toContain("abcdefghijklmnopqrstuu");
      expect(row.activationTokenHash).not.toBeNull();
      expect(await h.db.prisma.account.count({ where: { userId: row.id } })).toBe(0);
      expect(await h.db.prisma.account.count({ where: { numericId: 4242n } })).toBe(0);
      // The admin's numeric id still belongs to the admin: webhooks for it still credit the admin.
      expect((await h.db.prisma.user.findUniqueOrThrow({ where: { numericId: BigInt(takenNumericId) } })).id).toBe(
        admin.id,
      );
    });

    it("product creation ignores id, createdAt, updatedAt, deletedAt and nested ledger rows", async () => {
      const chosenId = randomUUID();
      const ledgerBefore = await h.db.prisma.ledgerEntry.count();
      const res = await agent
        .post("/products")
        .set(bearer(admin))
        .send({
          title: "Mass",
          price: "1.00",
          id: chosenId,
          createdAt: "2000-01-01T00:00:00.000Z",
          updatedAt: "2000-01-01T00:00:00.000Z",
          deletedAt: "2000-01-01T00:00:00.000Z",
          entries: { create: [{ kind: "credit", amount: "1000", balanceAfter: "1000", accountId: aliceAccount }] },
        });
      figures.requests += 1;
      expect(res.status, res.text).toBe(201);
      expect(res.body.id).not.toBe(chosenId);
      expect(res.body.deletedAt).toBeNull();
      expect(new Date(res.body.createdAt).getFullYear()).toBeGreaterThan(2000);
      expect(await h.db.prisma.ledgerEntry.count()).toBe(ledgerBefore);
    });

    it("product edits refuse Prisma update operators and cannot undelete", async () => {
      const target = await createProduct(h, admin, "5.00", "Operators");
      const before = await snapshot();
      for (const body of [
        { price: { decrement: 4 } },
        { price: { set: "0.01" } },
        { title: { set: "x" } },
        { description: { push: "x" } },
        { price: ["1.00"] },
      ]) {
        const res = await agent.put(`/products/${target.id}`).set(bearer(admin)).send(body);
        figures.requests += 1;
        expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      }
      expect(await snapshot()).toBe(before);
      const deleted = await agent.delete(`/products/${target.id}`).set(bearer(admin));
      expect(deleted.status).toBe(200);
      const undelete = await agent
        .put(`/products/${target.id}`)
        .set(bearer(admin))
        .send({ title: "Back", deletedAt: null });
      figures.requests += 2;
      expect(undelete.status).toBe(404);
      expect((await h.db.prisma.product.findUniqueOrThrow({ where: { id: target.id } })).deletedAt).not.toBeNull();
    });

    it("PUT /users/{id} ignores tokenVersion, passwordHash, numericId and isAdmin", async () => {
      const u = await createUser(h);
      const res = await agent
        .put(`/users/${u.id}`)
        .set(bearer(admin))
        .send({ isActive: true, isAdmin: true, tokenVersion: 99, passwordHash: "x", numericId: 1, id: admin.id });
      figures.requests += 1;
      expect(res.status, res.text).toBe(200);
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
      expect(row).toMatchObject({ isAdmin: false, tokenVersion: 0, numericId: BigInt(u.numericId) });
      expect(row.passwordHash.startsWith("$2")).toBe(true);
      // The user's token still works (its version was not moved) and the admin was not touched.
      expect((await agent.get("/users/me").set(bearer(u))).status).toBe(200);
      expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).isActive).toBe(true);
    });

    it("a signed webhook's extra fields (balance, account_id, status) change nothing but the credit itself", async () => {
      const bill = providerId();
      // The signed body as the provider wrote it (amount text 2.50), with extra fields appended.
      const signed = webhookBody(h, { tx: providerId(), user: alice.numericId, bill, amount: "2.50" });
      const extras = JSON.stringify({
        balance: "1000000.00",
        account_id: bobAccount,
        accountId: bobAccount,
        status: "already_processed",
        user: { isAdmin: true },
      });
      const res = await agent
        .post("/payment/webhook")
        .set("Content-Type", "application/json")
        .send(`${signed.slice(0, -1)},${extras.slice(1)}`);
      figures.requests += 1;
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: "credited", amount: "2.50", balance: "2.50" });
      const account = await h.db.prisma.account.findUniqueOrThrow({ where: { numericId: BigInt(bill) } });
      expect(account.userId).toBe(alice.id);
      expect((await h.db.prisma.account.findUniqueOrThrow({ where: { id: bobAccount } })).balance.toFixed(2)).toBe(
        "500.00",
      );
      expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: alice.id } })).isAdmin).toBe(false);
      expectMoneyInvariants(await moneyFigures(h.db.prisma));
    });
  });
});
