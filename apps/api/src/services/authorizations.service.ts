// The second phase of a two-phase purchase: capture (post the purchase, at most the authorized amount,
// the rest released) or void (release it all). Operators' moves on someone else's money: through the
// money-move pipeline (money-move.ts) with their audit entry in the same commit. Each runs in a
// transaction that locks the hold's account first and releases its expired holds (ledger.repository.ts).
import {
  moneyToCents,
  type TAccountAuthorizations,
  type TAuthorization,
  type TCaptureOutput,
  type TVoidOutput,
} from "@shop/contracts";
import type { SqlClient } from "@shop/db";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { authorizationsRepository, ledger } from "../repositories/ledger.repository.ts";
import { type Audited, audit } from "./audit.service.ts";
import { type Answered, runMove } from "./money-move.ts";

type Operator = Pick<Deps, "db"> & { audited: Audited };

/** Why a capture or void matched nothing: no such hold, expired, already ended, or too much. */
async function refusal(sql: SqlClient, id: string, amount: string | null): Promise<Error> {
  const found = await ledger.authorization(sql, id);
  if (!found) return new AppError("TRANSACTION_NOT_FOUND", "No such authorization");
  const { status } = found.authorization;
  if (status === "expired") {
    return new AppError("HOLD_EXPIRED", `This authorization expired at ${found.authorization.expiresAt}`);
  }
  if (status !== "authorized") return new AppError("HOLD_NOT_AUTHORIZED", `This authorization is already ${status}`);
  if (amount !== null && moneyToCents(amount) > moneyToCents(found.authorization.amount)) {
    return new AppError(
      "CAPTURE_EXCEEDS_HOLD",
      `A capture of ${amount} is more than the authorized ${found.authorization.amount}`,
    );
  }
  // It expired between the statement and this read.
  return new AppError("HOLD_EXPIRED", `This authorization expired at ${found.authorization.expiresAt}`);
}

/** Runs `move` in a transaction with the hold's account locked and its expired holds released. */
function onLockedAccount<T>(sql: SqlClient, id: string, move: Parameters<SqlClient["transaction"]>[0]) {
  return sql.transaction(async (tx) => {
    const found = await ledger.authorization(tx, id);
    if (!found || !(await ledger.lockAndRelease(tx, found.accountId, null))) return null;
    return (await move(tx)) as T | null;
  });
}

export function captureAuthorization(
  { db, audited }: Operator,
  request: { id: string; amount?: string | undefined; idempotencyKey?: string | undefined },
): Promise<Answered<TCaptureOutput>> {
  const { id } = request;
  const amount = request.amount ?? null;
  return runMove(db, {
    kind: "capture",
    caller: audited.actor.id ?? audited.actor.type,
    key: request.idempotencyKey,
    // Same request = the same authorization and amount asked (null: all of it).
    request: { authorizationId: id.toLowerCase(), amount },
    write: (sql) =>
      onLockedAccount<NonNullable<Awaited<ReturnType<typeof ledger.capture>>>>(sql, id, (tx) =>
        ledger.capture(tx, { id, amount }),
      ),
    refusal: (sql) => refusal(sql, id, amount),
    record: async (tx, done) => {
      await audit(tx, audited, {
        action: "transaction.capture",
        targetType: "transaction",
        targetId: id,
        before: { status: "authorized", amount: done.authorization.amount },
        after: { status: "captured", capturedAmount: done.authorization.capturedAmount },
      });
    },
    answer: (done) => {
      const purchase = done.transaction;
      if (purchase.kind !== "purchase") throw new Error(`ledger row ${purchase.id} is not a purchase`);
      return {
        status: 201,
        body: {
          purchase: { ...purchase, kind: purchase.kind },
          authorization: done.authorization,
          account: done.account,
          replayed: false,
        },
      };
    },
  });
}

export function voidAuthorization(
  { db, audited }: Operator,
  request: { id: string; reason?: string | undefined; idempotencyKey?: string | undefined },
): Promise<Answered<TVoidOutput>> {
  const { id } = request;
  const reason = request.reason ?? null;
  return runMove(db, {
    kind: "void",
    caller: audited.actor.id ?? audited.actor.type,
    key: request.idempotencyKey,
    request: { authorizationId: id.toLowerCase(), reason },
    write: (sql) =>
      onLockedAccount<NonNullable<Awaited<ReturnType<typeof ledger.void>>>>(sql, id, (tx) => ledger.void(tx, id)),
    refusal: (sql) => refusal(sql, id, null),
    record: async (tx, done) => {
      await audit(tx, audited, {
        action: "transaction.void",
        targetType: "transaction",
        targetId: id,
        before: { status: "authorized", amount: done.authorization.amount },
        after: { status: "voided", reason },
      });
    },
    answer: (done) => ({
      status: 200,
      body: { authorization: done.authorization, account: done.account, replayed: false },
    }),
  });
}

/** An account's authorizations, newest first (at most `limit`), of one status as it is now or all. */
export async function listAccountAuthorizations(
  { db }: Pick<Deps, "db">,
  input: { id: string; status?: TAuthorization["status"] | undefined; limit: number },
): Promise<TAccountAuthorizations> {
  const items = await authorizationsRepository(db).ofAccount({
    accountId: input.id,
    status: input.status ?? null,
    limit: input.limit,
  });
  if (!items) throw new AppError("ACCOUNT_NOT_FOUND", "Account not found");
  return { items };
}
