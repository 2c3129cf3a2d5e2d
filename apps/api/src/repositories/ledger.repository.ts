// The ledger: every statement that reads or moves money, and the one SQL fragment per shape
// (accountJson, transactionJson) that turns rows into the API's JSON, so /users/me, the history pages,
// the admin's views and replays cannot drift apart. (The listings of ledger rows for people to read —
// the whole ledger, its CSV, a user's history — are in transactions.repository.ts.)
//
// Every move is ONE statement: the check and the write are the same row update, with its ledger row
// inserted by the same statement, so no interleaving of concurrent calls can overdraw an account
// (CHECK (balance >= 0) backs it up). The statements take the client to run on (`sql`): the pool, or
// the transaction of the money-move pipeline (services/money-move.ts), which claims the Idempotency-Key,
// runs the statement, explains a refusal and writes the audit entry in one commit. Ledger times are clock_timestamp(), taken after the row lock, so
// history follows the order in which balances changed.
// - A purchase debits `WHERE balance >= price`; a credit creates or credits the provider's account and
//   writes the webhook call's record in the same statement.
// - A refund raises its purchase's `refunded_amount` with a conditional UPDATE of the purchase's ledger
//   row (`refunded_amount + amount <= amount of the purchase`). Concurrent refunds of one purchase queue
//   on that row's lock and each re-checks the condition on the newest row version (READ COMMITTED
//   re-evaluates the WHERE), so their sum never exceeds the price; CHECK (refunded_amount <= amount)
//   backs it up. The same statement credits the purchase's account and writes the refund's row.
// - An adjustment credits or debits the account; a debit only `WHERE balance >= amount`.
// System accounts (provider, shop, adjustments) have no row to lock: their totals are ledger sums.
// Each move's statement also appends its event (purchase.completed — a one-step purchase or a capture —,
// credit.received, refund.created, adjustment.created; data = the transaction as the API shows it) to the event log: the event commits
// with the move or not at all (events.repository.ts).
//
// Two-phase purchases (authorizations) and the available balance. An authorization holds money on an
// account without debiting it; `available = balance − held`, where held is the sum of the account's
// holds that are `authorized` AND not yet expired. Expiry happens exactly at `expiresAt` for every read
// and every check, without relying on a sweep:
// - every read computes held live from the unexpired holds (`liveHeld`), so a hold stops counting at
//   its expiresAt to the millisecond, whatever its stored status;
// - the database refuses `held < 0` and `held > balance` on the account row (CHECKs). A stored column
//   cannot expire by itself, so `accounts.held` is an UPPER BOUND of the live held: it counts every hold
//   in status `authorized`, expired or not, and is kept by incremental updates on the locked account
//   row (+ amount on authorize, − amount on capture / void / release), which PostgreSQL re-evaluates on
//   the newest row version, so concurrent moves cannot lose an update;
// - a purchase and an adjustment debit check `balance − accounts.held >= amount` in their one statement
//   (the fast path: stricter than live, never looser); when that refuses and the account has expired
//   holds not yet released, the move locks the account, releases them (status `expired`, held −=
//   their amounts) and runs its statement again, so what it finally refuses is judged on the live
//   available balance;
// - authorize, capture and void run in a transaction that locks the account row FIRST (then releases
//   its expired holds, then runs one conditional statement): every statement after the lock sees every
//   move committed before it, and lock order is always account, then its holds (a refund locks its
//   purchase row, then the account; nothing locks a hold before its account), so no deadlock;
// - a capture matches only `status = 'authorized' AND expires_at > clock_timestamp()` (taken after the
//   lock) and at most the authorized amount; it releases the whole hold, debits the captured amount and
//   writes the purchase's ledger row with the authorization's id. A capture racing the expiry has exactly
//   one outcome: the clock read under the lock decides.
import type { TAccount, TAuthorization, TTransaction } from "@shop/contracts";
import { type SqlClient, type SqlTransaction, statement } from "@shop/db";
import { appendEventSql } from "./events.repository.ts";
import { iso, perDb } from "./shared.ts";

/** The live held of the account whose id is the SQL expression `accountId`: its unexpired holds. */
export const liveHeld = (accountId: string) =>
  `(SELECT COALESCE(sum(lh.amount), 0) FROM authorizations lh
     WHERE lh.account_id = ${accountId} AND lh.status = 'authorized' AND lh.expires_at > clock_timestamp())`;

/**
 * An account as the API's account (TAccount) from SQL expressions: its id, numeric id and balance, and
 * `heldChange` added to the live held (a statement's own hold, invisible to its snapshot).
 */
export const accountJsonOf = (id: string, numericId: string, balance: string, heldChange = "") =>
  `(SELECT json_build_object('id', ${id}, 'numericId', ${numericId}, 'balance', ${balance}::numeric(20, 2)::text,
                             'held', x.held::numeric(20, 2)::text,
                             'available', (${balance} - x.held)::numeric(20, 2)::text)
      FROM (SELECT ${liveHeld(id)} ${heldChange} AS held) x)`;

/** An account row `alias` as the API's account (TAccount). */
export const accountJson = (alias: string) => accountJsonOf(`${alias}.id`, `${alias}.numeric_id`, `${alias}.balance`);

/** An authorization row `h` as the API's authorization (TAuthorization): expired from expires_at on. */
export const authorizationJson = (accountNumeric: string) =>
  `json_build_object(
     'id', h.id,
     'status', CASE WHEN h.status = 'authorized' AND h.expires_at <= clock_timestamp() THEN 'expired' ELSE h.status END,
     'amount', h.amount::text, 'capturedAmount', h.captured_amount::text,
     'accountId', h.account_id, 'accountNumericId', ${accountNumeric},
     'productId', h.product_id, 'productTitle', h.product_title,
     'createdAt', ${iso("h.created_at")}, 'expiresAt', ${iso("h.expires_at")},
     'endedAt', CASE WHEN h.ended_at IS NOT NULL THEN ${iso("h.ended_at")}
                     WHEN h.expires_at <= clock_timestamp() THEN ${iso("h.expires_at")} END)`;

/** The accounts of the user whose id is the SQL expression `userId`, as a JSON array by numeric id. */
export const accountsJsonOf = (userId: string) =>
  `COALESCE((SELECT json_agg(${accountJson("acc")} ORDER BY acc.numeric_id)
               FROM accounts acc WHERE acc.user_id = ${userId}), '[]')`;

/**
 * A ledger row `e` as the API's transaction (TTransaction); `accountNumeric` is the SQL expression of
 * its account's numeric id.
 */
export const transactionJson = (accountNumeric: string) =>
  `json_build_object(
     'id', e.id, 'kind', e.kind, 'direction', e.direction, 'counterparty', e.counterparty,
     'amount', e.amount::text, 'balanceAfter', e.balance_after::text,
     'accountId', e.account_id, 'accountNumericId', ${accountNumeric}, 'createdAt', ${iso("e.created_at")},
     'transactionId', e.transaction_id, 'productId', e.product_id, 'productTitle', e.product_title,
     'refundOf', e.refund_of,
     'refundedAmount', CASE WHEN e.kind = 'purchase' THEN e.refunded_amount::text END,
     'reason', e.reason)`;

/** The latest 50 ledger rows of the user whose id is the SQL expression `userId`, newest first. */
export const recentTransactionsJsonOf = (userId: string) =>
  `COALESCE((SELECT json_agg(${transactionJson("e.numeric_id")} ORDER BY e.seq DESC)
               FROM (SELECT le.*, la.numeric_id
                       FROM ledger_entries le JOIN accounts la ON la.id = le.account_id
                      WHERE la.user_id = ${userId}
                      ORDER BY le.seq DESC
                      LIMIT 50) e), '[]')`;

/**
 * The purchase: $1 product id, $2 account id, $3 the buyer's user id.
 * No row back = nothing written (no such product or account, not the buyer's, or not enough money);
 * otherwise the new ledger row, as the API's transaction (the same JSON as a replay's).
 */
export const purchaseStatement = statement<{ tx: TTransaction; account: TAccount }>(
  "accounts.purchase",
  `WITH product AS (
     SELECT id, title, price FROM products WHERE id = $1::uuid AND deleted_at IS NULL
   ), debit AS (
     UPDATE accounts a
        SET balance = a.balance - product.price, updated_at = now()
       FROM product
      WHERE a.id = $2::uuid
        AND a.user_id = $3::uuid
        AND a.balance - a.held >= product.price
     RETURNING a.id, a.numeric_id, a.balance, product.id AS product_id, product.title, product.price
   ), entry AS (
     INSERT INTO ledger_entries
       (kind, direction, counterparty, account_id, amount, balance_after, product_id, product_title, product_price,
        created_at)
     SELECT 'purchase', 'out', 'shop', debit.id, debit.price, debit.balance, debit.product_id, debit.title, debit.price,
            clock_timestamp()
       FROM debit
     RETURNING *
   ), event AS (
     ${appendEventSql("'purchase.completed'", transactionJson("debit.numeric_id"), "entry e JOIN debit ON debit.id = e.account_id")}
   )
   SELECT ${transactionJson("debit.numeric_id")} AS tx, ${accountJson("debit")} AS account
     FROM entry e JOIN debit ON debit.id = e.account_id`,
);

/**
 * The credit: $1 the provider's user_id, $2 bill_id, $3 amount, $4 transaction_id, $5 the payload's hash,
 * then the webhook call's record: $6 source address, $7 body (at most 4 KB), $8 whether it was cut.
 * Creates the account (numeric id = bill_id) for a known user, or credits it if that user owns it, and
 * writes the ledger row and the `credited` delivery record in the same statement (they commit together).
 * No row back = nothing written (unknown user, or the bill belongs to someone else); a reused
 * transaction_id fails on UNIQUE(transaction_id) and rolls the whole statement back.
 */
export const creditStatement = statement<{
  account_id: string;
  account_numeric_id: string;
  balance: string;
  entry_id: string;
}>(
  "accounts.credit",
  `WITH owner AS (
     SELECT id FROM users WHERE numeric_id = $1::int8
   ), account AS (
     INSERT INTO accounts (numeric_id, user_id, balance)
     SELECT $2::int8, owner.id, $3::numeric FROM owner
     ON CONFLICT (numeric_id) DO UPDATE
        SET balance = accounts.balance + EXCLUDED.balance, updated_at = now()
      WHERE accounts.user_id = EXCLUDED.user_id
     RETURNING id, numeric_id, balance
   ), entry AS (
     INSERT INTO ledger_entries
       (kind, direction, counterparty, account_id, amount, balance_after, transaction_id, payload_hash, created_at)
     SELECT 'credit', 'in', 'provider', account.id, $3::numeric, account.balance, $4::int8, $5::text, clock_timestamp()
       FROM account
     RETURNING *
   ), event AS (
     ${appendEventSql("'credit.received'", transactionJson("account.numeric_id"), "entry e JOIN account ON account.id = e.account_id")}
   ), delivery AS (
     INSERT INTO webhook_deliveries
       (source_ip, outcome, http_status, transaction_id, user_id, bill_id, body, truncated, ledger_entry_id)
     SELECT $6::text, 'credited', 200, $4::int8, $1::int8, $2::int8, $7::text, $8::bool, entry.id FROM entry
   )
   SELECT account.id::text AS account_id, account.numeric_id::text AS account_numeric_id,
          account.balance::text AS balance, entry.id::text AS entry_id
     FROM account JOIN entry ON entry.account_id = account.id`,
);

const creditByTransactionIdStatement = statement<{
  payload_hash: string;
  amount: string;
  balance_after: string;
  account_id: string;
  account_numeric_id: string;
}>(
  "accounts.credit-by-transaction-id",
  `SELECT e.payload_hash, e.amount::text, e.balance_after::text, a.id::text AS account_id,
          a.numeric_id::text AS account_numeric_id
     FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE e.transaction_id = $1::int8`,
);

/** What a refused purchase is judged on: $1 product, $2 account, $3 buyer (NULLs where missing). */
const purchaseRefusalStatement = statement<{ price: string | null; balance: string | null; held: string | null }>(
  "accounts.purchase-refusal",
  `SELECT (SELECT price::text FROM products WHERE id = $1::uuid AND deleted_at IS NULL) AS price,
          (SELECT balance::text FROM accounts WHERE id = $2::uuid AND user_id = $3::uuid) AS balance,
          (SELECT ${liveHeld("a.id")}::numeric(20, 2)::text FROM accounts a
            WHERE a.id = $2::uuid AND a.user_id = $3::uuid) AS held`,
);

/**
 * The refund: $1 the purchase's id, $2 the amount (text), $3 the reason.
 * No row back = nothing written: no such purchase, not a purchase, or more than what is left.
 */
const refundStatement = statement<{ tx: TTransaction; account: TAccount; refunded_after: string }>(
  "ledger.refund",
  `WITH purchase AS (
     UPDATE ledger_entries p
        SET refunded_amount = p.refunded_amount + $2::numeric
      WHERE p.id = $1::uuid AND p.kind = 'purchase' AND p.refunded_amount + $2::numeric <= p.amount
     RETURNING p.id, p.account_id, p.product_id, p.product_title, p.product_price, p.refunded_amount
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
        refund_of, reason, created_at)
     SELECT 'refund', 'in', 'shop', c.id, $2::numeric, c.balance, c.product_id, c.product_title, c.product_price,
            c.purchase_id, $3::text, clock_timestamp()
       FROM credited c
     RETURNING *
   ), event AS (
     ${appendEventSql("'refund.created'", transactionJson("c.numeric_id"), "entry e JOIN credited c ON c.id = e.account_id")}
   )
   SELECT ${transactionJson("c.numeric_id")} AS tx,
          ${accountJsonOf("c.id", "c.numeric_id", "e.balance_after")} AS account,
          (SELECT refunded_amount::text FROM purchase) AS refunded_after
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
 * The adjustment: $1 account id, $2 'in' | 'out', $3 amount, $4 reason.
 * No row back = nothing written: no such account, or a debit above the balance.
 */
const adjustStatement = statement<{ tx: TTransaction; account: TAccount }>(
  "ledger.adjust",
  `WITH changed AS (
     UPDATE accounts a
        SET balance = CASE WHEN $2::text = 'in' THEN a.balance + $3::numeric ELSE a.balance - $3::numeric END,
            updated_at = now()
      WHERE a.id = $1::uuid AND ($2::text = 'in' OR a.balance - a.held >= $3::numeric)
     RETURNING a.id, a.numeric_id, a.balance
   ), entry AS (
     INSERT INTO ledger_entries
       (kind, direction, counterparty, account_id, amount, balance_after, reason, created_at)
     SELECT 'adjustment', $2::text::ledger_direction, 'adjustments', c.id, $3::numeric, c.balance, $4::text,
            clock_timestamp()
       FROM changed c
     RETURNING *
   ), event AS (
     ${appendEventSql("'adjustment.created'", transactionJson("c.numeric_id"), "entry e JOIN changed c ON c.id = e.account_id")}
   )
   SELECT ${transactionJson("c.numeric_id")} AS tx, ${accountJson("c")} AS account
     FROM entry e JOIN changed c ON c.id = e.account_id`,
);

const accountStatement = statement<{ account: TAccount }>(
  "ledger.account",
  `SELECT ${accountJson("a")} AS account FROM accounts a WHERE a.id = $1::uuid`,
);

/** Locks an account row (the first statement of a move on holds): $1 account, $2 its owner or NULL. */
const lockAccountStatement = statement<{ id: string }>(
  "ledger.lock-account",
  `SELECT id::text FROM accounts WHERE id = $1::uuid AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE`,
);

/**
 * Releases the expired holds of an account already locked by this transaction: $1 account. Each hold's
 * status becomes `expired` (row re-checked: a hold captured or voided meanwhile is skipped) and the
 * stored held drops by exactly what was released.
 */
const releaseExpiredStatement = statement<{ released: number }>(
  "ledger.release-expired",
  `WITH rel AS (
     UPDATE authorizations SET status = 'expired', ended_at = expires_at
      WHERE account_id = $1::uuid AND status = 'authorized' AND expires_at <= clock_timestamp()
     RETURNING amount
   ), acc AS (
     UPDATE accounts SET held = held - (SELECT sum(amount) FROM rel), updated_at = now()
      WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM rel)
     RETURNING id
   )
   SELECT (SELECT count(*) FROM rel)::int4 AS released`,
);

/**
 * The authorization: $1 product, $2 account, $3 the buyer, $4 seconds to hold. Holds the product's price
 * if the account's available balance covers it. No row: nothing written (as for a purchase).
 */
const authorizeStatement = statement<{ authorization: TAuthorization; account: TAccount }>(
  "ledger.authorize",
  `WITH product AS (
     SELECT id, title, price FROM products WHERE id = $1::uuid AND deleted_at IS NULL
   ), held AS (
     UPDATE accounts a
        SET held = a.held + product.price, updated_at = now()
       FROM product
      WHERE a.id = $2::uuid AND a.user_id = $3::uuid AND a.balance - a.held >= product.price
     RETURNING a.id, a.numeric_id, a.balance, product.id AS product_id, product.title, product.price
   ), t AS (
     SELECT date_trunc('milliseconds', clock_timestamp()) AS now
   ), h AS (
     INSERT INTO authorizations
       (account_id, product_id, product_title, product_price, amount, status, created_at, expires_at)
     SELECT held.id, held.product_id, held.title, held.price, held.price, 'authorized', t.now,
            t.now + make_interval(secs => $4::int4)
       FROM held, t
     RETURNING *
   )
   SELECT ${authorizationJson("held.numeric_id")} AS authorization,
          ${accountJsonOf("held.id", "held.numeric_id", "held.balance", "+ h.amount")} AS account
     FROM h JOIN held ON held.id = h.account_id`,
);

/** An authorization by id, with its account's id: $1 id. */
const authorizationStatement = statement<{ authorization: TAuthorization; account_id: string; amount: string }>(
  "ledger.authorization",
  `SELECT ${authorizationJson("a.numeric_id")} AS authorization, h.account_id::text, h.amount::text
     FROM authorizations h JOIN accounts a ON a.id = h.account_id
    WHERE h.id = $1::uuid`,
);

/**
 * An account's authorizations, newest first: $1 account, $2 status or NULL (all), $3 limit. The status is
 * the live one (authorizationJson): `authorized` = stored authorized and not yet expired; `expired` = stored
 * expired, or stored authorized past expires_at. Reads authorizations_account_id_created_at_idx backwards.
 * No row: no such account.
 */
const accountAuthorizationsStatement = statement<{ items: TAuthorization[] }>(
  "ledger.account-authorizations",
  `SELECT COALESCE((SELECT json_agg(x.j ORDER BY x.created_at DESC, x.id DESC) FROM (
            SELECT ${authorizationJson("a.numeric_id")} AS j, h.created_at, h.id
              FROM authorizations h
             WHERE h.account_id = a.id
               AND CASE $2::text
                     WHEN 'authorized' THEN h.status = 'authorized' AND h.expires_at > clock_timestamp()
                     WHEN 'expired' THEN h.status = 'expired'
                                         OR (h.status = 'authorized' AND h.expires_at <= clock_timestamp())
                     WHEN 'captured' THEN h.status = 'captured'
                     WHEN 'voided' THEN h.status = 'voided'
                     ELSE true END
             ORDER BY h.created_at DESC, h.id DESC
             LIMIT $3::int4) x), '[]') AS items
     FROM accounts a WHERE a.id = $1::uuid`,
);

/**
 * The capture: $1 authorization, $2 amount or NULL (all of it). Posts the purchase (its ledger row has the
 * authorization's id), debits the captured amount and releases the whole hold. No row: nothing written
 * (no such hold, not authorized any more, expired, or more than authorized).
 */
const captureStatement = statement<{ tx: TTransaction; authorization: TAuthorization; account: TAccount }>(
  "ledger.capture",
  `WITH h AS (
     UPDATE authorizations h
        SET status = 'captured', captured_amount = COALESCE($2::numeric, h.amount), ended_at = clock_timestamp()
      WHERE h.id = $1::uuid AND h.status = 'authorized' AND h.expires_at > clock_timestamp()
        AND COALESCE($2::numeric, h.amount) <= h.amount
     RETURNING *
   ), debit AS (
     UPDATE accounts a
        SET balance = a.balance - h.captured_amount, held = a.held - h.amount, updated_at = now()
       FROM h
      WHERE a.id = h.account_id
     RETURNING a.id, a.numeric_id, a.balance
   ), entry AS (
     INSERT INTO ledger_entries
       (id, kind, direction, counterparty, account_id, amount, balance_after, product_id, product_title,
        product_price, created_at)
     SELECT h.id, 'purchase', 'out', 'shop', debit.id, h.captured_amount, debit.balance, h.product_id,
            h.product_title, h.product_price, clock_timestamp()
       FROM h JOIN debit ON debit.id = h.account_id
     RETURNING *
   ), event AS (
     ${appendEventSql("'purchase.completed'", transactionJson("debit.numeric_id"), "entry e JOIN debit ON debit.id = e.account_id")}
   )
   SELECT ${transactionJson("debit.numeric_id")} AS tx,
          ${authorizationJson("debit.numeric_id")} AS authorization,
          ${accountJsonOf("debit.id", "debit.numeric_id", "debit.balance", "- h.amount")} AS account
     FROM entry e JOIN h ON h.id = e.id JOIN debit ON debit.id = e.account_id`,
);

/** The void: $1 authorization. Releases the hold. No row: no such hold, not authorized any more, or expired. */
const voidStatement = statement<{ authorization: TAuthorization; account: TAccount }>(
  "ledger.void",
  `WITH h AS (
     UPDATE authorizations h SET status = 'voided', ended_at = clock_timestamp()
      WHERE h.id = $1::uuid AND h.status = 'authorized' AND h.expires_at > clock_timestamp()
     RETURNING *
   ), acc AS (
     UPDATE accounts a SET held = a.held - h.amount, updated_at = now()
       FROM h
      WHERE a.id = h.account_id
     RETURNING a.id, a.numeric_id, a.balance
   )
   SELECT ${authorizationJson("acc.numeric_id")} AS authorization,
          ${accountJsonOf("acc.id", "acc.numeric_id", "acc.balance", "- h.amount")} AS account
     FROM h JOIN acc ON acc.id = h.account_id`,
);

/**
 * The ledger's statements, each run on the client it is given: `db.sql`, or the transaction `tx` of the
 * money-move pipeline.
 */
export const ledger = {
  /** The conditional debit; null when it matched nothing (see purchaseStatement). */
  async purchase(sql: SqlClient, p: { productId: string; accountId: string; userId: string }) {
    const [row] = await sql.query(purchaseStatement, [p.productId, p.accountId, p.userId]);
    return row ? { transaction: row.tx, account: row.account } : null;
  },

  /**
   * A debit's second chance: when its statement refused (its check counts expired holds not yet
   * released), lock the account, release them, and run the statement again (in one transaction, the
   * caller's if it has one). Null when the retry refused too: the refusal stands.
   */
  async afterReleasingExpired<T>(
    sql: SqlClient,
    account: { accountId: string; userId: string | null },
    retry: (tx: SqlTransaction) => Promise<T | null>,
  ): Promise<T | null> {
    return sql.transaction(async (tx) => {
      const [locked] = await tx.query(lockAccountStatement, [account.accountId, account.userId]);
      if (!locked) return null;
      await tx.query(releaseExpiredStatement, [account.accountId]);
      // Under the lock, the statement sees every move committed before it: what it refuses now stands.
      return retry(tx);
    });
  },

  /**
   * Locks the account (of `userId`, unless null) and releases its expired holds: the first two
   * statements of a move on holds, inside its transaction. False: no such account.
   */
  async lockAndRelease(tx: SqlTransaction, accountId: string, userId: string | null): Promise<boolean> {
    const [locked] = await tx.query(lockAccountStatement, [accountId, userId]);
    if (!locked) return false;
    await tx.query(releaseExpiredStatement, [accountId]);
    return true;
  },

  /** The conditional hold (after lockAndRelease); null when it matched nothing. */
  async authorize(
    tx: SqlTransaction,
    p: { productId: string; accountId: string; userId: string; holdSeconds: number },
  ) {
    const [row] = await tx.query(authorizeStatement, [p.productId, p.accountId, p.userId, p.holdSeconds]);
    return row ?? null;
  },

  /** An authorization as it is now, with its account's id and amount; null when there is none. */
  async authorization(sql: SqlClient, id: string) {
    const [row] = await sql.query(authorizationStatement, [id]);
    return row ? { authorization: row.authorization, accountId: row.account_id, amount: row.amount } : null;
  },

  /** The conditional capture (after lockAndRelease); null when it matched nothing. */
  async capture(tx: SqlTransaction, p: { id: string; amount: string | null }) {
    const [row] = await tx.query(captureStatement, [p.id, p.amount]);
    return row ? { transaction: row.tx, authorization: row.authorization, account: row.account } : null;
  },

  /** The conditional void (after lockAndRelease); null when it matched nothing. */
  async void(tx: SqlTransaction, id: string) {
    const [row] = await tx.query(voidStatement, [id]);
    return row ?? null;
  },

  /** The product's price and the buyer's account balance, as they are now (null where missing). */
  async purchaseRefusal(sql: SqlClient, p: { productId: string; accountId: string; userId: string }) {
    const [row] = await sql.query(purchaseRefusalStatement, [p.productId, p.accountId, p.userId]);
    return row!;
  },

  /** The create-or-credit with its delivery record; null when it matched nothing (see creditStatement). */
  async credit(
    sql: SqlClient,
    p: { userId: number; billId: number; amount: string; transactionId: number; payloadHash: string },
    delivery: { sourceIp: string; body: string; truncated: boolean },
  ) {
    const [row] = await sql.query(creditStatement, [
      String(p.userId),
      String(p.billId),
      p.amount,
      String(p.transactionId),
      p.payloadHash,
      delivery.sourceIp,
      delivery.body,
      delivery.truncated,
    ]);
    return row
      ? {
          accountId: row.account_id,
          accountNumericId: Number(row.account_numeric_id),
          balance: row.balance,
          ledgerEntryId: row.entry_id,
        }
      : null;
  },

  /** The credit recorded for a provider's transaction_id, if any. */
  async creditByTransactionId(sql: SqlClient, transactionId: number) {
    const [row] = await sql.query(creditByTransactionIdStatement, [String(transactionId)]);
    return row
      ? {
          payloadHash: row.payload_hash,
          amount: row.amount,
          balanceAfter: row.balance_after,
          accountId: row.account_id,
          accountNumericId: Number(row.account_numeric_id),
        }
      : null;
  },

  /** The conditional refund; null when it matched nothing (see refundStatement). */
  async refund(sql: SqlClient, p: { purchaseId: string; amount: string; reason: string }) {
    const [row] = await sql.query(refundStatement, [p.purchaseId, p.amount, p.reason]);
    return row ? { transaction: row.tx, account: row.account, refundedAfter: row.refunded_after } : null;
  },

  /** A ledger row with its amount and (purchases) what was refunded of it, or null. */
  async entry(sql: SqlClient, id: string) {
    const [row] = await sql.query(entryStatement, [id]);
    return row ? { transaction: row.tx, amount: row.amount, refunded: row.refunded, accountId: row.account_id } : null;
  },

  /** The conditional adjustment; null when it matched nothing (see adjustStatement). */
  async adjust(sql: SqlClient, p: { accountId: string; direction: "in" | "out"; amount: string; reason: string }) {
    const [row] = await sql.query(adjustStatement, [p.accountId, p.direction, p.amount, p.reason]);
    return row ? { transaction: row.tx, account: row.account } : null;
  },

  async account(sql: SqlClient, id: string): Promise<TAccount | null> {
    const [row] = await sql.query(accountStatement, [id]);
    return row?.account ?? null;
  },
};

/** The reads of authorizations for people to look at (the moves' reads are in `ledger`). */
export const authorizationsRepository = perDb(({ sql }) => ({
  /** An account's authorizations, newest first, of one live status or all; null when there is no such account. */
  async ofAccount(p: { accountId: string; status: string | null; limit: number }) {
    const [row] = await sql.query(accountAuthorizationsStatement, [p.accountId, p.status, p.limit]);
    return row ? row.items : null;
  },
}));
