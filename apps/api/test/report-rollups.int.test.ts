// The reports' roll-ups: /stats and /reconciliation answer the same before and after the job folds the
// ledger (closed days into ledger_daily, rows before the watermark into the account checks), with rows
// written after a roll-up read live; concurrent runs fold each range once; a balance changed behind the
// ledger's back is found by the auditor's full check (?full=true).
import { testDatabaseUrl } from "@shop/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { pg } from "../bench/pg.ts";
import { rollupsRepository } from "../src/repositories/rollups.repository.ts";
import {
  type TestUser,
  bearer,
  createProduct,
  createUser,
  credit,
  providerId,
  uniqueLogin,
  useHarness,
} from "./harness.ts";

const h = useHarness();
let admin: TestUser;
let alice: TestUser;
let aliceAccount: string;
let product: { id: string };
const DAY = 86_400_000;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** /stats for the days `from` to `to` days ago, without asOf. */
async function stats(from: number, to: number) {
  const res = await h.http
    .get("/stats")
    .query({ from: date(Date.now() - from * DAY), to: date(Date.now() - to * DAY) })
    .set(bearer(admin));
  expect(res.status, res.text).toBe(200);
  const { asOf: _s, ...s } = res.body;
  return s;
}

async function reports() {
  const rec = await h.http.get("/reconciliation").set(bearer(admin));
  expect(rec.status, rec.text).toBe(200);
  const { asOf: _r, ...r } = rec.body;
  return {
    stats: await stats(10, 0),
    // Ranges that start and end inside the history (the running totals' two look-ups), and one of today.
    ranges: [await stats(5, 3), await stats(4, 0), await stats(6, 6), await stats(0, 0)],
    reconciliation: r,
  };
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

/** The newest ledger row moved `daysAgo` days back (before any roll-up: as if written then). */
async function backdateNewest(daysAgo: number) {
  // The ledger refuses UPDATE (a trigger): the test steps around its own rule, as a superuser may.
  await h.db.prisma.$transaction([
    h.db.prisma.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`),
    h.db.prisma.$executeRawUnsafe(
      `UPDATE ledger_entries SET created_at = created_at - make_interval(days => $1::int)
        WHERE seq = (SELECT max(seq) FROM ledger_entries)`,
      daysAgo,
    ),
  ]);
}

let chair: { id: string };
let desk: { id: string };

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  alice = await createUser(h, { numericId: providerId() });
  aliceAccount = (await credit(h, alice, providerId(), "100.00")).accountId;
  product = await createProduct(h, admin, "7.25", "Rolled lamp");
  await buy(alice, aliceAccount);
  await pastCredit(aliceAccount, 3, "40.00", providerId());
  await pastCredit(aliceAccount, 5, "2.50", providerId());
  // Two more products bought on past days, one of them refunded in part two days later.
  chair = await createProduct(h, admin, "3.10", "Rolled chair");
  desk = await createProduct(h, admin, "4.40", "Rolled desk");
  const bought = async (p: { id: string }, daysAgo: number) => {
    const res = await h.http
      .post("/products/buy")
      .set(bearer(alice))
      .send({ productId: p.id, accountId: aliceAccount });
    expect(res.status, res.text).toBeLessThan(300);
    await backdateNewest(daysAgo);
    return (res.body.purchase as { id: string }).id;
  };
  await bought(chair, 6);
  const deskPurchase = await bought(desk, 5);
  await bought(chair, 4);
  await bought(desk, 2);
  const refund = await h.http
    .post(`/transactions/${deskPurchase}/refund`)
    .set(bearer(admin))
    .send({ amount: "1.15", reason: "Arrived scratched" });
  expect(refund.status, refund.text).toBe(201);
  await backdateNewest(3);
});

describe("report roll-ups", () => {
  it("answer the same before and after the job, and after more writes", async () => {
    const before = await reports();
    expect(before.reconciliation.balanced).toBe(true);
    expect(before.stats.totals.credits).toBe("142.50");
    // The top products of a range, by net revenue: days 5 to 3 ago hold the desk (4.40 − 1.15 refunded)
    // and the chair (3.10); the whole ten days the lamp bought today too.
    const top = (s: { topProducts: { title: string; count: number; netRevenue: string }[] }) =>
      s.topProducts.map((p) => [p.title, p.count, p.netRevenue]);
    expect(top(before.ranges[0])).toEqual([
      ["Rolled desk", 1, "3.25"],
      ["Rolled chair", 1, "3.10"],
    ]);
    expect(top(before.stats)).toEqual([
      ["Rolled desk", 2, "7.65"],
      ["Rolled lamp", 1, "7.25"],
      ["Rolled chair", 2, "6.20"],
    ]);
    expect(before.ranges[0].totals).toMatchObject({ sales: "7.50", salesCount: 2, refunds: "1.15" });
    const rolled = await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    expect(rolled.rolledThrough).toBe(date(Date.now() - DAY));
    expect(await reports()).toEqual(before);

    // Written after the roll-up: read live until the next one.
    await buy(alice, aliceAccount);
    await credit(h, alice, providerId(), "5.00");
    const live = await reports();
    // Two lamps (7.25) and four past purchases (3.10 + 4.40 + 3.10 + 4.40), 1.15 refunded.
    expect(live.stats.totals.salesCount).toBe(6);
    expect(live.reconciliation).toMatchObject({
      balanced: true,
      sales: "29.50",
      refunds: "1.15",
      providerCredits: "147.50",
    });
    expect(live.reconciliation.walletsTotal).toBe("119.15");
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    expect(await reports()).toEqual(live);
  });

  it("keep the closed days between calls, but show a product's new title and the newest rows at once", async () => {
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    const before = await stats(5, 3);
    expect(before.topProducts.map((p: { title: string }) => p.title)).toContain("Rolled chair");
    const renamed = await h.http.put(`/products/${chair.id}`).set(bearer(admin)).send({ title: "Rolled armchair" });
    expect(renamed.status, renamed.text).toBe(200);
    const after = await stats(5, 3);
    expect(after.topProducts.map((p: { title: string }) => p.title)).toContain("Rolled armchair");
    // Today's range: a purchase shows in the next answer, before and after the job folds it.
    const today = await stats(0, 0);
    await buy(alice, aliceAccount);
    const bought = await stats(0, 0);
    expect(bought.totals.salesCount).toBe(today.totals.salesCount + 1);
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    expect(await stats(0, 0)).toEqual(bought);
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

  it.skipIf(!testDatabaseUrl)(
    "never skip a row whose transaction was still open when the job ran (PostgreSQL: concurrent sessions)",
    async () => {
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
      // A credit written in a transaction that stays open: its row takes its seq and its time now ...
      const open = new pg.Client({ connectionString: h.db.url! });
      await open.connect();
      try {
        await open.query("BEGIN");
        await open.query(
          `WITH moved AS (UPDATE accounts SET balance = balance + 3.30 WHERE id = $1::uuid RETURNING id, balance)
           INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after,
                                       transaction_id, payload_hash, created_at)
           SELECT 'credit', 'in', 'provider', id, 3.30, balance, $2::int8, 'open', clock_timestamp() FROM moved`,
          [aliceAccount, providerId()],
        );
        await new Promise((r) => setTimeout(r, 50));
        // ... while later rows commit (higher seqs, later times) and the job runs, with no margin.
        const bob = await createUser(h, { numericId: providerId() });
        await credit(h, bob, providerId(), "8.00");
        await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
        await open.query("COMMIT");
      } finally {
        await open.end();
      }
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
      const [state] = await h.db.prisma.$queryRaw<[{ behind: bigint }]>`
        SELECT (SELECT max(seq) FROM ledger_entries) - ledger_seq AS behind FROM report_state`;
      expect(state.behind).toBe(0n);
      // Folded, not skipped: the incremental check agrees with the auditor's full one.
      const incremental = await h.http.get("/reconciliation").set(bearer(admin));
      const full = await h.http.get("/reconciliation").query({ full: "true" }).set(bearer(admin));
      expect(incremental.body).toMatchObject({ balanced: true, mismatches: [] });
      const { asOf: _i, ...a } = incremental.body;
      const { asOf: _f, ...b } = full.body;
      expect(a).toEqual(b);
    },
  );

  it("count the users exactly through concurrent registrations and a released one", async () => {
    const counted = async () => {
      const { totals } = await stats(0, 0);
      const [row] = await h.db.prisma.$queryRaw<[{ n: bigint }]>`SELECT count(*) AS n FROM users`;
      return { stats: totals.users.pending + totals.users.active + totals.users.disabled, table: Number(row.n) };
    };
    const before = await counted();
    expect(before.stats).toBe(before.table);
    const logins = Array.from({ length: 12 }, () => uniqueLogin("count"));
    const registered = await Promise.all(
      logins.map((login) => h.http.post("/users").send({ login, password: "a-long-password-1" })),
    );
    for (const r of registered) expect(r.status, r.text).toBe(201);
    // A registration whose link expired is released when its login registers again (a delete, then an insert).
    await h.db.prisma.user.update({
      where: { id: registered[0]!.body.id },
      data: { activationExpiresAt: new Date(Date.now() - 60_000) },
    });
    const again = await h.http.post("/users").send({ login: logins[0], password: "a-long-password-2" });
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).not.toBe(registered[0]!.body.id);
    const after = await counted();
    expect(after.table).toBe(before.table + 12);
    expect(after.stats).toBe(after.table);
  });

  it("rank the top ten exactly when the live rows reorder the kept ranking, titles included", async () => {
    // 25 products bought, then folded by the job (the kept part of /stats): ranked by price (11.00 to 35.00).
    const wallet = (await credit(h, alice, providerId(), "2000.00")).accountId;
    const ranked: { id: string; purchase: string }[] = [];
    for (let i = 1; i <= 25; i++) {
      const p = await createProduct(h, admin, `${10 + i}.00`, `Ranked ${i}`);
      const res = await h.http.post("/products/buy").set(bearer(alice)).send({ productId: p.id, accountId: wallet });
      expect(res.status, res.text).toBe(200);
      ranked.push({ id: p.id, purchase: res.body.purchase.id });
    }
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    /** The range's top ten straight from the ledger and the products' titles now. */
    const fromLedger = async () =>
      (
        await h.db.prisma.$queryRawUnsafe<{ title: string; n: bigint; net: string }[]>(
          `SELECT pr.title, count(*) FILTER (WHERE e.kind = 'purchase') AS n,
                  sum(CASE WHEN e.kind = 'purchase' THEN e.amount ELSE -e.amount END)::numeric(20,2)::text AS net
             FROM ledger_entries e JOIN products pr ON pr.id = e.product_id
            WHERE e.kind IN ('purchase', 'refund') AND e.created_at >= $1::date
            GROUP BY pr.id, pr.title ORDER BY sum(CASE WHEN e.kind = 'purchase' THEN e.amount ELSE -e.amount END) DESC, pr.id
            LIMIT 10`,
          date(Date.now() - 10 * DAY),
        )
      ).map((r) => [r.title, Number(r.n), r.net]);
    const top = async () =>
      (await stats(10, 0)).topProducts.map((p: { title: string; count: number; netRevenue: string }) => [
        p.title,
        p.count,
        p.netRevenue,
      ]);
    expect(await top()).toEqual(await fromLedger());
    // Live, after the roll-up: the twelve highest refunded in full drop out, so the top ten reaches down
    // to the kept ranking's 21st (Ranked 6: the lamp of the tests above ranks 7th), whose title the
    // live statement did not bring; the cheapest, bought three times more, climbs to the top.
    for (const { purchase } of ranked.slice(13)) {
      const price = (
        await h.db.prisma.$queryRawUnsafe<{ amount: string }[]>(
          `SELECT amount::text FROM ledger_entries WHERE id = $1::uuid`,
          purchase,
        )
      )[0]!.amount;
      const res = await h.http
        .post(`/transactions/${purchase}/refund`)
        .set(bearer(admin))
        .send({ amount: price, reason: "Returned" });
      expect(res.status, res.text).toBe(201);
    }
    for (let i = 0; i < 3; i++) {
      const res = await h.http
        .post("/products/buy")
        .set(bearer(alice))
        .send({ productId: ranked[0]!.id, accountId: wallet });
      expect(res.status, res.text).toBe(200);
    }
    const live = await top();
    expect(live).toEqual(await fromLedger());
    expect(live[0]).toEqual(["Ranked 1", 4, "44.00"]);
    expect(live.map((p: unknown[]) => p[0])).toContain("Ranked 6");
    // The same once the job folded them.
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 20 });
    expect(await top()).toEqual(live);
  });

  it("fold more than a month of history from nothing without writing a day about to close to the open days", async () => {
    await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
    const before = [await stats(10, 0), await stats(5, 3), await stats(0, 0)];
    // The roll-ups as a new installation has them (as the migration that adds them leaves an existing
    // ledger), and a credit 45 days ago: the closed-days step needs two runs of 31 days.
    await h.db.prisma.$executeRawUnsafe(
      `TRUNCATE ledger_daily, ledger_daily_totals, product_running, users_daily, ledger_open_days, account_checks`,
    );
    await h.db.prisma.$executeRawUnsafe(
      `UPDATE report_state SET rolled_through = NULL, ledger_seq = 0, wallets_total = 0, credits = 0, sales = 0,
              refunds = 0, adjustments_in = 0, adjustments_out = 0`,
    );
    await pastCredit(aliceAccount, 45, "9.00", providerId());
    // Every row deleted from ledger_open_days, recorded (a day the job wrote there and closed later).
    await h.db.prisma.$executeRawUnsafe(`CREATE TABLE open_days_deleted (day date)`);
    await h.db.prisma.$executeRawUnsafe(
      `CREATE FUNCTION record_open_day_delete() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN INSERT INTO open_days_deleted VALUES (OLD.day); RETURN OLD; END $$`,
    );
    await h.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER record_open_day_delete AFTER DELETE ON ledger_open_days
       FOR EACH ROW EXECUTE FUNCTION record_open_day_delete()`,
    );
    try {
      const rolled = await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 50 });
      expect(rolled.rolledThrough).toBe(date(Date.now() - DAY));
      const [written] = await h.db.prisma.$queryRawUnsafe<{ deleted: number; open: number }[]>(
        `SELECT (SELECT count(*) FROM open_days_deleted)::int AS deleted,
                (SELECT count(*) FROM ledger_open_days o, report_state s WHERE o.day <= s.rolled_through)::int AS open`,
      );
      expect(written).toEqual({ deleted: 0, open: 0 });
      // The job's own vacuum of the tables it rewrites every second (a statement outside a transaction).
      await rollupsRepository(h.db).tidy();
      if (testDatabaseUrl) {
        const [tidied] = await h.db.prisma.$queryRawUnsafe<{ vacuumed: boolean }[]>(
          `SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL AS vacuumed
             FROM pg_stat_user_tables WHERE relname = 'ledger_open_days'`,
        );
        expect(tidied).toEqual({ vacuumed: true });
      }
    } finally {
      await h.db.prisma.$executeRawUnsafe(`DROP TRIGGER record_open_day_delete ON ledger_open_days`);
      await h.db.prisma.$executeRawUnsafe(`DROP FUNCTION record_open_day_delete`);
      await h.db.prisma.$executeRawUnsafe(`DROP TABLE open_days_deleted`);
    }
    // Folded again from nothing, the same answers (the wallets now hold the credit too); the books agree
    // with the auditor's full check.
    const after = [await stats(10, 0), await stats(5, 3), await stats(0, 0)];
    const cents = (s: { totals: { walletsTotal: string } }) => BigInt(s.totals.walletsTotal.replace(".", ""));
    const withoutWallets = (s: { totals: object }) => ({ ...s, totals: { ...s.totals, walletsTotal: null } });
    expect(after.map(cents)).toEqual(before.map((s) => cents(s) + 900n));
    expect(after.map(withoutWallets)).toEqual(before.map(withoutWallets));
    const incremental = await h.http.get("/reconciliation").set(bearer(admin));
    const full = await h.http.get("/reconciliation").query({ full: "true" }).set(bearer(admin));
    const { asOf: _i, ...a } = incremental.body;
    const { asOf: _f, ...b } = full.body;
    expect(a).toMatchObject({ balanced: true, mismatches: [] });
    expect(a).toEqual(b);
  });

  it("asOf is now on the primary", async () => {
    const t = Date.now();
    const res = await h.http.get("/reconciliation").set(bearer(admin));
    expect(Math.abs(Date.parse(res.body.asOf) - t)).toBeLessThan(60_000);
  });
});
