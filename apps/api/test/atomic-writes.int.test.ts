// Every write commits with its record, or not at all (issue 18). In this file's own database a trigger
// makes every audit_log insert fail; each kind of administrative write is then called over HTTP (and
// start-up / the CLI through ensureAdmin) and must answer a 5xx and leave nothing behind: balances,
// ledger, products, users and Idempotency-Keys as they were. Once the trigger is dropped, a retry with
// the same Idempotency-Key performs the move exactly once. Purchases and credits, whose record is their
// own ledger row, keep working while the audit log refuses. Below the HTTP boundary, an audit value
// the jsonb column refuses (a lone surrogate in a reason) rolls the move back the same way. And the
// Idempotency-Key's primary key decides between concurrent calls.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "@shop/db/testing";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin } from "../src/services/admin-bootstrap.service.ts";
import { adjustAccount } from "../src/services/accounts.service.ts";
import { type Audited, CLI_ACTOR } from "../src/services/audit.service.ts";
import { refundPurchase } from "../src/services/transactions.service.ts";
import { exitOf, track } from "./support/processes.ts";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  ledgerAndBalance,
  providerId,
  useHarness,
} from "./harness.ts";
import { refuseInserts, writableState } from "./support/faults.ts";

const h = useHarness({ poolSize: 25 });
let admin: TestUser;

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
});

let repair: (() => Promise<void>) | undefined;
/** Makes every audit insert fail, as a broken audit log would (a trigger of this test's database). */
async function breakAuditLog() {
  repair = await refuseInserts(h.db, "audit_log");
}
afterEach(async () => {
  await repair?.();
  repair = undefined;
});

const snapshot = () => writableState(h.db);

/** A user with a funded account who bought one product at 10.00. */
async function purchased() {
  const user = await createUser(h, { numericId: providerId() });
  const { accountId } = await credit(h, user, providerId(), "100.00");
  const product = await createProduct(h, admin, "10.00", "Kettle");
  const res = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
  expect(res.status, res.text).toBe(200);
  return { user, accountId, product, purchase: res.body.purchase as { id: string } };
}

/** A 5xx that is a bug report, not an answer to act on; and nothing changed. */
async function expectFailedAndUnchanged(res: { status: number; body: { appCode?: string } }, before: string) {
  expect(res.status).toBeGreaterThanOrEqual(500);
  expect(res.body.appCode).toBe("INTERNAL_ERROR");
  expect(await snapshot()).toBe(before);
}

describe("the audit log refuses: every administrative write answers 5xx and changes nothing", () => {
  it("a refund: no money moved, no key kept; after the repair the same key refunds exactly once", async () => {
    const { accountId, purchase } = await purchased();
    const key = randomUUID();
    const send = () =>
      h.http
        .post(`/transactions/${purchase.id}/refund`)
        .set(bearer(admin))
        .set("Idempotency-Key", key)
        .send({ amount: "4.00", reason: "Broken on arrival" });
    await breakAuditLog();
    const before = await snapshot();
    await expectFailedAndUnchanged(await send(), before);
    await repair?.();
    const retried = await send();
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body.replayed).toBe(false);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...retried.body, replayed: true });
    expect(await h.db.prisma.ledgerEntry.count({ where: { refundOf: purchase.id } })).toBe(1);
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "94.00", balance: "94.00" });
    expect(await h.db.prisma.auditEntry.count({ where: { action: "transaction.refund", targetId: purchase.id } })).toBe(
      1,
    );
  });

  it("an adjustment, keyed or not: no money moved; after the repair the same key adjusts exactly once", async () => {
    const user = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, user, providerId(), "50.00");
    const key = randomUUID();
    const send = (withKey: boolean) => {
      const req = h.http.post(`/accounts/${accountId}/adjustments`).set(bearer(admin));
      return (withKey ? req.set("Idempotency-Key", key) : req).send({
        direction: "credit",
        amount: "1000000000.00",
        reason: "Goodwill",
      });
    };
    await breakAuditLog();
    const before = await snapshot();
    await expectFailedAndUnchanged(await send(true), before);
    await expectFailedAndUnchanged(await send(false), before);
    await repair?.();
    expect((await send(true)).status).toBe(201);
    expect((await send(true)).body.replayed).toBe(true);
    expect(await h.db.prisma.ledgerEntry.count({ where: { accountId, kind: "adjustment" } })).toBe(1);
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "1000000050.00", balance: "1000000050.00" });
  });

  it("each product write (create, update, delete, restore)", async () => {
    const live = await createProduct(h, admin, "5.00", "Lamp");
    const deleted = await createProduct(h, admin, "6.00", "Old lamp");
    expect((await h.http.delete(`/products/${deleted.id}`).set(bearer(admin))).status).toBe(200);
    await breakAuditLog();
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
    // The product list (cached per process) still shows the product as it is.
    const list = await h.http.get("/products").query({ search: "Lamp" }).set(bearer(admin));
    expect(list.body.items.map((p: { title: string; price: string }) => [p.title, p.price])).toEqual([
      ["Lamp", "5.00"],
    ]);
  });

  it("a user's disable and enable, and an activation link", async () => {
    const victim = await createUser(h);
    const disabled = await createUser(h);
    expect((await h.http.put(`/users/${disabled.id}`).set(bearer(admin)).send({ isActive: false })).status).toBe(200);
    const registered = await h.http.post("/users").send({ login: `pending${providerId()}`, password: "password-123" });
    expect(registered.status, registered.text).toBe(201);
    const pendingId = (registered.body as { id: string }).id;
    await breakAuditLog();
    const before = await snapshot();
    await expectFailedAndUnchanged(
      await h.http.put(`/users/${victim.id}`).set(bearer(admin)).send({ isActive: false }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http.put(`/users/${disabled.id}`).set(bearer(admin)).send({ isActive: true }),
      before,
    );
    await expectFailedAndUnchanged(
      await h.http.post(`/users/${pendingId}/activation-link`).set(bearer(admin)).send({}),
      before,
    );
    // The victim's token still works: the disable (which revokes tokens) did not commit.
    expect((await h.http.get("/users/me").set(bearer(victim))).status).toBe(200);
  });

  it("start-up's admin bootstrap and the CLI's promotion (ensureAdmin)", async () => {
    const someone = await createUser(h);
    await breakAuditLog();
    const before = await snapshot();
    await expect(ensureAdmin(h.db, { login: `boot${providerId()}`, password: "bootstrap-pass-1" })).rejects.toThrow(
      /audit log refuses/,
    );
    await expect(
      ensureAdmin(
        h.db,
        { login: someone.login, password: "another-pass-2", resetPassword: true },
        { actor: CLI_ACTOR, requestId: null },
      ),
    ).rejects.toThrow(/audit log refuses/);
    expect(await snapshot()).toBe(before);
  });

  // The real `npm run admin` process on this test's database (PostgreSQL: PGlite's is in this process).
  it.runIf(testDatabaseUrl !== undefined)(
    "npm run admin (the CLI process) exits non-zero and creates no admin",
    async () => {
      const login = `cli${providerId()}`;
      await breakAuditLog();
      const before = await snapshot();
      const cli = track(
        spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            fileURLToPath(new URL("../src/cli/admin.ts", import.meta.url)),
            "--login",
            login,
            "--password",
            "cli-password-1",
          ],
          {
            env: { ...process.env, DATABASE_URL: h.db.url, DATABASE_DIRECT_URL: "", LOG_LEVEL: "silent" },
            stdio: ["ignore", "pipe", "pipe"],
          },
        ),
      );
      let output = "";
      cli.stdout!.on("data", (c: Buffer) => (output += c.toString()));
      cli.stderr!.on("data", (c: Buffer) => (output += c.toString()));
      const { code } = await exitOf(cli);
      expect(code, output).not.toBe(0);
      expect(output).toMatch(/audit log refuses/);
      expect(await snapshot()).toBe(before);
      await repair?.();
      expect(await h.db.prisma.user.count({ where: { login } })).toBe(0);
    },
  );

  it("purchases and provider credits keep working: their record is their own ledger row", async () => {
    const user = await createUser(h, { numericId: providerId() });
    await breakAuditLog();
    const { accountId } = await credit(h, user, providerId(), "20.00");
    const product = await createProduct(h, admin, "5.00", "Mug").catch(() => null);
    expect(product).toBeNull(); // a product write is audited: refused while the audit log refuses
    await repair?.();
    const mug = await createProduct(h, admin, "5.00", "Mug");
    await breakAuditLog();
    for (const key of [undefined, "buy-while-audit-broken"]) {
      const req = h.http.post("/products/buy").set(bearer(user));
      const res = await (key ? req.set("Idempotency-Key", key) : req).send({ productId: mug.id, accountId });
      expect(res.status, res.text).toBe(200);
    }
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "10.00", balance: "10.00" });
  });
});

describe("below the HTTP boundary: a value the audit's jsonb refuses rolls the move back", () => {
  // The boundary refuses a lone surrogate with 400 (text rule); here the services are called directly,
  // as a future caller that skipped the rule would, to show the database-level safety net.
  const audited = (): Audited => ({
    actor: { type: "user", id: admin.id, login: admin.login },
    requestId: null,
  });

  it("an adjustment or a refund whose reason holds \\ud800 writes nothing (ledger, balance, audit, key)", async () => {
    const { accountId, purchase } = await purchased();
    const before = await snapshot();
    for (const idempotencyKey of [undefined, randomUUID()]) {
      await expect(
        adjustAccount(
          { ...h.deps, audited: audited() },
          { id: accountId, direction: "credit", amount: "1000000000.00", reason: "x \ud800 y", idempotencyKey },
        ),
      ).rejects.toThrow();
      await expect(
        refundPurchase(
          { ...h.deps, audited: audited() },
          { id: purchase.id, amount: "1.00", reason: "x \ud800 y", idempotencyKey },
        ),
      ).rejects.toThrow();
    }
    expect(await snapshot()).toBe(before);
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "90.00", balance: "90.00" });
  });
});

describe("the Idempotency-Key's primary key decides between concurrent calls", () => {
  it("a key found claimed but not answered is 409 IDEMPOTENCY_KEY_IN_USE, and nothing moves", async () => {
    const { accountId, purchase } = await purchased();
    const key = randomUUID();
    // What another call's claim looks like from outside before its answer is stored.
    const { fingerprint } = await import("../src/services/money-move.ts");
    await h.db.prisma.idempotencyKey.create({
      data: {
        scope: `refund:${admin.id}`,
        key,
        fingerprint: fingerprint("refund", { purchaseId: purchase.id, amount: "1.00", reason: "held" }),
      },
    });
    const res = await h.http
      .post(`/transactions/${purchase.id}/refund`)
      .set(bearer(admin))
      .set("Idempotency-Key", key)
      .send({ amount: "1.00", reason: "held" });
    expect(res.status).toBe(409);
    expect(res.body.appCode).toBe("IDEMPOTENCY_KEY_IN_USE");
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "90.00", balance: "90.00" });
  });

  // PGlite has one connection: two transactions never overlap there.
  it.runIf(testDatabaseUrl !== undefined)(
    "PostgreSQL: a call waits for the transaction holding its key, then replays its answer or runs if it rolled back",
    async () => {
      const user = await createUser(h, { numericId: providerId() });
      const { accountId } = await credit(h, user, providerId(), "50.00");
      const product = await createProduct(h, admin, "7.00", "Cup");
      const { fingerprint } = await import("../src/services/money-move.ts");
      // A real answer of this purchase, to stand for the other call's.
      const model = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
      expect(model.status).toBe(200);
      const holder = new pg.Client({ connectionString: h.db.url });
      await holder.connect();
      try {
        for (const outcome of ["COMMIT", "ROLLBACK"] as const) {
          const key = `held-${outcome}`;
          await holder.query("BEGIN");
          await holder.query(
            `INSERT INTO idempotency_keys (scope, key, fingerprint, status, body) VALUES ($1, $2, $3, 200, $4::jsonb)`,
            [
              `purchase:${user.id}`,
              key,
              fingerprint("purchase", { productId: product.id, accountId }),
              JSON.stringify(model.body),
            ],
          );
          let settled = false;
          const call = h.http
            .post("/products/buy")
            .set(bearer(user))
            .set("Idempotency-Key", key)
            .send({ productId: product.id, accountId })
            .then((res) => {
              settled = true;
              return res;
            });
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(settled).toBe(false); // waiting on the key's primary key
          await holder.query(outcome);
          const res = await call;
          expect(res.status, res.text).toBe(200);
          if (outcome === "COMMIT") {
            // The winner's answer, whatever it was, marked as a replay; nothing bought.
            expect(res.body).toEqual({ ...model.body, replayed: true });
            expect(res.headers["idempotent-replayed"]).toBe("true");
            expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "43.00", balance: "43.00" });
          } else {
            expect(res.body.replayed).toBe(false);
            expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "36.00", balance: "36.00" });
          }
        }
      } finally {
        await holder.end();
      }
    },
  );
});
