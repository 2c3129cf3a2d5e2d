// The production settings of issue #14: processes per port, the pooler switches, the metrics port.
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/env.ts";

const SECRETS = {
  JWT_SECRET: "a-real-secret-of-at-least-32-characters-xyz",
  PAYMENT_PRIVATE_KEY: "provider-issued-key",
  ADMIN_PASSWORD: "a-strong-admin-password",
};
const PG = "postgres://app@db.internal:5432/shop";

function refusal(source: Record<string, string | undefined>): string {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(source)}`);
}

describe("WEB_CONCURRENCY", () => {
  it("defaults to one process per core in production on PostgreSQL, one otherwise", () => {
    const production = { ...SECRETS, NODE_ENV: "production" };
    expect(loadConfig({ ...production, DATABASE_URL: PG }).config.webConcurrency).toBe(availableParallelism());
    expect(loadConfig(production).config.webConcurrency).toBe(1);
    expect(loadConfig({ DATABASE_URL: PG }).config.webConcurrency).toBe(1);
    expect(loadConfig({ DATABASE_URL: PG, WEB_CONCURRENCY: "" }).config.webConcurrency).toBe(1);
  });

  it("takes an explicit count, and refuses more than one process on the embedded database", () => {
    expect(loadConfig({ DATABASE_URL: PG, WEB_CONCURRENCY: "3" }).config.webConcurrency).toBe(3);
    expect(loadConfig({ WEB_CONCURRENCY: "1" }).config.webConcurrency).toBe(1);
    expect(refusal({ WEB_CONCURRENCY: "2" })).toMatch(/WEB_CONCURRENCY.*DATABASE_URL/);
    expect(refusal({ DATABASE_URL: PG, WEB_CONCURRENCY: "two" })).toContain("WEB_CONCURRENCY");
  });
});

describe("behind a pooler", () => {
  it("prepared statements are on unless switched off", () => {
    expect(loadConfig({ DATABASE_URL: PG }).config.databasePreparedStatements).toBe(true);
    for (const off of ["false", "0", "no", " FALSE "])
      expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: off }).config.databasePreparedStatements).toBe(false);
    expect(refusal({ DATABASE_PREPARED_STATEMENTS: "maybe" })).toContain("DATABASE_PREPARED_STATEMENTS");
  });

  it("a direct URL goes with DATABASE_URL", () => {
    const direct = "postgres://app@db-primary.internal:5432/shop";
    expect(loadConfig({ DATABASE_URL: PG, DATABASE_DIRECT_URL: direct }).config.databaseDirectUrl).toBe(direct);
    expect(loadConfig({ DATABASE_URL: PG, DATABASE_DIRECT_URL: "" }).config.databaseDirectUrl).toBeUndefined();
    expect(refusal({ DATABASE_DIRECT_URL: direct })).toContain("DATABASE_DIRECT_URL");
    expect(refusal({ DATABASE_URL: PG, DATABASE_DIRECT_URL: "nope" })).toContain("DATABASE_DIRECT_URL");
  });
});

describe("METRICS_PORT", () => {
  it("is off unless given, and never the API's port", () => {
    expect(loadConfig({}).config.metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: "0" }).config.metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: "9464" }).config.metricsPort).toBe(9464);
    expect(refusal({ PORT: "8080", METRICS_PORT: "8080" })).toContain("METRICS_PORT");
  });
});
