// Database rows → API shapes. Money leaves as two-decimal text, ids as numbers, times as ISO text.
import type { TAccount, TTransaction } from "@shop/contracts";
import { type Prisma, type SqlClient, type SqlValue, type Statement, statement } from "@shop/db";

export const accountSelect = { id: true, numericId: true, balance: true } satisfies Prisma.AccountSelect;

export function toAccount(a: Prisma.AccountGetPayload<{ select: typeof accountSelect }>): TAccount {
  return { id: a.id, numericId: Number(a.numericId), balance: a.balance.toFixed(2) };
}

/** A time as the API writes it (Date.prototype.toISOString's format), computed in SQL. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A ledger row `e` as the API's transaction (TTransaction), built by PostgreSQL as JSON; `accountNumeric`
 * is the SQL expression of its account's numeric id. Every statement that returns transactions uses it,
 * so /users/me, the history pages, admin views and purchase replays cannot drift apart.
 */
export const transactionJson = (accountNumeric: string) =>
  `json_build_object(
     'id', e.id, 'kind', e.kind, 'amount', e.amount::text, 'balanceAfter', e.balance_after::text,
     'accountId', e.account_id, 'accountNumericId', ${accountNumeric}, 'createdAt', ${iso("e.created_at")},
     'transactionId', e.transaction_id, 'productId', e.product_id, 'productTitle', e.product_title)`;

/** Which ledger rows a history shows: $1 the owner's user id, $2 one of their accounts or NULL for all. */
const HISTORY = `a.user_id = $1::uuid AND ($2::uuid IS NULL OR e.account_id = $2::uuid)`;

/** A page of a user's history, newest first ($3 limit, $4 offset), with the total counted once. */
const historyStatement = statement<{ tx: TTransaction; total: number }>(
  "ledger.history",
  `SELECT ${transactionJson("a.numeric_id")} AS tx,
          (SELECT count(*) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE ${HISTORY})::int4 AS total
     FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE ${HISTORY}
    ORDER BY e.seq DESC
    LIMIT $3::int4 OFFSET $4::int4`,
);

/** The total alone, for a page past the end (no row to carry it). */
const historyCountStatement = statement<{ total: number }>(
  "ledger.history-count",
  `SELECT count(*)::int4 AS total FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE ${HISTORY}`,
);

/**
 * One page of a listing: `page` takes the filter's values, then $n+1 limit and $n+2 offset, and every
 * row carries the filter's `total`; a page past the end has no row to carry it, so `count` is asked.
 */
export async function queryPage<Row extends { total: number }>(
  sql: SqlClient,
  statements: { page: Statement<Row>; count: Statement<{ total: number }> },
  filter: readonly SqlValue[],
  { limit, offset }: { limit: number; offset: number },
) {
  const rows = await sql.query(statements.page, [...filter, limit, offset]);
  const total = rows[0]?.total ?? (offset > 0 ? (await sql.query(statements.count, filter))[0]!.total : 0);
  return { rows, total, limit, offset };
}

/** The latest entries of a user's accounts (or of one of them), newest first. */
export async function listTransactions(
  sql: SqlClient,
  where: { userId: string; accountId?: string | undefined },
  page: { limit: number; offset: number },
) {
  const { rows, ...rest } = await queryPage(
    sql,
    { page: historyStatement, count: historyCountStatement },
    [where.userId, where.accountId ?? null],
    page,
  );
  return { items: rows.map((r) => r.tx), ...rest };
}

/**
 * Prisma's `contains` is a LIKE '%…%' that does not escape its operand (prisma/orm#19506): a search
 * for "%" or "_" would match everything (and logins may contain "_"). Backslash is PostgreSQL's
 * default LIKE escape.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
