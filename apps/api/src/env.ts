// The one place that reads the environment. Parsed with zod at start: a bad value stops the
// process with a message naming it. In production, the development defaults are refused.
import { existsSync } from "node:fs";
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { MAX_HOLD_SECONDS, ZLoginSchema } from "@shop/contracts";
import { z } from "zod";
import type { LoginLimits } from "./services/login-limiter.ts";

const DEV_DEFAULTS = {
  JWT_SECRET: "dev-only-jwt-secret-change-me-0123456789",
  PAYMENT_PRIVATE_KEY: "test-private-key",
  ADMIN_PASSWORD: "admin12345",
} as const;

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

/**
 * A whole number from the environment: plain digits only, in range; undefined when unset or blank (as
 * for the other variables): z.coerce.number() would read "" as 0 (PORT= listening on a random port) and
 * accept "1e3" or "0x10".
 */
function optionalIntEnv(options: { min: number; max: number }) {
  return z
    .preprocess(
      (v) => (typeof v === "string" ? v.trim() || undefined : v),
      z
        .string()
        .regex(/^[0-9]+$/, "must be a whole number")
        .optional(),
    )
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number().int().min(options.min).max(options.max).optional());
}

/** The same, with a default for unset or blank. */
function intEnv(options: { min: number; max: number; default: number }) {
  return optionalIntEnv(options).transform((v) => v ?? options.default);
}

/** A switch: true / false (also 1 / 0, yes / no); unset or blank means the default. */
function boolEnv(defaultValue: boolean) {
  return z
    .preprocess(
      (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
      z.enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" }).optional(),
    )
    .transform((v) => (v === undefined ? defaultValue : v === "true" || v === "1" || v === "yes"));
}

/** A switch without a default: true, false or undefined (unset or blank). */
function optionalBoolEnv() {
  return z
    .preprocess(
      (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
      z.enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" }).optional(),
    )
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1" || v === "yes"));
}

/** Express's names for address ranges in `trust proxy`. */
const PROXY_RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"];

/** One entry of a TRUST_PROXY list: a range name, an address, or an address/prefix (CIDR). */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which peers may say who the client is (X-Forwarded-For), in Express's `trust proxy` syntax: `false`
 * (none: the peer is the client), a hop count (that many proxies in front, whatever their address), or
 * a comma-separated list of `loopback` / `linklocal` / `uniquelocal`, addresses and CIDRs. Default
 * `loopback` (a proxy on the same host). `true` (trust any peer) is refused: every client could then
 * name its own address and escape the per-address limits; behind a load balancer, give its range or the
 * number of hops.
 */
const ZTrustProxySchema = z
  .preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), z.string().default("loopback"))
  .transform((value, ctx): false | number | string[] => {
    if (value.toLowerCase() === "false") return false;
    if (/^[0-9]+$/.test(value)) {
      const hops = Number(value);
      if (hops > 100) ctx.addIssue({ code: "custom", message: "a hop count must be at most 100" });
      return hops;
    }
    if (value.toLowerCase() === "true") {
      ctx.addIssue({
        code: "custom",
        message:
          "true would trust any peer (every client could choose its address): give the proxies' addresses or CIDRs, or a hop count",
      });
      return z.NEVER;
    }
    const entries = value
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.filter((e) => !isProxyEntry(e));
    if (bad.length > 0 || entries.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be false, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDRs (not: ${bad.join(", ")})`,
      });
      return z.NEVER;
    }
    return entries;
  });

const ZEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: intEnv({ min: 0, max: 65535, default: 3000 }),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  DATABASE_POOL_SIZE: intEnv({ min: 1, max: 500, default: 20 }),
  // Behind PgBouncer in transaction mode: migrations (session advisory lock) and LISTEN need a session.
  DATABASE_DIRECT_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  // A PostgreSQL streaming replica of DATABASE_URL: reports, listings and exports read it (they may lag;
  // their answers say by how much); the money path and reads of one's own writes stay on the primary.
  DATABASE_READ_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  // The sessions reports, listings and exports use at most, per process. On the primary (no
  // DATABASE_READ_URL) they are its own pool beside DATABASE_POOL_SIZE, 1 by default: more reports at once
  // wait their turn instead of taking the CPU purchases need. On a replica, DATABASE_POOL_SIZE by default.
  DATABASE_REPORTS_POOL_SIZE: optionalIntEnv({ min: 1, max: 100 }),
  // On the primary, the most of its time the reports' lane takes while money statements are in flight,
  // in percent (reports-lane.ts): 20 by default; 100 = no limit. A replica has no limit.
  DATABASE_REPORTS_SHARE: intEnv({ min: 1, max: 100, default: 20 }),
  // PgBouncer < 1.21 in transaction mode cannot keep named statements: set false to run them unnamed.
  DATABASE_PREPARED_STATEMENTS: boolEnv(true),
  // 0 (or unset) = the default: the number of cores in production on PostgreSQL, otherwise 1.
  WEB_CONCURRENCY: intEnv({ min: 0, max: 256, default: 0 }),
  // Unset or 0 = no metrics endpoint. Never served on PORT: a separate listener (keep it off the internet).
  METRICS_PORT: intEnv({ min: 0, max: 65535, default: 0 }),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").default(DEV_DEFAULTS.JWT_SECRET),
  JWT_TTL_SECONDS: intEnv({ min: 60, max: 86_400 * 30, default: 3600 }),
  PAYMENT_PRIVATE_KEY: z.string().min(1).default(DEV_DEFAULTS.PAYMENT_PRIVATE_KEY),
  // The same rules as a registered login, so the admin's login means the same to JavaScript and to
  // PostgreSQL's lower() (ASCII only).
  ADMIN_LOGIN: ZLoginSchema.default("admin"),
  ADMIN_PASSWORD: z.string().min(8).default(DEV_DEFAULTS.ADMIN_PASSWORD),
  // Activation links are built from it: http(s) only.
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
  ),
  ACTIVATION_TTL_HOURS: intEnv({ min: 1, max: 24 * 30, default: 24 }),
  /** How long an authorization (POST /products/buy with capture: false) holds money by default: 7 days. */
  HOLD_TTL_SECONDS: intEnv({ min: 1, max: MAX_HOLD_SECONDS, default: 7 * 86_400 }),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^rediss?$/, message: "must be a redis:// URL" }).optional(),
  ),
  LOGIN_LIMIT_PER_LOGIN: intEnv({ min: 1, max: 1_000_000, default: 10 }),
  LOGIN_LIMIT_PER_ADDRESS: intEnv({ min: 1, max: 1_000_000, default: 100 }),
  LOGIN_LIMIT_WINDOW_SECONDS: intEnv({ min: 1, max: 86_400, default: 900 }),
  REGISTRATION_LIMIT_PER_ADDRESS: intEnv({ min: 1, max: 1_000_000, default: 10 }),
  REGISTRATION_LIMIT_WINDOW_SECONDS: intEnv({ min: 1, max: 86_400 * 7, default: 3600 }),
  WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS: intEnv({ min: 1, max: 1_000_000, default: 20 }),
  WEBHOOK_BAD_SIGNATURE_WINDOW_SECONDS: intEnv({ min: 1, max: 86_400, default: 900 }),
  // Events out (docs/reliability.md, "Events out"). Seconds between a failed attempt and the next one.
  WEBHOOK_RETRY_SCHEDULE: z
    .preprocess(emptyAsUndefined, z.string().optional())
    .transform((v) => (v ?? "5,300,1800,7200,18000,36000,36000").split(",").map((s) => s.trim()))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^[0-9]+$/, "must be comma-separated whole numbers of seconds")
            .transform(Number),
        )
        .min(1)
        .max(50),
    )
    .pipe(
      z.array(
        z
          .number()
          .int()
          .min(0)
          .max(7 * 86_400),
      ),
    ),
  WEBHOOK_DISABLE_AFTER_HOURS: intEnv({ min: 1, max: 24 * 365, default: 72 }),
  // Unset: true in development and test, false in production. Also lifts https-only in production.
  WEBHOOK_ALLOW_PRIVATE_URLS: optionalBoolEnv(),
  WEBHOOK_TIMEOUT_SECONDS: intEnv({ min: 1, max: 60, default: 10 }),
  WEBHOOK_CONCURRENCY: intEnv({ min: 1, max: 1000, default: 16 }),
  // Off = this process sends no webhooks and relays nothing (e.g. a read-only replica's API).
  EVENTS_DISPATCHER: boolEnv(true),
  EVENTS_NATS_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^(nats|tls)$/, message: "must be a nats:// URL" }).optional(),
  ),
  WEBHOOK_INVALID_BODY_LIMIT_PER_ADDRESS: intEnv({ min: 1, max: 1_000_000, default: 20 }),
  WEBHOOK_INVALID_BODY_WINDOW_SECONDS: intEnv({ min: 1, max: 86_400, default: 900 }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ADMIN_SPA_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  TRUST_PROXY: ZTrustProxySchema,
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, message: "must be a list of http(s) origins" }))),
});

export type Env = z.infer<typeof ZEnvSchema>;

export interface AppConfig {
  nodeEnv: Env["NODE_ENV"];
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  /** Connections per server process (each cluster worker has its own pool). */
  databasePoolSize: number;
  /** A session connection for migrations and LISTEN when DATABASE_URL goes through a pooler. */
  databaseDirectUrl: string | undefined;
  /** A streaming replica for reports, listings and exports; undefined = they read the primary. */
  databaseReadUrl: string | undefined;
  databaseReportsPoolSize: number;
  /** On the primary: the reports' lane's share of its time while the money path is busy, in percent. */
  databaseReportsShare: number;
  /** Named (prepared) statements on the hot path; false behind a transaction pooler. */
  databasePreparedStatements: boolean;
  /** Server processes on one port (1 = no cluster; the embedded database allows only 1). */
  webConcurrency: number;
  /** Port of the Prometheus `/metrics` listener; undefined = none. */
  metricsPort: number | undefined;
  jwtSecret: string;
  jwtTtlSeconds: number;
  paymentPrivateKey: string;
  adminLogin: string;
  adminPassword: string;
  publicUrl: string;
  activationTtlHours: number;
  /** An authorization's hold when the request gives no holdSeconds. */
  holdTtlSeconds: number;
  logLevel: Env["LOG_LEVEL"];
  adminSpaDir: string | undefined;
  /** Redis for state shared by instances (sign-in rate limits); in memory when absent. */
  redisUrl: string | undefined;
  /**
   * The limiter's budgets: failed sign-ins per (login, client address) and per address within the
   * window; registrations per address; bad webhook signatures per address.
   */
  loginLimits: LoginLimits;
  /** Origins allowed to call the API from a browser (CORS); empty = same origin only. */
  corsOrigins: string[];
  /** Events out: webhooks to the shop's endpoints and the NATS relay. */
  events: EventsConfig;
  /**
   * Express's `trust proxy`: which peers' X-Forwarded-For names the client (false: none; a hop count;
   * range names, addresses and CIDRs). The client's address keys the per-address limits and is what
   * the webhook inbox records.
   */
  trustProxy: false | number | string[];
}

export interface EventsConfig {
  /** Run the dispatcher (and the NATS relay) in this process. */
  dispatcher: boolean;
  /** Seconds before attempt 2, 3, …; after the last, the delivery fails. */
  retrySchedule: number[];
  disableAfterHours: number;
  /** Loopback, private and link-local targets allowed; http allowed in production. */
  allowPrivateUrls: boolean;
  /** https only (production without allowPrivateUrls). */
  requireHttps: boolean;
  timeoutSeconds: number;
  /** Requests in flight per process at most. */
  concurrency: number;
  natsUrl: string | undefined;
}

export class ConfigError extends Error {}

/**
 * A production secret must be long and not trivially guessable: at least `minLength` characters and
 * at least 8 distinct ones ("0000…" or "abababab…" are refused). It does not measure randomness;
 * it catches the placeholders and toy values that were found accepted.
 */
export function weakSecretReason(value: string, minLength: number): string | undefined {
  if (value.length < minLength) return `must be at least ${minLength} characters in production`;
  if (new Set(value).size < 8) return "is too repetitive (fewer than 8 distinct characters): use a random value";
  return undefined;
}

/** Loads `.env` from the working directory when there is one; the real environment wins. */
export function loadDotEnv(path = ".env"): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}

export function loadConfig(source: Record<string, string | undefined> = process.env): {
  config: AppConfig;
  defaultsUsed: string[];
} {
  const parsed = ZEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const defaultsUsed = (Object.keys(DEV_DEFAULTS) as (keyof typeof DEV_DEFAULTS)[]).filter(
    (key) => env[key] === DEV_DEFAULTS[key],
  );
  if (env.NODE_ENV === "production" && defaultsUsed.length > 0) {
    throw new ConfigError(
      `refusing to start in production with development defaults for ${defaultsUsed.join(", ")}: set them in the environment`,
    );
  }
  if (env.NODE_ENV === "production") {
    const weak = (
      [
        ["JWT_SECRET", weakSecretReason(env.JWT_SECRET, 32)],
        ["PAYMENT_PRIVATE_KEY", weakSecretReason(env.PAYMENT_PRIVATE_KEY, 16)],
      ] as const
    ).filter(([, reason]) => reason);
    if (weak.length > 0) {
      throw new ConfigError(
        `invalid configuration:\n${weak.map(([name, reason]) => `  ${name}: ${reason}`).join("\n")}`,
      );
    }
  }
  const webConcurrency =
    env.WEB_CONCURRENCY === 0
      ? env.NODE_ENV === "production" && env.DATABASE_URL
        ? availableParallelism()
        : 1
      : env.WEB_CONCURRENCY;
  if (webConcurrency > 1 && !env.DATABASE_URL) {
    throw new ConfigError(
      `invalid configuration:\n  WEB_CONCURRENCY: ${webConcurrency} processes need DATABASE_URL (the embedded database is opened by one process only)`,
    );
  }
  if (env.DATABASE_DIRECT_URL && !env.DATABASE_URL) {
    throw new ConfigError(`invalid configuration:\n  DATABASE_DIRECT_URL: set only together with DATABASE_URL`);
  }
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    throw new ConfigError(`invalid configuration:\n  DATABASE_READ_URL: set only together with DATABASE_URL`);
  }
  if (env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError(
      `invalid configuration:\n  METRICS_PORT: must differ from PORT (metrics stay off the API's port)`,
    );
  }
  return {
    config: {
      nodeEnv: env.NODE_ENV,
      host: env.HOST,
      port: env.PORT,
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      databasePoolSize: env.DATABASE_POOL_SIZE,
      databaseDirectUrl: env.DATABASE_DIRECT_URL,
      databaseReadUrl: env.DATABASE_READ_URL,
      databaseReportsPoolSize: env.DATABASE_REPORTS_POOL_SIZE ?? (env.DATABASE_READ_URL ? env.DATABASE_POOL_SIZE : 1),
      databaseReportsShare: env.DATABASE_REPORTS_SHARE,
      databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS,
      webConcurrency,
      metricsPort: env.METRICS_PORT === 0 ? undefined : env.METRICS_PORT,
      jwtSecret: env.JWT_SECRET,
      jwtTtlSeconds: env.JWT_TTL_SECONDS,
      paymentPrivateKey: env.PAYMENT_PRIVATE_KEY,
      adminLogin: env.ADMIN_LOGIN,
      adminPassword: env.ADMIN_PASSWORD,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
      activationTtlHours: env.ACTIVATION_TTL_HOURS,
      holdTtlSeconds: env.HOLD_TTL_SECONDS,
      logLevel: env.LOG_LEVEL,
      adminSpaDir: env.ADMIN_SPA_DIR,
      corsOrigins: env.CORS_ORIGINS,
      trustProxy: env.TRUST_PROXY,
      redisUrl: env.REDIS_URL,
      events: {
        dispatcher: env.EVENTS_DISPATCHER,
        retrySchedule: env.WEBHOOK_RETRY_SCHEDULE,
        disableAfterHours: env.WEBHOOK_DISABLE_AFTER_HOURS,
        allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS ?? env.NODE_ENV !== "production",
        requireHttps: env.NODE_ENV === "production" && env.WEBHOOK_ALLOW_PRIVATE_URLS !== true,
        timeoutSeconds: env.WEBHOOK_TIMEOUT_SECONDS,
        concurrency: env.WEBHOOK_CONCURRENCY,
        natsUrl: env.EVENTS_NATS_URL,
      },
      loginLimits: {
        perLogin: env.LOGIN_LIMIT_PER_LOGIN,
        perAddress: env.LOGIN_LIMIT_PER_ADDRESS,
        windowSeconds: env.LOGIN_LIMIT_WINDOW_SECONDS,
        registrationsPerAddress: env.REGISTRATION_LIMIT_PER_ADDRESS,
        registrationWindowSeconds: env.REGISTRATION_LIMIT_WINDOW_SECONDS,
        badSignaturesPerAddress: env.WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS,
        badSignatureWindowSeconds: env.WEBHOOK_BAD_SIGNATURE_WINDOW_SECONDS,
        invalidWebhookBodiesPerAddress: env.WEBHOOK_INVALID_BODY_LIMIT_PER_ADDRESS,
        invalidWebhookBodyWindowSeconds: env.WEBHOOK_INVALID_BODY_WINDOW_SECONDS,
      },
    },
    defaultsUsed,
  };
}

/**
 * A configuration for tests: development defaults, quiet logs. The suites register many users and
 * send many bad signatures and invalid webhook bodies from one address (127.0.0.1), so those budgets are out of the way unless
 * a test sets them (test/abuse.int.test.ts does).
 */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const { config } = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    REGISTRATION_LIMIT_PER_ADDRESS: "1000000",
    WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS: "1000000",
    WEBHOOK_INVALID_BODY_LIMIT_PER_ADDRESS: "1000000",
  });
  return { ...config, ...overrides };
}
