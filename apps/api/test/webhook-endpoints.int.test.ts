// Webhook endpoints and their deliveries, end to end with the dispatcher and a real local receiver:
// Standard Webhooks signatures (checked by the `standardwebhooks` verifier AND by an independent Python
// implementation of the spec), retries with growing gaps, failure, one-click retry, rotation (two
// signatures), ping, redirects not followed, answers read to 1 KB, timeouts, refused addresses,
// auto-disable, audit, and two dispatchers never sending one attempt twice.
import { execFileSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import type { TEvent, TWebhookEndpointDelivery } from "@shop/contracts";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EventsConfig } from "../src/env.ts";
import { type Dispatcher, startDispatcher } from "../src/outbox/dispatcher.ts";
import { isPrivateAddress, safePost } from "../src/outbox/safe-http.ts";
import { eventsRepository } from "../src/repositories/events.repository.ts";
import { type TestUser, createUser, expectError, useHarness } from "./harness.ts";
import { type Receiver, startReceiver } from "./support/receiver.ts";

const h = useHarness({ poolSize: 25 });
let admin: TestUser;
let receiver: Receiver;
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
const log = pino({ level: "silent" });
const PYTHON_VERIFIER = fileURLToPath(new URL("./support/verify_webhook.py", import.meta.url));
const dispatchers: Dispatcher[] = [];

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  receiver = await startReceiver();
});
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
  receiver.answer = () => ({ status: 200, body: "ok" });
  // Each test's endpoints go: later events must not reach them.
  for (const e of (await h.http.get("/webhook-endpoints").set(auth(admin))).body.items as { id: string }[]) {
    await h.http.delete(`/webhook-endpoints/${e.id}`).set(auth(admin));
  }
  receiver.received.length = 0;
});
afterAll(async () => {
  await receiver.close();
});

async function dispatcher(overrides: Partial<EventsConfig> = {}) {
  const d = await startDispatcher({
    db: h.db,
    config: { ...h.config.events, retrySchedule: [0.5, 1.5, 3], ...overrides },
    log,
    idleSeconds: 1,
  });
  dispatchers.push(d);
  return d;
}

async function createEndpoint(path = "/hook", eventTypes = ["product.created"]) {
  const res = await h.http
    .post("/webhook-endpoints")
    .set(auth(admin))
    .send({ url: `${receiver.url}${path}`, eventTypes, description: "test receiver" });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; secret: string };
}

const announce = (n = 1) =>
  Promise.all(Array.from({ length: n }, (_, i) => eventsRepository(h.db).append("product.created", { n: i })));

async function deliveries(endpointId: string): Promise<TWebhookEndpointDelivery[]> {
  const res = await h.http.get(`/webhook-endpoints/${endpointId}/deliveries`).query({ limit: 100 }).set(auth(admin));
  expect(res.status, res.text).toBe(200);
  return res.body.items;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function pythonVerifies(secret: string, r: { headers: Record<string, unknown>; body: string }): string {
  try {
    return execFileSync("python3", [PYTHON_VERIFIER], {
      input: JSON.stringify({
        secret,
        id: r.headers["webhook-id"],
        timestamp: r.headers["webhook-timestamp"],
        signature: r.headers["webhook-signature"],
        body: r.body,
      }),
    })
      .toString()
      .trim();
  } catch (error) {
    return String((error as { stdout?: Buffer }).stdout ?? error).trim();
  }
}

describe("deliveries", () => {
  it("500 three times then 200: the same webhook-id four times, growing gaps, signatures both verifiers accept", async () => {
    const endpoint = await createEndpoint();
    receiver.answer = (_r, nth) => (nth <= 3 ? { status: 500, body: "down" } : { status: 200, body: "thanks" });
    await dispatcher();
    const [eventId] = await announce();
    await receiver.waitFor(4);
    const got = receiver.received;
    expect(got.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId, eventId, eventId]);
    const gaps = got.slice(1).map((r, i) => r.at - got[i]!.at);
    console.log(`retry gaps (ms) with schedule 0.5, 1.5, 3 s ±10 %: ${gaps.join(", ")}`);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    for (const r of got) {
      expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(r.headers["content-type"]).toBe("application/json");
      const body = new Webhook(endpoint.secret).verify(r.body, r.headers as Record<string, string>) as TEvent;
      expect(body).toMatchObject({ id: eventId, type: "product.created", data: { n: 0 } });
      expect(typeof body.seq).toBe("number");
      expect(pythonVerifies(endpoint.secret, r)).toBe("ok");
    }
    // A wrong secret or a changed body is refused by both.
    const other = (await createEndpoint("/other")).secret;
    expect(() => new Webhook(other).verify(got[0]!.body, got[0]!.headers as Record<string, string>)).toThrow();
    expect(pythonVerifies(other, got[0]!)).not.toBe("ok");
    expect(pythonVerifies(endpoint.secret, { ...got[0]!, body: got[0]!.body.replace("0", "1") })).not.toBe("ok");

    const [d] = await until(
      () => deliveries(endpoint.id),
      (ds) => ds[0]?.status === "delivered",
    );
    expect(d).toMatchObject({ status: "delivered", messageId: eventId, eventId, eventType: "product.created" });
    expect(d!.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, "failed"],
      [2, 500, "failed"],
      [3, 500, "failed"],
      [4, 200, "delivered"],
    ]);
    expect(d!.attempts[0]).toMatchObject({ responseBody: "down", error: "HTTP 500" });
    expect(d!.attempts[3]).toMatchObject({ responseBody: "thanks", error: null });
  });

  it("no attempt left: failed; one-click retry delivers it", async () => {
    const endpoint = await createEndpoint();
    receiver.answer = () => ({ status: 503 });
    await dispatcher({ retrySchedule: [0.1] });
    await announce();
    const [failed] = await until(
      () => deliveries(endpoint.id),
      (ds) => ds[0]?.status === "failed",
    );
    expect(failed!.attempts).toHaveLength(2);
    expect(failed!.nextAttemptAt).toBeNull();
    receiver.answer = () => ({ status: 204 });
    const retried = await h.http.post(`/webhook-deliveries/${failed!.id}/retry`).set(auth(admin)).send({});
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.status).toBe("pending");
    const [done] = await until(
      () => deliveries(endpoint.id),
      (ds) => ds[0]?.status === "delivered",
    );
    expect(done!.attempts.map((a) => a.statusCode)).toEqual([503, 503, 204]);
    expectError(
      await h.http.post(`/webhook-deliveries/${endpoint.id}/retry`).set(auth(admin)).send({}),
      404,
      "NOT_FOUND",
      "WEBHOOK_DELIVERY_NOT_FOUND",
    );
  });

  it("redirects are not followed; answers are read to 1 KB; a slow answer times out", async () => {
    const endpoint = await createEndpoint();
    receiver.answer = (r) =>
      r.path === "/hook"
        ? { status: 302, headers: { location: `${receiver.url}/elsewhere` } }
        : { status: 200, body: "x".repeat(5000) };
    await dispatcher({ retrySchedule: [] });
    await announce();
    const [d] = await until(
      () => deliveries(endpoint.id),
      (ds) => ds[0]?.status === "failed",
    );
    expect(d!.attempts[0]).toMatchObject({ statusCode: 302, error: "redirect (302) not followed" });
    expect(receiver.received.map((r) => r.path)).toEqual(["/hook"]);

    const big = await safePost(`${receiver.url}/big`, {}, "{}", {
      allowPrivate: true,
      requireHttps: false,
      timeoutMs: 5000,
    });
    expect(big.statusCode).toBe(200);
    expect(big.body).toHaveLength(1024);

    receiver.answer = () => ({ status: 200, delayMs: 2000 });
    const slow = await safePost(`${receiver.url}/slow`, {}, "{}", {
      allowPrivate: true,
      requireHttps: false,
      timeoutMs: 300,
    });
    expect(slow).toMatchObject({ statusCode: null, error: "timeout after 300 ms" });
  });

  it("loopback, private and link-local targets are refused unless allowed; https in production", async () => {
    const closed = { allowPrivate: false, requireHttps: false, timeoutMs: 2000 };
    for (const url of [
      "http://127.0.0.1:1/",
      "http://10.1.2.3/",
      "http://[::1]/",
      "http://169.254.169.254/",
      "http://localhost/",
    ]) {
      const r = await safePost(url, {}, "{}", closed);
      expect(r.error, url).toMatch(/^refused: /);
    }
    // A name is resolved once and judged by its address (this host's name resolves to a loopback or
    // private address here, if it resolves at all).
    const own = await lookup(hostname()).catch(() => null);
    if (own && isPrivateAddress(own.address)) {
      const r = await safePost(`http://${hostname()}:${receiver.port}/`, {}, "{}", closed);
      expect(r.error).toMatch(/resolves to/);
    }
    expect(receiver.received).toHaveLength(0);
    expect(isPrivateAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isPrivateAddress("93.184.216.34")).toBe(false);
    expect((await safePost("http://example.com/", {}, "{}", { ...closed, requireHttps: true })).error).toBe(
      "refused: https is required",
    );

    // The API refuses such URLs up front with the same rule.
    const strict = { ...h.deps, config: { ...h.config, events: { ...h.config.events, allowPrivateUrls: false } } };
    const { createEndpoint: create } = await import("../src/services/webhook-endpoints.service.ts");
    const audited = { actor: { type: "user" as const, id: admin.id, login: admin.login }, requestId: null };
    await expect(
      create({ ...strict, audited }, { url: "http://127.0.0.1:9/x", eventTypes: ["product.created"], description: "" }),
    ).rejects.toMatchObject({ code: "WEBHOOK_URL_REFUSED" });
    // And the dispatcher refuses at send time (an endpoint created while private URLs were allowed).
    const endpoint = await createEndpoint();
    await dispatcher({ allowPrivateUrls: false, retrySchedule: [] });
    await announce();
    const [d] = await until(
      () => deliveries(endpoint.id),
      (ds) => ds[0]?.status === "failed",
    );
    expect(d!.attempts[0]!.error).toMatch(/^refused: /);
    expect(receiver.received).toHaveLength(0);
  });

  it("an endpoint failing for WEBHOOK_DISABLE_AFTER_HOURS is disabled, audited and announced", async () => {
    const endpoint = await createEndpoint();
    receiver.answer = () => ({ status: 500 });
    await h.db.prisma.$executeRawUnsafe(
      `UPDATE webhook_endpoints SET failing_since = now() - interval '73 hours' WHERE id = '${endpoint.id}'`,
    );
    await dispatcher({ retrySchedule: [60] });
    await announce();
    const off = await until(
      async () => (await h.http.get(`/webhook-endpoints/${endpoint.id}`).set(auth(admin))).body,
      (e) => e.enabled === false,
    );
    expect(off).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^failing without a success since /),
    });
    const audit = await h.http.get("/audit").query({ targetId: endpoint.id }).set(auth(admin));
    expect(audit.body.items[0]).toMatchObject({ action: "webhook_endpoint.auto_disable", actor: { type: "system" } });
    const events = await h.http.get("/events").query({ type: "webhook_endpoint.disabled" }).set(auth(admin));
    expect(events.body.items.map((e: TEvent) => e.data.id)).toContain(endpoint.id);
    // Enabling again clears the verdict.
    const on = await h.http.put(`/webhook-endpoints/${endpoint.id}`).set(auth(admin)).send({ enabled: true });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it("stop() waits for the requests in flight and records them", async () => {
    const endpoint = await createEndpoint();
    receiver.answer = () => ({ status: 200, delayMs: 700 });
    const d = await dispatcher();
    await announce();
    await receiver.waitFor(1);
    expect(d.inFlight()).toBe(1);
    await d.stop();
    const [done] = await deliveries(endpoint.id);
    expect(done).toMatchObject({ status: "delivered" });
  });

  it("metrics: deliveries by outcome, the backlog, the oldest undelivered event's age", async () => {
    const { startOutbox } = await import("../src/outbox/run.ts");
    const { registry } = await import("../src/metrics/metrics.ts");
    const endpoint = await createEndpoint();
    receiver.answer = () => ({ status: 500 });
    const outbox = await startOutbox({ db: h.db, config: { ...h.config.events, retrySchedule: [60] }, log });
    try {
      await announce();
      await until(
        () => deliveries(endpoint.id),
        (ds) => ds[0]?.attempts.length === 1,
      );
      const text = await registry.metrics();
      expect(text).toMatch(/shop_webhook_deliveries_total\{outcome="retrying"\} [1-9]/);
      expect(text).toMatch(/shop_events_backlog\{kind="pending_deliveries"\} [1-9]/);
      expect(text).toMatch(/shop_events_backlog\{kind="unsequenced"\} 0/);
      expect(text).toMatch(/shop_events_oldest_undelivered_seconds [0-9.]+/);
    } finally {
      await outbox.stop();
    }
  });

  it("two dispatchers on one database never send one attempt twice", async () => {
    const endpoint = await createEndpoint("/hook", ["product.created", "product.updated"]);
    await Promise.all([dispatcher({ concurrency: 8 }), dispatcher({ concurrency: 8 })]);
    const n = 300;
    const ids = (await Promise.all(Array.from({ length: 6 }, () => announce(n / 6)))).flat();
    await receiver.waitFor(n, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const received = receiver.received.map((r) => r.headers["webhook-id"] as string);
    const duplicates = received.length - new Set(received).size;
    console.log(`two dispatchers, ${n} events: ${received.length} requests, ${duplicates} duplicates`);
    expect(duplicates).toBe(0);
    expect(new Set(received)).toEqual(new Set(ids));
    const rows = await h.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhook_endpoint_attempts a JOIN webhook_endpoint_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = '${endpoint.id}'`,
    );
    expect(rows[0]!.n).toBe(n);
  });
});

describe("endpoints", () => {
  it("create shows the secret once; read, change, rotate (two signatures for 24 h), test, delete; all audited", async () => {
    const created = await createEndpoint("/hook", ["product.created"]);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const read = await h.http.get(`/webhook-endpoints/${created.id}`).set(auth(admin));
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("secret");
    expect(JSON.stringify((await h.http.get("/webhook-endpoints").set(auth(admin))).body)).not.toContain(
      created.secret,
    );

    const changed = await h.http
      .put(`/webhook-endpoints/${created.id}`)
      .set(auth(admin))
      .send({ eventTypes: ["product.created", "purchase.completed"], description: "orders" });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      eventTypes: ["product.created", "purchase.completed"],
      description: "orders",
    });

    const rotated = await h.http.post(`/webhook-endpoints/${created.id}/rotate-secret`).set(auth(admin)).send({});
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    const graceHours = (Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()) / 3600_000;
    expect(graceHours).toBeGreaterThan(23.9);
    expect(graceHours).toBeLessThanOrEqual(24);

    await dispatcher();
    const ping = await h.http.post(`/webhook-endpoints/${created.id}/test`).set(auth(admin)).send({});
    expect(ping.status, ping.text).toBe(201);
    expect(ping.body).toMatchObject({ eventType: "ping", status: "pending", eventId: null });
    await receiver.waitFor(1);
    const [r] = receiver.received;
    expect(r!.headers["webhook-id"]).toBe(ping.body.messageId);
    expect((r!.headers["webhook-signature"] as string).split(" ")).toHaveLength(2);
    // Either secret verifies it: the receiver can switch at any time during the grace period.
    for (const secret of [created.secret, rotated.body.secret as string]) {
      expect(new Webhook(secret).verify(r!.body, r!.headers as Record<string, string>)).toMatchObject({ type: "ping" });
      expect(pythonVerifies(secret, r!)).toBe("ok");
    }

    const deleted = await h.http.delete(`/webhook-endpoints/${created.id}`).set(auth(admin));
    expect(deleted.status).toBe(200);
    expectError(
      await h.http.get(`/webhook-endpoints/${created.id}`).set(auth(admin)),
      404,
      "NOT_FOUND",
      "WEBHOOK_ENDPOINT_NOT_FOUND",
    );

    const audit = await h.http.get("/audit").query({ targetId: created.id, limit: 20 }).set(auth(admin));
    expect(audit.body.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      "webhook_endpoint.create",
      "webhook_endpoint.update",
      "webhook_endpoint.rotate_secret",
      "webhook_endpoint.test",
      "webhook_endpoint.delete",
    ]);
    expect(JSON.stringify(audit.body)).not.toMatch(/whsec_/);
  });

  it("bad input is 400, strangers 401/403, unknown ids 404", async () => {
    const user = await createUser(h);
    const post = (body: object) => h.http.post("/webhook-endpoints").set(auth(admin)).send(body);
    expectError(
      await post({ url: "ftp://x.test/", eventTypes: ["product.created"] }),
      400,
      "BAD_REQUEST",
      "INVALID_INPUT",
    );
    expectError(await post({ url: "not a url", eventTypes: ["product.created"] }), 400, "BAD_REQUEST", "INVALID_INPUT");
    expectError(await post({ url: "https://x.test/", eventTypes: [] }), 400, "BAD_REQUEST", "INVALID_INPUT");
    expectError(await post({ url: "https://x.test/", eventTypes: ["nope"] }), 400, "BAD_REQUEST", "INVALID_INPUT");
    expectError(
      await post({ url: "https://u:p@x.test/", eventTypes: ["product.created"] }),
      400,
      "BAD_REQUEST",
      "WEBHOOK_URL_REFUSED",
    );
    expectError(await h.http.get("/webhook-endpoints"), 401, "UNAUTHORIZED", "AUTH_REQUIRED");
    expectError(await h.http.get("/webhook-endpoints").set(auth(user)), 403, "FORBIDDEN", "ADMIN_ONLY");
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const res of [
      await h.http.get(`/webhook-endpoints/${missing}`).set(auth(admin)),
      await h.http.put(`/webhook-endpoints/${missing}`).set(auth(admin)).send({ enabled: false }),
      await h.http.delete(`/webhook-endpoints/${missing}`).set(auth(admin)),
      await h.http.post(`/webhook-endpoints/${missing}/rotate-secret`).set(auth(admin)).send({}),
      await h.http.post(`/webhook-endpoints/${missing}/test`).set(auth(admin)).send({}),
      await h.http.get(`/webhook-endpoints/${missing}/deliveries`).set(auth(admin)),
    ]) {
      expectError(res, 404, "NOT_FOUND", "WEBHOOK_ENDPOINT_NOT_FOUND");
    }
  });
});
