// Configuration: parsed from an explicit source (never the runner's environment), refused in
// production while development defaults remain.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, testConfig } from "../src/env.ts";

const SECRETS = {
  JWT_SECRET: "a-real-secret-of-at-least-32-characters-xyz",
  PAYMENT_PRIVATE_KEY: "provider-issued-key",
  ADMIN_PASSWORD: "a-strong-admin-password",
};

function configError(source: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(source)}`);
}

describe("loadConfig", () => {
  it("has working development defaults", () => {
    const { config, defaultsUsed } = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: "development",
      host: "0.0.0.0",
      port: 3000,
      databaseUrl: undefined,
      databasePoolSize: 20,
      jwtTtlSeconds: 3600,
      adminLogin: "admin",
      publicUrl: "http://localhost:3000",
      activationTtlHours: 24,
      holdTtlSeconds: 604800,
      logLevel: "info",
    });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(defaultsUsed.sort()).toEqual(["ADMIN_PASSWORD", "JWT_SECRET", "PAYMENT_PRIVATE_KEY"]);
  });

  it("refuses all three development defaults in production, naming them", () => {
    const error = configError({ NODE_ENV: "production" });
    expect(error.message).toContain("JWT_SECRET");
    expect(error.message).toContain("PAYMENT_PRIVATE_KEY");
    expect(error.message).toContain("ADMIN_PASSWORD");
    expect(error.message).toMatch(/production/);
  });

  it.each(Object.keys(SECRETS) as (keyof typeof SECRETS)[])(
    "refuses production when only %s keeps its default, naming only it",
    (missing) => {
      const source: Record<string, string> = { NODE_ENV: "production", ...SECRETS };
      delete source[missing];
      const error = configError(source);
      expect(error.message).toContain(missing);
      for (const other of Object.keys(SECRETS).filter((k) => k !== missing)) expect(error.message).not.toContain(other);
    },
  );

  it("refuses a development default set explicitly in production", () => {
    const dev = loadConfig({}).config;
    const error = configError({ NODE_ENV: "production", ...SECRETS, JWT_SECRET: dev.jwtSecret });
    expect(error.message).toContain("JWT_SECRET");
    expect(configError({ NODE_ENV: "production", ...SECRETS, ADMIN_PASSWORD: dev.adminPassword }).message).toContain(
      "ADMIN_PASSWORD",
    );
  });

  it("accepts production when all three are set", () => {
    const { config, defaultsUsed } = loadConfig({
      NODE_ENV: "production",
      ...SECRETS,
      PUBLIC_URL: "https://shop.example.com/",
    });
    expect(defaultsUsed).toEqual([]);
    expect(config).toMatchObject({
      nodeEnv: "production",
      jwtSecret: SECRETS.JWT_SECRET,
      paymentPrivateKey: SECRETS.PAYMENT_PRIVATE_KEY,
      adminPassword: SECRETS.ADMIN_PASSWORD,
      publicUrl: "https://shop.example.com",
    });
  });

  it("never puts secret values in its error messages", () => {
    const error = configError({ NODE_ENV: "production", ...SECRETS, JWT_SECRET: "short-secret", PORT: "x" });
    expect(error.message).toContain("JWT_SECRET");
    expect(error.message).not.toContain("short-secret");
    expect(error.message).not.toContain(SECRETS.ADMIN_PASSWORD);
  });

  it("refuses secrets that are too short or empty, in any mode", () => {
    expect(configError({ JWT_SECRET: "x".repeat(31) }).message).toContain("JWT_SECRET");
    expect(configError({ ADMIN_PASSWORD: "short" }).message).toContain("ADMIN_PASSWORD");
    expect(configError({ PAYMENT_PRIVATE_KEY: "" }).message).toContain("PAYMENT_PRIVATE_KEY");
  });

  it.each(["abc", "70000", "65536", "-1", "3000.5", "1e3", "0x1F", "80 80", "3000abc"])("refuses PORT=%s", (port) => {
    const error = configError({ PORT: port });
    expect(error.message).toContain("PORT");
  });

  it.each([
    ["8080", 8080],
    ["0", 0],
    ["65535", 65535],
    [" 8081 ", 8081],
  ])("accepts PORT=%j as %d", (port, expected) => {
    expect(loadConfig({ PORT: port }).config.port).toBe(expected);
  });

  it("lets the reports' lane take 20 % of its time from a busy primary, or the share set (1–100 %)", () => {
    const pg = "postgres://u@127.0.0.1:5432/shop";
    expect(loadConfig({ DATABASE_URL: pg }).config.databaseReportsShare).toBe(20);
    expect(loadConfig({ DATABASE_URL: pg, DATABASE_REPORTS_SHARE: "100" }).config.databaseReportsShare).toBe(100);
    for (const bad of ["0", "101", "25%", "0.5"]) {
      expect(configError({ DATABASE_URL: pg, DATABASE_REPORTS_SHARE: bad }).message).toMatch(/DATABASE_REPORTS_SHARE/);
    }
  });

  it("gives reports a lane of one session on the primary, the pool's size on a replica, or what is set", () => {
    const pg = "postgres://u@127.0.0.1:5432/shop";
    const replica = "postgres://u@127.0.0.1:5434/shop";
    expect(loadConfig({ DATABASE_URL: pg }).config.databaseReportsPoolSize).toBe(1);
    expect(
      loadConfig({ DATABASE_URL: pg, DATABASE_READ_URL: replica, DATABASE_POOL_SIZE: "12" }).config
        .databaseReportsPoolSize,
    ).toBe(12);
    expect(loadConfig({ DATABASE_URL: pg, DATABASE_REPORTS_POOL_SIZE: "3" }).config.databaseReportsPoolSize).toBe(3);
    expect(loadConfig({ DATABASE_URL: pg, DATABASE_REPORTS_POOL_SIZE: " " }).config.databaseReportsPoolSize).toBe(1);
    for (const bad of ["0", "1e3", "101"]) {
      expect(configError({ DATABASE_URL: pg, DATABASE_REPORTS_POOL_SIZE: bad }).message).toMatch(
        /DATABASE_REPORTS_POOL_SIZE/,
      );
    }
  });

  it("reads an empty PORT as unset (the default), not as port 0", () => {
    expect(loadConfig({ PORT: "" }).config.port).toBe(3000);
    expect(loadConfig({ PORT: "  " }).config.port).toBe(3000);
  });

  it("derives PUBLIC_URL from PORT and strips trailing slashes", () => {
    expect(loadConfig({ PORT: "4000" }).config.publicUrl).toBe("http://localhost:4000");
    expect(loadConfig({ PUBLIC_URL: "http://shop.test///" }).config.publicUrl).toBe("http://shop.test");
    expect(loadConfig({ PUBLIC_URL: "" }).config.publicUrl).toBe("http://localhost:3000");
  });

  it.each(["not a url", "javascript:alert(1)", "ftp://shop.test"])("refuses PUBLIC_URL=%s", (url) => {
    expect(configError({ PUBLIC_URL: url }).message).toContain("PUBLIC_URL");
  });

  it("checks the other variables' bounds", () => {
    expect(configError({ NODE_ENV: "prod" }).message).toContain("NODE_ENV");
    expect(configError({ JWT_TTL_SECONDS: "59" }).message).toContain("JWT_TTL_SECONDS");
    expect(configError({ JWT_TTL_SECONDS: "1h" }).message).toContain("JWT_TTL_SECONDS");
    expect(configError({ DATABASE_POOL_SIZE: "0" }).message).toContain("DATABASE_POOL_SIZE");
    expect(configError({ ACTIVATION_TTL_HOURS: "721" }).message).toContain("ACTIVATION_TTL_HOURS");
    expect(configError({ DATABASE_URL: "not a url" }).message).toContain("DATABASE_URL");
    expect(configError({ LOG_LEVEL: "loud" }).message).toContain("LOG_LEVEL");
    expect(loadConfig({ JWT_TTL_SECONDS: "7200", DATABASE_URL: "" }).config).toMatchObject({
      jwtTtlSeconds: 7200,
      databaseUrl: undefined,
    });
  });

  it("reads TRUST_PROXY in Express's syntax: false, a hop count, names, addresses and CIDRs", () => {
    const trust = (value: string | undefined) => loadConfig({ TRUST_PROXY: value }).config.trustProxy;
    expect(trust(undefined)).toEqual(["loopback"]);
    expect(trust("")).toEqual(["loopback"]);
    expect(trust("false")).toBe(false);
    expect(trust("2")).toBe(2);
    expect(trust("10.0.0.0/8")).toEqual(["10.0.0.0/8"]);
    expect(trust(" loopback, 192.168.1.10 ,fd00::/8,uniquelocal")).toEqual([
      "loopback",
      "192.168.1.10",
      "fd00::/8",
      "uniquelocal",
    ]);
    // `true` would let every client choose its address: refused, with what to give instead.
    expect(configError({ TRUST_PROXY: "true" }).message).toMatch(/TRUST_PROXY: .*hop count/);
    for (const bad of ["10.0.0.0/33", "nonsense", "1.2.3.4/8/9", "2001:db8::/129", ",", "-1"]) {
      expect(configError({ TRUST_PROXY: bad }).message, bad).toContain("TRUST_PROXY");
    }
  });

  it("names every bad variable at once", () => {
    const error = configError({ PORT: "x", LOG_LEVEL: "loud", JWT_TTL_SECONDS: "1" });
    for (const name of ["PORT", "LOG_LEVEL", "JWT_TTL_SECONDS"]) expect(error.message).toContain(name);
  });
});

describe("testConfig", () => {
  it("is quiet, non-production, and takes overrides", () => {
    const config = testConfig({ publicUrl: "http://shop.test" });
    expect(config).toMatchObject({ nodeEnv: "test", logLevel: "silent", publicUrl: "http://shop.test" });
  });
});
