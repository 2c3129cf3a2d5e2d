// Test harness: a fresh database per test file (PGlite by default, PostgreSQL when DATABASE_URL is
// set), the Express app without listening (for supertest), a tRPC caller (no HTTP), and helpers that
// create users, admins, products and credits the way a client would. `useHarness()` gives a describe
// block (or a file) its own harness, created in beforeAll and closed in afterAll.
import { randomInt } from "node:crypto";
import type { Db } from "@shop/db";
import { createTestDb, type TestDb } from "@shop/db/testing";
import pino, { type Logger } from "pino";
import request from "supertest";
import { afterAll, beforeAll } from "vitest";
import { createApp } from "../src/app.ts";
import { hashPassword } from "../src/auth/passwords.ts";
import { signAccessToken } from "../src/auth/tokens.ts";
import type { Deps } from "../src/deps.ts";
import { type AppConfig, testConfig } from "../src/env.ts";
import { appRouter } from "../src/routers/_app.ts";
import { createLoginLimiter } from "../src/services/login-limiter.ts";
import { createCallerFactory, createContextInner } from "../src/trpc.ts";
import { bearer } from "./support/http.ts";
import { providerId, webhookText } from "./support/webhook.ts";

// Shared helpers live in ./support/ (one module per concern); re-exported here so tests keep importing
// them from the harness.
export { expectError, expectNoSecrets, rejectsWith, rejectsWithAppError } from "./support/assertions.ts";
export { bearer, send } from "./support/http.ts";
// `signature` is the tests' own webhook signer, independent of the service's signWebhook on purpose
// (support/webhook.ts says why).
export { providerId, signature } from "./support/webhook.ts";
import { validatingAgent, validatorFor } from "./support/openapi-validator.ts";

const createCaller = createCallerFactory(appRouter);

export interface Harness {
  db: TestDb;
  config: AppConfig;
  app: ReturnType<typeof createApp>;
  http: ReturnType<typeof request>;
  /** What the app's services get ({db, config, log, loginLimiter}), for calling a service directly. */
  deps: Deps;
  /** A tRPC caller acting with the given bearer token (or anonymously). */
  caller(token?: string, options?: { idempotencyKey?: string }): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  poolSize?: number;
  /**
   * Reports, listings and exports read this database instead (DATABASE_READ_URL): given the primary test
   * database, it opens the replica's copy of it (test/replica.int.test.ts).
   */
  readDb?: (primary: TestDb) => Promise<Db>;
  config?: Partial<AppConfig>;
  /** The app's logger (default: silent). */
  log?: Logger;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDb({ poolSize: options.poolSize ?? 20 });
  const config = testConfig({ publicUrl: "http://shop.test", ...options.config });
  const log = options.log ?? pino({ level: "silent" });
  const loginLimiter = createLoginLimiter(config.loginLimits, config.redisUrl);
  const readDb = options.readDb ? await options.readDb(db) : undefined;
  const deps: Deps = { db, readDb, config, log, loginLimiter };
  const app = createApp(deps);
  // Every REST answer is checked against the document the app serves (test/support/openapi-validator.ts).
  const validator = validatorFor((await request(app).get("/openapi.json").expect(200)).text);
  return {
    db,
    config,
    app,
    http: validatingAgent(request(app), () => validator),
    deps,
    caller: (token, callerOptions = {}) =>
      createCaller(
        createContextInner({
          db,
          readDb,
          config,
          log,
          loginLimiter,
          authorization: token ? `Bearer ${token}` : undefined,
          idempotencyKey: callerOptions.idempotencyKey,
          transport: "internal",
        }),
      ),
    close: async () => {
      await loginLimiter.close();
      await readDb?.close();
      await db.close();
    },
  };
}

/**
 * Registers, in the calling describe block (or file), a beforeAll that creates a harness and an
 * afterAll that closes it, and returns a handle to that harness. Call it before the block's own hooks:
 * its beforeAll then runs first and its afterAll last, so those hooks and every test can use the
 * handle. Using the handle outside that span (e.g. while tests are being collected) throws.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await createHarness(options);
  });
  afterAll(async () => {
    const closing = harness;
    harness = undefined;
    await closing?.close();
  });
  const current = (): Harness => {
    if (!harness) throw new Error("useHarness(): the harness exists only from its beforeAll to its afterAll");
    return harness;
  };
  return {
    get db() {
      return current().db;
    },
    get config() {
      return current().config;
    },
    get app() {
      return current().app;
    },
    get http() {
      return current().http;
    },
    get deps() {
      return current().deps;
    },
    caller: (token, callerOptions) => current().caller(token, callerOptions),
    close: () => current().close(),
  };
}

let counter = 0;
/** A login unique within the run. */
export function uniqueLogin(prefix = "user"): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}x${randomInt(1e6)}`;
}

export interface TestUser {
  id: string;
  numericId: number;
  login: string;
  password: string;
  token: string;
}

/** An active user created directly in the database (fast path; registration has its own tests). */
export async function createUser(
  h: Harness,
  options: { isAdmin?: boolean; isActive?: boolean; numericId?: number; login?: string } = {},
): Promise<TestUser> {
  const login = options.login ?? uniqueLogin(options.isAdmin ? "admin" : "user");
  const password = "password-123";
  const user = await h.db.prisma.user.create({
    data: {
      login,
      passwordHash: await hashPassword(password),
      isAdmin: options.isAdmin ?? false,
      isActive: options.isActive ?? true,
      activatedAt: new Date(),
      ...(options.numericId === undefined ? {} : { numericId: BigInt(options.numericId) }),
    },
  });
  const token = signAccessToken({ userId: user.id, tokenVersion: user.tokenVersion }, h.config.jwtSecret, 3600);
  return { id: user.id, numericId: Number(user.numericId), login, password, token };
}

/** The webhook body exactly as a provider would write it (amount as a bare JSON number text). */
export function webhookBody(h: Harness, p: { tx: number; user: number; bill: number; amount: string }): string {
  return webhookText(h.config.paymentPrivateKey, p);
}

/** Credits `amount` to bill `bill` of `user` through the webhook; returns the response body. */
export async function credit(h: Harness, user: { numericId: number }, bill: number, amount: string) {
  const res = await h.http
    .post("/payment/webhook")
    .set("Content-Type", "application/json")
    .send(webhookBody(h, { tx: providerId(), user: user.numericId, bill, amount }));
  if (res.status !== 200) throw new Error(`credit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { accountId: string; balance: string };
}

export async function createProduct(h: Harness, admin: TestUser, price = "30.00", title = "Widget") {
  const res = await h.http.post("/products").set(bearer(admin)).send({ title, description: "A product", price });
  if (res.status !== 201) throw new Error(`create product failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; price: string; title: string };
}

/** The sum of an account's ledger (money in − money out) and its stored balance, as text. */
export async function ledgerAndBalance(h: Harness, accountId: string) {
  const rows = await h.db.prisma.$queryRaw<{ ledger: string; balance: string }[]>`
    SELECT COALESCE(SUM(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END), 0)::numeric(20,2)::text AS ledger,
           a.balance::text AS balance
      FROM accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
     WHERE a.id = ${accountId}::uuid
     GROUP BY a.balance`;
  return rows[0]!;
}
