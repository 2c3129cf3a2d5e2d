// Statements: an account's posted entries in a window with its opening and closing balances, and the
// posted balance at an instant.
import { z } from "zod";
import { ZUuidSchema } from "./common.ts";
import { ZMoneySchema } from "./money.ts";
import { ZDateTimeParamSchema } from "./operator.ts";
import { ZTransactionSchema } from "./wallet.ts";

/** The longest window one statement covers. */
export const STATEMENT_MAX_DAYS = 366;

export const ZStatementFormatSchema = z
  .enum(["json", "csv"])
  .meta({ description: "csv: the entries as text/csv (REST only; the typed client always gets JSON)" });

const window = {
  from: ZDateTimeParamSchema.optional().meta({ description: "Start, included (default: 30 days before `to`)" }),
  to: ZDateTimeParamSchema.optional().meta({ description: "End, excluded (default: now)" }),
  format: ZStatementFormatSchema.optional(),
};

export const ZMyStatementInputSchema = z.object({ accountId: ZUuidSchema, ...window });
export const ZAccountStatementInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The account's id" }),
  ...window,
});

export const ZStatementSchema = z.object({
  accountId: ZUuidSchema,
  from: z.iso.datetime().meta({ description: "Included" }),
  to: z.iso.datetime().meta({ description: "Excluded: the next window starts here" }),
  openingBalance: ZMoneySchema.meta({ description: "The posted balance just before `from`" }),
  closingBalance: ZMoneySchema.meta({ description: "The posted balance just before `to`" }),
  totalIn: ZMoneySchema,
  totalOut: ZMoneySchema,
  entries: z
    .array(ZTransactionSchema)
    .meta({ description: "Every posted entry with from ≤ createdAt < to, oldest first" }),
});
export type TStatement = z.infer<typeof ZStatementSchema>;

/** The statement's CSV columns, in order. */
export const STATEMENT_CSV_COLUMNS = [
  "createdAt",
  "id",
  "kind",
  "direction",
  "counterparty",
  "amount",
  "balanceAfter",
  "productTitle",
  "reason",
  "refundOf",
  "transactionId",
] as const;

export const ZBalanceAtInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The account's id" }),
  at: ZDateTimeParamSchema.optional().meta({ description: "The instant, ISO 8601 (default: now)" }),
});

export const ZBalanceAtSchema = z.object({
  accountId: ZUuidSchema,
  at: z.iso.datetime(),
  balance: ZMoneySchema.meta({
    description: "The posted balance at `at`: the balance after the last entry at or before it (0.00 before any)",
  }),
});
export type TBalanceAt = z.infer<typeof ZBalanceAtSchema>;
