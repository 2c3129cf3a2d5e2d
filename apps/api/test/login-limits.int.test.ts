// Brute force: failed sign-ins are limited per login and per client address (429 + Retry-After),
// in memory by default and in Redis across instances when REDIS_URL is set.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pino from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createLoginLimiter } from "../src/services/login-limiter.ts";
import { createHarness, createUser, useHarness } from "./harness.ts";

const limits = { perLogin: 3, perAddress: 50, windowSeconds: 60 };
const addressLimits = { perLogin: 100, perAddress: 8, windowSeconds: 60 };

describe("sign-in limits (in memory)", () => {
  const h = useHarness({ config: { loginLimits: limits } });

  it("refuses a login after too many failures with 429 and Retry-After, even with the right password", async () => {
    const user = await createUser(h);
    for (let i = 0; i < limits.perLogin; i++) {
      const res = await h.http.post("/auth").send({ login: user.login, password: "wrong-password" });
      expect(res.status).toBe(401);
    }
    const locked = await h.http.post("/auth").send({ login: user.login.toUpperCase(), password: user.password });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/try again/) });
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(locked.headers["retry-after"])).toBeLessThanOrEqual(limits.windowSeconds);
  });

  it("forgets a login's failures after a successful sign-in", async () => {
    const user = await createUser(h);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < limits.perLogin - 1; i++) {
        expect((await h.http.post("/auth").send({ login: user.login, password: "nope-nope" })).status).toBe(401);
      }
      expect((await h.http.post("/auth").send({ login: user.login, password: user.password })).status).toBe(200);
    }
  });

  it("limits one address trying many logins, and parallel guesses cannot exceed the limit", async () => {
    const fresh = await createHarness({ config: { loginLimits: addressLimits } });
    try {
      const attempts = Array.from({ length: 20 }, (_, i) =>
        fresh.http.post("/auth").send({ login: `nobody${i}x${randomUUID().slice(0, 8)}`, password: "whatever-1" }),
      );
      const statuses = (await Promise.all(attempts)).map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(addressLimits.perAddress);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20 - addressLimits.perAddress);
    } finally {
      await fresh.close();
    }
  });
});

async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const redisUrl = "redis://127.0.0.1:6379";
const haveRedis = await redisReachable(redisUrl);

describe.skipIf(!haveRedis)("sign-in limits shared through Redis (skipped: no Redis on 127.0.0.1:6379)", () => {
  const h = useHarness({ config: { loginLimits: limits } });

  it("holds across two instances", async () => {
    const namespace = `test-${randomUUID()}`;
    const log = pino({ level: "silent" });
    const limiters = [0, 1].map(() => createLoginLimiter(limits, redisUrl, namespace));
    const apps = limiters.map((loginLimiter) => request(createApp({ db: h.db, config: h.config, log, loginLimiter })));
    try {
      const user = await createUser(h);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await apps[i % 2]!.post("/auth").send({ login: user.login, password: "wrong-password" });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    } finally {
      await Promise.all(limiters.map((l) => l.close()));
    }
  });
});
