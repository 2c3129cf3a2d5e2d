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

export const ZTransactionKindSchema = z.enum(["credit", "purchase"]);

export const ZTransactionSchema = z.object({
  id: ZUuidSchema,
  kind: ZTransactionKindSchema,
  amount: ZMoneySchema.meta({ description: "Always positive; kind tells the direction" }),
  balanceAfter: ZMoneySchema,
  accountId: ZUuidSchema,
  accountNumericId: ZNumericIdSchema,
  createdAt: ZTimestampSchema,
  transactionId: ZNumericIdSchema.nullable().meta({ description: "credit: the provider's transaction_id" }),
  productId: ZUuidSchema.nullable(),
  productTitle: z.string().nullable(),
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
