// The whole ledger for the operator: refunds of purchases, the listing and its CSV export.
import {
  centsToMoney,
  moneyToCents,
  TRANSACTION_CSV_COLUMNS,
  type TRefundOutput,
  type TTransactionFilter,
} from "@shop/contracts";
import { type Deps, reader } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledger } from "../repositories/ledger.repository.ts";
import { transactionsRepository } from "../repositories/transactions.repository.ts";
import { type Audited, audit } from "./audit.service.ts";
import { csvLine } from "./csv.ts";
import { type Answered, runMove } from "./money-move.ts";

export interface RefundRequest {
  /** The purchase's transaction id. */
  id: string;
  /** Canonical money text; undefined = what is left to refund. */
  amount?: string | undefined;
  reason: string;
  idempotencyKey?: string | undefined;
}

/**
 * Refunds (part of) a purchase to the account it was paid from: one conditional statement
 * (ledger.repository) through the money-move pipeline (money-move.ts), with its audit entry in the same
 * commit. Works whatever became of the user (disabled) or the product (deleted): the purchase's own row
 * is what is refunded.
 */
export function refundPurchase(
  { db, audited }: Deps & { audited: Audited },
  request: RefundRequest,
): Promise<Answered<TRefundOutput>> {
  const { id, reason } = request;
  return runMove(db, {
    kind: "refund",
    caller: audited.actor.id ?? audited.actor.type,
    key: request.idempotencyKey,
    // Same request = the same purchase, the same amount asked (null: what is left) and reason.
    request: { purchaseId: id.toLowerCase(), amount: request.amount ?? null, reason },
    write: async (sql) => {
      // Without an amount, refund what is left: read it, then let the conditional statement decide (a
      // concurrent refund may take some first: then read again).
      for (let attempt = 0; attempt < 4; attempt++) {
        const purchase = await ledger.entry(sql, id);
        if (!purchase || purchase.transaction.kind !== "purchase") return null;
        const amount = request.amount ?? centsToMoney(moneyToCents(purchase.amount) - moneyToCents(purchase.refunded));
        if (moneyToCents(amount) <= 0n) return null;
        const done = await ledger.refund(sql, { purchaseId: id, amount, reason });
        if (done || request.amount !== undefined) return done && { ...done, amount };
      }
      return null;
    },
    refusal: async (sql) => {
      const now = await ledger.entry(sql, id);
      if (!now) return new AppError("TRANSACTION_NOT_FOUND", "Transaction not found");
      if (now.transaction.kind !== "purchase") {
        return new AppError(
          "NOT_A_PURCHASE",
          `Only a purchase can be refunded; this transaction is a ${now.transaction.kind}`,
        );
      }
      const left = moneyToCents(now.amount) - moneyToCents(now.refunded);
      return new AppError(
        "REFUND_EXCEEDS_PURCHASE",
        left <= 0n
          ? "This purchase is already fully refunded"
          : `Refunds cannot exceed the purchase: ${centsToMoney(left)} of ${now.amount} is left to refund`,
      );
    },
    record: async (tx, done) => {
      await audit(tx, audited, {
        action: "transaction.refund",
        targetType: "transaction",
        targetId: done.transaction.refundOf ?? id,
        before: { refundedAmount: centsToMoney(moneyToCents(done.refundedAfter) - moneyToCents(done.amount)) },
        after: { refundId: done.transaction.id, amount: done.amount, reason, accountId: done.account.id },
      });
    },
    answer: (done) => ({ status: 201, body: { refund: done.transaction, account: done.account, replayed: false } }),
  });
}

export function listTransactions(
  deps: Deps,
  input: TTransactionFilter & { limit: number; offset: number; cursor?: string | undefined },
) {
  return transactionsRepository(reader(deps)).list(input, input);
}

/** The CSV export: the header row, then one line per transaction of the filter, newest first, in chunks. */
export async function* transactionsCsv(deps: Deps, filter: TTransactionFilter): AsyncGenerator<string> {
  yield csvLine(TRANSACTION_CSV_COLUMNS);
  // The lines are built by PostgreSQL with the same cell rules (transactions.repository csvCell).
  yield* transactionsRepository(reader(deps)).csv(filter);
}
