// Idempotency-Keys of money moves (table idempotency_keys, keyed by (scope, key)). Only the move
// pipeline (services/money-move.ts) uses these statements, inside the move's own transaction: the
// primary key decides between two calls with one key.
import { type SqlTransaction, statement } from "@shop/db";

/** Claims the key: a row back = this transaction owns it; none = it exists (or another call held it). */
const claimStatement = statement<{ claimed: boolean }>(
  "idempotency.claim",
  `INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1::text, $2::text, $3::text)
   ON CONFLICT (scope, key) DO NOTHING
   RETURNING true AS claimed`,
);

const readStatement = statement<{ fingerprint: string; status: number | null; body: unknown }>(
  "idempotency.read",
  `SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = $1::text AND key = $2::text`,
);

const answerStatement = statement<{ scope: string }>(
  "idempotency.answer",
  `UPDATE idempotency_keys SET status = $3::int4, body = $4::jsonb
    WHERE scope = $1::text AND key = $2::text
   RETURNING scope`,
);

export interface StoredAnswer {
  fingerprint: string;
  /** Null while the claiming transaction has not answered (never in a committed row). */
  answer: { status: number; body: unknown } | null;
}

/**
 * Claims (scope, key) for this transaction. PostgreSQL makes a call whose key another open transaction
 * holds wait for that transaction's end: it then finds the committed answer, or claims the key itself
 * if the other rolled back. Returns null when claimed, else what the key holds (null answer: still held).
 */
export async function claimIdempotencyKey(
  tx: SqlTransaction,
  k: { scope: string; key: string; fingerprint: string },
): Promise<StoredAnswer | null> {
  const [claimed] = await tx.query(claimStatement, [k.scope, k.key, k.fingerprint]);
  if (claimed) return null;
  // A new statement, so a new snapshot: it sees the row of a transaction that committed while we waited.
  const [row] = await tx.query(readStatement, [k.scope, k.key]);
  if (!row) return { fingerprint: k.fingerprint, answer: null };
  return {
    fingerprint: row.fingerprint,
    answer: row.status === null ? null : { status: row.status, body: row.body },
  };
}

/** Stores the answer of the move that claimed the key (same transaction). */
export async function storeIdempotentAnswer(
  tx: SqlTransaction,
  k: { scope: string; key: string },
  answer: { status: number; body: unknown },
): Promise<void> {
  const [row] = await tx.query(answerStatement, [k.scope, k.key, answer.status, JSON.stringify(answer.body)]);
  if (!row) throw new Error(`idempotency key ${k.scope}/${k.key} vanished before its answer was stored`);
}
