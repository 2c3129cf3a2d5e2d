import {
  ZListWebhooksInputSchema,
  ZWebhookDeliveryPageSchema,
  ZWebhookDeliverySchema,
  ZWebhookIdInputSchema,
} from "@shop/contracts";
import { getWebhook, listWebhooks } from "../services/webhooks.service.ts";
import { adminProcedure, router } from "../trpc.ts";

export const webhooksRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks",
        protect: true,
        tags: ["admin"],
        summary: "The webhook inbox: every call of POST /payment/webhook, newest first",
        description:
          "Credits are kept with their ledger row; other outcomes are kept best-effort, the latest 10,000. " +
          "userId and transactionId are the provider's numbers; from / to are ISO 8601 date-times.",
      },
    })
    .input(ZListWebhooksInputSchema)
    .output(ZWebhookDeliveryPageSchema)
    .query(({ ctx, input }) => listWebhooks(ctx, input)),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks/{id}",
        protect: true,
        tags: ["admin"],
        summary: "One webhook call",
        description:
          "The call as received (body cut at 4 KB), its verdict, the HTTP status and the ledger entry it made.",
      },
      appErrors: ["WEBHOOK_NOT_FOUND"],
    })
    .input(ZWebhookIdInputSchema)
    .output(ZWebhookDeliverySchema)
    .query(({ ctx, input }) => getWebhook(ctx, input.id)),
});
