import {
  ZIdempotencyKeySchema,
  ZLedgerTransactionPageSchema,
  ZListAllTransactionsInputSchema,
  ZRefundInputSchema,
  ZRefundOutputSchema,
} from "@shop/contracts";
import { z } from "zod";
import { listTransactions, refundPurchase } from "../services/transactions.service.ts";
import { adminProcedure, answered, router } from "../trpc.ts";
import { idempotencyKey } from "./products.router.ts";

export const transactionsRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/transactions",
        protect: true,
        tags: ["admin"],
        summary: "The whole ledger, newest first",
        description:
          "Filters: kind, userId, accountId, productId (a refund carries its purchase's product), from / to " +
          "(ISO 8601 date-times, both included), id (one entry: a webhook delivery's ledgerEntryId), " +
          "transactionId (the credit of a provider transaction_id). The same filters as CSV: GET /transactions.csv.",
      },
    })
    .input(ZListAllTransactionsInputSchema)
    .output(ZLedgerTransactionPageSchema)
    .query(({ ctx, input }) => listTransactions(ctx, input)),

  refund: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/transactions/{id}/refund",
        protect: true,
        tags: ["admin"],
        summary: "Refund (part of) a purchase",
        description:
          "Gives the money back to the account the purchase was paid from (also for a disabled user or a deleted " +
          "product). amount defaults to what is left; the refunds of a purchase never sum above its price (409 " +
          "REFUND_EXCEEDS_PURCHASE). Only a purchase can be refunded (409 NOT_A_PURCHASE). 201, with the audit " +
          "entry in the same commit. The same Idempotency-Key with the same purchase, amount and reason answers the " +
          "first answer again (201, replayed: true, header Idempotent-Replayed: true); with another request, 409 " +
          "IDEMPOTENCY_KEY_REUSED.",
        successDescription: "Created (status 201), also when a replay repeats it",
        requestHeaders: z.object({ "idempotency-key": ZIdempotencyKeySchema.optional() }),
      },
      created: true,
      idempotent: true,
      appErrors: ["TRANSACTION_NOT_FOUND", "NOT_A_PURCHASE", "REFUND_EXCEEDS_PURCHASE"],
    })
    .input(ZRefundInputSchema)
    .output(ZRefundOutputSchema)
    .mutation(async ({ ctx, input }) =>
      answered(ctx, await refundPurchase(ctx, { ...input, idempotencyKey: idempotencyKey(ctx.idempotencyKey) })),
    ),
});
