import { ZWebhookInputSchema, ZWebhookOutputSchema } from "@shop/contracts";
import { handleWebhook } from "../services/payments.service.ts";
import { publicProcedure, router } from "../trpc.ts";

export const paymentsRouter = router({
  webhook: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/payment/webhook",
        protect: false,
        tags: ["payments"],
        summary: "Payment provider: credit an account",
        description:
          'signature = sha1("{PAYMENT_PRIVATE_KEY}:{transaction_id}:{user_id}:{bill_id}:{amount}") with the amount ' +
          "as written in the body. An unknown bill_id creates the account. A repeated transaction_id with the same " +
          "payload answers 200 with the original outcome and credits nothing.",
        errorResponses: {
          400: "Invalid body",
          403: "Invalid signature",
          404: "Unknown user_id",
          409: "bill_id owned by another user, or transaction_id reused with another payload",
          500: "Internal server error",
        },
      },
    })
    .input(ZWebhookInputSchema)
    .output(ZWebhookOutputSchema)
    .mutation(({ ctx, input }) => handleWebhook(ctx, input)),
});
