// Manual corrections of a wallet by an operator: one conditional statement (ledger.repository) credits
// or debits the account with its ledger row; a debit never overdraws.
import { centsToMoney, moneyToCents, type TAdjustmentOutput, type TTransaction } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledgerRepository } from "../repositories/ledger.repository.ts";
import { type Audited, audit } from "./audit.service.ts";
import { writeOrReplay } from "./idempotency.ts";

export interface AdjustRequest {
  /** The account's id. */
  id: string;
  direction: "credit" | "debit";
  /** Canonical money text. */
  amount: string;
  reason: string;
  idempotencyKey?: string | undefined;
}

export async function adjustAccount(
  { db, audited }: Deps & { audited: Audited },
  request: AdjustRequest,
): Promise<TAdjustmentOutput> {
  const ledger = ledgerRepository(db);
  const direction = request.direction === "credit" ? "in" : "out";
  const key = request.idempotencyKey;

  const earlier = async (): Promise<TAdjustmentOutput | null> => {
    if (key === undefined) return null;
    const found = await ledger.byIdempotencyKey(request.id, key);
    if (!found) return null;
    if (found.kind !== "adjustment" || found.direction !== direction || found.amount !== request.amount) {
      throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for another operation");
    }
    return { adjustment: found, account: accountAfter(found), replayed: true };
  };

  const replay = await earlier();
  if (replay) return replay;
  const outcome = await writeOrReplay(
    key,
    () =>
      ledger.adjust({
        accountId: request.id,
        direction,
        amount: request.amount,
        reason: request.reason,
        idempotencyKey: key ?? null,
      }),
    earlier,
  );
  if ("replay" in outcome) return outcome.replay;
  const done = outcome.written;
  if (!done) {
    const account = await ledger.account(request.id);
    if (!account) throw new AppError("ACCOUNT_NOT_FOUND", "Account not found");
    throw new AppError(
      "INSUFFICIENT_FUNDS",
      `Insufficient funds: a debit of ${request.amount} would overdraw the balance of ${account.balance}`,
    );
  }
  await audit(db, audited, {
    action: "account.adjust",
    targetType: "account",
    targetId: request.id,
    before: { balance: beforeBalance(done.transaction) },
    after: {
      balance: done.account.balance,
      direction: request.direction,
      amount: request.amount,
      reason: request.reason,
      adjustmentId: done.transaction.id,
    },
  });
  return { adjustment: done.transaction, account: accountAfter(done.transaction), replayed: false };
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
