// Accounts, the ledger and purchases.
import { z } from "zod";
import { ZPageInputSchema, ZTimestampSchema, ZUuidSchema, pageOf } from "./common.ts";
import { ZMoneySchema } from "./money.ts";

export const ZAccountSchema = z.object({
  id: ZUuidSchema,
  numericId: z.number().int().meta({ description: "The payment provider's bill_id" }),
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
  accountNumericId: z.number().int(),
  createdAt: ZTimestampSchema,
  transactionId: z.number().int().nullable().meta({ description: "credit: the provider's transaction_id" }),
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
  purchase: ZTransactionSchema,
  account: ZAccountSchema,
  balance: ZMoneySchema.meta({ description: "The account's balance after the purchase" }),
  replayed: z.boolean().meta({ description: "True when an Idempotency-Key repeated an earlier purchase" }),
});
export type TBuyOutput = z.infer<typeof ZBuyOutputSchema>;
