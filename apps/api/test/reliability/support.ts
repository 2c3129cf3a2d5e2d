// Shared machinery of the reliability suites (not a test file: vitest only collects *.test.ts):
//
// - figures: RELIABILITY_SECONDS, and the one-line JSON summary each suite prints;
// - an HTTP client (fetch) that never throws on a status;
// - API server child processes (`node --import tsx apps/api/src/main.ts`) on free ports, always killed:
//   afterAll in each suite, a process 'exit' hook here, and a watchdog inside each child that kills
//   it within a second once this test process is gone (even after a SIGKILL);
// - the money invariants, read from the database;
// - a load generator of mixed webhook credits and purchases that tallies every 2xx answer, so the
//   suites can check that what the API acknowledged is exactly what the ledger holds.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { centsToMoney } from "@shop/contracts";
import type { PrismaClient } from "@shop/db";
import { testDatabaseUrl, testDbOptions } from "@shop/db/testing";
import { expect } from "vitest";
import { hashPassword } from "../../src/auth/passwords.ts";
import { signAccessToken } from "../../src/auth/tokens.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const ENGINE = testDatabaseUrl ? "postgres" : "pglite";

/** Seconds of load in the load phases (default 10). */
export const RELIABILITY_SECONDS = (() => {
  const raw = process.env.RELIABILITY_SECONDS;
  if (raw === undefined || raw.trim() === "") return 10;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new Error(`RELIABILITY_SECONDS must be in (0, 3600], not ${raw}`);
  return n;
})();

/** Prints the suite's figures as one JSON line (docs/reliability.md is refreshed from these lines). */
export function summary(suite: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ reliability: suite, engine: ENGINE, ...figures }, (_k, v) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  console.log(line);
}

// ---------------------------------------------------------------------------------------------------
// HTTP

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked by each caller
  body: any;
  text: string;
  type: string;
}

export interface SendOptions {
  token?: string | undefined;
  /** Serialised with JSON.stringify. */
  json?: unknown;
  /** Sent exactly as given (Content-Type application/json unless headers say otherwise). */
  raw?: string | undefined;
  headers?: Record<string, string> | undefined;
  timeoutMs?: number;
}

export async function send(base: string, method: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = "application/json";
  }
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, type: res.headers.get("content-type") ?? "" };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

// ---------------------------------------------------------------------------------------------------
// API server child processes

/** The configuration every child server gets: production mode, so real secrets are required. */
export const SERVER_SECRETS = {
  JWT_SECRET: `reliability-jwt-${randomBytes(16).toString("hex")}`,
  PAYMENT_PRIVATE_KEY: `reliability-payment-${randomBytes(8).toString("hex")}`,
  ADMIN_LOGIN: "reliability-admin",
  ADMIN_PASSWORD: `admin-${randomBytes(9).toString("base64url")}`,
} as const;

const live = new Set<ChildProcess>();
let hooked = false;
function killAllChildren() {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

export interface ApiServer {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  /** The last ~256 kB the process wrote (stdout and stderr). */
  output(): string;
  /** pino lines at level error (50) or fatal (60), and anything else on stderr. */
  errorLines(): string[];
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGKILL, and wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after `graceMs` (default 15 s); waits until the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  databaseUrl: string;
  port?: number;
  env?: Record<string, string>;
  /** Wait for GET /health (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export function spawnApiServer(options: StartOptions & { port: number }): ApiServer {
  if (!hooked) {
    hooked = true;
    process.on("exit", killAllChildren);
  }
  const port = options.port;
  const watchdog = pathToFileURL(fileURLToPath(new URL("./parent-watchdog.mjs", import.meta.url))).href;
  const child = spawn(process.execPath, ["--import", "tsx", "--import", watchdog, "apps/api/src/main.ts"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...SERVER_SECRETS,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: options.databaseUrl,
      DATABASE_DIRECT_URL: testDbOptions(options.databaseUrl).directUrl ?? "",
      DATABASE_POOL_SIZE: "8",
      // Every request comes from 127.0.0.1: the per-address budgets must not turn the loads into 429s.
      REGISTRATION_LIMIT_PER_ADDRESS: "1000000",
      WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS: "1000000",
      // One process per server unless a suite asks for a cluster (production's default is one per core).
      WEB_CONCURRENCY: "1",
      RELIABILITY_PARENT_PID: String(process.pid),
      ...options.env,
    },
  });
  live.add(child);
  let buffer = "";
  const errors: string[] = [];
  const keep = (chunk: Buffer, stream: "stdout" | "stderr") => {
    const text = chunk.toString("utf8");
    buffer = (buffer + text).slice(-256 * 1024);
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      if (stream === "stderr" || /"level":(50|60)\b/.test(line)) errors.push(line.slice(0, 2000));
    }
  };
  child.stdout!.on("data", (c: Buffer) => keep(c, "stdout"));
  child.stderr!.on("data", (c: Buffer) => keep(c, "stderr"));
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const server: ApiServer = {
    name: options.name,
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => buffer,
    errorLines: () => [...errors],
    exited,
    alive: () => running,
    async kill9() {
      if (running) child.kill("SIGKILL");
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (!running) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return server;
}

/** Resolves once GET /health answers 200; rejects (with the output) if the process exits first. */
export async function waitReady(server: ApiServer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!server.alive()) {
      const { code, signal } = await server.exited;
      throw new Error(
        `${server.name} exited (code ${code}, signal ${signal}) before it was ready:\n${server.output()}`,
      );
    }
    try {
      const res = await fetch(`${server.base}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${server.name} not ready after ${timeoutMs} ms:\n${server.output()}`);
}

export async function startApiServer(options: StartOptions): Promise<ApiServer> {
  const server = spawnApiServer({ ...options, port: options.port ?? (await freePort()) });
  if (options.waitReady !== false) await waitReady(server, options.readyTimeoutMs);
  return server;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------
// Money

/** "-12.34" / "12.3" / "7" → cents. */
export function cents(text: string): bigint {
  const match = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(text.trim());
  if (!match) throw new Error(`not an amount: ${text}`);
  const value = BigInt(match[2]!) * 100n + BigInt((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -value : value;
}

export interface MoneyFigures {
  accounts: number;
  negativeAccounts: number;
  /** Accounts whose balance differs from the sum of their ledger. */
  mismatchedAccounts: number;
  negativeEntries: number;
  /** Ledger rows whose balance_after is not the running sum of the account's ledger in seq order. */
  chainBreaks: number;
  creditEntries: number;
  purchaseEntries: number;
  totalBalances: bigint;
  totalCredits: bigint;
  totalPurchases: bigint;
}

const MONEY_SQL = `
SELECT
  (SELECT count(*) FROM accounts)::int AS accounts,
  (SELECT count(*) FROM accounts WHERE balance < 0)::int AS negative_accounts,
  (SELECT count(*) FROM accounts a
    WHERE a.balance <> COALESCE((SELECT SUM(CASE WHEN e.kind = 'credit' THEN e.amount ELSE -e.amount END)
                                   FROM ledger_entries e WHERE e.account_id = a.id), 0))::int AS mismatched_accounts,
  (SELECT count(*) FROM ledger_entries WHERE balance_after < 0)::int AS negative_entries,
  (SELECT count(*) FROM (
     SELECT balance_after,
            SUM(CASE WHEN kind = 'credit' THEN amount ELSE -amount END)
              OVER (PARTITION BY account_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
       FROM ledger_entries) chain
    WHERE balance_after <> running)::int AS chain_breaks,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'credit')::int AS credit_entries,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'purchase')::int AS purchase_entries,
  (SELECT COALESCE(SUM(balance), 0) FROM accounts)::numeric(20,2)::text AS total_balances,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'credit')::numeric(20,2)::text AS total_credits,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'purchase')::numeric(20,2)::text AS total_purchases`;

export async function moneyFigures(prisma: PrismaClient): Promise<MoneyFigures> {
  const [row] = await prisma.$queryRawUnsafe<Record<string, number | string>[]>(MONEY_SQL);
  if (!row) throw new Error("no row");
  return {
    accounts: Number(row.accounts),
    negativeAccounts: Number(row.negative_accounts),
    mismatchedAccounts: Number(row.mismatched_accounts),
    negativeEntries: Number(row.negative_entries),
    chainBreaks: Number(row.chain_breaks),
    creditEntries: Number(row.credit_entries),
    purchaseEntries: Number(row.purchase_entries),
    totalBalances: cents(String(row.total_balances)),
    totalCredits: cents(String(row.total_credits)),
    totalPurchases: cents(String(row.total_purchases)),
  };
}

/** Every balance = Σ its ledger, none negative, the chain of balance_after is consistent, Σ balances = credits − purchases. */
export function expectMoneyInvariants(f: MoneyFigures): void {
  expect(f.negativeAccounts, "accounts with a negative balance").toBe(0);
  expect(f.negativeEntries, "ledger rows with a negative balance_after").toBe(0);
  expect(f.mismatchedAccounts, "accounts whose balance is not the sum of their ledger").toBe(0);
  expect(f.chainBreaks, "ledger rows whose balance_after is not the running sum").toBe(0);
  expect(f.totalBalances, "Σ balances = Σ credits − Σ purchases").toBe(f.totalCredits - f.totalPurchases);
}

/** What the ledger holds: credits by provider transaction_id, purchases by ledger id (amounts in cents). */
export async function ledgerContents(prisma: PrismaClient) {
  const rows = await prisma.$queryRawUnsafe<{ id: string; kind: string; tx: string | null; amount: string }[]>(
    `SELECT id::text, kind::text, transaction_id::text AS tx, amount::text FROM ledger_entries`,
  );
  const credits = new Map<number, bigint>();
  const purchases = new Map<string, bigint>();
  for (const r of rows) {
    if (r.kind === "credit") credits.set(Number(r.tx), cents(r.amount));
    else purchases.set(r.id, cents(r.amount));
  }
  return { credits, purchases };
}

/** The tally must be exactly the ledger: same credits (by transaction_id), same purchases (by id), same amounts. */
export function expectTallyMatchesLedger(tally: Tally, ledger: Awaited<ReturnType<typeof ledgerContents>>): void {
  const missingCredits = [...tally.credits.keys()].filter((tx) => !ledger.credits.has(tx));
  const extraCredits = [...ledger.credits.keys()].filter((tx) => !tally.credits.has(tx));
  const wrongCredits = [...tally.credits].filter(([tx, c]) => ledger.credits.has(tx) && ledger.credits.get(tx) !== c);
  const missingPurchases = [...tally.purchases.keys()].filter((id) => !ledger.purchases.has(id));
  const extraPurchases = [...ledger.purchases.keys()].filter((id) => !tally.purchases.has(id));
  expect(missingCredits, "credits answered 2xx but absent from the ledger").toEqual([]);
  expect(missingPurchases, "purchases answered 2xx but absent from the ledger").toEqual([]);
  expect(wrongCredits, "credits whose amount differs from the answer").toEqual([]);
  expect(extraCredits, "credits in the ledger that no 2xx answer acknowledged").toEqual([]);
  expect(extraPurchases, "purchases in the ledger that no 2xx answer acknowledged").toEqual([]);
}

// ---------------------------------------------------------------------------------------------------
// The load: users, accounts, products, and mixed credits and purchases.

let nextProviderId = randomInt(1, 2 ** 40);
/** A fresh provider id (transaction_id or bill_id), unique within this process. */
export function freshProviderId(): number {
  nextProviderId += 1;
  return nextProviderId;
}

export interface LoadUser {
  id: string;
  numericId: number;
  token: string;
  accounts: { id: string; bill: number }[];
}
export interface LoadProduct {
  id: string;
  price: bigint;
}
export interface World {
  users: LoadUser[];
  products: LoadProduct[];
  paymentKey: string;
}

/** Active users created straight in the database (one bcrypt hash shared: setup speed), with tokens. */
export async function createLoadUsers(prisma: PrismaClient, count: number, jwtSecret: string): Promise<LoadUser[]> {
  const passwordHash = await hashPassword("reliability-password");
  const stem = `rel${process.pid}x${randomBytes(3).toString("hex")}`;
  const rows = await prisma.user.createManyAndReturn({
    data: Array.from({ length: count }, (_, i) => ({
      login: `${stem}u${i}`,
      passwordHash,
      isActive: true,
      activatedAt: new Date(),
    })),
    select: { id: true, numericId: true, tokenVersion: true },
  });
  return rows.map((r) => ({
    id: r.id,
    numericId: Number(r.numericId),
    token: signAccessToken({ userId: r.id, tokenVersion: r.tokenVersion }, jwtSecret, 3600),
    accounts: [],
  }));
}

export function signWebhookText(key: string, tx: number, user: number, bill: number, amount: string): string {
  return createHash("sha1").update(`${key}:${tx}:${user}:${bill}:${amount}`, "utf8").digest("hex");
}

/** A webhook body as the provider writes it; the amount as a JSON number text or as a JSON string. */
export function webhookText(
  key: string,
  p: { tx: number; user: number; bill: number; amount: string; amountAsString?: boolean },
): string {
  const sig = signWebhookText(key, p.tx, p.user, p.bill, p.amount);
  const amount = p.amountAsString ? JSON.stringify(p.amount) : p.amount;
  return `{"signature":"${sig}","transaction_id":${p.tx},"user_id":${p.user},"bill_id":${p.bill},"amount":${amount}}`;
}

/** The ways a provider may write an amount of `c` cents: 12, 12.0, 12.5, 12.50 … */
export function amountSpellings(c: bigint): string[] {
  const text = centsToMoney(c); // "12.50"
  const [whole, fraction] = text.split(".") as [string, string];
  if (fraction === "00") return [whole, `${whole}.0`, `${whole}.00`];
  if (fraction.endsWith("0")) return [`${whole}.${fraction[0]}`, text];
  return [text];
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)]!;
}

export type UnknownRequest = (
  | { kind: "credit"; tx: number; body: string; conflict: boolean }
  | { kind: "buy"; user: LoadUser; accountId: string; productId: string; key: string | undefined }
) & {
  /** When the request was sent, and why its outcome is unknown (the network error, or the 5xx). */
  startedAt?: number;
  reason?: string;
};

/** Everything the API answered, keyed so that replays and retries count once. */
export class Tally {
  requests = 0;
  statuses = new Map<number, number>();
  networkErrors = 0;
  inflight = 0;
  /** transaction_id → cents, from every 2xx webhook answer. */
  credits = new Map<number, bigint>();
  /** ledger id → cents, from every 2xx purchase answer. */
  purchases = new Map<string, bigint>();
  creditAnswers = { credited: 0, alreadyProcessed: 0, conflicts: 0 };
  buyAnswers = { ok: 0, replayed: 0, insufficient: 0, changed: 0 };
  /** Descriptions of answers no scenario allows (5xx, unexpected 4xx, inconsistent replays). */
  unexpected: string[] = [];
  /** Requests whose answer never came (the server died), or a 5xx where allowed: outcome unknown. */
  unknown: UnknownRequest[] = [];
  /** When each tolerated 5xx was answered (see LoadOptions.allow5xxAsUnknown). */
  serverErrorsAt: number[] = [];
  /** Webhook bodies sent and answered 2xx (for replays). */
  sentWebhooks: { tx: number; body: string; user: number; bill: number }[] = [];
  /** Idempotency keys used, with what they were used for (for replays). */
  keys: { user: LoadUser; accountId: string; productId: string; key: string }[] = [];

  count(status: number) {
    this.requests += 1;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  get ok2xx() {
    return [...this.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  }
  get status5xx() {
    return [...this.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  }

  recordCredit(tx: number, reply: Reply, expectConflict = false): void {
    this.count(reply.status);
    if (reply.status === 200) {
      const amount = cents(String(reply.body?.amount));
      const earlier = this.credits.get(tx);
      if (earlier !== undefined && earlier !== amount) {
        this.unexpected.push(`webhook ${tx}: answered ${amount} cents after ${earlier} cents`);
      }
      this.credits.set(tx, amount);
      if (reply.body?.status === "credited") this.creditAnswers.credited += 1;
      else this.creditAnswers.alreadyProcessed += 1;
      if (expectConflict) this.unexpected.push(`webhook ${tx}: a different payload was accepted: ${reply.text}`);
    } else if (reply.status === 409 && expectConflict) {
      this.creditAnswers.conflicts += 1;
    } else {
      this.unexpected.push(`webhook ${tx}: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  }

  recordBuy(reply: Reply, key: string | undefined): void {
    this.count(reply.status);
    if (reply.status === 200) {
      const id = String(reply.body?.purchase?.id);
      const amount = cents(String(reply.body?.purchase?.amount));
      this.purchases.set(id, amount);
      if (reply.body?.replayed === true) {
        this.buyAnswers.replayed += 1;
        if (key === undefined) this.unexpected.push(`purchase without a key answered replayed: ${reply.text}`);
      } else this.buyAnswers.ok += 1;
    } else if (reply.status === 402 && reply.body?.code === "PAYMENT_REQUIRED") {
      this.buyAnswers.insufficient += 1;
    } else if (reply.status === 409 && reply.body?.code === "CONFLICT" && /changed during/.test(reply.body?.message)) {
      // A concurrent credit moved the balance between the refused debit and the read that explains it.
      this.buyAnswers.changed += 1;
    } else {
      this.unexpected.push(`purchase: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  }

  figures() {
    return {
      requests: this.requests,
      ok2xx: this.ok2xx,
      status402: this.statuses.get(402) ?? 0,
      status409: this.statuses.get(409) ?? 0,
      status5xx: this.status5xx,
      statuses: Object.fromEntries([...this.statuses].sort(([a], [b]) => a - b)),
      networkErrors: this.networkErrors,
      credits: this.creditAnswers,
      purchases: this.buyAnswers,
      creditedCents: [...this.credits.values()].reduce((a, b) => a + b, 0n),
      purchasedCents: [...this.purchases.values()].reduce((a, b) => a + b, 0n),
    };
  }
}

export interface LoadOptions {
  /** Base URLs of the servers: each request goes to a random one. */
  bases: string[];
  world: World;
  tally: Tally;
  concurrency: number;
  durationMs: number;
  /** Send an Idempotency-Key with every purchase (else with about a third). */
  alwaysKey?: boolean;
  /** Set `stopped` to end the load early (the workers finish their current request). */
  control?: { stopped: boolean };
  /** A network error ends the load (the server died) instead of counting as unexpected. */
  expectCrash?: boolean;
  /** A 5xx makes the request's outcome unknown (a fault is being injected) instead of unexpected. */
  allow5xxAsUnknown?: boolean;
}

async function creditOnce(opts: LoadOptions, base: string, user: LoadUser, bill: number, amount: bigint) {
  const { world, tally } = opts;
  const tx = freshProviderId();
  const body = webhookText(world.paymentKey, {
    tx,
    user: user.numericId,
    bill,
    amount: pick(amountSpellings(amount)),
    amountAsString: randomInt(4) === 0,
  });
  const reply = await guarded(opts, { kind: "credit", tx, body, conflict: false }, () =>
    send(base, "POST", "/payment/webhook", { raw: body }),
  );
  if (!reply) return;
  tally.recordCredit(tx, reply);
  if (reply.status === 200) {
    tally.sentWebhooks.push({ tx, body, user: user.numericId, bill });
    if (!user.accounts.some((a) => a.bill === bill)) user.accounts.push({ id: String(reply.body.accountId), bill });
  }
}

async function guarded(
  opts: LoadOptions,
  request: UnknownRequest,
  run: () => Promise<Reply>,
): Promise<Reply | undefined> {
  opts.tally.inflight += 1;
  request.startedAt = Date.now();
  try {
    const reply = await run();
    if (reply.status >= 500 && opts.allow5xxAsUnknown) {
      opts.tally.count(reply.status);
      opts.tally.serverErrorsAt.push(Date.now());
      opts.tally.unknown.push({ ...request, reason: `${reply.status} ${reply.text.slice(0, 200)}` });
      return undefined;
    }
    return reply;
  } catch (error) {
    opts.tally.networkErrors += 1;
    opts.tally.unknown.push({ ...request, reason: (error as Error).message });
    if (opts.expectCrash) {
      if (opts.control) opts.control.stopped = true;
    } else {
      opts.tally.unexpected.push(`${request.kind}: no answer: ${(error as Error).message}`);
    }
    return undefined;
  } finally {
    opts.tally.inflight -= 1;
  }
}

/** One mixed operation: credit (new or replayed webhook), purchase (with or without key, or a replay). */
async function oneOperation(opts: LoadOptions): Promise<void> {
  const { world, tally } = opts;
  const base = pick(opts.bases);
  const user = pick(world.users);
  const roll = randomInt(100);
  if (roll < 33 || user.accounts.length === 0) {
    // A credit of 0.01 … 40.00 to one of the user's accounts, now and then to a new bill.
    const bill = user.accounts.length === 0 || randomInt(40) === 0 ? freshProviderId() : pick(user.accounts).bill;
    await creditOnce(opts, base, user, bill, BigInt(randomInt(1, 4001)));
    return;
  }
  if (roll < 38 && tally.sentWebhooks.length > 0) {
    // The provider retries a webhook it already sent: same payload → the recorded outcome, no credit;
    // now and then the same transaction_id with another amount → 409.
    const earlier = pick(tally.sentWebhooks);
    const conflict = randomInt(4) === 0;
    const body = conflict
      ? webhookText(world.paymentKey, { tx: earlier.tx, user: earlier.user, bill: earlier.bill, amount: "999.99" })
      : earlier.body;
    const reply = await guarded(opts, { kind: "credit", tx: earlier.tx, body, conflict }, () =>
      send(base, "POST", "/payment/webhook", { raw: body }),
    );
    if (reply) tally.recordCredit(earlier.tx, reply, conflict);
    return;
  }
  if (roll < 43 && tally.keys.length > 0) {
    // A client retries a purchase with its Idempotency-Key.
    const k = pick(tally.keys);
    const reply = await guarded(
      opts,
      { kind: "buy", user: k.user, accountId: k.accountId, productId: k.productId, key: k.key },
      () =>
        send(base, "POST", "/products/buy", {
          token: k.user.token,
          json: { productId: k.productId, accountId: k.accountId },
          headers: { "idempotency-key": k.key },
        }),
    );
    if (reply) tally.recordBuy(reply, k.key);
    return;
  }
  const account = pick(user.accounts);
  const product = pick(world.products);
  const key = opts.alwaysKey || randomInt(3) === 0 ? `k-${randomBytes(9).toString("base64url")}` : undefined;
  if (key) tally.keys.push({ user, accountId: account.id, productId: product.id, key });
  const reply = await guarded(opts, { kind: "buy", user, accountId: account.id, productId: product.id, key }, () =>
    send(base, "POST", "/products/buy", {
      token: user.token,
      json: { productId: product.id, accountId: account.id },
      headers: key ? { "idempotency-key": key } : undefined,
    }),
  );
  if (reply) tally.recordBuy(reply, key);
}

/** Runs `concurrency` workers of mixed operations until the time is up (or `control.stopped`). */
export async function runLoad(opts: LoadOptions): Promise<void> {
  const deadline = Date.now() + opts.durationMs;
  const control = opts.control ?? { stopped: false };
  const options = { ...opts, control };
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (!control.stopped && Date.now() < deadline) await oneOperation(options);
    }),
  );
}

/** Gives every user 1–2 accounts, each opened by a first credit (through the webhook, tallied). */
export async function fundAccounts(options: Omit<LoadOptions, "concurrency" | "durationMs">): Promise<void> {
  const opts: LoadOptions = { ...options, concurrency: 10, durationMs: 0 };
  const jobs = opts.world.users.flatMap((user) =>
    Array.from(
      { length: 1 + randomInt(2) },
      () => () => creditOnce(opts, pick(opts.bases), user, freshProviderId(), BigInt(randomInt(100, 3001))),
    ),
  );
  for (let i = 0; i < jobs.length; i += 10) await Promise.all(jobs.slice(i, i + 10).map((job) => job()));
}

/** Products at prices that leave odd cents behind. */
export async function createLoadProducts(base: string, adminToken: string): Promise<LoadProduct[]> {
  const products: LoadProduct[] = [];
  for (const price of ["0.99", "3.33", "7.00", "12.35", "25.00", "49.99"]) {
    const res = await send(base, "POST", "/products", {
      token: adminToken,
      json: { title: `Reliability ${price}`, description: "load", price },
    });
    if (res.status !== 201) throw new Error(`create product: ${res.status} ${res.text}`);
    products.push({ id: String(res.body.id), price: cents(price) });
  }
  return products;
}
