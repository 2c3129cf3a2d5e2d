// The operator's money: refunds, adjustments, the whole ledger, the webhook inbox, the audit log, stats
// and reconciliation. Every endpoint here is for administrators only.
import { z } from "zod";
import {
  ZBoolParamSchema,
  ZPageInputSchema,
  ZTimestampSchema,
  ZUuidSchema,
  intParam,
  pageOf,
  textInput,
} from "./common.ts";
import { ZAmountInputSchema, ZMoneySchema } from "./money.ts";
import { ZAccountSchema, ZTransactionKindSchema, ZTransactionSchema } from "./wallet.ts";

/** Why an operator moved money: 3–500 characters (line breaks allowed: the SPA's field is a textarea). */
export const ZReasonSchema = textInput({ multiline: true })
  .trim()
  .min(3, "must be at least 3 characters")
  .max(500, "must be at most 500 characters")
  .meta({ example: "Item arrived broken" });

/** An ISO 8601 date-time in a query (`2026-12-01T00:00:00Z`, offsets allowed). */
export const ZDateTimeParamSchema = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" });

/** A calendar day in UTC, `YYYY-MM-DD`, that exists. */
export const ZDateParamSchema = z.iso.date({ message: "must be a date YYYY-MM-DD" });

// ── Refunds and adjustments ─────────────────────────────────────────────────────────────────────────

export const ZRefundInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The purchase's transaction id" }),
  amount: ZAmountInputSchema.optional().meta({ description: "Default: what is left to refund" }),
  reason: ZReasonSchema,
});
export type TRefundInput = z.input<typeof ZRefundInputSchema>;

export const ZRefundOutputSchema = z.object({
  refund: ZTransactionSchema,
  account: ZAccountSchema.meta({ description: "The account right after this refund" }),
  replayed: z.boolean(),
});
export type TRefundOutput = z.infer<typeof ZRefundOutputSchema>;

export const ZAdjustmentInputSchema = z.object({
  id: ZUuidSchema.meta({ description: "The account's id" }),
  direction: z.enum(["credit", "debit"]),
  amount: ZAmountInputSchema,
  reason: ZReasonSchema,
});
export type TAdjustmentInput = z.input<typeof ZAdjustmentInputSchema>;

export const ZAdjustmentOutputSchema = z.object({
  adjustment: ZTransactionSchema,
  account: ZAccountSchema.meta({ description: "The account right after this adjustment" }),
  replayed: z.boolean(),
});
export type TAdjustmentOutput = z.infer<typeof ZAdjustmentOutputSchema>;

// ── The whole ledger ────────────────────────────────────────────────────────────────────────────────

/** A provider number in a query: a positive whole number. */
const providerNumberParam = intParam({ min: 1, max: Number.MAX_SAFE_INTEGER });

export const ZTransactionFilterSchema = z.object({
  id: ZUuidSchema.optional().meta({ description: "One ledger entry (a webhook delivery's ledgerEntryId)" }),
  transactionId: providerNumberParam
    .optional()
    .meta({ description: "The credit of the provider's transaction_id (a webhook delivery's transactionId)" }),
  kind: ZTransactionKindSchema.optional(),
  userId: ZUuidSchema.optional(),
  accountId: ZUuidSchema.optional(),
  productId: ZUuidSchema.optional(),
  from: ZDateTimeParamSchema.optional().meta({ description: "Included" }),
  to: ZDateTimeParamSchema.optional().meta({ description: "Included" }),
});
export type TTransactionFilter = z.output<typeof ZTransactionFilterSchema>;

export const ZListAllTransactionsInputSchema = ZPageInputSchema.extend(ZTransactionFilterSchema.shape);

export const ZLedgerTransactionSchema = ZTransactionSchema.extend({
  userId: ZUuidSchema,
  userLogin: z.string(),
});
export type TLedgerTransaction = z.infer<typeof ZLedgerTransactionSchema>;
export const ZLedgerTransactionPageSchema = pageOf(ZLedgerTransactionSchema);

/** The CSV's columns, in order: the JSON's field names. */
export const TRANSACTION_CSV_COLUMNS = [
  "id",
  "kind",
  "direction",
  "counterparty",
  "amount",
  "balanceAfter",
  "accountId",
  "accountNumericId",
  "userId",
  "userLogin",
  "createdAt",
  "transactionId",
  "productId",
  "productTitle",
  "refundOf",
  "refundedAmount",
  "reason",
] as const satisfies readonly (keyof TLedgerTransaction)[];

// ── The webhook inbox ───────────────────────────────────────────────────────────────────────────────

export const WEBHOOK_OUTCOMES = [
  "credited",
  "already_processed",
  "invalid_signature",
  "invalid_body",
  "unknown_user",
  "bill_of_other_user",
  "transaction_conflict",
  "rate_limited",
  "server_error",
] as const;
export const ZWebhookOutcomeSchema = z.enum(WEBHOOK_OUTCOMES);
export type TWebhookOutcome = z.infer<typeof ZWebhookOutcomeSchema>;

export const ZWebhookDeliverySchema = z.object({
  id: ZUuidSchema,
  receivedAt: ZTimestampSchema,
  sourceIp: z.string(),
  outcome: ZWebhookOutcomeSchema,
  httpStatus: z.number().int(),
  transactionId: z.number().int().nullable().meta({ description: "The provider's transaction_id as sent" }),
  userId: z.number().int().nullable().meta({ description: "The provider's user_id as sent" }),
  billId: z.number().int().nullable().meta({ description: "The provider's bill_id as sent" }),
  body: z.string().meta({ description: "The body as received, cut at 4 KB" }),
  truncated: z.boolean(),
  ledgerEntryId: ZUuidSchema.nullable().meta({ description: "credited: the credit's transaction id" }),
});
export type TWebhookDelivery = z.infer<typeof ZWebhookDeliverySchema>;
export const ZWebhookDeliveryPageSchema = pageOf(ZWebhookDeliverySchema);

export const ZListWebhooksInputSchema = ZPageInputSchema.extend({
  outcome: ZWebhookOutcomeSchema.optional(),
  transactionId: providerNumberParam.optional(),
  userId: providerNumberParam.optional().meta({ description: "The provider's numeric user_id" }),
  from: ZDateTimeParamSchema.optional(),
  to: ZDateTimeParamSchema.optional(),
});

export const ZWebhookIdInputSchema = z.object({ id: ZUuidSchema });

// ── The audit log ───────────────────────────────────────────────────────────────────────────────────

export const AUDIT_ACTIONS = [
  "product.create",
  "product.update",
  "product.delete",
  "product.restore",
  "user.enable",
  "user.disable",
  "user.activation_link",
  "user.sign_out",
  "user.password_change",
  "transaction.refund",
  "transaction.capture",
  "transaction.void",
  "account.adjust",
  "admin.bootstrap",
  "admin.promote",
  "admin.password_reset",
  "api_key.create",
  "api_key.revoke",
  "webhook_endpoint.create",
  "webhook_endpoint.update",
  "webhook_endpoint.delete",
  "webhook_endpoint.rotate_secret",
  "webhook_endpoint.test",
  "webhook_endpoint.auto_disable",
  "webhook_delivery.retry",
] as const;
export const ZAuditActionSchema = z.enum(AUDIT_ACTIONS);
export type TAuditAction = z.infer<typeof ZAuditActionSchema>;
export const ZAuditTargetTypeSchema = z.enum([
  "product",
  "user",
  "account",
  "transaction",
  "api_key",
  "webhook_endpoint",
  "webhook_delivery",
]);
export type TAuditTargetType = z.infer<typeof ZAuditTargetTypeSchema>;

export const ZAuditActorSchema = z.object({
  type: z.enum(["user", "cli", "system", "api_key"]).meta({
    description: "api_key: a call made with an API key (id: the key's id, login: its name)",
  }),
  id: ZUuidSchema.nullable(),
  login: z.string().nullable(),
});
export type TAuditActor = z.infer<typeof ZAuditActorSchema>;

export const ZAuditEntrySchema = z.object({
  id: ZUuidSchema,
  at: ZTimestampSchema,
  actor: ZAuditActorSchema,
  action: ZAuditActionSchema,
  targetType: ZAuditTargetTypeSchema,
  targetId: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntrySchema>;
export const ZAuditPageSchema = pageOf(ZAuditEntrySchema);

export const ZListAuditInputSchema = ZPageInputSchema.extend({
  actorId: ZUuidSchema.optional(),
  action: ZAuditActionSchema.optional(),
  targetType: ZAuditTargetTypeSchema.optional(),
  targetId: textInput().trim().min(1).max(100).optional(),
  from: ZDateTimeParamSchema.optional(),
  to: ZDateTimeParamSchema.optional(),
});

// ── Stats and reconciliation ────────────────────────────────────────────────────────────────────────

export const ZStatsInputSchema = z.object({
  from: ZDateParamSchema.optional().meta({ description: "First day (UTC), included; default: 29 days before `to`" }),
  to: ZDateParamSchema.optional().meta({ description: "Last day (UTC), included; default: today" }),
});

export const ZReconciliationInputSchema = z
  .object({
    full: ZBoolParamSchema.optional().meta({
      description:
        "true: the auditor's full check — every account against its whole ledger, ignoring the roll-ups (slow: one pass over the ledger)",
    }),
  })
  .optional();

export const ZStatsSchema = z.object({
  asOf: ZTimestampSchema.meta({
    description:
      "The instant the figures are true at: now on the primary; on a read replica (DATABASE_READ_URL), the last transaction it replayed",
  }),
  from: z.iso.date(),
  to: z.iso.date(),
  totals: z.object({
    sales: ZMoneySchema,
    salesCount: z.number().int(),
    refunds: ZMoneySchema,
    netRevenue: ZMoneySchema,
    credits: ZMoneySchema,
    creditsCount: z.number().int(),
    adjustmentsIn: ZMoneySchema,
    adjustmentsOut: ZMoneySchema,
    walletsTotal: ZMoneySchema.meta({ description: "Now, not for the range" }),
    held: ZMoneySchema.meta({ description: "Now: the sum of unexpired authorized holds" }),
    users: z
      .object({ pending: z.number().int(), active: z.number().int(), disabled: z.number().int() })
      .meta({ description: "Now, not for the range" }),
  }),
  daily: z.array(
    z.object({
      date: z.iso.date(),
      sales: ZMoneySchema,
      refunds: ZMoneySchema,
      credits: ZMoneySchema,
      newUsers: z.number().int(),
    }),
  ),
  topProducts: z.array(
    z.object({ productId: ZUuidSchema, title: z.string(), count: z.number().int(), netRevenue: ZMoneySchema }),
  ),
});
export type TStats = z.infer<typeof ZStatsSchema>;

export const ZReconciliationSchema = z.object({
  asOf: ZTimestampSchema.meta({
    description:
      "The instant the figures are true at: now on the primary; on a read replica (DATABASE_READ_URL), the last transaction it replayed",
  }),
  balanced: z.boolean(),
  walletsTotal: ZMoneySchema,
  held: ZMoneySchema.meta({ description: "Now: the sum of unexpired authorized holds" }),
  providerCredits: ZMoneySchema,
  sales: ZMoneySchema,
  refunds: ZMoneySchema,
  adjustmentsIn: ZMoneySchema,
  adjustmentsOut: ZMoneySchema,
  mismatches: z.array(z.object({ accountId: ZUuidSchema, storedBalance: ZMoneySchema, ledgerBalance: ZMoneySchema })),
});
export type TReconciliation = z.infer<typeof ZReconciliationSchema>;
