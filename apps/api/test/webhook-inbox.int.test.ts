// The webhook inbox: every call of POST /payment/webhook is recorded with its outcome (GET /webhooks,
// GET /webhooks/{id}); a credit and its record commit together; refusals live in a bounded ring.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { RINGS, RING_SIZE } from "../src/repositories/webhook-deliveries.repository.ts";
import { type TestUser, createUser, expectError, providerId, signature, useHarness, webhookBody } from "./harness.ts";

const h = useHarness();
let admin: TestUser;
let alice: TestUser;
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  alice = await createUser(h, { numericId: providerId() });
});

const post = (text: string, contentType = "application/json") =>
  h.http.post("/payment/webhook").set("Content-Type", contentType).send(text);

/** The newest record of a provider transaction_id. */
async function recordOf(tx: number) {
  const res = await h.http.get("/webhooks").query({ transactionId: tx }).set(auth(admin));
  expect(res.status, res.text).toBe(200);
  return res.body.items[0];
}

describe("every call is recorded", () => {
  it("a credit: outcome credited, its ledger row's id, the body as sent", async () => {
    const tx = providerId();
    const bill = providerId();
    const body = webhookBody(h, { tx, user: alice.numericId, bill, amount: "12.50" });
    expect((await post(body)).status).toBe(200);
    const record = await recordOf(tx);
    expect(record).toEqual({
      id: expect.any(String),
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sourceIp: expect.any(String),
      outcome: "credited",
      httpStatus: 200,
      transactionId: tx,
      userId: alice.numericId,
      billId: bill,
      body,
      truncated: false,
      ledgerEntryId: expect.any(String),
    });
    const history = await h.http.get("/users/me/transactions").set(auth(alice));
    expect(history.body.items.map((t: { id: string }) => t.id)).toContain(record.ledgerEntryId);
    const one = await h.http.get(`/webhooks/${record.id}`).set(auth(admin));
    expect(one.body).toEqual(record);

    // The replay of the same call: already_processed, nothing credited.
    expect((await post(body)).status).toBe(200);
    expect(await recordOf(tx)).toMatchObject({ outcome: "already_processed", httpStatus: 200, ledgerEntryId: null });
  });

  it("leads to the exact ledger entry: GET /transactions?id= and ?transactionId=, also from its replay", async () => {
    const tx = providerId();
    const body = webhookBody(h, { tx, user: alice.numericId, bill: providerId(), amount: "7.25" });
    expect((await post(body)).status).toBe(200);
    const credited = await recordOf(tx);
    const byId = await h.http.get("/transactions").query({ id: credited.ledgerEntryId }).set(auth(admin));
    expect(byId.status, byId.text).toBe(200);
    expect(byId.body).toMatchObject({ total: 1 });
    expect(byId.body.items).toEqual([
      expect.objectContaining({
        id: credited.ledgerEntryId,
        kind: "credit",
        amount: "7.25",
        transactionId: tx,
        userId: alice.id,
        userLogin: alice.login,
      }),
    ]);
    // The replay made nothing; its provider transaction id still finds the credit it repeated.
    expect((await post(body)).status).toBe(200);
    const replay = await recordOf(tx);
    expect(replay).toMatchObject({ outcome: "already_processed", ledgerEntryId: null, transactionId: tx });
    const byTx = await h.http.get("/transactions").query({ transactionId: replay.transactionId }).set(auth(admin));
    expect(byTx.body.items.map((t: { id: string }) => t.id)).toEqual([credited.ledgerEntryId]);
    const csv = await h.http.get("/transactions.csv").query({ id: credited.ledgerEntryId }).set(auth(admin));
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split("\n")).toHaveLength(2);
    // Nothing else matches; malformed values are refused.
    const none = await h.http.get("/transactions").query({ id: randomUUID() }).set(auth(admin));
    expect(none.body).toMatchObject({ items: [], total: 0 });
    const other = await h.http.get("/transactions").query({ transactionId: providerId() }).set(auth(admin));
    expect(other.body).toMatchObject({ items: [], total: 0 });
    for (const query of [{ id: "42" }, { transactionId: "0" }, { transactionId: "1.5" }, { transactionId: "x" }]) {
      expectError(await h.http.get("/transactions").query(query).set(auth(admin)), 400, "BAD_REQUEST", "INVALID_INPUT");
    }
    expectError(await h.http.get("/transactions.csv").query({ id: "42" }).set(auth(admin)), 400, "BAD_REQUEST");
  });

  it.each([
    [
      "invalid_signature",
      403,
      (tx: number) =>
        webhookBody(h, { tx, user: 1, bill: 2, amount: "5" }).replace(
          /"signature":"(.)/,
          (_, c: string) => `"signature":"${c === "0" ? "1" : "0"}`,
        ),
    ],
    ["unknown_user", 404, (tx: number) => webhookBody(h, { tx, user: providerId(), bill: providerId(), amount: "5" })],
    [
      "invalid_body",
      400,
      (tx: number) => webhookBody(h, { tx, user: alice.numericId, bill: providerId(), amount: "0" }),
    ],
    [
      "invalid_body",
      400,
      (tx: number) => `{"signature":"${"a".repeat(40)}","transaction_id":${tx},"user_id":-1,"bill_id":1,"amount":1}`,
    ],
  ] as const)("a refusal: %s (%i)", async (outcome, status, make) => {
    const tx = providerId();
    const text = make(tx);
    expect((await post(text)).status).toBe(status);
    expect(await recordOf(tx)).toMatchObject({
      outcome,
      httpStatus: status,
      transactionId: tx,
      body: text,
      ledgerEntryId: null,
    });
  });

  it("bill_of_other_user and transaction_conflict", async () => {
    const bob = await createUser(h, { numericId: providerId() });
    const bill = providerId();
    expect((await post(webhookBody(h, { tx: providerId(), user: alice.numericId, bill, amount: "1" }))).status).toBe(
      200,
    );
    const stolen = providerId();
    expect((await post(webhookBody(h, { tx: stolen, user: bob.numericId, bill, amount: "1" }))).status).toBe(409);
    expect(await recordOf(stolen)).toMatchObject({
      outcome: "bill_of_other_user",
      httpStatus: 409,
      userId: bob.numericId,
    });
    const tx = providerId();
    expect((await post(webhookBody(h, { tx, user: alice.numericId, bill, amount: "1" }))).status).toBe(200);
    expect((await post(webhookBody(h, { tx, user: alice.numericId, bill, amount: "2" }))).status).toBe(409);
    expect(await recordOf(tx)).toMatchObject({ outcome: "transaction_conflict", httpStatus: 409 });
  });

  it("malformed JSON and bodies without ids are recorded with null ids; long bodies are cut at 4 KB", async () => {
    const before = (await h.http.get("/webhooks").query({ outcome: "invalid_body" }).set(auth(admin))).body.total;
    expect((await post('{"signature": "x", "transaction_id": ')).status).toBe(400);
    const long = JSON.stringify({ signature: "é".repeat(3000), transaction_id: "x" });
    expect((await post(long)).status).toBe(400);
    const res = await h.http.get("/webhooks").query({ outcome: "invalid_body", limit: 2 }).set(auth(admin));
    expect(res.body.total).toBe(before + 2);
    const [cut, malformed] = res.body.items;
    expect(malformed).toMatchObject({
      transactionId: null,
      userId: null,
      billId: null,
      body: '{"signature": "x", "transaction_id": ',
      truncated: false,
    });
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.body)).toBeLessThanOrEqual(4096);
    expect(long.startsWith(cut.body)).toBe(true);
  });
});

describe("GET /webhooks", () => {
  it("filters by outcome, user_id and time; pages newest first", async () => {
    const user = await createUser(h, { numericId: providerId() });
    const bill = providerId();
    for (const amount of ["1", "2", "3"]) {
      expect((await post(webhookBody(h, { tx: providerId(), user: user.numericId, bill, amount }))).status).toBe(200);
    }
    const get = (query: object) => h.http.get("/webhooks").query(query).set(auth(admin));
    const mine = await get({ userId: user.numericId });
    expect(mine.body.total).toBe(3);
    expect(mine.body.items.map((r: { body: string }) => JSON.parse(r.body).amount)).toEqual([3, 2, 1]);
    expect((await get({ userId: user.numericId, outcome: "credited", limit: 1, offset: 2 })).body.items).toHaveLength(
      1,
    );
    expect((await get({ userId: user.numericId, from: new Date(Date.now() + 60_000).toISOString() })).body.total).toBe(
      0,
    );
    expectError(await get({ outcome: "lost" }), 400, "BAD_REQUEST");
    expectError(await get({ userId: "abc" }), 400, "BAD_REQUEST");
    expectError(await get({ to: "tomorrow" }), 400, "BAD_REQUEST");
  });

  it("is for administrators only; an unknown id is 404", async () => {
    const res = await h.http.get("/webhooks").set(auth(alice));
    expectError(res, 403, "FORBIDDEN");
    expect(res.body.appCode).toBe("ADMIN_ONLY");
    expectError(await h.http.get(`/webhooks/${randomUUID()}`).set(auth(alice)), 403, "FORBIDDEN");
    const missing = await h.http.get(`/webhooks/${randomUUID()}`).set(auth(admin));
    expectError(missing, 404, "NOT_FOUND");
    expect(missing.body.appCode).toBe("WEBHOOK_NOT_FOUND");
  });

  it("no secret leaks: the signature in a recorded body is the caller's own text", async () => {
    const tx = providerId();
    const sig = signature(h.config.paymentPrivateKey, tx, 1, 1, "1");
    const record = await (async () => {
      await post(`{"signature":"${sig}","transaction_id":${tx},"user_id":1,"bill_id":1,"amount":1}`);
      return recordOf(tx);
    })();
    expect(JSON.stringify(record)).not.toContain(h.config.paymentPrivateKey);
  });
});

describe("refusals are bounded", () => {
  it(`keeps at most ${RING_SIZE} refusals per class and never drops a credit`, async () => {
    // Fill the forged signatures' ring in one statement (as many forged calls would), then send a credit
    // and refusals.
    const base = RINGS.invalidSignature * RING_SIZE;
    await h.db.prisma.$executeRaw`
      INSERT INTO webhook_deliveries (slot, source_ip, outcome, http_status, body, truncated)
      SELECT ${base}::int + g, 'flood', 'invalid_signature', 403, '{}', false
        FROM generate_series(0, ${RING_SIZE - 1}::int) g
      ON CONFLICT (slot) DO NOTHING`;
    const tx = providerId();
    const forged = () =>
      post(
        webhookBody(h, { tx: providerId(), user: 1, bill: 1, amount: "1" }).replace(
          /"signature":"(.)/,
          (_, c: string) => `"signature":"${c === "0" ? "1" : "0"}`,
        ),
      );
    for (let i = 0; i < 5; i++) expect((await forged()).status).toBe(403);
    expect((await post(webhookBody(h, { tx, user: alice.numericId, bill: providerId(), amount: "1" }))).status).toBe(
      200,
    );
    const forgedRecords = await h.db.prisma.webhookDelivery.count({ where: { outcome: "invalid_signature" } });
    expect(forgedRecords).toBe(RING_SIZE);
    const refusals = await h.db.prisma.webhookDelivery.count({ where: { NOT: { outcome: "credited" } } });
    expect(refusals).toBeLessThanOrEqual(RING_SIZE * Object.keys(RINGS).length);
    expect((await recordOf(tx)).outcome).toBe("credited");
    const credits = await h.db.prisma.webhookDelivery.count({ where: { outcome: "credited" } });
    const creditRows = await h.db.prisma.ledgerEntry.count({ where: { kind: "credit" } });
    expect(credits).toBe(creditRows);
  });
});
