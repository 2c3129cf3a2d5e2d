// The project's purchase statement (ledger.repository: purchaseStatement) raced on one account: the
// conditional debit lets exactly as many purchases through as the balance covers, never overdraws,
// and each ledger row records the balance its own debit left. It races the real statement, so a change
// that splits the check from the write (a read, then an update) fails here.
//
// On PostgreSQL every purchase runs on its own pooled connection, and all of them are made to queue on
// the account's row lock before any can debit: a session holds the row (SELECT … FOR UPDATE) until the
// database shows every purchase waiting on a lock. PGlite has one connection and runs the statements
// one after another: the outcome must be the same.
import { testDbOptions } from "@shop/db/testing";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { ledger } from "../../src/repositories/ledger.repository.ts";
import {
  type TestUser,
  createProduct,
  createUser,
  credit,
  ledgerAndBalance,
  providerId,
  useHarness,
} from "../harness.ts";

const ATTEMPTS = 20;

/**
 * Polls until `n` sessions of this database wait on a lock; throws after ~30 s. Ask from a session
 * outside the lock holder's transaction: pg_stat_activity is a snapshot taken once per transaction.
 */
async function waitForLockWaiters(client: pg.Client, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.waiting >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${n} purchases queued on the account's row lock within 30 s`);
}

describe("ledger.purchase raced on one account", () => {
  // One pooled connection per purchase, and one to spare.
  const h = useHarness({ poolSize: ATTEMPTS + 1 });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
  });

  it(`lets exactly floor(100.00 / 30.00) = 3 of ${ATTEMPTS} purchases through and never overdraws`, async () => {
    const user = await createUser(h);
    const { accountId } = await credit(h, user, providerId(), "100.00");
    const product = await createProduct(h, admin, "30.00", "Widget");
    const purchase = () => ledger.purchase(h.db.sql, { productId: product.id, accountId, userId: user.id });

    let results: Awaited<ReturnType<typeof purchase>>[];
    if (h.db.url) {
      // The lock holder and the watcher talk to PostgreSQL itself: behind a pooler (PgBouncer) they would
      // take two of the pool's server connections, leaving too few for all the purchases to queue.
      const direct = testDbOptions(h.db.url).directUrl ?? h.db.url;
      const holder = new pg.Client({ connectionString: direct });
      const watcher = new pg.Client({ connectionString: direct });
      await Promise.all([holder.connect(), watcher.connect()]);
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT 1 FROM accounts WHERE id = $1::uuid FOR UPDATE", [accountId]);
        const racing = Promise.all(Array.from({ length: ATTEMPTS }, purchase));
        await waitForLockWaiters(watcher, ATTEMPTS);
        await holder.query("COMMIT");
        results = await racing;
      } finally {
        await Promise.all([holder.end(), watcher.end()]);
      }
    } else {
      results = await Promise.all(Array.from({ length: ATTEMPTS }, purchase));
    }

    const through = results.filter((r) => r !== null);
    expect(through).toHaveLength(3);
    expect(through.map((t) => t.balanceAfter).sort()).toEqual(["10.00", "40.00", "70.00"]);
    for (const t of through) expect(t).toMatchObject({ kind: "purchase", amount: "30.00", accountId });
    expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "10.00", balance: "10.00" });
    const entries = await h.db.prisma.ledgerEntry.findMany({
      where: { accountId, kind: "purchase" },
      orderBy: { seq: "asc" },
    });
    // In the order the debits happened, each row records the balance its own debit left.
    expect(entries.map((e) => e.balanceAfter.toFixed(2))).toEqual(["70.00", "40.00", "10.00"]);
    expect(entries.map((e) => e.id).sort()).toEqual(through.map((t) => t.id).sort());
  });
});
