// The ONE pipeline every money move goes through (formance ledger's forgeLog / runTx): purchase,
// refund, adjustment and the provider's credit. In one transaction, in this order:
//
//   1. the Idempotency-Key: claimed under (scope = kind + caller, key) with the SHA-256 fingerprint of
//      the canonical request. Already answered with the same fingerprint → that answer again, status
//      included, `replayed: true` (REST adds `Idempotent-Replayed: true`); another fingerprint → 409
//      IDEMPOTENCY_KEY_REUSED. A second call while the first runs waits on the key's primary key for the
//      first's COMMIT and replays its answer (or runs as a first call if the first rolled back); a key
//      found claimed but unanswered is 409 IDEMPOTENCY_KEY_IN_USE.
//   2. the move's ONE conditional statement (`write`): the check and the write are one row update, so
//      no interleaving can overdraw; it matched nothing = a refusal.
//   3. a refusal is explained by `refusal` (reads only) and thrown: the transaction rolls back, so a
//      refused move leaves nothing behind, not even its key (a retry after a top-up can succeed).
//   4. the move's other records (`record`): an operator's refund or adjustment appends its audit entry
//      here; then the key's answer is stored; then COMMIT. Any throw before COMMIT (a constraint, a
//      trigger, a lost connection) rolls all of it back: the answer is a 5xx and a retry with the same
//      key performs the move once.
//
// Purchases and provider credits have no audit entry: their record is their own ledger row (and, for a
// credit, the webhook call's record), written by the same statement as the balance change. Refunds and
// adjustments are operators' decisions about someone else's money: their audit entry (who, why, request
// id) commits with them.
//
// A purchase without an Idempotency-Key has nothing to commit beside its statement: it runs as that one
// statement, without BEGIN / COMMIT (one round trip, the hot path). The credit's idempotency is the
// provider's transaction_id under the ledger's UNIQUE index (`natural`): the statement that loses a race
// on it is rolled back whole and the pipeline answers with what the winner recorded.
//
// A NEW KIND OF MOVE adds only:
//   - its statement (ledger.repository.ts) → `write(sql)`, returning null when it matched nothing;
//   - its "same request?" rule → `request`: the fields that make two calls the same request (e.g. a
//     refund: the purchase, the amount asked (null = what is left) and the reason);
//   - its answer (`answer`: status and body) and its refusal explanation (`refusal`);
//   - its name in `Move.kind` (the key's scope). A two-phase purchase is three kinds — authorize,
//     capture, void — each with its own statement and "same request?" fields, through this same runMove.
// ANOTHER RECORD IN THE SAME COMMIT (the audit entry; each move's event is one more CTE of its own
// statement, ledger.repository.ts — see the end of this paragraph): write it in
// `record(tx, done)` with the transaction's client, e.g. `await events.append(tx, {...})` beside
// `audit(tx, …)`. A move with `record` always runs in a transaction; such writes take a SqlTransaction,
// so they cannot be called outside one. (A `record` on the purchase makes every purchase a transaction:
// BEGIN, statement, record, COMMIT. To keep the unkeyed purchase one round trip, its record can instead
// be one more CTE of its statement, as the credit writes its webhook record.)
import { createHash } from "node:crypto";
import type { Db, SqlClient, SqlTransaction } from "@shop/db";
import { AppError, isUniqueViolation } from "../errors.ts";
import { claimIdempotencyKey, storeIdempotentAnswer } from "../repositories/idempotency.repository.ts";
import { pooled, transaction } from "../repositories/transaction.ts";

/** What an answer looks like: a body that says whether it is a replay. */
export interface Answered<Body> {
  status: number;
  body: Body;
}

/** A value of the canonical request: text (money as canonical text), numbers, booleans, null. */
export type RequestValue = string | number | boolean | null;

export interface Move<Done, Body extends { replayed: boolean }> {
  /** The kind of move: part of the key's scope (a key of a purchase never answers a refund). */
  kind: "purchase" | "refund" | "adjustment" | "capture" | "void";
  /** Who asks (a user's id; an operator's id): the other part of the scope. */
  caller: string;
  /** The Idempotency-Key as sent (validated), or undefined. */
  key: string | undefined;
  /** The "same request?" rule: these fields, canonicalised and hashed, are the request's fingerprint. */
  request: Record<string, RequestValue>;
  /** The one conditional statement; null = it matched nothing (a refusal). */
  write(sql: SqlClient): Promise<Done | null>;
  /** Why the statement matched nothing: reads only. */
  refusal(sql: SqlClient): Promise<Error>;
  /** The first answer (body with `replayed: false`). */
  answer(done: Done): Answered<Body>;
  /** Other records of the same commit (the audit entry; the event is a CTE of the move's statement). */
  record?(tx: SqlTransaction, done: Done): Promise<void>;
}

/** SHA-256 of the canonical request: its fields sorted by name, as JSON. */
export function fingerprint(kind: string, request: Record<string, RequestValue>): string {
  const fields = Object.keys(request)
    .sort()
    .map((name) => [name, request[name]]);
  return createHash("sha256")
    .update(JSON.stringify([kind, fields]))
    .digest("hex");
}

/** Runs a move through the pipeline (see the top of this file). */
export async function runMove<Done, Body extends { replayed: boolean }>(
  db: Pick<Db, "sql">,
  move: Move<Done, Body>,
): Promise<Answered<Body>> {
  if (move.key === undefined && !move.record) {
    // Nothing else to commit with the statement: the statement alone (the purchase's hot path).
    const sql = pooled(db);
    const done = await move.write(sql);
    if (done === null) throw await move.refusal(sql);
    return move.answer(done);
  }
  const key = move.key;
  const scope = `${move.kind}:${move.caller}`;
  return transaction(db, async (tx) => {
    if (key !== undefined) {
      const print = fingerprint(move.kind, move.request);
      const earlier = await claimIdempotencyKey(tx, { scope, key, fingerprint: print });
      if (earlier) return replay<Body>(earlier, print);
    }
    const done = await move.write(tx);
    if (done === null) throw await move.refusal(tx);
    await move.record?.(tx, done);
    const answer = move.answer(done);
    if (key !== undefined) await storeIdempotentAnswer(tx, { scope, key }, answer);
    return answer;
  });
}

function replay<Body extends { replayed: boolean }>(
  earlier: { fingerprint: string; answer: { status: number; body: unknown } | null },
  print: string,
): Answered<Body> {
  if (earlier.fingerprint !== print) {
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for another request");
  }
  if (!earlier.answer) {
    throw new AppError("IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still running: retry");
  }
  return { status: earlier.answer.status, body: { ...(earlier.answer.body as Body), replayed: true } };
}

/**
 * A move whose statement is its own idempotency (the provider's credit: UNIQUE(transaction_id)): the
 * statement runs alone; when a racing twin won the unique index (this one was rolled back whole), or
 * the statement matched nothing, `recorded` says what the earlier call did (and throws if it was
 * another request); only then is a refusal explained.
 */
export async function runNaturalMove<Done, Body>(
  db: Pick<Db, "sql">,
  move: {
    write(sql: SqlClient): Promise<Done | null>;
    recorded(sql: SqlClient): Promise<Body | null>;
    refusal(sql: SqlClient): Promise<Error>;
    answer(done: Done): Body;
  },
): Promise<Body> {
  const sql = pooled(db);
  let done: Done | null;
  try {
    done = await move.write(sql);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await move.recorded(sql);
      if (winner) return winner;
    }
    throw error;
  }
  if (done === null) {
    const earlier = await move.recorded(sql);
    if (earlier) return earlier;
    throw await move.refusal(sql);
  }
  return move.answer(done);
}
