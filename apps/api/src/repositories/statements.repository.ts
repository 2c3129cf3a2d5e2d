// Statements: an account's posted entries in a window, with its balances at both ends, and the posted
// balance at an instant. Reads only; every figure comes from the ledger rows themselves:
// - the balance at an instant t is the balance_after of the account's last entry at or before t (0.00
//   before its first), one backward step on the index (account_id, created_at, seq);
// - a window [from, to) has opening = the balance just before `from`, closing = the balance just before
//   `to`, and the entries from ≤ created_at < to in between (a range of the same index). Since every
//   entry's balance_after is its predecessor's ± its amount (written by the same statement as the
//   change), opening + in − out = closing for any window, and consecutive windows chain exactly.
// An account's created_at order is its seq order (both taken after the account's row lock), and seq
// breaks ties inside a millisecond.
import type { TTransaction } from "@shop/contracts";
import { statement } from "@shop/db";
import { transactionJson } from "./ledger.repository.ts";
import { perDb } from "./shared.ts";

/** The balance just before (`<`) or at (`<=`) the SQL time `at` of the account `a`. */
const balanceBefore = (op: "<" | "<=", at: string) =>
  `COALESCE((SELECT b.balance_after FROM ledger_entries b
              WHERE b.account_id = a.id AND b.created_at ${op} ${at}
              ORDER BY b.created_at DESC, b.seq DESC LIMIT 1), 0)::numeric(20, 2)::text`;

/**
 * $1 account, $2 from (included), $3 to (excluded), $4 the owner's user id or NULL (an administrator).
 * No row: no such account (of that user).
 */
const statementStatement = statement<{
  opening: string;
  closing: string;
  total_in: string;
  total_out: string;
  entries: TTransaction[];
}>(
  "statements.window",
  `WITH a AS (
     SELECT id, numeric_id FROM accounts WHERE id = $1::uuid AND ($4::uuid IS NULL OR user_id = $4::uuid)
   ), w AS (
     SELECT e.* FROM ledger_entries e JOIN a ON e.account_id = a.id
      WHERE e.created_at >= $2::timestamptz AND e.created_at < $3::timestamptz
   )
   SELECT ${balanceBefore("<", "$2::timestamptz")} AS opening,
          ${balanceBefore("<", "$3::timestamptz")} AS closing,
          (SELECT COALESCE(sum(amount) FILTER (WHERE direction = 'in'), 0)::numeric(20, 2)::text FROM w) AS total_in,
          (SELECT COALESCE(sum(amount) FILTER (WHERE direction = 'out'), 0)::numeric(20, 2)::text FROM w) AS total_out,
          (SELECT COALESCE(json_agg(${transactionJson("a.numeric_id")} ORDER BY e.created_at, e.seq), '[]')
             FROM w e) AS entries
     FROM a`,
);

/** $1 account, $2 the instant, $3 the owner's user id or NULL. No row: no such account (of that user). */
const balanceAtStatement = statement<{ balance: string }>(
  "statements.balance-at",
  `SELECT ${balanceBefore("<=", "$2::timestamptz")} AS balance
     FROM accounts a WHERE a.id = $1::uuid AND ($3::uuid IS NULL OR a.user_id = $3::uuid)`,
);

export const statementsRepository = perDb(({ sql }) => ({
  /** The window [from, to) of an account (of `ownerId`, unless null); null when there is no such account. */
  async window(p: { accountId: string; from: string; to: string; ownerId: string | null }) {
    const [row] = await sql.query(statementStatement, [p.accountId, p.from, p.to, p.ownerId]);
    return row
      ? {
          openingBalance: row.opening,
          closingBalance: row.closing,
          totalIn: row.total_in,
          totalOut: row.total_out,
          entries: row.entries,
        }
      : null;
  },

  /** The posted balance at `at`; null when there is no such account (of `ownerId`, unless null). */
  async balanceAt(p: { accountId: string; at: string; ownerId: string | null }): Promise<string | null> {
    const [row] = await sql.query(balanceAtStatement, [p.accountId, p.at, p.ownerId]);
    return row?.balance ?? null;
  },
}));

/** The statements' SQL, for the PostgreSQL plan test (it must use the (account_id, created_at, seq) index). */
export const STATEMENT_SQL = { window: statementStatement, balanceAt: balanceAtStatement };
