// Abuse found from the outside (issue 13), each refused: limits per address, one login normalisation,
// no NUL through tRPC, capped batches, statuses before the context, redacted logs, tokens with `exp`,
// no promotion at start-up, expired registrations that free their login, a bounded bcrypt queue.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import jwt from "jsonwebtoken";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { WorkQueue } from "../src/auth/passwords.ts";
import { AppError } from "../src/errors.ts";
import { AdminLoginTakenError, ensureAdmin } from "../src/services/admin-bootstrap.service.ts";
import { createUser, expectError, providerId, uniqueLogin, useHarness, webhookBody } from "./harness.ts";

const from = (address: string) => ({ "X-Forwarded-For": address });
const trpcInput = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(input))}`;

describe("registrations per address", () => {
  const limits = { perLogin: 10, perAddress: 100, windowSeconds: 900, registrationsPerAddress: 3 };
  const h = useHarness({ config: { loginLimits: limits } });

  it("answers 429 with Retry-After past the budget, creating nobody; other addresses still register", async () => {
    const register = (address: string, login = uniqueLogin("reg")) =>
      h.http.post("/users").set(from(address)).send({ login, password: "password-123" });
    for (let i = 0; i < 3; i++) expect((await register("198.51.100.7")).status).toBe(201);
    const login = uniqueLogin("reg");
    const refused = await register("198.51.100.7", login);
    expectError(refused, 429, "TOO_MANY_REQUESTS");
    expect(refused.body.appCode).toBe("RATE_LIMITED");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(await h.db.prisma.user.count({ where: { login } })).toBe(0);
    expect((await register("198.51.100.8")).status).toBe(201);
  });

  it("counts tRPC batches call by call: a batch cannot carry more registrations than the budget", async () => {
    const calls = Array.from({ length: 5 }, () => ({ login: uniqueLogin("batch"), password: "password-123" }));
    const body = Object.fromEntries(calls.map((c, i) => [String(i), c]));
    const res = await h.http
      .post(`/trpc/${calls.map(() => "auth.register").join(",")}?batch=1`)
      .set(from("198.51.100.9"))
      .send(body);
    const created = await h.db.prisma.user.count({ where: { login: { in: calls.map((c) => c.login) } } });
    expect(created).toBe(3);
    expect((res.body as { error?: { data: { appCode: string } } }[]).filter((r) => r.error)).toHaveLength(2);
  });
});

describe("tRPC at the door", () => {
  const h = useHarness();

  it("refuses a batch larger than 20 calls with 400, and runs none of it", async () => {
    const user = await createUser(h);
    const path = (n: number) => `/trpc/${Array.from({ length: n }, () => "auth.session").join(",")}?batch=1&input={}`;
    const ok = await h.http.get(path(20)).set("Authorization", `Bearer ${user.token}`);
    expect(ok.status).toBe(200);
    const refused = await h.http.get(path(21)).set("Authorization", `Bearer ${user.token}`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/Batch call exceeds maximum size/);
    expect(refused.text).not.toMatch(/"stack"/);
  });

  it("answers an error raised before the context exists with its status (415), not 200", async () => {
    const res = await h.http.post("/trpc/auth.login").set("Content-Type", "text/plain").send("hello");
    expect(res.status).toBe(415);
    expect(res.body.error.data).toMatchObject({ httpStatus: 415, appCode: "UNSUPPORTED_MEDIA_TYPE" });
    expect(res.text).not.toMatch(/"stack"/);
  });

  it("refuses U+0000 in string inputs on both doors with 400, in the schema layer", async () => {
    const user = await createUser(h);
    const auth = { Authorization: `Bearer ${user.token}` };
    const trpc = await h.http.get(`/trpc/products.list?${trpcInput({ search: "a\u0000b" })}`).set(auth);
    expect(trpc.status).toBe(400);
    expect(trpc.body.error.data.appCode).toBe("INVALID_INPUT");
    const mutation = await h.http
      .post("/trpc/auth.login")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ login: "alice", password: "a\u0000b" }));
    expect(mutation.status).toBe(400);
    expectError(await h.http.get("/products?search=a%00b").set(auth), 400, "BAD_REQUEST");
  });
});

describe("sign-in", () => {
  const limits = { perLogin: 3, perAddress: 100, windowSeconds: 900 };
  const h = useHarness({ config: { loginLimits: limits } });

  it("never lets guesses from other addresses lock a user out of their correct password", async () => {
    const user = await createUser(h);
    for (let i = 0; i < 12; i++) {
      const res = await h.http
        .post("/auth")
        .set(from(`203.0.113.${(i % 4) + 1}`))
        .send({ login: user.login, password: "wrong-password" });
      expect([401, 429]).toContain(res.status);
    }
    // Four attacking addresses spent their own budgets; the user's address still has all of its own.
    const own = await h.http.post("/auth").set(from("192.0.2.50")).send({ login: user.login, password: user.password });
    expect(own.status).toBe(200);
    // The attacking address itself is held back, also in another spelling of the login.
    const attacker = await h.http
      .post("/auth")
      .set(from("203.0.113.1"))
      .send({ login: user.login.toUpperCase(), password: user.password });
    expectError(attacker, 429, "TOO_MANY_REQUESTS");
  });

  it("reads the login as registration does: adm\\u0130n is not admin (JS and PostgreSQL lower() differ)", async () => {
    const admin = await createUser(h, { isAdmin: true, login: `adm${randomUUID().slice(0, 6)}in` });
    const lookalike = admin.login.replace(/i(?=n$)/, "\u0130");
    expect(lookalike).not.toBe(admin.login);
    const res = await h.http.post("/auth").set(from("192.0.2.60")).send({ login: lookalike, password: admin.password });
    expectError(res, 401, "UNAUTHORIZED");
    expect(res.body.appCode).toBe("INVALID_CREDENTIALS");
  });

  it("refuses a token without exp", async () => {
    const user = await createUser(h);
    const dbUser = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const forever = jwt.sign({ ver: dbUser.tokenVersion }, h.config.jwtSecret, {
      algorithm: "HS256",
      subject: user.id,
    });
    const res = await h.http.get("/users/me").set("Authorization", `Bearer ${forever}`);
    expectError(res, 401, "UNAUTHORIZED");
    expect(res.body.appCode).toBe("TOKEN_INVALID");
  });
});

describe("webhook signatures per address", () => {
  const limits = { perLogin: 10, perAddress: 100, windowSeconds: 900, badSignaturesPerAddress: 3 };
  const h = useHarness({ config: { loginLimits: limits } });

  it("answers 429 to bad signatures past the budget, and still credits a correctly signed call", async () => {
    const user = await createUser(h);
    const bad = () =>
      h.http
        .post("/payment/webhook")
        .set(from("198.51.100.20"))
        .set("Content-Type", "application/json")
        .send(
          webhookBody({ config: { ...h.config, paymentPrivateKey: "guess" } } as typeof h, {
            tx: providerId(),
            user: user.numericId,
            bill: providerId(),
            amount: "10.00",
          }),
        );
    for (let i = 0; i < 3; i++) expectError(await bad(), 403, "FORBIDDEN");
    const limited = await bad();
    expectError(limited, 429, "TOO_MANY_REQUESTS");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    const good = await h.http
      .post("/payment/webhook")
      .set(from("198.51.100.20"))
      .set("Content-Type", "application/json")
      .send(webhookBody(h, { tx: providerId(), user: user.numericId, bill: providerId(), amount: "10.00" }));
    expect(good.status).toBe(200);
    expect(good.body.balance).toBe("10.00");
  });
});

describe("registrations and the admin at start-up", () => {
  const lines: { req?: { url: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const h = useHarness({ log: pino({ level: "info" }, sink) });

  it("frees the login of a registration whose activation link expired unused", async () => {
    const login = uniqueLogin("late");
    const first = await h.http.post("/users").send({ login, password: "password-123" });
    expect(first.status).toBe(201);
    expectError(await h.http.post("/users").send({ login, password: "password-456" }), 409, "CONFLICT");
    await h.db.prisma.user.update({
      where: { id: first.body.id },
      data: { activationExpiresAt: new Date(Date.now() - 1000) },
    });
    const again = await h.http.post("/users").send({ login: login.toUpperCase(), password: "password-456" });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(await h.db.prisma.user.count({ where: { login: { equals: login, mode: "insensitive" } } })).toBe(1);
  });

  it("redacts activation tokens from the request log on REST and on tRPC", async () => {
    const secret = `tok${randomUUID().replace(/-/g, "")}`;
    lines.length = 0;
    await h.http.get(`/users/activate/${secret}`);
    await h.http.get(`/trpc/auth.activate?${trpcInput({ token: secret })}`);
    await h.http.get(`/trpc/auth.session,auth.activate?batch=1&${trpcInput({ 1: { token: secret } })}`);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(lines)).not.toContain(secret);
  });

  it("never makes an existing non-admin admin at start-up; the CLI promotes deliberately", async () => {
    const login = uniqueLogin("boss");
    const registered = await h.http.post("/users").send({ login, password: "strangers-password" });
    expect(registered.status).toBe(201);
    await expect(ensureAdmin(h.db, { login, password: "configured-password" })).rejects.toThrow(AdminLoginTakenError);
    await expect(ensureAdmin(h.db, { login, password: "configured-password" })).rejects.toThrow(/npm run admin/);
    const still = await h.db.prisma.user.findUniqueOrThrow({ where: { id: registered.body.id } });
    expect(still.isAdmin).toBe(false);
    const promoted = await ensureAdmin(h.db, { login, password: "configured-password", resetPassword: true });
    expect(promoted).toEqual({ action: "promoted", id: registered.body.id });
    const signIn = await h.http.post("/auth").send({ login, password: "configured-password" });
    expect(signIn.status).toBe(200);
  });
});

describe("the bcrypt work queue", () => {
  it("runs at most `concurrency` tasks, queues at most `maxWaiting`, refuses the rest at once with 503", async () => {
    const queue = new WorkQueue(1, 2);
    const gates: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const task = () =>
      queue.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running -= 1;
        return "done";
      });
    const accepted = [task(), task(), task()];
    const refused = await task().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "SERVER_BUSY", status: 503, headers: { "Retry-After": "1" } });
    // Open the gates one at a time, as the tasks reach them.
    let settled = false;
    const all = Promise.all(accepted).finally(() => (settled = true));
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    expect(await all).toEqual(["done", "done", "done"]);
    expect(most).toBe(1);
    expect(queue.waiting).toBe(0);
  });
});
