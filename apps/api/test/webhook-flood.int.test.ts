// The webhook inbox keeps its evidence under a flood. Refusals are limited per address BEFORE they are
// recorded (past the budget: 429 and no record, but for one `rate_limited` record per address per
// window), every call of a tRPC batch counts, and each class of refusal has its own ring: 10,000
// invalid bodies cannot push out a forged-signature record from another address.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_TRPC_BATCH } from "../src/app.ts";
import { RINGS, RING_SIZE } from "../src/repositories/webhook-deliveries.repository.ts";
import { type TestUser, createUser, expectError, providerId, useHarness, webhookBody } from "./harness.ts";

const limits = {
  perLogin: 10,
  perAddress: 100,
  windowSeconds: 900,
  badSignaturesPerAddress: 20,
  badSignatureWindowSeconds: 900,
  invalidWebhookBodiesPerAddress: 20,
  invalidWebhookBodyWindowSeconds: 900,
};
const h = useHarness({ config: { loginLimits: limits } });
let admin: TestUser;
let alice: TestUser;
const FLOODER = "198.51.100.99";
const FORGER = "203.0.113.5";

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  alice = await createUser(h, { numericId: providerId() });
});

const forgedBody = (tx: number) =>
  webhookBody(h, { tx, user: alice.numericId, bill: providerId(), amount: "100000.00" }).replace(
    /"signature":"[0-9a-f]+"/,
    `"signature":"${"0".repeat(40)}"`,
  );
const restCall = (ip: string, text: string) =>
  h.http.post("/payment/webhook").set("X-Forwarded-For", ip).set("Content-Type", "application/json").send(text);

/** The records of one address, by outcome. */
async function recordsOf(ip: string): Promise<Record<string, number>> {
  const rows = await h.db.prisma.$queryRaw<{ outcome: string; n: number }[]>`
    SELECT outcome, count(*)::int4 AS n FROM webhook_deliveries WHERE source_ip = ${ip} GROUP BY outcome`;
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

describe("a flood of 10,000 invalid bodies", () => {
  const forgedTx = providerId();

  it("keeps the forged-signature record of another address, and records at most the quota + one 429", async () => {
    expectError(await restCall(FORGER, forgedBody(forgedTx)), 403, "FORBIDDEN", "INVALID_SIGNATURE");

    // 500 tRPC batches of 20 calls, 10 requests at a time: 10,000 calls with invalid bodies.
    const batch = `/trpc/${Array(MAX_TRPC_BATCH).fill("payments.webhook").join(",")}?batch=1`;
    const body = JSON.stringify(
      Object.fromEntries(Array.from({ length: MAX_TRPC_BATCH }, (_, i) => [i, { signature: "x", transaction_id: i }])),
    );
    const statuses = new Map<number, number>();
    for (let round = 0; round < 50; round++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          h.http.post(batch).set("X-Forwarded-For", FLOODER).set("Content-Type", "application/json").send(body),
        ),
      );
      for (const res of answers) {
        for (const call of res.body as { error: { data: { httpStatus: number } } }[]) {
          const status = call.error.data.httpStatus;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
    }
    // Every call counted: the first 20 refused for their body, the other 9,980 limited.
    expect(Object.fromEntries(statuses)).toEqual({ 400: 20, 429: 9_980 });
    expect(await recordsOf(FLOODER)).toEqual({ invalid_body: 20, rate_limited: 1 });

    // The forged call is still there, with its address and amount.
    const res = await h.http
      .get("/webhooks")
      .query({ transactionId: forgedTx })
      .set({ Authorization: `Bearer ${admin.token}` });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        outcome: "invalid_signature",
        sourceIp: FORGER,
        httpStatus: 403,
        transactionId: forgedTx,
      }),
    ]);
    expect(JSON.parse(res.body.items[0].body).amount).toBe(100000);
  });

  it("REST calls of the limited address get 429 (malformed JSON too) and are not recorded", async () => {
    expectError(await restCall(FLOODER, '{"signature": "x"}'), 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    const malformed = await restCall(FLOODER, '{"signature": ');
    expectError(malformed, 429, "TOO_MANY_REQUESTS", "RATE_LIMITED");
    expect(Number(malformed.headers["retry-after"])).toBeGreaterThan(0);
    expect(await recordsOf(FLOODER)).toEqual({ invalid_body: 20, rate_limited: 1 });
  });

  it("a correctly signed call from that address is still credited and recorded", async () => {
    const tx = providerId();
    const res = await restCall(
      FLOODER,
      webhookBody(h, { tx, user: alice.numericId, bill: providerId(), amount: "5.00" }),
    );
    expect(res.status, res.text).toBe(200);
    expect(await recordsOf(FLOODER)).toEqual({ invalid_body: 20, rate_limited: 1, credited: 1 });
  });
});

describe("forged signatures", () => {
  it("are limited the same way: the quota, then one rate_limited record per window", async () => {
    const ip = "198.51.100.100";
    const answers = [];
    for (let i = 0; i < 60; i++) answers.push((await restCall(ip, forgedBody(providerId()))).status);
    expect(answers.filter((s) => s === 403)).toHaveLength(limits.badSignaturesPerAddress);
    expect(answers.filter((s) => s === 429)).toHaveLength(60 - limits.badSignaturesPerAddress);
    expect(await recordsOf(ip)).toEqual({ invalid_signature: limits.badSignaturesPerAddress, rate_limited: 1 });
  });
});

describe("one ring per class", () => {
  it("keeps each class of refusal in its own slots, so no class can push out another", async () => {
    // Many addresses (a distributed flood) each within their quota: still only their own class's slots.
    for (let i = 1; i <= 5; i++) expect((await restCall(`192.0.2.${i}`, '{"x":1}')).status).toBe(400);
    const rows = await h.db.prisma.$queryRaw<{ outcome: string; lo: number; hi: number }[]>`
      SELECT outcome, min(slot)::int4 AS lo, max(slot)::int4 AS hi FROM webhook_deliveries
       WHERE slot IS NOT NULL GROUP BY outcome`;
    const ring = {
      invalid_body: RINGS.invalidBody,
      invalid_signature: RINGS.invalidSignature,
      rate_limited: RINGS.rateLimited,
    };
    for (const row of rows) {
      const r = ring[row.outcome as keyof typeof ring] ?? RINGS.signed;
      expect(row.lo, row.outcome).toBeGreaterThanOrEqual(r * RING_SIZE);
      expect(row.hi, row.outcome).toBeLessThan((r + 1) * RING_SIZE);
    }
    expect(rows.map((r) => r.outcome).sort()).toEqual(["invalid_body", "invalid_signature", "rate_limited"]);
  });
});
