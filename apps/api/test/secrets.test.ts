// In production, secrets that can be guessed are refused at start (a one-character payment key was
// guessed in 21 webhook calls).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/env.ts";

const production = {
  NODE_ENV: "production",
  JWT_SECRET: "k3J9x-Qm2Lr8Vt6Wn4Zp7Yb1Hc5Fd0Gs",
  PAYMENT_PRIVATE_KEY: "p9Qw2Er7Ty4Ui1Op",
  ADMIN_PASSWORD: "a-real-admin-password",
};

describe("production secrets", () => {
  it("accepts long, varied secrets", () => {
    expect(loadConfig(production).config.paymentPrivateKey).toBe(production.PAYMENT_PRIVATE_KEY);
  });

  it.each([
    ["JWT_SECRET", "0".repeat(32), /JWT_SECRET: is too repetitive/],
    ["JWT_SECRET", "ab".repeat(20), /JWT_SECRET: is too repetitive/],
    ["PAYMENT_PRIVATE_KEY", "k", /PAYMENT_PRIVATE_KEY: must be at least 16 characters/],
    ["PAYMENT_PRIVATE_KEY", "aaaaaaaaaaaaaaaaaaaa", /PAYMENT_PRIVATE_KEY: is too repetitive/],
  ])("refuses %s = %j", (name, value, message) => {
    expect(() => loadConfig({ ...production, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, [name]: value })).toThrow(message);
  });

  it("leaves development alone (short keys are fine on a laptop)", () => {
    expect(loadConfig({ PAYMENT_PRIVATE_KEY: "k" }).config.paymentPrivateKey).toBe("k");
  });

  it("reads ADMIN_LOGIN with the registration rules", () => {
    expect(() => loadConfig({ ADMIN_LOGIN: "adm\u0130n" })).toThrow(/ADMIN_LOGIN/);
  });
});
