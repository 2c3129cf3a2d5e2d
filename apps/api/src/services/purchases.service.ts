// Buying: one conditional statement debits the account and writes the ledger row (accounts.repository);
// this module decides what a retry (Idempotency-Key) and a refusal mean.
import { centsToMoney, moneyToCents, type TBuyOutput, type TTransaction } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledgerRepository } from "../repositories/ledger.repository.ts";
import { writeOrReplay } from "./idempotency.ts";

export interface BuyRequest {
  userId: string;
  productId: string;
  accountId: string;
  /** Optional Idempotency-Key: a retry with the same key returns the first result. */
  idempotencyKey?: string | undefined;
}

export async function buyProduct({ db }: Deps, request: BuyRequest): Promise<TBuyOutput> {
  const accounts = ledgerRepository(db);
  const key = request.idempotencyKey;
  const earlier = async () => {
    if (key === undefined) return null;
    const found = await accounts.purchaseByIdempotencyKey({ ...request, idempotencyKey: key });
    if (!found) return null;
    if (found.productId !== request.productId) {
      throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different purchase");
    }
    return buyOutput(found.purchase, true);
  };

  const replay = await earlier();
  if (replay) return replay;
  const outcome = await writeOrReplay(
    key,
    () => accounts.purchase({ ...request, idempotencyKey: key ?? null }),
    earlier,
  );
  if ("replay" in outcome) return outcome.replay;
  const purchase = outcome.written;
  if (!purchase) throw await explainRefusal(accounts, request);
  // Everything the answer needs came back from the statement itself: no second round trip.
  return buyOutput(purchase, false);
}

/**
 * The answer to a purchase. The balance is the one right after THIS purchase (its ledger row), not the
 * account's balance now: concurrent purchases may have moved it since, and a replay must repeat the
 * first answer.
 */
function buyOutput(purchase: TTransaction, replayed: boolean): TBuyOutput {
  // The ledger row of a purchase (the repository reads it by the purchase's own id or key).
  if (purchase.kind !== "purchase") throw new Error(`ledger row ${purchase.id} is a ${purchase.kind}, not a purchase`);
  const account = { id: purchase.accountId, numericId: purchase.accountNumericId, balance: purchase.balanceAfter };
  return { purchase: { ...purchase, kind: purchase.kind }, account, balance: purchase.balanceAfter, replayed };
}

/** Why the conditional debit matched nothing. Reads only; the refusal changed nothing. */
async function explainRefusal(accounts: ReturnType<typeof ledgerRepository>, request: BuyRequest) {
  const { price, balance } = await accounts.purchaseRefusal(request);
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
