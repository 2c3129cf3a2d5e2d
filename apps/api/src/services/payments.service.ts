// The payment provider's credit webhook. Verification works on the amount's text exactly as the
// provider wrote it; the credit itself is ONE statement (create-or-credit the account, then write its
// ledger row), and the database's UNIQUE(transaction_id) makes it idempotent under any concurrency.
// The ledger row's created_at is clock_timestamp(), taken once the account row is locked: credits and
// purchases racing on one account get times in the order their balances changed (now() would be the
// statement's start, before the lock wait).
import { createHash, timingSafeEqual } from "node:crypto";
import {
  formatMoney,
  moneyToCents,
  type TWebhookInput,
  type TWebhookOutput,
  ZWebhookAmountSchema,
} from "@shop/contracts";
import { type Db, type PrismaClient, statement } from "@shop/db";
import { AppError, isUniqueViolation } from "../errors.ts";

/** sha1("{private_key}:{transaction_id}:{user_id}:{bill_id}:{amount}") as lowercase hex. */
export function signWebhook(
  privateKey: string,
  body: {
    transaction_id: number | string;
    user_id: number | string;
    bill_id: number | string;
    amount: number | string;
  },
): string {
  const text = `${privateKey}:${body.transaction_id}:${body.user_id}:${body.bill_id}:${body.amount}`;
  return createHash("sha1").update(text, "utf8").digest("hex");
}

function signatureMatches(privateKey: string, input: TWebhookInput): boolean {
  const expected = Buffer.from(signWebhook(privateKey, input), "hex");
  const given = Buffer.from(input.signature.toLowerCase(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The credit: $1 the provider's user_id, $2 bill_id, $3 amount, $4 transaction_id, $5 the payload's hash.
 * Creates the account (numeric id = bill_id) for a known user, or credits it if that user owns it. No
 * row back = nothing written (unknown user, or the bill belongs to someone else); a reused
 * transaction_id fails on UNIQUE(transaction_id) and rolls the whole statement back.
 */
export const creditStatement = statement<{ account_id: string; account_numeric_id: string; balance: string }>(
  "payment.credit",
  `WITH owner AS (
     SELECT id FROM users WHERE numeric_id = $1::int8
   ), account AS (
     INSERT INTO accounts (numeric_id, user_id, balance)
     SELECT $2::int8, owner.id, $3::numeric FROM owner
     ON CONFLICT (numeric_id) DO UPDATE
        SET balance = accounts.balance + EXCLUDED.balance, updated_at = now()
      WHERE accounts.user_id = EXCLUDED.user_id
     RETURNING id, numeric_id, balance
   ), entry AS (
     INSERT INTO ledger_entries (kind, account_id, amount, balance_after, transaction_id, payload_hash, created_at)
     SELECT 'credit', account.id, $3::numeric, account.balance, $4::int8, $5::text, clock_timestamp()
       FROM account
     RETURNING account_id
   )
   SELECT account.id::text AS account_id, account.numeric_id::text AS account_numeric_id,
          account.balance::text AS balance
     FROM account JOIN entry ON entry.account_id = account.id`,
);

type Deps = Pick<Db, "prisma" | "sql">;

export async function handleWebhook(
  { prisma, sql }: Deps,
  privateKey: string,
  input: TWebhookInput,
): Promise<TWebhookOutput> {
  if (!signatureMatches(privateKey, input)) throw new AppError("FORBIDDEN", "Invalid signature");
  const parsedAmount = ZWebhookAmountSchema.safeParse(input.amount);
  if (!parsedAmount.success) {
    throw new AppError(
      "BAD_REQUEST",
      "amount must be greater than 0, at most 1000000000.00, with at most two decimals",
    );
  }
  const amount = parsedAmount.data;
  // What identifies the payment, normalised (100 and 100.0 are the same amount).
  const payloadHash = createHash("sha256")
    .update(`${input.transaction_id}:${input.user_id}:${input.bill_id}:${moneyToCents(amount)}`)
    .digest("hex");
  const request = { transactionId: input.transaction_id, payloadHash };

  // No look-up first: a replayed transaction_id fails the ledger's UNIQUE index, which rolls the whole
  // statement back (no double credit), and the catch below answers with the recorded outcome. One round
  // trip for a new credit.
  let rows;
  try {
    rows = await sql.query(creditStatement, [
      String(input.user_id),
      String(input.bill_id),
      amount,
      String(input.transaction_id),
      payloadHash,
    ]);
  } catch (error) {
    // The same transaction_id raced in: one statement won, this one was rolled back whole.
    if (isUniqueViolation(error)) {
      const winner = await findCredit(prisma, request);
      if (winner) return winner;
    }
    throw error;
  }
  const row = rows[0];
  if (!row) {
    // Nothing was written. A reused transaction_id explains it before anything else does.
    const earlier = await findCredit(prisma, request);
    if (earlier) return earlier;
    throw await explainRefusal(prisma, input);
  }
  return {
    status: "credited",
    transactionId: input.transaction_id,
    accountId: row.account_id,
    accountNumericId: Number(row.account_numeric_id),
    amount,
    balance: formatMoney(row.balance),
  };
}

/** A credit already recorded for this transaction_id: the same payload → its outcome; another → 409. */
async function findCredit(prisma: PrismaClient, request: { transactionId: number; payloadHash: string }) {
  const entry = await prisma.ledgerEntry.findUnique({
    where: { transactionId: BigInt(request.transactionId) },
    select: { payloadHash: true, amount: true, balanceAfter: true, account: { select: { id: true, numericId: true } } },
  });
  if (!entry) return null;
  if (entry.payloadHash !== request.payloadHash) {
    throw new AppError("CONFLICT", "This transaction_id was already processed with a different payload");
  }
  return {
    status: "already_processed" as const,
    transactionId: request.transactionId,
    accountId: entry.account.id,
    accountNumericId: Number(entry.account.numericId),
    amount: entry.amount.toFixed(2),
    balance: entry.balanceAfter.toFixed(2),
  };
}

async function explainRefusal(prisma: PrismaClient, input: TWebhookInput): Promise<AppError> {
  const user = await prisma.user.findUnique({ where: { numericId: BigInt(input.user_id) }, select: { id: true } });
  if (!user) return new AppError("NOT_FOUND", `Unknown user_id ${input.user_id}`);
  return new AppError("CONFLICT", `bill_id ${input.bill_id} belongs to another user`);
}
