// Buying: one conditional statement debits the account and writes the ledger row (ledger.repository),
// run through the money-move pipeline (money-move.ts): with an Idempotency-Key, the key and its answer
// commit with the purchase; without one, the statement runs alone (one round trip). Its record is its
// own ledger row: a purchase has no audit entry.
import { centsToMoney, moneyToCents, type TBuyOutput, type TTransaction } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledger } from "../repositories/ledger.repository.ts";
import { type Answered, runMove } from "./money-move.ts";

export interface BuyRequest {
  userId: string;
  productId: string;
  accountId: string;
  /** Optional Idempotency-Key: a retry with the same key returns the first answer. */
  idempotencyKey?: string | undefined;
}

export function buyProduct({ db }: Deps, request: BuyRequest): Promise<Answered<TBuyOutput>> {
  const { userId, productId, accountId } = request;
  return runMove(db, {
    kind: "purchase",
    caller: userId,
    key: request.idempotencyKey,
    // Same request = the same product from the same account.
    request: { productId, accountId },
    write: (sql) => ledger.purchase(sql, { productId, accountId, userId }),
    refusal: (sql) => explainRefusal(sql, request),
    // Everything the answer needs came back from the statement itself: no second round trip.
    answer: (purchase) => ({ status: 200, body: buyOutput(purchase) }),
  });
}

/**
 * The answer to a purchase. The balance is the one right after THIS purchase (its ledger row), not the
 * account's balance later: a replay repeats this answer as it was.
 */
function buyOutput(purchase: TTransaction): TBuyOutput {
  if (purchase.kind !== "purchase") throw new Error(`ledger row ${purchase.id} is a ${purchase.kind}, not a purchase`);
  const account = { id: purchase.accountId, numericId: purchase.accountNumericId, balance: purchase.balanceAfter };
  return { purchase: { ...purchase, kind: purchase.kind }, account, balance: purchase.balanceAfter, replayed: false };
}

/** Why the conditional debit matched nothing. Reads only; the refusal changed nothing. */
async function explainRefusal(sql: Parameters<typeof ledger.purchaseRefusal>[0], request: BuyRequest) {
  const { price, balance } = await ledger.purchaseRefusal(sql, request);
  if (price === null) return new AppError("PRODUCT_NOT_FOUND", "Product not found");
  // Someone else's account is reported exactly like a missing one.
  if (balance === null) return new AppError("ACCOUNT_NOT_FOUND", "Account not found");
  const short = moneyToCents(price) - moneyToCents(balance);
  if (short > 0n) {
    return new AppError(
      "INSUFFICIENT_FUNDS",
      `Insufficient funds: the price is ${price}, the balance ${balance}, short by ${centsToMoney(short)}`,
    );
  }
  // The balance changed between the debit and this read (a concurrent credit): ask for a retry.
  return new AppError("ACCOUNT_CHANGED_RETRY", "The account changed during the purchase: try again");
}
