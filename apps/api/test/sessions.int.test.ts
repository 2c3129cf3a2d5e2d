// Ending sessions: POST /auth/sign-out and POST /auth/password. Every access token of the user stops
// working at once (the token's version is compared with the database's at every call, so neither the
// remembered-signature cache of auth/tokens.ts nor another process can keep one alive), both are
// audited, and a wrong current password is counted by the sign-in limits.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createLoginLimiter } from "../src/services/login-limiter.ts";
import request from "supertest";
import { type TestUser, createUser, expectError, useHarness } from "./harness.ts";

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("POST /auth/sign-out", () => {
  const h = useHarness();

  async function signIn(user: TestUser, password = user.password): Promise<string> {
    const res = await h.http.post("/auth").send({ login: user.login, password });
    expect(res.status, res.text).toBe(200);
    return res.body.accessToken as string;
  }

  it("answers 204 without a body to a bodiless POST, and every token of the user stops working", async () => {
    const alice = await createUser(h);
    const bob = await createUser(h);
    const [first, second] = [await signIn(alice), await signIn(alice)];
    // Both tokens have been used (so auth/tokens.ts remembers their signatures) and work.
    for (const token of [first, second, alice.token]) {
      expect((await h.http.get("/auth/session").set(auth(token))).status).toBe(200);
    }
    const res = await h.http.post("/auth/sign-out").set(auth(first));
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    expect(res.headers["content-type"]).toBeUndefined();
    for (const token of [first, second, alice.token]) {
      const refused = await h.http.get("/users/me").set(auth(token));
      expectError(refused, 401, "UNAUTHORIZED", "TOKEN_REVOKED");
    }
    // Another user is untouched; signing in again works.
    expect((await h.http.get("/users/me").set(auth(bob.token))).status).toBe(200);
    expect((await h.http.get("/users/me").set(auth(await signIn(alice)))).status).toBe(200);
  });

  it("holds across app instances sharing the database (the state is the database's)", async () => {
    const alice = await createUser(h);
    const otherLimiter = createLoginLimiter(h.config.loginLimits);
    const other = request(createApp({ ...h.deps, loginLimiter: otherLimiter }));
    try {
      expect((await other.get("/auth/session").set(auth(alice.token))).status).toBe(200);
      expect((await h.http.post("/auth/sign-out").set(auth(alice.token))).status).toBe(204);
      expect((await other.get("/auth/session").set(auth(alice.token))).status).toBe(401);
    } finally {
      await otherLimiter.close();
    }
  });

  it("is audited with the user as actor, and needs a token", async () => {
    const admin = await createUser(h, { isAdmin: true });
    const alice = await createUser(h);
    expect((await h.http.post("/auth/sign-out").set(auth(alice.token)).set("X-Request-Id", "out-1")).status).toBe(204);
    const entries = await h.http.get("/audit").query({ targetId: alice.id }).set(auth(admin.token));
    expect(entries.body.items).toEqual([
      expect.objectContaining({
        action: "user.sign_out",
        actor: { type: "user", id: alice.id, login: alice.login },
        targetType: "user",
        targetId: alice.id,
        requestId: "out-1",
      }),
    ]);
    expectError(await h.http.post("/auth/sign-out"), 401, "UNAUTHORIZED", "AUTH_REQUIRED");
    // Signed out already: the revoked token cannot sign out again.
    expectError(await h.http.post("/auth/sign-out").set(auth(alice.token)), 401, "UNAUTHORIZED", "TOKEN_REVOKED");
  });

  it("is in the typed tRPC client", async () => {
    const alice = await createUser(h);
    await h.caller(alice.token).auth.signOut();
    await expect(h.caller(alice.token).auth.session()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("POST /auth/password", () => {
  const limits = { perLogin: 3, perAddress: 100, windowSeconds: 900 };
  const h = useHarness({ config: { loginLimits: limits } });

  it("204: the new password works, the old one does not, and every token (the caller's too) is revoked", async () => {
    const admin = await createUser(h, { isAdmin: true });
    const alice = await createUser(h);
    const other = (await h.http.post("/auth").send({ login: alice.login, password: alice.password })).body
      .accessToken as string;
    const res = await h.http
      .post("/auth/password")
      .set(auth(alice.token))
      .send({ currentPassword: alice.password, newPassword: "a-new-password-42" });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    for (const token of [alice.token, other]) {
      expectError(await h.http.get("/users/me").set(auth(token)), 401, "UNAUTHORIZED", "TOKEN_REVOKED");
    }
    expectError(
      await h.http.post("/auth").send({ login: alice.login, password: alice.password }),
      401,
      "UNAUTHORIZED",
      "INVALID_CREDENTIALS",
    );
    const signedIn = await h.http.post("/auth").send({ login: alice.login, password: "a-new-password-42" });
    expect(signedIn.status, signedIn.text).toBe(200);
    const entries = await h.http.get("/audit").query({ targetId: alice.id }).set(auth(admin.token));
    expect(entries.body.items).toEqual([
      expect.objectContaining({
        action: "user.password_change",
        actor: { type: "user", id: alice.id, login: alice.login },
        before: null,
        after: { passwordChanged: true },
      }),
    ]);
    expect(JSON.stringify(entries.body)).not.toContain("a-new-password-42");
  });

  it("a wrong current password is 403 WRONG_PASSWORD, changes nothing, and counts as a failed sign-in", async () => {
    const alice = await createUser(h);
    for (let i = 0; i < limits.perLogin; i++) {
      const res = await h.http
        .post("/auth/password")
        .set(auth(alice.token))
        .send({ currentPassword: `wrong-${i}`, newPassword: "a-new-password-42" });
      expectError(res, 403, "FORBIDDEN", "WRONG_PASSWORD");
    }
    // The budget of (login, address) is spent: the next attempt, even with the right password, is 429,
    // and so is a sign-in from this address.
    const limited = await h.http
      .post("/auth/password")
      .set(auth(alice.token))
      .send({ currentPassword: alice.password, newPassword: "a-new-password-42" });
    expectError(limited, 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    expect(limited.headers["retry-after"]).toMatch(/^[0-9]+$/);
    expectError(
      await h.http.post("/auth").send({ login: alice.login, password: alice.password }),
      429,
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
    // Nothing changed: the token still works.
    expect((await h.http.get("/users/me").set(auth(alice.token))).status).toBe(200);
  });

  it("refuses a short new password (400) and an anonymous caller (401)", async () => {
    const alice = await createUser(h);
    expectError(
      await h.http
        .post("/auth/password")
        .set(auth(alice.token))
        .send({ currentPassword: alice.password, newPassword: "short" }),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
    expectError(
      await h.http.post("/auth/password").send({ currentPassword: "x", newPassword: randomUUID() }),
      401,
      "UNAUTHORIZED",
      "AUTH_REQUIRED",
    );
  });

  it("is in the typed tRPC client", async () => {
    const alice = await createUser(h);
    await h.caller(alice.token).auth.changePassword({ currentPassword: alice.password, newPassword: "another-pass-7" });
    await expect(h.caller(alice.token).auth.session()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
