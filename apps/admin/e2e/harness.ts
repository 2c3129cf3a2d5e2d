// What the end-to-end tests (and the screenshot script) need: a built SPA, an API server on a fresh
// embedded database, Debian's Chromium driven by playwright-core, and REST helpers that act as a
// user or as the payment provider would. Ports, child processes, the HTTP client and the webhook signer
// are the API tests' own (apps/api/test/support, exported as @shop/api/test-support/*).
import { spawn } from "node:child_process";
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { send, type SendOptions } from "@shop/api/test-support/http";
import { freePort, stopChild, track, waitForHttp } from "@shop/api/test-support/processes";
import { webhookText } from "@shop/api/test-support/webhook";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { buildEnv, chromiumPath, serverEnv, showServerLogs } from "./env.ts";

export const ADMIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(ADMIN_DIR, "../..");
export const DIST_DIR = join(ADMIN_DIR, "dist");

export const ADMIN = { login: "admin", password: "admin12345" };
export const PAYMENT_KEY = "test-private-key";

// ---------------------------------------------------------------------------------------------
// The SPA build

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds the SPA when dist is missing or older than its sources. */
export async function ensureBuilt(): Promise<void> {
  const index = join(DIST_DIR, "index.html");
  const sources = ["src", "public", "index.html", "vite.config.ts"].map((p) => join(ADMIN_DIR, p)).filter(existsSync);
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  console.log("[e2e] building the admin SPA (vite build)…");
  await run(join(ADMIN_DIR, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"], ADMIN_DIR).catch(() =>
    run("npx", ["vite", "build", "--logLevel", "warn"], ADMIN_DIR),
  );
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit", env: buildEnv() });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The API server

export interface ApiServer {
  url: string;
  jwtSecret: string;
  stop(): Promise<void>;
}

/** `node --import tsx apps/api/src/main.ts` from the repository root, on a fresh PGlite database. */
export async function startApi(): Promise<ApiServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "shop-admin-e2e-db-"));
  const port = await freePort();
  const jwtSecret = randomBytes(24).toString("hex");
  // node itself, not npx: stopping the child stops the server (killing npx would leave node running).
  const child = track(
    spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
      cwd: REPO_ROOT,
      env: serverEnv({
        // A fresh embedded database and in-memory sign-in limits, even where CI sets DATABASE_URL or
        // REDIS_URL for the API's own tests; NODE_ENV=test accepts the development defaults below.
        NODE_ENV: "test",
        DATABASE_URL: "",
        REDIS_URL: "",
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        ADMIN_SPA_DIR: DIST_DIR,
        JWT_SECRET: jwtSecret,
        PAYMENT_PRIVATE_KEY: PAYMENT_KEY,
        ADMIN_LOGIN: ADMIN.login,
        ADMIN_PASSWORD: ADMIN.password,
        // The lists' paging tests register a few dozen users from this one address.
        REGISTRATION_LIMIT_PER_ADDRESS: "1000",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 200) output.shift();
    if (showServerLogs) process.stderr.write(`[api] ${text}`);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/health`, child, {
      name: "the API",
      timeoutMs: 90_000,
      intervalMs: 250,
      output: () => output.join(""),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, jwtSecret, stop };
}

// ---------------------------------------------------------------------------------------------
// Chromium

export interface Browser {
  context: BrowserContext;
  page: Page;
  stop(): Promise<void>;
}

export const BROWSER_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's Chromium with a fresh profile directory (--user-data-dir), 1280×800. */
export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found");
  const profile = mkdtempSync(join(tmpdir(), "shop-admin-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: BROWSER_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "UTC",
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    stop: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Acting through the REST API, as a user's client or the payment provider would

export function api(base: string) {
  const expectStatus = async (
    method: string,
    path: string,
    expected: number,
    options: SendOptions = {},
  ): Promise<Record<string, unknown>> => {
    const reply = await send(base, method, path, options);
    if (reply.status !== expected) {
      throw new Error(`${method} ${path} → ${reply.status}, expected ${expected}: ${reply.text.slice(0, 500)}`);
    }
    return (reply.body ?? {}) as Record<string, unknown>;
  };

  return {
    /** POST /auth: the HTTP status (200, 401, 403…) and the body. */
    async login(login: string, password: string) {
      const reply = await send(base, "POST", "/auth", { json: { login, password } });
      return { status: reply.status, json: (reply.body ?? {}) as Record<string, unknown> };
    },

    async token(login: string, password: string): Promise<string> {
      const json = await expectStatus("POST", "/auth", 200, { json: { login, password } });
      return json.accessToken as string;
    },

    /** Registers and activates a user; returns its ids. */
    async createUser(login: string, password = "user-password-1") {
      const registered = await expectStatus("POST", "/users", 201, { json: { login, password } });
      await expectStatus("GET", registered.activationUrl as string, 200);
      return { id: registered.id as string, numericId: registered.numericId as number, login, password };
    },

    /** The payment provider credits bill `bill` of user `userNumericId` (signed webhook). */
    async credit(userNumericId: number, bill: number, amount: string, tx = randomInt(1, 2 ** 47)) {
      // The amount's text must be exactly what was signed: the body is written, not serialised.
      const raw = webhookText(PAYMENT_KEY, { tx, user: userNumericId, bill, amount });
      return expectStatus("POST", "/payment/webhook", 200, { raw });
    },

    async createProduct(token: string, product: { title: string; description?: string; price: string }) {
      return expectStatus("POST", "/products", 201, { json: product, token });
    },

    async buy(token: string, productId: string, accountId: string) {
      return expectStatus("POST", "/products/buy", 200, { json: { productId, accountId }, token });
    },

    /** GET `path` as the bearer of `token`, expecting 200. */
    async get(token: string, path: string) {
      return expectStatus("GET", path, 200, { token });
    },

    async me(token: string) {
      return expectStatus("GET", "/users/me", 200, { token });
    },

    /** An admin enables or disables a user. */
    async setActive(token: string, userId: string, isActive: boolean) {
      return expectStatus("PUT", `/users/${userId}`, 200, { json: { isActive }, token });
    },
  };
}

/** An HS256 JWT as the API issues it (sub = user id, ver = token version), here already expired. */
export function expiredToken(userId: string, secret: string, tokenVersion = 0): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const head = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ ver: tokenVersion, sub: userId, iat: now - 7200, exp: now - 3600 })}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}
