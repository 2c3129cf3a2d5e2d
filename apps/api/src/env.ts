// The one place that reads the environment. Parsed with zod at start: a bad value stops the
// process with a message naming it. In production, the development defaults are refused.
import { z } from "zod";

const DEV_DEFAULTS = {
  JWT_SECRET: "dev-only-jwt-secret-change-me-0123456789",
  PAYMENT_PRIVATE_KEY: "test-private-key",
  ADMIN_PASSWORD: "admin12345",
} as const;

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

const ZEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").default(DEV_DEFAULTS.JWT_SECRET),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .default(3600),
  PAYMENT_PRIVATE_KEY: z.string().min(1).default(DEV_DEFAULTS.PAYMENT_PRIVATE_KEY),
  ADMIN_LOGIN: z.string().default("admin"),
  ADMIN_PASSWORD: z.string().min(8).default(DEV_DEFAULTS.ADMIN_PASSWORD),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  ACTIVATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ADMIN_SPA_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
});

export type Env = z.infer<typeof ZEnvSchema>;

export interface AppConfig {
  nodeEnv: Env["NODE_ENV"];
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  databasePoolSize: number;
  jwtSecret: string;
  jwtTtlSeconds: number;
  paymentPrivateKey: string;
  adminLogin: string;
  adminPassword: string;
  publicUrl: string;
  activationTtlHours: number;
  logLevel: Env["LOG_LEVEL"];
  adminSpaDir: string | undefined;
}

export class ConfigError extends Error {}

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
  return {
    config: {
      nodeEnv: env.NODE_ENV,
      host: env.HOST,
      port: env.PORT,
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      databasePoolSize: env.DATABASE_POOL_SIZE,
      jwtSecret: env.JWT_SECRET,
      jwtTtlSeconds: env.JWT_TTL_SECONDS,
      paymentPrivateKey: env.PAYMENT_PRIVATE_KEY,
      adminLogin: env.ADMIN_LOGIN,
      adminPassword: env.ADMIN_PASSWORD,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
      activationTtlHours: env.ACTIVATION_TTL_HOURS,
      logLevel: env.LOG_LEVEL,
      adminSpaDir: env.ADMIN_SPA_DIR,
    },
    defaultsUsed,
  };
}

/** A configuration for tests: development defaults, quiet logs. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const { config } = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
  return { ...config, ...overrides };
}
