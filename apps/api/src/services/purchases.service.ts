// Buying: one conditional statement debits the account and writes the ledger row (ledger.repository),
// run through the money-move pipeline (money-move.ts): with an Idempotency-Key, the key and its answer
// commit with the purchase; without one, the statement runs alone (one round trip). Its record is its
// own ledger row: a purchase has no audit entry.
import {
  centsToMoney,
  moneyToCents,
  type TAccount,
  type TAuthorizationOutput,
  type TBuyOutput,
  type TPurchaseOutput,
  type TTransaction,
} from "@shop/contracts";
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
  /** false: authorize only (a two-phase purchase's hold); default true. */
  capture?: boolean | undefined;
  /** capture false: how long the hold lasts (default the configuration's HOLD_TTL_SECONDS). */
  holdSeconds?: number | undefined;
}

export function buyProduct({ db, config }: Deps, request: BuyRequest): Promise<Answered<TBuyOutput>> {
  if (request.capture === false) return authorize({ db, config }, request);
  const { userId, productId, accountId } = request;
  const buy = { productId, accountId, userId };
  return runMove(db, {
    kind: "purchase",
    caller: userId,
    key: request.idempotencyKey,
    // Same request = the same product from the same account.
    request: { productId, accountId },
    // The debit checks the available balance; refused, it gets a second chance once the account's
    // expired holds are released (ledger.repository.ts).
    write: async (sql) =>
      (await ledger.purchase(sql, buy)) ??
      ledger.afterReleasingExpired(sql, { accountId, userId }, (tx) => ledger.purchase(tx, buy)),
    refusal: (sql) => explainRefusal(sql, request),
    // Everything the answer needs came back from the statement itself: no second round trip.
    answer: (done) => ({ status: 200, body: buyOutput(done.transaction, done.account) }),
  });
}

/**
 * An authorization (capture: false): the product's price held on the account, nothing debited. In a
 * transaction that locks the account first and releases its expired holds (ledger.repository.ts); 201.
 */
function authorize(
  { db, config }: Pick<Deps, "db" | "config">,
  request: BuyRequest,
): Promise<Answered<TAuthorizationOutput>> {
  const { userId, productId, accountId } = request;
  const holdSeconds = request.holdSeconds ?? config.holdTtlSeconds;
  return runMove(db, {
    kind: "purchase",
    caller: userId,
    key: request.idempotencyKey,
    // Same request = the same product, account and hold; a key of a purchase never answers an authorization.
    request: { productId, accountId, capture: false, holdSeconds },
    write: (sql) =>
      sql.transaction(async (tx) =>
        (await ledger.lockAndRelease(tx, accountId, userId))
          ? ledger.authorize(tx, { productId, accountId, userId, holdSeconds })
          : null,
      ),
    refusal: (sql) => explainRefusal(sql, request),
    answer: ({ authorization, account }) => ({
      status: 201,
      body: {
        purchase: authorization,
        account,
        balance: account.balance,
        held: account.held,
        available: account.available,
        replayed: false,
      },
    }),
  });
}

/**
 * The answer to a purchase. The balance is the one right after THIS purchase (its ledger row), not the
 * account's balance later: a replay repeats this answer as it was.
 */
function buyOutput(purchase: TTransaction, account: TAccount): TPurchaseOutput {
  if (purchase.kind !== "purchase") throw new Error(`ledger row ${purchase.id} is a ${purchase.kind}, not a purchase`);
  return { purchase: { ...purchase, kind: purchase.kind }, account, balance: purchase.balanceAfter, replayed: false };
}

/** Why the conditional debit matched nothing. Reads only; the refusal changed nothing. */
async function explainRefusal(sql: Parameters<typeof ledger.purchaseRefusal>[0], request: BuyRequest) {
  const { price, balance, held } = await ledger.purchaseRefusal(sql, request);
  if (price === null) return new AppError("PRODUCT_NOT_FOUND", "Product not found");
  // Someone else's account is reported exactly like a missing one.
  if (balance === null || held === null) return new AppError("ACCOUNT_NOT_FOUND", "Account not found");
  const available = moneyToCents(balance) - moneyToCents(held);
  const short = moneyToCents(price) - available;
  if (short > 0n) {
    const onHold = held === "0.00" ? "" : ` (${held} of the balance ${balance} is held)`;
    return new AppError(
      "INSUFFICIENT_FUNDS",
      `Insufficient funds: the price is ${price}, the available balance ${centsToMoney(available)}${onHold}, ` +
        `short by ${centsToMoney(short)}`,
    );
  }
  // The balance changed between the debit and this read (a concurrent credit): ask for a retry.
  return new AppError("ACCOUNT_CHANGED_RETRY", "The account changed during the purchase: try again");
}
