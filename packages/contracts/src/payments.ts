// The payment provider's webhook. Its body is the provider's format (snake_case); the signature is
// sha1("{private_key}:{transaction_id}:{user_id}:{bill_id}:{amount}") over the amount exactly as the
// provider wrote it.
import { z } from "zod";
import { jsonSchemaOf, textInput, ZNumericIdSchema, ZUuidSchema } from "./common.ts";
import { AMOUNT_JSON_SCHEMA, ZAmountInputSchema, ZMoneySchema } from "./money.ts";

/** A provider id: a positive safe integer (2^53 − 1 at most, so no client ever rounds it). */
export const ZProviderIdSchema = z
  .union([z.number(), z.string().regex(/^[0-9]+$/, "must be a positive integer")])
  .transform((value, ctx) => {
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) {
      ctx.addIssue({ code: "custom", message: "must be a positive integer no larger than 9007199254740991" });
      return z.NEVER;
    }
    return n;
  })
  .meta({
    override: jsonSchemaOf({
      anyOf: [
        { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        { type: "string", pattern: "^0*[1-9][0-9]{0,15}$", description: "at most 9007199254740991" },
      ],
    }),
  });

export const ZWebhookInputSchema = z.object({
  signature: z.string().regex(/^[0-9a-fA-F]{40}$/, "must be a 40-character hex SHA-1"),
  transaction_id: ZProviderIdSchema,
  user_id: ZProviderIdSchema,
  bill_id: ZProviderIdSchema,
  /** The amount as the provider wrote it: the signature covers this exact text. */
  amount: z.union([z.number(), textInput()]).meta({
    description: "Greater than 0, at most 1000000000.00, at most two decimals; signed as written (100, 100.0, 50.5)",
    example: "150.50",
    override: jsonSchemaOf(AMOUNT_JSON_SCHEMA),
  }),
});
export type TWebhookInput = z.infer<typeof ZWebhookInputSchema>;

/** Parses the amount after the signature has been checked over its text. */
export const ZWebhookAmountSchema = ZAmountInputSchema;

export const ZWebhookOutputSchema = z.object({
  status: z.enum(["credited", "already_processed"]),
  transactionId: ZNumericIdSchema,
  accountId: ZUuidSchema,
  accountNumericId: ZNumericIdSchema,
  amount: ZMoneySchema,
  balance: ZMoneySchema.meta({ description: "The account's balance right after this credit" }),
});
export type TWebhookOutput = z.infer<typeof ZWebhookOutputSchema>;
