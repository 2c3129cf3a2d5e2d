// Database rows → API shapes. Money leaves as two-decimal text, ids as numbers, times as ISO text.
import type { Prisma } from "@shop/db";
import type { TAccount, TTransaction } from "@shop/contracts";

export const accountSelect = { id: true, numericId: true, balance: true } satisfies Prisma.AccountSelect;

export function toAccount(a: Prisma.AccountGetPayload<{ select: typeof accountSelect }>): TAccount {
  return { id: a.id, numericId: Number(a.numericId), balance: a.balance.toFixed(2) };
}

export const transactionSelect = {
  id: true,
  kind: true,
  amount: true,
  balanceAfter: true,
  accountId: true,
  createdAt: true,
  transactionId: true,
  productId: true,
  productTitle: true,
  account: { select: { numericId: true } },
} satisfies Prisma.LedgerEntrySelect;

export function toTransaction(e: Prisma.LedgerEntryGetPayload<{ select: typeof transactionSelect }>): TTransaction {
  return {
    id: e.id,
    kind: e.kind,
    amount: e.amount.toFixed(2),
    balanceAfter: e.balanceAfter.toFixed(2),
    accountId: e.accountId,
    accountNumericId: Number(e.account.numericId),
    createdAt: e.createdAt.toISOString(),
    transactionId: e.transactionId === null ? null : Number(e.transactionId),
    productId: e.productId,
    productTitle: e.productTitle,
  };
}

/** The latest entries of a user's accounts (or of one account), newest first. */
export async function listTransactions(
  prisma: Prisma.TransactionClient,
  where: { userId: string; accountId?: string | undefined },
  page: { limit: number; offset: number },
) {
  const filter = {
    account: { userId: where.userId },
    ...(where.accountId ? { accountId: where.accountId } : {}),
  } satisfies Prisma.LedgerEntryWhereInput;
  const [rows, total] = await Promise.all([
    prisma.ledgerEntry.findMany({
      where: filter,
      select: transactionSelect,
      orderBy: { seq: "desc" },
      take: page.limit,
      skip: page.offset,
    }),
    prisma.ledgerEntry.count({ where: filter }),
  ]);
  return { items: rows.map(toTransaction), total, limit: page.limit, offset: page.offset };
}

/**
 * Prisma's `contains` is a LIKE '%…%' that does not escape its operand (prisma/orm#19506): a search
 * for "%" or "_" would match everything (and logins may contain "_"). Backslash is PostgreSQL's
 * default LIKE escape.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
