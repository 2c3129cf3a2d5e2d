// The ledger's rows for people to read: the whole ledger (the operator's listing and its CSV export)
// and one user's history. The JSON of a row is ledger.repository's transactionJson, like every answer.
import type { TLedgerTransaction, TPage, TTransaction, TTransactionFilter } from "@shop/contracts";
import { transactionJson } from "./ledger.repository.ts";
import { type KeysetListing, type KeysetPage, keysetPage, type PageRequest, perDb, when } from "./shared.ts";

/** A user's history (or one account's), newest first: the account's (account_id, seq) index. */
const HISTORY: KeysetListing<"seq"> = {
  name: "accounts.history",
  select: `${transactionJson("a.numeric_id")} AS tx`,
  from: "ledger_entries e JOIN accounts a ON a.id = e.account_id",
  rowId: "e.id",
  sorts: { seq: [{ expr: "e.seq", cast: "int8" }] },
};

const historyConditions = (where: { userId: string; accountId?: string | undefined }) => [
  when("user", where.userId, (p) => `a.user_id = ${p}::uuid`),
  when("account", where.accountId, (p) => `e.account_id = ${p}::uuid`),
];

/**
 * The whole ledger, newest first by time (ties by seq): each filter is an index's leading column
 * followed by (created_at, seq), so a time range and the keyset are one index range whatever the depth.
 */
const LEDGER: KeysetListing<"createdAt"> = {
  name: "ledger",
  select: `${transactionJson("a.numeric_id")} AS tx, u.id::text AS user_id, u.login`,
  from: "ledger_entries e JOIN accounts a ON a.id = e.account_id JOIN users u ON u.id = a.user_id",
  rowId: "e.id",
  countFrom: "ledger_entries e",
  sorts: {
    createdAt: [
      { expr: "e.created_at", cast: "timestamptz" },
      { expr: "e.seq", cast: "int8" },
    ],
  },
};

/** The filter's conditions, only those given. A refund carries its purchase's product, so a product's filter shows both. */
const ledgerConditions = (f: TTransactionFilter) => [
  when("kind", f.kind, (p) => `e.kind = ${p}::text::ledger_kind`, { leading: "e.kind" }),
  when("user", f.userId, (p) => `e.account_id IN (SELECT ua.id FROM accounts ua WHERE ua.user_id = ${p}::uuid)`),
  when("account", f.accountId, (p) => `e.account_id = ${p}::uuid`),
  when("product", f.productId, (p) => `e.product_id = ${p}::uuid`, { leading: "e.product_id" }),
  when("from", f.from, (p) => `e.created_at >= ${p}::timestamptz`),
  when("to", f.to, (p) => `e.created_at <= ${p}::timestamptz`),
  when("id", f.id, (p) => `e.id = ${p}::uuid`),
  when(
    "transaction",
    f.transactionId === undefined ? null : String(f.transactionId),
    (p) => `e.transaction_id = ${p}::int8`,
  ),
];

type LedgerRow = { tx: TTransaction; user_id: string; login: string };

const withUser = (row: LedgerRow): TLedgerTransaction => ({
  ...row.tx,
  userId: row.user_id,
  userLogin: row.login,
});

export const transactionsRepository = perDb(({ sql }) => ({
  /** A page of a user's history (or of one of their accounts), newest first. */
  async history(
    where: { userId: string; accountId?: string | undefined },
    page: PageRequest,
  ): Promise<TPage<TTransaction>> {
    const { rows, ...rest } = await keysetPage<{ tx: TTransaction }, "seq">(
      sql,
      HISTORY,
      historyConditions(where),
      "seq",
      "desc",
      page,
    );
    return { items: rows.map((r) => r.tx), ...rest };
  },

  /** A page of the whole ledger, newest first, with each row's user. */
  async list(filter: TTransactionFilter, page: PageRequest) {
    const { rows, ...rest } = await keysetPage<LedgerRow, "createdAt">(
      sql,
      LEDGER,
      ledgerConditions(filter),
      "createdAt",
      "desc",
      page,
    );
    return { items: rows.map(withUser), ...rest };
  },

  /** Every row of the filter, newest first, in chunks (keyset: each chunk is one index range). */
  async *stream(filter: TTransactionFilter, chunkSize = 1000): AsyncGenerator<TLedgerTransaction[]> {
    let cursor: string | undefined;
    for (;;) {
      const page: KeysetPage<LedgerRow> = await keysetPage<LedgerRow, "createdAt">(
        sql,
        LEDGER,
        ledgerConditions(filter),
        "createdAt",
        "desc",
        { limit: chunkSize, offset: 0, cursor },
        { total: false },
      );
      if (page.rows.length > 0) yield page.rows.map(withUser);
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  },
}));
