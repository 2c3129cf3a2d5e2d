// Manual corrections of a wallet by an operator: one conditional statement (ledger.repository) credits
// or debits the account with its ledger row; a debit never overdraws. Run through the money-move
// pipeline (money-move.ts): the Idempotency-Key, the statement and the audit entry commit together.
import { centsToMoney, moneyToCents, type TAdjustmentOutput, type TTransaction } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledger } from "../repositories/ledger.repository.ts";
import { type Audited, audit } from "./audit.service.ts";
import { type Answered, runMove } from "./money-move.ts";

export interface AdjustRequest {
  /** The account's id. */
  id: string;
  direction: "credit" | "debit";
  /** Canonical money text. */
  amount: string;
  reason: string;
  idempotencyKey?: string | undefined;
}

export function adjustAccount(
  { db, audited }: Deps & { audited: Audited },
  request: AdjustRequest,
): Promise<Answered<TAdjustmentOutput>> {
  const { id, amount, reason } = request;
  const direction = request.direction === "credit" ? "in" : "out";
  return runMove(db, {
    kind: "adjustment",
    caller: audited.actor.id ?? audited.actor.type,
    key: request.idempotencyKey,
    // Same request = the same account, direction, amount and reason.
    request: { accountId: id.toLowerCase(), direction, amount, reason },
    write: (sql) => ledger.adjust(sql, { accountId: id, direction, amount, reason }),
    refusal: async (sql) => {
      const account = await ledger.account(sql, id);
      if (!account) return new AppError("ACCOUNT_NOT_FOUND", "Account not found");
      return new AppError(
        "INSUFFICIENT_FUNDS",
        `Insufficient funds: a debit of ${amount} would overdraw the balance of ${account.balance}`,
      );
    },
    record: async (tx, done) => {
      await audit(tx, audited, {
        action: "account.adjust",
        targetType: "account",
        targetId: done.account.id,
        before: { balance: beforeBalance(done.transaction) },
        after: {
          balance: done.account.balance,
          direction: request.direction,
          amount,
          reason,
          adjustmentId: done.transaction.id,
        },
      });
    },
    answer: (done) => ({
      status: 201,
      body: { adjustment: done.transaction, account: accountAfter(done.transaction), replayed: false },
    }),
  });
}

const accountAfter = (tx: TTransaction) => ({
  id: tx.accountId,
  numericId: tx.accountNumericId,
  balance: tx.balanceAfter,
});

/** The balance just before an entry, from its own row (no float: integer cents). */
function beforeBalance(tx: TTransaction): string {
  const sign = tx.direction === "in" ? -1n : 1n;
  return centsToMoney(moneyToCents(tx.balanceAfter) + sign * moneyToCents(tx.amount));
}
