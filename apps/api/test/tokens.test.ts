// Access tokens (src/auth/tokens.ts): a token whose signature was checked once is remembered, and what
// the check decided must stay true for every later use — expiry, a tampered copy, another secret.
import { afterEach, describe, expect, it, vi } from "vitest";
import { signAccessToken, verifyAccessToken } from "../src/auth/tokens.ts";

const secret = "tokens-test-secret-0123456789-abcdef";
const claims = { userId: "00000000-0000-4000-9000-000000000001", tokenVersion: 3 };

describe("verifyAccessToken", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives the same claims on every use of a valid token", () => {
    const token = signAccessToken(claims, secret, 3600);
    expect(verifyAccessToken(token, secret)).toEqual({ ok: true, claims });
    expect(verifyAccessToken(token, secret)).toEqual({ ok: true, claims });
  });

  it("refuses a remembered token once it has expired", () => {
    vi.useFakeTimers({ now: new Date("2026-12-01T10:00:00Z") });
    const token = signAccessToken(claims, secret, 60);
    expect(verifyAccessToken(token, secret).ok).toBe(true);
    vi.setSystemTime(new Date("2026-12-01T10:00:59Z"));
    expect(verifyAccessToken(token, secret).ok).toBe(true);
    vi.setSystemTime(new Date("2026-12-01T10:01:00Z"));
    expect(verifyAccessToken(token, secret)).toEqual({ ok: false, reason: "expired" });
    expect(verifyAccessToken(token, secret)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a tampered copy and another secret's check of a remembered token", () => {
    const token = signAccessToken(claims, secret, 3600);
    expect(verifyAccessToken(token, secret).ok).toBe(true);
    const [header, payload, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: claims.userId, ver: 0, exp: 4102444800 })).toString("base64url");
    expect(verifyAccessToken(`${header}.${forged}.${signature}`, secret)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyAccessToken(`${header}.${payload}.${signature!.slice(0, -2)}AA`, secret).ok).toBe(false);
    expect(verifyAccessToken(token, `${secret}-rotated`)).toEqual({ ok: false, reason: "invalid" });
  });
});
