// The operator's side of the ledger: refunds, adjustments and the whole ledger's listing (JSON and CSV).
//
// A refund and an adjustment are each ONE statement, like a purchase: the check and the write are the
// same row update, and the ledger row is inserted by the same statement.
// - A refund raises its purchase's `refunded_amount` with a conditional UPDATE of the purchase's ledger
//   row (`refunded_amount + amount <= amount of the purchase`). Concurrent refunds of one purchase queue
//   on that row's lock and each re-checks the condition on the newest row version (READ COMMITTED
//   re-evaluates the WHERE), so their sum never exceeds the price; CHECK (refunded_amount <= amount)
//   backs it up. The same statement credits the purchase's account and writes the refund's row.
// - An adjustment credits or debits the account; a debit only `WHERE balance >= amount`, so it never
//   overdraws (and CHECK (balance >= 0) backs it up).
// System accounts (provider, shop, adjustments) have no row to lock: their totals are ledger sums.
import type { TAccount, TLedgerTransaction, TTransaction, TTransactionFilter } from "@shop/contracts";
import { statement } from "@shop/db";
import { accountJson, transactionJson } from "./accounts.repository.ts";
import { pageStatements, perDb, queryPage } from "./shared.ts";

/**
 * The refund: $1 the purchase's id, $2 the amount (text), $3 the reason, $4 Idempotency-Key or NULL.
 * No row back = nothing written: no such purchase, not a purchase, or more than what is left.
 */
const refundStatement = statement<{ tx: TTransaction; account: TAccount }>(
  "ledger.refund",
  `WITH purchase AS (
     UPDATE ledger_entries p
        SET refunded_amount = p.refunded_amount + $2::numeric
      WHERE p.id = $1::uuid AND p.kind = 'purchase' AND p.refunded_amount + $2::numeric <= p.amount
     RETURNING p.id, p.account_id, p.product_id, p.product_title, p.product_price
   ), credited AS (
     UPDATE accounts a
        SET balance = a.balance + $2::numeric, updated_at = now()
       FROM purchase
      WHERE a.id = purchase.account_id
     RETURNING a.id, a.numeric_id, a.balance, purchase.id AS purchase_id, purchase.product_id,
               purchase.product_title, purchase.product_price
   ), entry AS (
     INSERT INTO ledger_entries
       (kind, direction, counterparty, account_id, amount, balance_after, product_id, product_title, product_price,
        refund_of, reason, idempotency_key, created_at)
     SELECT 'refund', 'in', 'shop', c.id, $2::numeric, c.balance, c.product_id, c.product_title, c.product_price,
            c.purchase_id, $3::text, $4::text, clock_timestamp()
       FROM credited c
     RETURNING *
   )
   SELECT ${transactionJson("c.numeric_id")} AS tx,
          json_build_object('id', c.id, 'numericId', c.numeric_id, 'balance', e.balance_after::text) AS account
     FROM entry e JOIN credited c ON c.id = e.account_id`,
);

/** A ledger row by id, with what a refused refund is judged on. */
const entryStatement = statement<{ tx: TTransaction; amount: string; refunded: string; account_id: string }>(
  "ledger.entry",
  `SELECT ${transactionJson("a.numeric_id")} AS tx, e.amount::text, e.refunded_amount::text AS refunded,
          e.account_id::text
     FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE e.id = $1::uuid`,
);

/**
 * The adjustment: $1 account id, $2 'in' | 'out', $3 amount, $4 reason, $5 Idempotency-Key or NULL.
 * No row back = nothing written: no such account, or a debit above the balance.
 */
const adjustStatement = statement<{ tx: TTransaction; account: TAccount }>(
  "ledger.adjust",
  `WITH changed AS (
     UPDATE accounts a
        SET balance = CASE WHEN $2::text = 'in' THEN a.balance + $3::numeric ELSE a.balance - $3::numeric END,
            updated_at = now()
      WHERE a.id = $1::uuid AND ($2::text = 'in' OR a.balance >= $3::numeric)
     RETURNING a.id, a.numeric_id, a.balance
   ), entry AS (
     INSERT INTO ledger_entries
       (kind, direction, counterparty, account_id, amount, balance_after, reason, idempotency_key, created_at)
     SELECT 'adjustment', $2::text::ledger_direction, 'adjustments', c.id, $3::numeric, c.balance, $4::text,
            $5::text, clock_timestamp()
       FROM changed c
     RETURNING *
   )
   SELECT ${transactionJson("c.numeric_id")} AS tx, ${accountJson("c")} AS account
     FROM entry e JOIN changed c ON c.id = e.account_id`,
);

const accountStatement = statement<{ account: TAccount }>(
  "ledger.account",
  `SELECT ${accountJson("a")} AS account FROM accounts a WHERE a.id = $1::uuid`,
);

/** The entry written under an Idempotency-Key on an account, if any: $1 account, $2 key. */
const byKeyStatement = statement<{ tx: TTransaction }>(
  "ledger.by-key",
  `SELECT ${transactionJson("a.numeric_id")} AS tx
     FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE e.account_id = $1::uuid AND e.idempotency_key = $2::text`,
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

export const ledgerRepository = perDb(({ sql }) => ({
  /** The conditional refund; null when it matched nothing (see refundStatement). */
  async refund(p: { purchaseId: string; amount: string; reason: string; idempotencyKey: string | null }) {
    const [row] = await sql.query(refundStatement, [p.purchaseId, p.amount, p.reason, p.idempotencyKey]);
    return row ? { transaction: row.tx, account: row.account } : null;
  },

  /** A ledger row with its amount and (purchases) what was refunded of it, or null. */
  async entry(id: string) {
    const [row] = await sql.query(entryStatement, [id]);
    return row ? { transaction: row.tx, amount: row.amount, refunded: row.refunded, accountId: row.account_id } : null;
  },

  /** The conditional adjustment; null when it matched nothing (see adjustStatement). */
  async adjust(p: {
    accountId: string;
    direction: "in" | "out";
    amount: string;
    reason: string;
    idempotencyKey: string | null;
  }) {
    const [row] = await sql.query(adjustStatement, [p.accountId, p.direction, p.amount, p.reason, p.idempotencyKey]);
    return row ? { transaction: row.tx, account: row.account } : null;
  },

  async account(id: string): Promise<TAccount | null> {
    const [row] = await sql.query(accountStatement, [id]);
    return row?.account ?? null;
  },

  /** What was written on this account under this Idempotency-Key, if anything. */
  async byIdempotencyKey(accountId: string, key: string): Promise<TTransaction | null> {
    const [row] = await sql.query(byKeyStatement, [accountId, key]);
    return row?.tx ?? null;
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
