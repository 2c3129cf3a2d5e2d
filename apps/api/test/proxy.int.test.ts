// Who the client is (TRUST_PROXY): a trusted proxy's X-Forwarded-For names it, an untrusted peer's does
// not, an entry that is not an IP address is ignored; and the per-address limits (sign-in,
// registration, webhook signatures) key on that client, not on the proxy. The webhook inbox's
// sourceIp shows the address the server settled on. (supertest connects from 127.0.0.1.)
import { describe, expect, it } from "vitest";
import type { AppConfig } from "../src/env.ts";
import { type TestUser, createUser, expectError, providerId, uniqueLogin, useHarness, webhookBody } from "./harness.ts";

const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

/** A harness with this `trust proxy`, and the sourceIp the inbox records for a call with these headers. */
function proxySuite(trustProxy: AppConfig["trustProxy"], config: Partial<AppConfig> = {}) {
  const h = useHarness({ config: { trustProxy, ...config } });
  const sourceIpOf = async (forwardedFor: string | undefined) => {
    const admin = await createUser(h, { isAdmin: true });
    const tx = providerId();
    const body = webhookBody(h, { tx, user: 1, bill: providerId(), amount: "1.00" }).replace(
      /"signature":"[0-9a-f]+"/,
      `"signature":"${"0".repeat(40)}"`,
    );
    const req = h.http.post("/payment/webhook").set("Content-Type", "application/json");
    if (forwardedFor !== undefined) req.set("X-Forwarded-For", forwardedFor);
    expectError(await req.send(body), 403, "FORBIDDEN", "INVALID_SIGNATURE");
    const res = await h.http.get("/webhooks").query({ transactionId: tx }).set(auth(admin));
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0].sourceIp as string;
  };
  return { h, sourceIpOf };
}

describe("TRUST_PROXY=loopback (the default): a proxy on this host", () => {
  const { sourceIpOf } = proxySuite(["loopback"]);

  it("takes the client from the proxy's X-Forwarded-For", async () => {
    expect(await sourceIpOf("203.0.113.7")).toBe("203.0.113.7");
    // The client's own claim (left of what the proxy appended) is not believed.
    expect(await sourceIpOf("198.51.100.1, 203.0.113.7")).toBe("203.0.113.7");
    expect(await sourceIpOf(undefined)).toMatch(LOOPBACK);
  });

  it("ignores an entry that is not an IP address", async () => {
    expect(await sourceIpOf("<img src=x onerror=alert(1)>, 127.0.0.1")).toMatch(LOOPBACK);
    expect(await sourceIpOf("<img src=x onerror=alert(1)>")).toMatch(LOOPBACK);
    expect(await sourceIpOf("203.0.113.7, not-an-address")).toBe("203.0.113.7");
    expect(await sourceIpOf("unknown, 2001:db8::1")).toBe("2001:db8::1");
  });
});

describe("TRUST_PROXY=false: the peer is the client", () => {
  const { sourceIpOf } = proxySuite(false);

  it("ignores X-Forwarded-For", async () => {
    expect(await sourceIpOf("203.0.113.7")).toMatch(LOOPBACK);
  });
});

describe("TRUST_PROXY=10.0.0.0/8: a load balancer elsewhere", () => {
  const { sourceIpOf } = proxySuite(["10.0.0.0/8"]);

  it("does not believe a peer outside the range", async () => {
    expect(await sourceIpOf("203.0.113.7")).toMatch(LOOPBACK);
  });
});

describe("TRUST_PROXY=127.0.0.0/8 and TRUST_PROXY as a hop count", () => {
  const cidr = proxySuite(["127.0.0.0/8", "::ffff:127.0.0.0/104", "::1"]);
  const hops = proxySuite(2);

  it("a CIDR: walks back over the trusted range only", async () => {
    expect(await cidr.sourceIpOf("198.51.100.9, 127.0.0.5")).toBe("198.51.100.9");
    expect(await cidr.sourceIpOf("6.6.6.6, 198.51.100.9")).toBe("198.51.100.9");
  });

  it("two hops: the third address from the right is the client", async () => {
    expect(await hops.sourceIpOf("6.6.6.6, 198.51.100.9, 10.0.0.5")).toBe("198.51.100.9");
    expect(await hops.sourceIpOf("6.6.6.6, 198.51.100.9, junk, 10.0.0.5")).toBe("198.51.100.9");
  });
});

describe("per-address limits key on the real client behind the proxy", () => {
  const limits = {
    perLogin: 50,
    perAddress: 3,
    windowSeconds: 900,
    registrationsPerAddress: 2,
    registrationWindowSeconds: 3600,
    badSignaturesPerAddress: 2,
    badSignatureWindowSeconds: 900,
  };
  const { h } = proxySuite(["loopback"], { loginLimits: limits });
  const from = (ip: string) => ({ "X-Forwarded-For": ip });

  it("sign-in: guesses from one client do not lock out the user's correct password from another", async () => {
    const alice = await createUser(h);
    for (let i = 0; i < limits.perAddress; i++) {
      const res = await h.http
        .post("/auth")
        .set(from("198.51.100.66"))
        .send({ login: alice.login, password: `no-${i}` });
      expectError(res, 401, "UNAUTHORIZED", "INVALID_CREDENTIALS");
    }
    const limited = await h.http.post("/auth").set(from("198.51.100.66")).send({ login: alice.login, password: "x" });
    expectError(limited, 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    // A junk entry does not make a new key either.
    const junk = await h.http
      .post("/auth")
      .set(from(`junk-${Date.now()}, 198.51.100.66`))
      .send({ login: alice.login, password: "x" });
    expectError(junk, 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    const ok = await h.http
      .post("/auth")
      .set(from("203.0.113.20"))
      .send({ login: alice.login, password: alice.password });
    expect(ok.status, ok.text).toBe(200);
  });

  it("registration: one client's budget is not the whole site's", async () => {
    const register = (ip: string) =>
      h.http
        .post("/users")
        .set(from(ip))
        .send({ login: uniqueLogin("reg"), password: "password-123" });
    for (let i = 0; i < limits.registrationsPerAddress; i++) expect((await register("198.51.100.77")).status).toBe(201);
    expectError(await register("198.51.100.77"), 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    expect((await register("203.0.113.30")).status).toBe(201);
  });

  it("webhook: bad signatures from one client do not limit another", async () => {
    const forged = () =>
      webhookBody(h, { tx: providerId(), user: 1, bill: providerId(), amount: "1.00" }).replace(
        /"signature":"[0-9a-f]+"/,
        `"signature":"${"0".repeat(40)}"`,
      );
    const send = (ip: string) =>
      h.http.post("/payment/webhook").set(from(ip)).set("Content-Type", "application/json").send(forged());
    for (let i = 0; i < limits.badSignaturesPerAddress; i++) {
      expectError(await send("198.51.100.88"), 403, "FORBIDDEN", "INVALID_SIGNATURE");
    }
    expectError(await send("198.51.100.88"), 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    expectError(await send("203.0.113.40"), 403, "FORBIDDEN", "INVALID_SIGNATURE");
  });
});
