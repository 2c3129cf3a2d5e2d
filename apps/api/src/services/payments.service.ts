// The payment provider's credit webhook. Verification works on the amount's text exactly as the
// provider wrote it; the credit itself is ONE statement (ledger.repository: create-or-credit the
// account, write its ledger row and the call's record), and the database's UNIQUE(transaction_id) makes
// it idempotent under any concurrency.
import { createHash, timingSafeEqual } from "node:crypto";
import { moneyToCents, type TWebhookInput, type TWebhookOutput, ZWebhookAmountSchema } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { ledger } from "../repositories/ledger.repository.ts";
import { usersRepository } from "../repositories/users.repository.ts";
import { storedBody } from "../repositories/webhook-deliveries.repository.ts";
import { runNaturalMove } from "./money-move.ts";

/** The provider's fields that the signature covers, as written (numbers or their text). */
export interface WebhookSigned {
  transaction_id: number | string;
  user_id: number | string;
  bill_id: number | string;
  amount: number | string;
}

/** sha1("{private_key}:{transaction_id}:{user_id}:{bill_id}:{amount}") as lowercase hex. */
export function signWebhook(privateKey: string, body: WebhookSigned): string {
  const text = `${privateKey}:${body.transaction_id}:${body.user_id}:${body.bill_id}:${body.amount}`;
  return createHash("sha1").update(text, "utf8").digest("hex");
}

function signatureMatches(privateKey: string, input: TWebhookInput): boolean {
  const expected = Buffer.from(signWebhook(privateKey, input), "hex");
  const given = Buffer.from(input.signature.toLowerCase(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The call as received, for its record in the webhook inbox (written with the credit itself). */
export interface WebhookCall {
  sourceIp: string;
  /** The body's text as received, if any. */
  rawBody: string | undefined;
}

/**
 * A provider's credit. A bad signature is counted per client address: over the budget
 * (WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS) it answers 429 instead of 403. A correctly signed call is
 * never refused by that count: the check comes first, and only failures are counted.
 */
export async function handleWebhook(
  { db, config, loginLimiter }: Deps,
  input: TWebhookInput,
  call: WebhookCall = { sourceIp: "internal", rawBody: undefined },
): Promise<TWebhookOutput> {
  if (!signatureMatches(config.paymentPrivateKey, input)) {
    await loginLimiter.badSignature(call.sourceIp);
    throw new AppError("INVALID_SIGNATURE", "Invalid signature");
  }
  const parsedAmount = ZWebhookAmountSchema.safeParse(input.amount);
  if (!parsedAmount.success) {
    throw new AppError(
      "INVALID_AMOUNT",
      "amount must be greater than 0, at most 1000000000.00, with at most two decimals",
    );
  }
  const amount = parsedAmount.data;
  // What identifies the payment, normalised (100 and 100.0 are the same amount).
  const payloadHash = createHash("sha256")
    .update(`${input.transaction_id}:${input.user_id}:${input.bill_id}:${moneyToCents(amount)}`)
    .digest("hex");

  // The money-move pipeline's natural-key form (money-move.ts): no look-up first. A replayed
  // transaction_id fails the ledger's UNIQUE index, which rolls the whole statement back (no double
  // credit), and `recorded` answers with the recorded outcome. One round trip for a new credit.
  return runNaturalMove(db, {
    write: (sql) =>
      ledger.credit(
        sql,
        { userId: input.user_id, billId: input.bill_id, amount, transactionId: input.transaction_id, payloadHash },
        { sourceIp: call.sourceIp, ...storedBody(call.rawBody) },
      ),
    /** A credit already recorded for this transaction_id: the same payload → its outcome; another → 409. */
    recorded: async (sql): Promise<TWebhookOutput | null> => {
      const entry = await ledger.creditByTransactionId(sql, input.transaction_id);
      if (!entry) return null;
      if (entry.payloadHash !== payloadHash) {
        throw new AppError(
          "TRANSACTION_ID_REUSED",
          "This transaction_id was already processed with a different payload",
        );
      }
      return {
        status: "already_processed",
        transactionId: input.transaction_id,
        accountId: entry.accountId,
        accountNumericId: entry.accountNumericId,
        amount: entry.amount,
        balance: entry.balanceAfter,
      };
    },
    // Nothing was written and no earlier credit explains it.
    refusal: async () => {
      if (!(await usersRepository(db).existsByNumericId(input.user_id))) {
        return new AppError("UNKNOWN_USER", `Unknown user_id ${input.user_id}`);
      }
      return new AppError("BILL_OWNED_BY_OTHER_USER", `bill_id ${input.bill_id} belongs to another user`);
    },
    answer: ({ ledgerEntryId: _, ...account }) => ({
      status: "credited",
      transactionId: input.transaction_id,
      amount,
      ...account,
    }),
  });
}
