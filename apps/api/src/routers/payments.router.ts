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
      },
      appErrors: [
        "INVALID_AMOUNT",
        "INVALID_SIGNATURE",
        "UNKNOWN_USER",
        "BILL_OWNED_BY_OTHER_USER",
        "TRANSACTION_ID_REUSED",
        "RATE_LIMITED",
      ],
    })
    .input(ZWebhookInputSchema)
    .output(ZWebhookOutputSchema)
    .mutation(({ ctx, input }) => handleWebhook(ctx, input, ctx.clientIp)),
});
