// Many purchases racing on one account: the conditional UPDATE lets exactly as many through as the
// balance covers, and the ledger agrees with the balance afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../src/index.ts";
import { createTestDb, type TestDb } from "../src/testing.ts";

const ATTEMPTS = 20;

/** Resolves once `n` callers are waiting: every transaction is open before any of them debits. */
function barrier(n: number): () => Promise<void> {
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  let waiting = 0;
  return () => {
    if (++waiting === n) release();
    return all;
  };
}

describe("concurrent debits on one account", () => {
  let db: TestDb;
  beforeAll(async () => {
    // PostgreSQL: one connection per attempt, so the transactions really run side by side.
    db = await createTestDb({ poolSize: ATTEMPTS });
  });
  afterAll(async () => {
    await db?.close();
  });

  it(`lets exactly floor(100.00 / 30.00) = 3 of ${ATTEMPTS} purchases through and never overdraws`, async () => {
    const { prisma } = db;
    const user = await prisma.user.create({ data: { login: "buyer", passwordHash: "x" } });
    const account = await prisma.account.create({ data: { numericId: 7n, userId: user.id } });
    const product = await prisma.product.create({ data: { title: "Widget", price: "30.00" } });
    await prisma.$transaction([
      prisma.account.update({ where: { id: account.id }, data: { balance: { increment: "100.00" } } }),
      prisma.ledgerEntry.create({
        data: {
          kind: "credit",
          direction: "in",
          counterparty: "provider",
          accountId: account.id,
          amount: "100.00",
          balanceAfter: "100.00",
          transactionId: 1n,
          payloadHash: "p",
        },
      }),
    ]);

    // PGlite has one connection and runs transactions one after another: nothing to wait for there.
    const allOpen = db.engine === "postgres" ? barrier(ATTEMPTS) : async () => {};

    const purchase = () =>
      prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`; // the transaction holds its connection from here on
          await allOpen();
          const debited = await tx.$queryRaw<{ balance: Prisma.Decimal }[]>`
            UPDATE accounts SET balance = balance - ${product.price}
            WHERE id = ${account.id}::uuid AND balance >= ${product.price}
            RETURNING balance`;
          const row = debited[0];
          if (!row) return false;
          await tx.ledgerEntry.create({
            data: {
              kind: "purchase",
              direction: "out",
              counterparty: "shop",
              accountId: account.id,
              amount: product.price,
              balanceAfter: row.balance,
              productId: product.id,
              productTitle: product.title,
              productPrice: product.price,
            },
          });
          return true;
        },
        { maxWait: 30_000, timeout: 30_000 },
      );

    const results = await Promise.all(Array.from({ length: ATTEMPTS }, purchase));

    expect(results.filter(Boolean)).toHaveLength(3);
    const after = await prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(after.balance.toFixed(2)).toBe("10.00");

    const [ledger] = await prisma.$queryRaw<{ net: Prisma.Decimal; purchases: bigint }[]>`
      SELECT COALESCE(SUM(CASE kind WHEN 'credit' THEN amount ELSE -amount END), 0) AS net,
             COUNT(*) FILTER (WHERE kind = 'purchase') AS purchases
      FROM ledger_entries WHERE account_id = ${account.id}::uuid`;
    expect(ledger?.net.toFixed(2)).toBe("10.00");
    expect(ledger?.purchases).toBe(3n);
    // Each purchase recorded the balance it left behind: 70, 40, 10.
    const purchases = await prisma.ledgerEntry.findMany({
      where: { accountId: account.id, kind: "purchase" },
      orderBy: { balanceAfter: "desc" },
    });
    expect(purchases.map((p) => p.balanceAfter.toFixed(2))).toEqual(["70.00", "40.00", "10.00"]);
  });
});
