// Accounts, the ledger and purchases.
import { z } from "zod";
import { ZNumericIdSchema, ZPageInputSchema, ZTimestampSchema, ZUuidSchema, pageOf } from "./common.ts";
import { ZMoneySchema } from "./money.ts";

export const ZAccountSchema = z.object({
  id: ZUuidSchema,
  numericId: ZNumericIdSchema.meta({ description: "The payment provider's bill_id", example: 1042 }),
  balance: ZMoneySchema,
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

export const ZBuyInputSchema = z.object({ productId: ZUuidSchema, accountId: ZUuidSchema });
export type TBuyInput = z.infer<typeof ZBuyInputSchema>;

export const ZBuyOutputSchema = z.object({
  purchase: ZTransactionSchema.extend({ kind: z.literal("purchase") }),
  account: ZAccountSchema,
  balance: ZMoneySchema.meta({ description: "The account's balance after the purchase" }),
  replayed: z.boolean().meta({ description: "True when an Idempotency-Key repeated an earlier purchase" }),
});
export type TBuyOutput = z.infer<typeof ZBuyOutputSchema>;
