// Accounts, the ledger and purchases.
import { z } from "zod";
import {
  ZNumericIdSchema,
  ZPageInputSchema,
  ZStrictBooleanSchema,
  ZTimestampSchema,
  ZUuidSchema,
  intParam,
  pageOf,
  textInput,
} from "./common.ts";
import { ZAmountInputSchema, ZMoneySchema } from "./money.ts";

export const ZAccountSchema = z.object({
  id: ZUuidSchema,
  numericId: ZNumericIdSchema.meta({ description: "The payment provider's bill_id", example: 1042 }),
  balance: ZMoneySchema.meta({ description: "Posted: the sum of the ledger's entries" }),
  held: ZMoneySchema.meta({ description: "Reserved by unexpired authorizations (two-phase purchases)" }),
  available: ZMoneySchema.meta({ description: "balance − held: what purchases, authorizations and debits may use" }),
});
export type TAccount = z.infer<typeof ZAccountSchema>;

export const TRANSACTION_KINDS = ["credit", "purchase", "refund", "adjustment"] as const;
export const ZTransactionKindSchema = z.enum(TRANSACTION_KINDS);
export type TTransactionKind = z.infer<typeof ZTransactionKindSchema>;
/** Which way the money moved for the wallet. */
export const ZDirectionSchema = z.enum(["in", "out"]);
/** The other side of the transfer: the payment provider, the shop, or manual corrections. */
export const ZCounterpartySchema = z.enum(["provider", "shop", "adjustments"]);

export const ZTransactionSchema = z.object({
  id: ZUuidSchema,
  kind: ZTransactionKindSchema,
  direction: ZDirectionSchema.meta({ description: "in: money came into the wallet; out: it left" }),
  counterparty: ZCounterpartySchema,
  amount: ZMoneySchema.meta({ description: "Always positive; direction tells the sign" }),
  balanceAfter: ZMoneySchema,
  accountId: ZUuidSchema,
  accountNumericId: ZNumericIdSchema,
  createdAt: ZTimestampSchema,
  transactionId: ZNumericIdSchema.nullable().meta({ description: "credit: the provider's transaction_id" }),
  productId: ZUuidSchema.nullable(),
  productTitle: z.string().nullable(),
  refundOf: ZUuidSchema.nullable().meta({ description: "refund: the purchase's transaction id" }),
  refundedAmount: ZMoneySchema.nullable().meta({ description: 'purchase: refunded so far ("0.00" if never)' }),
  reason: z.string().nullable().meta({ description: "refund, adjustment: why" }),
});
export type TTransaction = z.infer<typeof ZTransactionSchema>;

export const ZTransactionPageSchema = pageOf(ZTransactionSchema);

export const ZListTransactionsInputSchema = ZPageInputSchema.extend({
  accountId: ZUuidSchema.optional(),
});

/** How long an authorization holds money at most: 30 days. */
export const MAX_HOLD_SECONDS = 30 * 86_400;

export const ZBuyInputSchema = z.object({
  productId: ZUuidSchema,
  accountId: ZUuidSchema,
  capture: ZStrictBooleanSchema.optional().meta({
    description: "false: authorize only (hold the price until captured, voided or expired); default true: buy now",
  }),
  holdSeconds: intParam({ min: 1, max: MAX_HOLD_SECONDS })
    .optional()
    .meta({ description: "capture: false only: how long the hold lasts (default HOLD_TTL_SECONDS, 7 days)" }),
});
export type TBuyInput = z.input<typeof ZBuyInputSchema>;

export const AUTHORIZATION_STATUSES = ["authorized", "captured", "voided", "expired"] as const;

/** A two-phase purchase's hold. Its id becomes the purchase's transaction id when it is captured. */
export const ZAuthorizationSchema = z.object({
  id: ZUuidSchema,
  status: z.enum(AUTHORIZATION_STATUSES).meta({
    description: "authorized until captured or voided; expired from expiresAt on (exactly)",
  }),
  amount: ZMoneySchema.meta({ description: "Held: the product's price at authorization" }),
  capturedAmount: ZMoneySchema.nullable().meta({ description: "captured: what was debited (the rest released)" }),
  accountId: ZUuidSchema,
  accountNumericId: ZNumericIdSchema,
  productId: ZUuidSchema,
  productTitle: z.string(),
  createdAt: ZTimestampSchema,
  expiresAt: ZTimestampSchema,
  endedAt: ZTimestampSchema.nullable().meta({ description: "When it was captured, voided or expired" }),
});
export type TAuthorization = z.infer<typeof ZAuthorizationSchema>;

/** GET /accounts/{id}/authorizations: an account's holds, newest first, optionally of one status. */
export const ZAccountAuthorizationsInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The account's id" }),
  status: z
    .enum(AUTHORIZATION_STATUSES)
    .optional()
    .meta({
      description:
        "Only those with this status, as it is now: authorized = live (not yet expired); expired = past expiresAt, " +
        "whether or not a move has released it yet",
    }),
  limit: intParam({ min: 1, max: 100 }).default(50),
});
export type TAccountAuthorizationsInput = z.input<typeof ZAccountAuthorizationsInputSchema>;

export const ZAccountAuthorizationsSchema = z.object({
  items: z.array(ZAuthorizationSchema).meta({ description: "Newest first (at most `limit`)" }),
});
export type TAccountAuthorizations = z.infer<typeof ZAccountAuthorizationsSchema>;

export const ZPurchaseOutputSchema = z.object({
  purchase: ZTransactionSchema.extend({ kind: z.literal("purchase") }),
  account: ZAccountSchema,
  balance: ZMoneySchema.meta({ description: "The account's balance after the purchase" }),
  replayed: z.boolean().meta({ description: "True when an Idempotency-Key repeated an earlier purchase" }),
});
export type TPurchaseOutput = z.infer<typeof ZPurchaseOutputSchema>;

export const ZAuthorizationOutputSchema = z.object({
  purchase: ZAuthorizationSchema.meta({ description: "The authorization: status authorized, with expiresAt" }),
  account: ZAccountSchema,
  balance: ZMoneySchema.meta({ description: "The account's posted balance (unchanged)" }),
  held: ZMoneySchema,
  available: ZMoneySchema,
  replayed: z.boolean(),
});
export type TAuthorizationOutput = z.infer<typeof ZAuthorizationOutputSchema>;

/** A purchase (capture true, 200) or an authorization (capture false, 201). */
export const ZBuyOutputSchema = z.union([ZPurchaseOutputSchema, ZAuthorizationOutputSchema]);
export type TBuyOutput = z.infer<typeof ZBuyOutputSchema>;

export const ZCaptureInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The authorization's id" }),
  amount: ZAmountInputSchema.optional().meta({ description: "Default: the whole authorized amount" }),
});

export const ZCaptureOutputSchema = z.object({
  purchase: ZTransactionSchema.extend({ kind: z.literal("purchase") }).meta({
    description: "The purchase posted to the ledger (its id is the authorization's)",
  }),
  authorization: ZAuthorizationSchema,
  account: ZAccountSchema,
  replayed: z.boolean(),
});
export type TCaptureOutput = z.infer<typeof ZCaptureOutputSchema>;

export const ZVoidInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The authorization's id" }),
  reason: textInput().trim().min(3).max(500).optional().meta({ description: "Why (kept in the audit log)" }),
});

export const ZVoidOutputSchema = z.object({
  authorization: ZAuthorizationSchema,
  account: ZAccountSchema,
  replayed: z.boolean(),
});
export type TVoidOutput = z.infer<typeof ZVoidOutputSchema>;
