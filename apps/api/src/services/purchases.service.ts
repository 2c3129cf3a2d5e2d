// Buying: the debit is ONE conditional statement — the balance check and the write happen in the
// same row update, with its ledger row inserted by the same statement — so no interleaving of
// concurrent purchases can overdraw an account (and the CHECK (balance >= 0) backs it up). The ledger
// row's created_at is clock_timestamp(), taken after the row lock, so history follows the balance order.
import { centsToMoney, moneyToCents, type TBuyOutput, type TTransaction } from "@shop/contracts";
import { type Db, type PrismaClient, type SqlClient, statement } from "@shop/db";
import { AppError, isUniqueViolation } from "../errors.ts";
import { transactionJson } from "./mappers.ts";

export interface BuyRequest {
  userId: string;
  productId: string;
  accountId: string;
  /** Optional Idempotency-Key: a retry with the same key returns the first result. */
  idempotencyKey?: string | undefined;
}

/**
 * The purchase: $1 product id, $2 account id, $3 the buyer's user id, $4 Idempotency-Key or NULL.
 * No row back = nothing written (no such product or account, not the buyer's, or not enough money);
 * otherwise the new ledger row, as the API's transaction (the same JSON as a replay's).
 */
export const purchaseStatement = statement<{ tx: TTransaction }>(
  "purchase.debit",
  `WITH product AS (
     SELECT id, title, price FROM products WHERE id = $1::uuid AND deleted_at IS NULL
   ), debit AS (
     UPDATE accounts a
        SET balance = a.balance - product.price, updated_at = now()
       FROM product
      WHERE a.id = $2::uuid
        AND a.user_id = $3::uuid
        AND a.balance >= product.price
     RETURNING a.id, a.numeric_id, a.balance, product.id AS product_id, product.title, product.price
   ), entry AS (
     INSERT INTO ledger_entries
       (kind, account_id, amount, balance_after, product_id, product_title, product_price, idempotency_key,
        created_at)
     SELECT 'purchase', debit.id, debit.price, debit.balance, debit.product_id, debit.title, debit.price,
            $4::text, clock_timestamp()
       FROM debit
     RETURNING *
   )
   SELECT ${transactionJson("debit.numeric_id")} AS tx FROM entry e JOIN debit ON debit.id = e.account_id`,
);

type Deps = Pick<Db, "prisma" | "sql">;

export async function buyProduct(db: Deps, request: BuyRequest): Promise<TBuyOutput> {
  const { prisma, sql } = db;
  const key = request.idempotencyKey;
  if (key !== undefined) {
    const earlier = await findByIdempotencyKey(db, request);
    if (earlier) return earlier;
  }
  let rows;
  try {
    rows = await sql.query(purchaseStatement, [request.productId, request.accountId, request.userId, key ?? null]);
  } catch (error) {
    // The same Idempotency-Key raced in twice: the database let one through and rolled the other back.
    if (key !== undefined && isUniqueViolation(error)) {
      const earlier = await findByIdempotencyKey(db, request);
      if (earlier) return earlier;
    }
    throw error;
  }
  const row = rows[0];
  if (!row) {
    // A concurrent request with the same key may have debited first and left too little for this
    // one: its debit matched nothing, but it is a retry of that purchase, not a new one.
    if (key !== undefined) {
      const earlier = await findByIdempotencyKey(db, request);
      if (earlier) return earlier;
    }
    throw await explainRefusal(prisma, request);
  }
  // Everything the answer needs came back from the statement itself: no second round trip.
  return buyOutput(row.tx, false);
}

/**
 * The answer to a purchase. The balance is the one right after THIS purchase (its ledger row), not the
 * account's balance now: concurrent purchases may have moved it since, and a replay must repeat the
 * first answer.
 */
function buyOutput(purchase: TTransaction, replayed: boolean): TBuyOutput {
  const account = { id: purchase.accountId, numericId: purchase.accountNumericId, balance: purchase.balanceAfter };
  return { purchase, account, balance: purchase.balanceAfter, replayed };
}

const purchaseById = statement<{ tx: TTransaction }>(
  "purchase.by-id",
  `SELECT ${transactionJson("a.numeric_id")} AS tx
     FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE e.id = $1::uuid`,
);

async function loadPurchase(sql: SqlClient, entryId: string, replayed: boolean): Promise<TBuyOutput> {
  const [row] = await sql.query(purchaseById, [entryId]);
  if (!row) throw new Error(`ledger entry ${entryId} vanished`);
  return buyOutput(row.tx, replayed);
}

async function findByIdempotencyKey({ prisma, sql }: Deps, request: BuyRequest): Promise<TBuyOutput | null> {
  const entry = await prisma.ledgerEntry.findFirst({
    where: {
      accountId: request.accountId,
      idempotencyKey: request.idempotencyKey!,
      account: { userId: request.userId },
    },
    select: { id: true, productId: true },
  });
  if (!entry) return null;
  if (entry.productId !== request.productId) {
    throw new AppError("CONFLICT", "This Idempotency-Key was already used for a different purchase");
  }
  return loadPurchase(sql, entry.id, true);
}

/** Why the conditional debit matched nothing. Reads only; the refusal changed nothing. */
async function explainRefusal(prisma: PrismaClient, request: BuyRequest): Promise<AppError> {
  const [product, account] = await Promise.all([
    prisma.product.findFirst({ where: { id: request.productId, deletedAt: null }, select: { price: true } }),
    prisma.account.findFirst({ where: { id: request.accountId, userId: request.userId }, select: { balance: true } }),
  ]);
  if (!product) return new AppError("NOT_FOUND", "Product not found");
  // Someone else's account is reported exactly like a missing one.
  if (!account) return new AppError("NOT_FOUND", "Account not found");
  const price = moneyToCents(product.price.toFixed(2));
  const balance = moneyToCents(account.balance.toFixed(2));
  if (balance < price) {
    return new AppError(
      "PAYMENT_REQUIRED",
      `Insufficient funds: the price is ${centsToMoney(price)}, the balance ${centsToMoney(balance)}, ` +
        `short by ${centsToMoney(price - balance)}`,
    );
  }
  // The balance changed between the debit and this read (a concurrent credit): ask for a retry.
  return new AppError("CONFLICT", "The account changed during the purchase: try again");
}
