// Every write commits with its event, or not at all. In this file's own database a trigger makes every
// insert into the event log fail; then each kind of write that announces an event — purchase, credit,
// refund, adjustment, each product write, user disable / enable, registration, activation — answers 5xx
// and leaves ledger, balances, products, users, audit log and event log as they were. Once the trigger is
// dropped, the same writes succeed, each with its event.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  providerId,
  useHarness,
  webhookBody,
} from "./harness.ts";
import { refuseInserts, writableState } from "./support/faults.ts";

const h = useHarness({ poolSize: 25 });
let admin: TestUser;

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
});

let repair: (() => Promise<void>) | undefined;
async function breakEventLog() {
  repair = await refuseInserts(h.db, "events");
}
afterEach(async () => {
  await repair?.();
  repair = undefined;
});

const snapshot = () => writableState(h.db);

async function expectFailedAndUnchanged(res: { status: number; text: string }, before: string) {
  expect(res.status, res.text).toBeGreaterThanOrEqual(500);
  expect(await snapshot()).toBe(before);
}

describe("the event log refuses: every write that announces answers 5xx and changes nothing", () => {
  it("money: purchase, credit, refund, adjustment", async () => {
    const user = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, user, providerId(), "100.00");
    const product = await createProduct(h, admin, "10.00", "Kettle");
    const bought = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
    expect(bought.status).toBe(200);
    await breakEventLog();
    const before = await snapshot();
    await expectFailedAndUnchanged(
      await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http
        .post("/payment/webhook")
        .set("Content-Type", "application/json")
        .send(webhookBody(h, { tx: providerId(), user: user.numericId, bill: providerId(), amount: "5.00" })),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http
        .post(`/transactions/${bought.body.purchase.id}/refund`)
        .set(bearer(admin))
        .send({ amount: "1.00", reason: "scratched" }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http
        .post(`/accounts/${accountId}/adjustments`)
        .set(bearer(admin))
        .send({ direction: "credit", amount: "1.00", reason: "goodwill" }),
      before,
    );
    await repair?.();
    const again = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
    expect(again.status).toBe(200);
    const events = await h.db.prisma.event.findMany({ where: { type: "purchase.completed" } });
    expect(events.map((e) => (e.data as { id: string }).id)).toContain(again.body.purchase.id);
  });

  it("each product write, user disable / enable, registration and activation", async () => {
    const live = await createProduct(h, admin, "5.00", "Lamp");
    const deleted = await createProduct(h, admin, "6.00", "Old lamp");
    expect((await h.http.delete(`/products/${deleted.id}`).set(bearer(admin))).status).toBe(200);
    const victim = await createUser(h);
    const disabled = await createUser(h);
    expect((await h.http.put(`/users/${disabled.id}`).set(bearer(admin)).send({ isActive: false })).status).toBe(200);
    const pending = await h.http.post("/users").send({ login: `pending${providerId()}`, password: "password-123" });
    expect(pending.status).toBe(201);
    await breakEventLog();
    const before = await snapshot();
    await expectFailedAndUnchanged(
      await h.http.post("/products").set(bearer(admin)).send({ title: "New", description: "", price: "1.00" }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http.put(`/products/${live.id}`).set(bearer(admin)).send({ price: "7.00" }),
      before,
    );
    await expectFailedAndUnchanged(await h.http.delete(`/products/${live.id}`).set(bearer(admin)), before);
    await expectFailedAndUnchanged(
      await h.http.post(`/products/${deleted.id}/restore`).set(bearer(admin)).send({}),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http.put(`/users/${victim.id}`).set(bearer(admin)).send({ isActive: false }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http.put(`/users/${disabled.id}`).set(bearer(admin)).send({ isActive: true }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http.post("/users").send({ login: `new${providerId()}`, password: "password-123" }),
      before,
    );
    const token = new URL(pending.body.activationUrl as string).pathname.split("/").pop()!;
    await expectFailedAndUnchanged(await h.http.get(`/users/activate/${token}`), before);
    // Repaired: the link still works (the failed activation did not use it up), with its event.
    await repair?.();
    expect((await h.http.get(`/users/activate/${token}`)).status).toBe(200);
    const activated = await h.db.prisma.event.findMany({ where: { type: "user.activated" } });
    expect(activated.map((e) => (e.data as { id: string }).id)).toContain(pending.body.id);
  });
});
