// The reports' roll-ups: /stats and /reconciliation answer the same before and after the job folds the
// ledger (closed days into ledger_daily, rows before the watermark into the account checks), with rows
// written after a roll-up read live; concurrent runs fold each range once; a balance changed behind the
// ledger's back is found by the auditor's full check (?full=true).
import { beforeAll, describe, expect, it } from "vitest";
import { rollupsRepository } from "../src/repositories/rollups.repository.ts";
import { type TestUser, bearer, createProduct, createUser, credit, providerId, useHarness } from "./harness.ts";

const h = useHarness();
let admin: TestUser;
let alice: TestUser;
let aliceAccount: string;
let product: { id: string };
const DAY = 86_400_000;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function reports() {
  const from = date(Date.now() - 10 * DAY);
  const to = date(Date.now());
  const stats = await h.http.get("/stats").query({ from, to }).set(bearer(admin));
  const rec = await h.http.get("/reconciliation").set(bearer(admin));
  expect(stats.status, stats.text).toBe(200);
  expect(rec.status, rec.text).toBe(200);
  const { asOf: _s, ...s } = stats.body;
  const { asOf: _r, ...r } = rec.body;
  return { stats: s, reconciliation: r };
}

/** Ledger rows on past days, written as the money statements would (the balance moves with them). */
async function pastCredit(accountId: string, daysAgo: number, amount: string, tx: number) {
  await h.db.prisma.$executeRawUnsafe(
    `INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, transaction_id,
                                 payload_hash, created_at)
     SELECT 'credit', 'in', 'provider', a.id, $2::numeric, a.balance + $2::numeric, $3::int8, 'past',
            now() - make_interval(days => $4::int)
       FROM accounts a WHERE a.id = $1::uuid`,
    accountId,
    amount,
    tx,
    daysAgo,
  );
  await h.db.prisma.$executeRawUnsafe(
    `UPDATE accounts SET balance = balance + $2::numeric WHERE id = $1::uuid`,
    accountId,
    amount,
  );
}

/** Stored balance = ledger sum + 1.00 (in cents: money stays exact). */
const offByOne = (m: { storedBalance: string; ledgerBalance: string }) =>
  BigInt(m.storedBalance.replace(".", "")) - BigInt(m.ledgerBalance.replace(".", "")) === 100n;

const buy = async (u: TestUser, accountId: string) => {
  const res = await h.http.post("/products/buy").set(bearer(u)).send({ productId: product.id, accountId });
  expect(res.status, res.text).toBeLessThan(300);
};

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  alice = await createUser(h, { numericId: providerId() });
  aliceAccount = (await credit(h, alice, providerId(), "100.00")).accountId;
  product = await createProduct(h, admin, "7.25", "Rolled lamp");
  await buy(alice, aliceAccount);
  await pastCredit(aliceAccount, 3, "40.00", providerId());
  await pastCredit(aliceAccount, 5, "2.50", providerId());
});

describe("report roll-ups", () => {
  it("answer the same before and after the job, and after more writes", async () => {
    const before = await reports();
    expect(before.reconciliation.balanced).toBe(true);
    expect(before.stats.totals.credits).toBe("142.50");
    const rolled = await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    expect(rolled.rolledThrough).toBe(date(Date.now() - DAY));
    expect(await reports()).toEqual(before);

    // Written after the roll-up: read live until the next one.
    await buy(alice, aliceAccount);
    await credit(h, alice, providerId(), "5.00");
    const live = await reports();
    expect(live.stats.totals.salesCount).toBe(2);
    expect(live.reconciliation).toMatchObject({ balanced: true, sales: "14.50", providerCredits: "147.50" });
    expect(live.reconciliation.walletsTotal).toBe("133.00");
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    expect(await reports()).toEqual(live);
  });

  it("concurrent runs fold each range once", async () => {
    await credit(h, alice, providerId(), "1.00");
    const before = await reports();
    await Promise.all([1, 2, 3].map(() => rollupsRepository(h.db).run({ marginSeconds: 0, steps: 5, chunk: 1 })));
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
    expect(await reports()).toEqual(before);
  });

  it("the full check finds a balance changed behind the ledger's back", async () => {
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
    await h.db.prisma.$executeRaw`UPDATE accounts SET balance = balance + 1 WHERE id = ${aliceAccount}::uuid`;
    try {
      const full = await h.http.get("/reconciliation").query({ full: "true" }).set(bearer(admin));
      expect(full.status, full.text).toBe(200);
      expect(full.body.balanced).toBe(false);
      expect(full.body.mismatches).toEqual([expect.objectContaining({ accountId: aliceAccount })]);
      expect(offByOne(full.body.mismatches[0])).toBe(true);
      // The incremental check looks at the accounts the ledger touched since its watermark: a write that
      // bypasses the ledger is the auditor's (full) check's to find — and it is found as soon as the
      // account moves again.
      await buy(alice, aliceAccount);
      const incremental = await h.http.get("/reconciliation").set(bearer(admin));
      expect(incremental.body.mismatches).toEqual([expect.objectContaining({ accountId: aliceAccount })]);
      expect(offByOne(incremental.body.mismatches[0])).toBe(true);
    } finally {
      await h.db.prisma.$executeRaw`UPDATE accounts SET balance = balance - 1 WHERE id = ${aliceAccount}::uuid`;
    }
    const full = await h.http.get("/reconciliation").query({ full: "true" }).set(bearer(admin));
    expect(full.body).toMatchObject({ balanced: true, mismatches: [] });
  });

  it("asOf is now on the primary", async () => {
    const t = Date.now();
    const res = await h.http.get("/reconciliation").set(bearer(admin));
    expect(Math.abs(Date.parse(res.body.asOf) - t)).toBeLessThan(60_000);
  });
});
