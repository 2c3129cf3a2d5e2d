// The money rules hold in the database itself, whatever code writes to it: CHECKs, the unique
// transaction id, the case-insensitive login index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../src/testing.ts";

/**
 * What a rejected write looks like. Both adapters hand PostgreSQL's SQLSTATE and message through
 * `meta.driverAdapterError.cause`; Prisma's own code (P2002, P2010, P2039) depends on the API used.
 */
function violation(sqlstate: "23505" | "23514", constraint: string) {
  return {
    meta: {
      driverAdapterError: {
        cause: { originalCode: sqlstate, originalMessage: expect.stringContaining(`"${constraint}"`) },
      },
    },
  };
}
const CHECK = "23514";
const UNIQUE = "23505";

describe("database constraints", () => {
  let db: TestDb;
  let accountId: string;
  beforeAll(async () => {
    db = await createTestDb();
    const user = await db.prisma.user.create({ data: { login: "owner", passwordHash: "x" } });
    const account = await db.prisma.account.create({ data: { numericId: 1n, userId: user.id, balance: "5.00" } });
    accountId = account.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  const balance = async () =>
    (await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).balance.toFixed(2);

  it("refuses to take an account's balance below zero and leaves it unchanged", async () => {
    await expect(
      db.prisma.$executeRaw`UPDATE accounts SET balance = balance - 5.01 WHERE id = ${accountId}::uuid`,
    ).rejects.toMatchObject(violation(CHECK, "accounts_balance_non_negative"));
    await expect(
      db.prisma.account.update({ where: { id: accountId }, data: { balance: { decrement: 10 } } }),
    ).rejects.toMatchObject(violation(CHECK, "accounts_balance_non_negative"));
    expect(await balance()).toBe("5.00");

    // Down to exactly zero is allowed.
    await db.prisma.$executeRaw`UPDATE accounts SET balance = balance - 5 WHERE id = ${accountId}::uuid`;
    expect(await balance()).toBe("0.00");
  });

  it.each(["0", "-1.00"])("refuses a product priced %s", async (price) => {
    await expect(db.prisma.product.create({ data: { title: `costs ${price}`, price } })).rejects.toMatchObject(
      violation(CHECK, "products_price_positive"),
    );
    expect(await db.prisma.product.count({ where: { title: `costs ${price}` } })).toBe(0);
  });

  it.each(["0", "-3.00"])("refuses a ledger entry of amount %s", async (amount) => {
    await expect(
      db.prisma.ledgerEntry.create({
        data: {
          kind: "credit",
          direction: "in",
          counterparty: "provider",
          accountId,
          amount,
          balanceAfter: "1.00",
          transactionId: 900n,
          payloadHash: "h",
        },
      }),
    ).rejects.toMatchObject(violation(CHECK, "ledger_entries_amount_positive"));
    expect(await db.prisma.ledgerEntry.count({ where: { transactionId: 900n } })).toBe(0);
  });

  it("refuses a second ledger entry with the same provider transaction_id", async () => {
    const credit = {
      kind: "credit",
      direction: "in",
      counterparty: "provider",
      accountId,
      amount: "1.00",
      balanceAfter: "1.00",
      transactionId: 42n,
    } as const;
    const first = await db.prisma.ledgerEntry.create({ data: { ...credit, payloadHash: "first" } });
    await expect(db.prisma.ledgerEntry.create({ data: { ...credit, payloadHash: "second" } })).rejects.toMatchObject({
      code: "P2002",
      ...violation(UNIQUE, "ledger_entries_transaction_id_key"),
    });
    // Raw SQL cannot get around it either.
    await expect(
      db.prisma
        .$executeRaw`INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, transaction_id, payload_hash)
        VALUES ('credit', 'in', 'provider', ${accountId}::uuid, 1.00, 1.00, 42, 'raw')`,
    ).rejects.toMatchObject(violation(UNIQUE, "ledger_entries_transaction_id_key"));

    const rows = await db.prisma.ledgerEntry.findMany({ where: { transactionId: 42n } });
    expect(rows.map((r) => [r.id, r.payloadHash])).toEqual([[first.id, "first"]]);
  });

  it("refuses a login that differs from an existing one only in case", async () => {
    await db.prisma.user.create({ data: { login: "Alice", passwordHash: "x" } });
    await expect(db.prisma.user.create({ data: { login: "alice", passwordHash: "y" } })).rejects.toMatchObject({
      code: "P2002",
      ...violation(UNIQUE, "users_login_lower_key"),
    });
    await expect(
      db.prisma.$executeRaw`INSERT INTO users (login, password_hash) VALUES ('ALICE', 'z')`,
    ).rejects.toMatchObject(violation(UNIQUE, "users_login_lower_key"));

    const alices = await db.prisma.user.findMany({ where: { login: { equals: "alice", mode: "insensitive" } } });
    expect(alices.map((u) => u.login)).toEqual(["Alice"]);
  });
});
