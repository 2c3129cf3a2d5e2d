// The event log (GET /events, GET /events/{id}): every money move and administrative write appends one
// event, the events are exactly the writes, each once, and `seq` follows commit order — also under
// concurrent writers, and for a reader paging while they write.
import { randomUUID } from "node:crypto";
import type { TEvent } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { eventsRepository } from "../src/repositories/events.repository.ts";
import { type TestUser, createProduct, createUser, credit, expectError, providerId, useHarness } from "./harness.ts";

const h = useHarness({ poolSize: 25 });
let admin: TestUser;
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
});

/** Every event after `after`, through the API's paging (small pages, so paging itself is exercised). */
async function allEvents(after = "0", type?: string): Promise<TEvent[]> {
  const out: TEvent[] = [];
  let cursor: string | null = after;
  while (cursor !== null) {
    const res: { status: number; text: string; body: { items: TEvent[]; nextCursor: string | null } } = await h.http
      .get("/events")
      .query({ after: cursor, limit: 7, ...(type ? { type } : {}) })
      .set(auth(admin));
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  }
  return out;
}

async function lastSeq(): Promise<string> {
  await eventsRepository(h.db).sequence();
  return String(await eventsRepository(h.db).lastSeq());
}

describe("the event log", () => {
  it("a mixed history: the events are exactly the writes, in order, each once, with the API's data", async () => {
    const start = await lastSeq();
    // Registration and activation through the API.
    const login = `ev${randomUUID().slice(0, 8)}`;
    const reg = await h.http.post("/users").send({ login, password: "password-123" });
    expect(reg.status, reg.text).toBe(201);
    const token = new URL(reg.body.activationUrl as string).pathname.split("/").pop()!;
    expect((await h.http.get(`/users/activate/${token}`)).status).toBe(200);
    const userId = reg.body.id as string;
    // Money: a credit, a purchase, a refund, an adjustment.
    const buyer = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, buyer, providerId(), "100.00");
    const product = await createProduct(h, admin, "30.00", "Lamp");
    const buy = await h.http.post("/products/buy").set(auth(buyer)).send({ productId: product.id, accountId });
    expect(buy.status, buy.text).toBe(200);
    const refund = await h.http
      .post(`/transactions/${buy.body.purchase.id}/refund`)
      .set(auth(admin))
      .send({ amount: "5.00", reason: "scratched" });
    expect(refund.status, refund.text).toBe(201);
    const adjust = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(auth(admin))
      .send({ direction: "credit", amount: "1.50", reason: "goodwill" });
    expect(adjust.status, adjust.text).toBe(201);
    // Products and users by the admin.
    const updated = await h.http.put(`/products/${product.id}`).set(auth(admin)).send({ price: "31.00" });
    expect(updated.status, updated.text).toBe(200);
    expect((await h.http.delete(`/products/${product.id}`).set(auth(admin))).status).toBe(200);
    expect((await h.http.post(`/products/${product.id}/restore`).set(auth(admin)).send({})).status).toBe(200);
    expect((await h.http.put(`/users/${userId}`).set(auth(admin)).send({ isActive: false })).status).toBe(200);
    expect((await h.http.put(`/users/${userId}`).set(auth(admin)).send({ isActive: true })).status).toBe(200);
    // Refusals write nothing, so they announce nothing.
    const refused = await h.http.post("/products/buy").set(auth(buyer)).send({ productId: randomUUID(), accountId });
    expect(refused.status).toBe(404);

    const events = await allEvents(start);
    expect(events.map((e) => e.type)).toEqual([
      "user.registered",
      "user.activated",
      "credit.received",
      "product.created",
      "purchase.completed",
      "refund.created",
      "adjustment.created",
      "product.updated",
      "product.deleted",
      "product.restored",
      "user.disabled",
      "user.enabled",
    ]);
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // data = the resource as the API showed it.
    const byType = Object.fromEntries(events.map((e) => [e.type, e.data]));
    expect(byType["purchase.completed"]).toEqual(buy.body.purchase);
    expect(byType["refund.created"]).toEqual(refund.body.refund);
    expect(byType["adjustment.created"]).toEqual(adjust.body.adjustment);
    expect(byType["product.updated"]).toEqual(updated.body);
    expect(byType["credit.received"]).toMatchObject({ kind: "credit", amount: "100.00", accountId });
    expect(byType["user.registered"]).toMatchObject({ id: userId, login, status: "pending", accounts: [] });
    expect(byType["user.activated"]).toMatchObject({ id: userId, status: "active" });
    expect(byType["user.disabled"]).toMatchObject({ id: userId, isActive: false });

    // GET /events/{id} and the type filter.
    const one = await h.http.get(`/events/${events[4]!.id}`).set(auth(admin));
    expect(one.status).toBe(200);
    expect(one.body).toEqual(events[4]);
    const products = await allEvents(start, "product.updated");
    expect(products.map((e) => e.id)).toEqual([events[7]!.id]);
  });

  it("admin only; unknown ids and bad cursors are 4xx", async () => {
    const user = await createUser(h);
    expectError(await h.http.get("/events"), 401, "UNAUTHORIZED", "AUTH_REQUIRED");
    expectError(await h.http.get("/events").set(auth(user)), 403, "FORBIDDEN", "ADMIN_ONLY");
    expectError(await h.http.get(`/events/${randomUUID()}`).set(auth(admin)), 404, "NOT_FOUND", "EVENT_NOT_FOUND");
    expectError(await h.http.get("/events?after=-1").set(auth(admin)), 400, "BAD_REQUEST", "INVALID_INPUT");
    expectError(await h.http.get("/events?type=nope").set(auth(admin)), 400, "BAD_REQUEST", "INVALID_INPUT");
    expectError(await h.http.get("/events?limit=501").set(auth(admin)), 400, "BAD_REQUEST", "INVALID_INPUT");
  });

  it("concurrent purchases on one account: seq follows the order the balance changed (commit order), each once", async () => {
    const start = await lastSeq();
    const buyer = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, buyer, providerId(), "1000.00");
    const product = await createProduct(h, admin, "7.00", "Pin");
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        h.http.post("/products/buy").set(auth(buyer)).send({ productId: product.id, accountId }),
      ),
    );
    const bought = answers.filter((a) => a.status === 200).map((a) => a.body.purchase.id as string);
    expect(bought).toHaveLength(40);
    const purchases = (await allEvents(start, "purchase.completed")).filter(
      (e) => (e.data as { accountId: string }).accountId === accountId,
    );
    expect(purchases.map((e) => e.data.id).sort()).toEqual([...bought].sort());
    // In seq order, each purchase's balanceAfter is the previous one's minus 7.00.
    const balances = purchases.map((e) => Math.round(Number(e.data.balanceAfter) * 100));
    balances.forEach((b, i) => expect(b).toBe(100_000 - 700 * (i + 1)));
  });

  it("a reader paging while writers commit never skips an event and never sees one twice", async () => {
    const start = await lastSeq();
    const buyers = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const u = await createUser(h, { numericId: providerId() });
        return { user: u, ...(await credit(h, u, providerId(), "500.00")) };
      }),
    );
    const product = await createProduct(h, admin, "1.00", "Bead");
    let writing = true;
    const seen: TEvent[] = [];
    const reader = (async () => {
      let cursor = start;
      for (;;) {
        const done = !writing;
        const res = await h.http.get("/events").query({ after: cursor, limit: 50 }).set(auth(admin));
        const items = res.body.items as TEvent[];
        seen.push(...items);
        if (items.length > 0) cursor = String(items[items.length - 1]!.seq);
        if (done && items.length === 0) return;
      }
    })();
    const writes = await Promise.all(
      buyers.flatMap((b) =>
        Array.from({ length: 20 }, () =>
          h.http.post("/products/buy").set(auth(b.user)).send({ productId: product.id, accountId: b.accountId }),
        ),
      ),
    );
    writing = false;
    await reader;
    expect(writes.every((w) => w.status === 200)).toBe(true);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const purchaseIds = new Set(writes.map((w) => w.body.purchase.id as string));
    const seenPurchases = seen.filter((e) => e.type === "purchase.completed").map((e) => e.data.id as string);
    expect(new Set(seenPurchases)).toEqual(purchaseIds);
    const seqs = seen.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it("the log is append-only: UPDATE (other than numbering), DELETE and TRUNCATE are refused", async () => {
    const [event] = await allEvents(String(Number(await lastSeq()) - 1));
    expect(event).toBeDefined();
    await expect(
      h.db.prisma.$executeRawUnsafe(`UPDATE events SET type = 'x' WHERE id = '${event!.id}'`),
    ).rejects.toThrow();
    await expect(h.db.prisma.$executeRawUnsafe(`DELETE FROM events WHERE id = '${event!.id}'`)).rejects.toThrow();
    await expect(h.db.prisma.$executeRawUnsafe(`TRUNCATE events CASCADE`)).rejects.toThrow();
  });
});
