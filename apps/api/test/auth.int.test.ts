// Registration, activation, sign-in and the bearer tokens, over REST (supertest) and over tRPC (caller).
import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { signAccessToken } from "../src/auth/tokens.ts";
import { bearer, createUser, expectError, expectNoSecrets, rejectsWith, uniqueLogin, useHarness } from "./harness.ts";

const PASSWORD = "correct-horse-battery";

describe("auth over REST", () => {
  const h = useHarness();

  async function register(login: string, password = PASSWORD, extra: object = {}) {
    return h.http.post("/users").send({ login, password, ...extra });
  }

  function activationPath(url: string): string {
    return new URL(url).pathname;
  }

  describe("POST /users (register)", () => {
    it("creates an inactive user and answers 201 with an absolute activation URL", async () => {
      const login = uniqueLogin("reg");
      const res = await register(login);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        numericId: expect.any(Number),
        login,
        isActive: false,
        activationUrl: expect.stringMatching(/^http:\/\/shop\.test\/users\/activate\/[A-Za-z0-9_-]{20,}$/),
      });
      expect(Number.isSafeInteger(res.body.numericId)).toBe(true);
      expectNoSecrets(res, PASSWORD);
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.isActive).toBe(false);
      expect(row.isAdmin).toBe(false);
      expect(row.passwordHash).not.toContain(PASSWORD);
      // Only the hash of the activation token is stored.
      const token = activationPath(res.body.activationUrl).split("/").pop()!;
      expect(row.activationTokenHash).not.toBe(token);
      expect(row.activationTokenHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("ignores isAdmin, isActive and balance sent by the client", async () => {
      const login = uniqueLogin("sneaky");
      const res = await register(login, PASSWORD, { isAdmin: true, isActive: true, balance: "1000000.00" });
      expect(res.status).toBe(201);
      expect(res.body.isActive).toBe(false);
      expect(res.body).not.toHaveProperty("isAdmin");
      expect(res.body).not.toHaveProperty("balance");
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.isAdmin).toBe(false);
      expect(row.isActive).toBe(false);
      expect(await h.db.prisma.account.count({ where: { userId: res.body.id } })).toBe(0);
    });

    it("refuses a login already taken, case-insensitively (409)", async () => {
      const login = uniqueLogin("Dup");
      expect((await register(login)).status).toBe(201);
      expectError(await register(login), 409, "CONFLICT");
      expectError(await register(login.toUpperCase()), 409, "CONFLICT");
      expectError(await register(login.toLowerCase()), 409, "CONFLICT");
    });

    it("lets exactly one of several concurrent registrations of one login win; the others get 409, not 500", async () => {
      const login = uniqueLogin("Race");
      const variants = [login, login.toLowerCase(), login.toUpperCase(), login, login.toLowerCase()];
      const results = await Promise.all(variants.map((l) => register(l)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((r) => r.status === 409)) expectError(r, 409, "CONFLICT");
    });

    it.each([
      ["too short", "ab"],
      ["too long", "a".repeat(65)],
      ["a space inside", "ali ce"],
      ["a slash", "ali/ce"],
      ["an at sign", "alice@example.com"],
      ["non-ASCII letters", "ålice"],
      ["a leading dot", ".alice"],
      ["an empty string", ""],
    ])("refuses a login with %s (400 with issues)", async (_label, login) => {
      const res = await register(login);
      expectError(res, 400, "BAD_REQUEST");
      expect(Array.isArray(res.body.issues)).toBe(true);
      expect(res.body.issues.map((i: { path: string[] }) => i.path.join("."))).toContain("login");
    });

    it("accepts logins at the bounds and with . _ -", async () => {
      const base = uniqueLogin("b").slice(0, 20);
      // Each test file has a database of its own: a three-letter login is free here.
      for (const login of [`${base}.a_b-c`, "a1b", `${base}${"z".repeat(64 - base.length)}`, `  ${base}x  `]) {
        const res = await register(login);
        expect(res.status, `${login}: ${JSON.stringify(res.body)}`).toBe(201);
        expect(res.body.login).toBe(login.trim());
      }
    });

    it.each([
      ["too short (7)", "a".repeat(7)],
      ["too long (129)", "a".repeat(129)],
    ])("refuses a password %s (400 with issues)", async (_label, password) => {
      const res = await register(uniqueLogin("pw"), password);
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.issues.map((i: { path: string[] }) => i.path.join("."))).toContain("password");
      expectNoSecrets(res, password);
    });

    it("accepts passwords of exactly 8 and 128 characters", async () => {
      expect((await register(uniqueLogin("pw8"), "p".repeat(8))).status).toBe(201);
      expect((await register(uniqueLogin("pw128"), "p".repeat(128))).status).toBe(201);
    });

    it("refuses a body without login or password, or of the wrong types", async () => {
      expectError(await h.http.post("/users").send({}), 400, "BAD_REQUEST");
      expectError(await h.http.post("/users").send({ login: uniqueLogin() }), 400, "BAD_REQUEST");
      expectError(await h.http.post("/users").send({ login: 12345, password: PASSWORD }), 400, "BAD_REQUEST");
      expectError(await h.http.post("/users").send({ login: uniqueLogin(), password: 12345678 }), 400, "BAD_REQUEST");
    });
  });

  describe("GET /users/activate/{token}", () => {
    it("activates once: 200 then 404", async () => {
      const login = uniqueLogin("act");
      const reg = await register(login);
      const path = activationPath(reg.body.activationUrl);
      const first = await h.http.get(path);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ id: reg.body.id, login, isActive: true, message: expect.any(String) });
      expectNoSecrets(first, PASSWORD);
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: reg.body.id } });
      expect(row.isActive).toBe(true);
      expect(row.activatedAt).not.toBeNull();
      expect(row.activationTokenHash).toBeNull();
      expectError(await h.http.get(path), 404, "NOT_FOUND");
      // And now the user can sign in.
      const auth = await h.http.post("/auth").send({ login, password: PASSWORD });
      expect(auth.status).toBe(200);
    });

    it("refuses an expired link with 400 and leaves the user inactive", async () => {
      const reg = await register(uniqueLogin("exp"));
      await h.db.prisma.user.update({
        where: { id: reg.body.id },
        data: { activationExpiresAt: new Date(Date.now() - 60_000) },
      });
      const res = await h.http.get(activationPath(reg.body.activationUrl));
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.message).toMatch(/expired/i);
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: reg.body.id } });
      expect(row.isActive).toBe(false);
    });

    it("answers 404 for an unknown token", async () => {
      expectError(await h.http.get("/users/activate/not-a-real-token"), 404, "NOT_FOUND");
    });
  });

  describe("POST /auth (sign in)", () => {
    it("returns a bearer token valid for an hour that opens /users/me", async () => {
      const user = await createUser(h);
      const res = await h.http.post("/auth").send({ login: user.login, password: user.password });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 3600 });
      expectNoSecrets(res, user.password);
      const decoded = jwt.decode(res.body.accessToken, { complete: true })!;
      expect(decoded.header.alg).toBe("HS256");
      expect((decoded.payload as jwt.JwtPayload).sub).toBe(user.id);
      const me = await h.http.get("/users/me").set(bearer(res.body.accessToken));
      expect(me.status).toBe(200);
      expect(me.body.login).toBe(user.login);
      expectNoSecrets(me, user.password);
    });

    it("accepts the login in another case", async () => {
      const user = await createUser(h);
      const res = await h.http.post("/auth").send({ login: user.login.toUpperCase(), password: user.password });
      expect(res.status).toBe(200);
    });

    it("answers 401 with the same message for a wrong password and an unknown login", async () => {
      const user = await createUser(h);
      const wrong = await h.http.post("/auth").send({ login: user.login, password: "wrong-password" });
      const unknown = await h.http.post("/auth").send({ login: uniqueLogin("ghost"), password: "wrong-password" });
      expectError(wrong, 401, "UNAUTHORIZED");
      expectError(unknown, 401, "UNAUTHORIZED");
      expect(wrong.body.message).toBe(unknown.body.message);
      expect(wrong.body).toEqual(unknown.body);
      expectNoSecrets(wrong, user.password);
    });

    it("answers 403 'not activated' before the activation link is followed", async () => {
      const login = uniqueLogin("pending");
      expect((await register(login)).status).toBe(201);
      const res = await h.http.post("/auth").send({ login, password: PASSWORD });
      expectError(res, 403, "FORBIDDEN");
      expect(res.body.message).toMatch(/not activated/i);
    });

    it("answers 401, not 403, to a wrong password for an inactive account (no status oracle)", async () => {
      const login = uniqueLogin("pending");
      expect((await register(login)).status).toBe(201);
      expectError(await h.http.post("/auth").send({ login, password: "wrong-password" }), 401, "UNAUTHORIZED");
    });

    it("answers 403 'disabled' for a disabled account", async () => {
      const user = await createUser(h);
      await h.db.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
      const res = await h.http.post("/auth").send({ login: user.login, password: user.password });
      expectError(res, 403, "FORBIDDEN");
      expect(res.body.message).toMatch(/disabled/i);
      expect(res.body.message).not.toMatch(/not activated/i);
    });

    it("refuses a missing login or password with 400", async () => {
      expectError(await h.http.post("/auth").send({ login: "someone" }), 400, "BAD_REQUEST");
      expectError(await h.http.post("/auth").send({ password: "x" }), 400, "BAD_REQUEST");
      expectError(await h.http.post("/auth").send({ login: "", password: "" }), 400, "BAD_REQUEST");
    });
  });

  describe("bearer tokens", () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

    async function me(token: string | undefined, scheme = "Bearer") {
      const req = h.http.get("/users/me");
      return token === undefined ? req : req.set("Authorization", `${scheme} ${token}`);
    }

    it("refuses a missing header or another scheme with 401", async () => {
      expectError(await me(undefined), 401, "UNAUTHORIZED");
      const user = await createUser(h);
      expectError(await me(user.token, "Basic"), 401, "UNAUTHORIZED");
      expectError(await h.http.get("/users/me").set("Authorization", user.token), 401, "UNAUTHORIZED");
      expectError(await h.http.get("/users/me").set("Authorization", "Bearer"), 401, "UNAUTHORIZED");
      expect((await me(user.token, "bearer")).status).toBe(200);
    });

    it("refuses alg none", async () => {
      const user = await createUser(h, { isAdmin: true });
      const now = Math.floor(Date.now() / 1000);
      const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: user.id, ver: 0, iat: now, exp: now + 600 })}.`;
      expectError(await me(token), 401, "UNAUTHORIZED");
      // And through jsonwebtoken's own unsigned form.
      const unsigned = jwt.sign({ ver: 0 }, "", { algorithm: "none", subject: user.id });
      expectError(await me(unsigned), 401, "UNAUTHORIZED");
    });

    it("refuses a token signed with another key", async () => {
      const user = await createUser(h);
      const token = signAccessToken(
        { userId: user.id, tokenVersion: 0 },
        "another-secret-another-secret-0123456789",
        600,
      );
      expectError(await me(token), 401, "UNAUTHORIZED");
    });

    it("refuses an HS512 token even with the right key (algorithm pinned)", async () => {
      const user = await createUser(h);
      const token = jwt.sign({ ver: 0 }, h.config.jwtSecret, { algorithm: "HS512", subject: user.id, expiresIn: 600 });
      expectError(await me(token), 401, "UNAUTHORIZED");
    });

    it("refuses an expired token, saying so", async () => {
      const user = await createUser(h);
      const past = Math.floor(Date.now() / 1000) - 7200;
      const token = jwt.sign({ ver: 0, sub: user.id, iat: past, exp: past + 3600 }, h.config.jwtSecret, {
        algorithm: "HS256",
      });
      const res = await me(token);
      expectError(res, 401, "UNAUTHORIZED");
      expect(res.body.message).toMatch(/expired/i);
    });

    it("refuses a token whose payload was tampered with", async () => {
      const user = await createUser(h);
      const admin = await createUser(h, { isAdmin: true });
      const [header, payload, sig] = user.token.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
      const forged = `${header}.${b64({ ...claims, sub: admin.id })}.${sig}`;
      expectError(await me(forged), 401, "UNAUTHORIZED");
      const extended = `${header}.${b64({ ...claims, exp: claims.exp + 86_400 })}.${sig}`;
      expectError(await me(extended), 401, "UNAUTHORIZED");
      expectError(await me(`${user.token}x`), 401, "UNAUTHORIZED");
      expectError(await me("not.a.jwt"), 401, "UNAUTHORIZED");
    });

    it("refuses a valid signature for an unknown user or a non-UUID subject", async () => {
      const unknown = signAccessToken({ userId: randomUUID(), tokenVersion: 0 }, h.config.jwtSecret, 600);
      expectError(await me(unknown), 401, "UNAUTHORIZED");
      const weird = signAccessToken({ userId: "1 OR 1=1", tokenVersion: 0 }, h.config.jwtSecret, 600);
      expectError(await me(weird), 401, "UNAUTHORIZED");
      const noVersion = jwt.sign({}, h.config.jwtSecret, { algorithm: "HS256", subject: randomUUID(), expiresIn: 600 });
      expectError(await me(noVersion), 401, "UNAUTHORIZED");
    });

    it("refuses a token issued before the version was bumped (401), and a disabled user's current one (403)", async () => {
      const user = await createUser(h);
      expect((await me(user.token)).status).toBe(200);
      await h.db.prisma.user.update({
        where: { id: user.id },
        data: { isActive: false, tokenVersion: { increment: 1 } },
      });
      const old = await me(user.token);
      expectError(old, 401, "UNAUTHORIZED");
      const current = signAccessToken({ userId: user.id, tokenVersion: 1 }, h.config.jwtSecret, 600);
      const res = await me(current);
      expectError(res, 403, "FORBIDDEN");
      expect(res.body.message).toMatch(/disabled/i);
    });
  });
});

describe("auth over tRPC (caller)", () => {
  const h = useHarness();

  it("registers, activates once, signs in", async () => {
    const anon = h.caller();
    const login = uniqueLogin("trpc");
    const reg = await anon.auth.register({ login, password: PASSWORD, ...({ isAdmin: true } as object) });
    expect(reg).toMatchObject({ login, isActive: false });
    expect(reg.activationUrl).toMatch(/^http:\/\/shop\.test\/users\/activate\//);
    expect(reg).not.toHaveProperty("passwordHash");
    await rejectsWith(anon.auth.login({ login, password: PASSWORD }), "FORBIDDEN", /not activated/i);

    const token = new URL(reg.activationUrl).pathname.split("/").pop()!;
    expect(await anon.auth.activate({ token })).toMatchObject({ id: reg.id, isActive: true });
    await rejectsWith(anon.auth.activate({ token }), "NOT_FOUND");

    const session = await anon.auth.login({ login: login.toUpperCase(), password: PASSWORD });
    expect(session).toEqual({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 3600 });
    const me = await h.caller(session.accessToken).me.get();
    expect(me).toMatchObject({ id: reg.id, isAdmin: false, isActive: true });
  });

  it("maps the service errors to tRPC codes", async () => {
    const anon = h.caller();
    const login = uniqueLogin("trpcdup");
    await anon.auth.register({ login, password: PASSWORD });
    await rejectsWith(anon.auth.register({ login: login.toUpperCase(), password: PASSWORD }), "CONFLICT");
    await rejectsWith(anon.auth.register({ login: "a b", password: PASSWORD }), "BAD_REQUEST");
    await rejectsWith(anon.auth.register({ login: uniqueLogin(), password: "short" }), "BAD_REQUEST");
    await rejectsWith(
      anon.auth.login({ login, password: "wrong-password" }),
      "UNAUTHORIZED",
      /invalid login or password/i,
    );
    await rejectsWith(
      anon.auth.login({ login: uniqueLogin("nobody"), password: "x" }),
      "UNAUTHORIZED",
      /invalid login or password/i,
    );

    const user = await createUser(h);
    await h.db.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    await rejectsWith(anon.auth.login({ login: user.login, password: user.password }), "FORBIDDEN", /disabled/i);

    const reg = await anon.auth.register({ login: uniqueLogin("trpcexp"), password: PASSWORD });
    await h.db.prisma.user.update({
      where: { id: reg.id },
      data: { activationExpiresAt: new Date(Date.now() - 1000) },
    });
    const token = new URL(reg.activationUrl).pathname.split("/").pop()!;
    await rejectsWith(anon.auth.activate({ token }), "BAD_REQUEST", /expired/i);
  });

  it("refuses bad tokens on authed procedures", async () => {
    await rejectsWith(h.caller().me.get(), "UNAUTHORIZED");
    await rejectsWith(h.caller("garbage").me.get(), "UNAUTHORIZED");
    const stranger = signAccessToken({ userId: randomUUID(), tokenVersion: 0 }, h.config.jwtSecret, 600);
    await rejectsWith(h.caller(stranger).me.get(), "UNAUTHORIZED");
    const user = await createUser(h);
    await h.db.prisma.user.update({ where: { id: user.id }, data: { tokenVersion: { increment: 1 } } });
    await rejectsWith(h.caller(user.token).me.get(), "UNAUTHORIZED", /revoked/i);
  });
});
