// The ledger's rows for people to read: the whole ledger (the operator's listing and its CSV export)
// and one user's history. The JSON of a row is ledger.repository's transactionJson, like every answer.
import type { TLedgerTransaction, TPage, TTransaction, TTransactionFilter } from "@shop/contracts";
import { statement } from "@shop/db";
import { transactionJson } from "./ledger.repository.ts";
import { pageStatements, perDb, queryPage } from "./shared.ts";

/** Which ledger rows a history shows: $1 the owner's user id, $2 one of their accounts or NULL for all. */
const HISTORY = `a.user_id = $1::uuid AND ($2::uuid IS NULL OR e.account_id = $2::uuid)`;

/** A page of a user's history, newest first: HISTORY's $1 and $2, then $3 limit, $4 offset (shared.ts). */
const historyStatements = pageStatements<{ tx: TTransaction }>(
  "accounts.history",
  {
    select: `${transactionJson("a.numeric_id")} AS tx`,
    from: "ledger_entries e JOIN accounts a ON a.id = e.account_id",
    where: HISTORY,
  },
  "e.seq DESC",
);

/**
 * Which rows the whole ledger's listing shows: $1 kind, $2 user, $3 account, $4 product, $5 from, $6 to,
 * $7 the entry's id, $8 the provider's transaction_id (each NULL for any). A refund carries its
 * purchase's product, so a product's filter shows both.
 */
const FILTER = `($1::text IS NULL OR e.kind = $1::text::ledger_kind)
            AND ($2::uuid IS NULL OR a.user_id = $2::uuid)
            AND ($3::uuid IS NULL OR e.account_id = $3::uuid)
            AND ($4::uuid IS NULL OR e.product_id = $4::uuid)
            AND ($5::timestamptz IS NULL OR e.created_at >= $5::timestamptz)
            AND ($6::timestamptz IS NULL OR e.created_at <= $6::timestamptz)
            AND ($7::uuid IS NULL OR e.id = $7::uuid)
            AND ($8::int8 IS NULL OR e.transaction_id = $8::int8)`;

const FROM = `ledger_entries e JOIN accounts a ON a.id = e.account_id JOIN users u ON u.id = a.user_id`;

/** The whole ledger, newest first: FILTER's $1–$8, then $9 limit, $10 offset (shared.ts). */
const listStatements = pageStatements<{ tx: TTransaction; user_id: string; login: string }>(
  "ledger",
  { select: `${transactionJson("a.numeric_id")} AS tx, u.id::text AS user_id, u.login`, from: FROM, where: FILTER },
  "e.seq DESC",
);

/** A chunk for the CSV export: the filter, then $9 the last seq sent (NULL first), $10 the chunk's size. */
const chunkStatement = statement<{ tx: TTransaction; user_id: string; login: string; seq: string }>(
  "ledger.chunk",
  `SELECT ${transactionJson("a.numeric_id")} AS tx, u.id::text AS user_id, u.login, e.seq::text
     FROM ${FROM}
    WHERE ${FILTER} AND ($9::int8 IS NULL OR e.seq < $9::int8)
    ORDER BY e.seq DESC
    LIMIT $10::int4`,
);

const filterValues = (f: TTransactionFilter) => [
  f.kind ?? null,
  f.userId ?? null,
  f.accountId ?? null,
  f.productId ?? null,
  f.from ?? null,
  f.to ?? null,
  f.id ?? null,
  f.transactionId === undefined ? null : String(f.transactionId),
];

const withUser = (row: { tx: TTransaction; user_id: string; login: string }): TLedgerTransaction => ({
  ...row.tx,
  userId: row.user_id,
  userLogin: row.login,
});

export const transactionsRepository = perDb(({ sql }) => ({
  /** A page of a user's history (or of one of their accounts), newest first. */
  async history(
    where: { userId: string; accountId?: string | undefined },
    page: { limit: number; offset: number },
  ): Promise<TPage<TTransaction>> {
    const { rows, ...rest } = await queryPage(sql, historyStatements, [where.userId, where.accountId ?? null], page);
    return { items: rows.map((r) => r.tx), ...rest };
  },
  /** A page of the whole ledger, newest first, with each row's user. */
  async list(filter: TTransactionFilter, page: { limit: number; offset: number }) {
    const { rows, ...rest } = await queryPage(sql, listStatements, filterValues(filter), page);
    return { items: rows.map(withUser), ...rest };
  },

  /** Every row of the filter, newest first, in chunks (keyset on seq: each chunk is an index range). */
  async *stream(filter: TTransactionFilter, chunkSize = 1000): AsyncGenerator<TLedgerTransaction[]> {
    let after: string | null = null;
    for (;;) {
      const rows: { tx: TTransaction; user_id: string; login: string; seq: string }[] = await sql.query(
        chunkStatement,
        [...filterValues(filter), after, chunkSize],
      );
      if (rows.length === 0) return;
      yield rows.map(withUser);
      if (rows.length < chunkSize) return;
      after = rows.at(-1)!.seq;
    }
  },
}));
