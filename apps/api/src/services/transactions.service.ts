// The whole ledger for the operator: refunds of purchases, the listing and its CSV export.
import {
  centsToMoney,
  moneyToCents,
  TRANSACTION_CSV_COLUMNS,
  type TLedgerTransaction,
  type TRefundOutput,
  type TTransaction,
  type TTransactionFilter,
} from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledgerRepository } from "../repositories/ledger.repository.ts";
import { transactionsRepository } from "../repositories/transactions.repository.ts";
import { type Audited, audit } from "./audit.service.ts";
import { writeOrReplay } from "./idempotency.ts";

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
 * (ledger.repository). Works whatever became of the user (disabled) or the product (deleted): the
 * purchase's own row is what is refunded.
 */
export async function refundPurchase(
  { db, audited }: Deps & { audited: Audited },
  request: RefundRequest,
): Promise<TRefundOutput> {
  const ledger = ledgerRepository(db);
  const purchase = await ledger.entry(request.id);
  if (!purchase) throw new AppError("TRANSACTION_NOT_FOUND", "Transaction not found");
  const key = request.idempotencyKey;

  /** An earlier refund under this key on the purchase's account; another use of the key is a conflict. */
  const earlier = async (): Promise<TRefundOutput | null> => {
    if (key === undefined) return null;
    const found = await ledger.byIdempotencyKey(purchase.accountId, key);
    if (!found) return null;
    if (
      found.kind !== "refund" ||
      found.refundOf !== purchase.transaction.id ||
      (request.amount !== undefined && found.amount !== request.amount)
    ) {
      throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for another operation");
    }
    return { refund: found, account: accountAfter(found), replayed: true };
  };

  const replay = await earlier();
  if (replay) return replay;
  if (purchase.transaction.kind !== "purchase") {
    throw new AppError(
      "NOT_A_PURCHASE",
      `Only a purchase can be refunded; this transaction is a ${purchase.transaction.kind}`,
    );
  }

  // Without an amount, refund what is left: read it, then let the conditional statement decide (a
  // concurrent refund may take some first: then read again).
  let left = moneyToCents(purchase.amount) - moneyToCents(purchase.refunded);
  for (let attempt = 0; ; attempt++) {
    const amount = request.amount ?? centsToMoney(left);
    if (moneyToCents(amount) > 0n) {
      const outcome = await writeOrReplay(
        key,
        () => ledger.refund({ purchaseId: request.id, amount, reason: request.reason, idempotencyKey: key ?? null }),
        earlier,
      );
      if ("replay" in outcome) return outcome.replay;
      const done = outcome.written;
      if (done) {
        await audit(db, audited, {
          action: "transaction.refund",
          targetType: "transaction",
          targetId: request.id,
          before: { refundedAmount: centsToMoney(moneyToCents(purchase.refunded)) },
          after: { refundId: done.transaction.id, amount, reason: request.reason, accountId: done.account.id },
        });
        return { refund: done.transaction, account: done.account, replayed: false };
      }
    }
    const now = await ledger.entry(request.id);
    left = moneyToCents(now!.amount) - moneyToCents(now!.refunded);
    if (request.amount !== undefined || left <= 0n || attempt >= 3) {
      throw new AppError(
        "REFUND_EXCEEDS_PURCHASE",
        left <= 0n
          ? "This purchase is already fully refunded"
          : `Refunds cannot exceed the purchase: ${centsToMoney(left)} of ${now!.amount} is left to refund`,
      );
    }
  }
}

const accountAfter = (tx: TTransaction) => ({
  id: tx.accountId,
  numericId: tx.accountNumericId,
  balance: tx.balanceAfter,
});

export function listTransactions({ db }: Deps, input: TTransactionFilter & { limit: number; offset: number }) {
  return transactionsRepository(db).list(input, input);
}

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // A leading = + - @ would be a formula to a spreadsheet: prefix a quote (OWASP's CSV injection advice).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?[0-9]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (values: readonly unknown[]) => `${values.map(csvField).join(",")}\r\n`;

/** The CSV export: the header row, then one line per transaction of the filter, newest first, in chunks. */
export async function* transactionsCsv({ db }: Deps, filter: TTransactionFilter): AsyncGenerator<string> {
  yield csvLine(TRANSACTION_CSV_COLUMNS);
  for await (const chunk of transactionsRepository(db).stream(filter)) {
    yield chunk.map((tx: TLedgerTransaction) => csvLine(TRANSACTION_CSV_COLUMNS.map((c) => tx[c]))).join("");
  }
}
