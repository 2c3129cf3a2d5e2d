import { ZWebhookInputSchema, ZWebhookOutputSchema } from "@shop/contracts";
import { handleWebhook } from "../services/payments.service.ts";
import { refuseWebhook } from "../services/webhooks.service.ts";
import { publicProcedure, router } from "../trpc.ts";

/**
 * Records every call in the webhook inbox. It runs before the input is parsed, so a body the schema
 * refuses is recorded too (invalid_body); a credit's record is written by the credit's own statement.
 * It runs for each call of a tRPC batch, so each counts against its address's quota (webhooks.service
 * refuseWebhook: past it, 429 and no record).
 */
const webhookInbox = publicProcedure.use(async ({ ctx, getRawInput, next }) => {
  const result = await next();
  if (result.ok && (result.data as { status?: string } | undefined)?.status === "credited") return result;
  const parsed = await getRawInput().catch(() => undefined);
  const error = result.ok ? undefined : result.error;
  const answer = await refuseWebhook(ctx, { sourceIp: ctx.clientIp, rawBody: ctx.rawBody, parsed, error });
  if (answer !== error) throw answer;
  return result;
});

export const paymentsRouter = router({
  webhook: webhookInbox
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
          "payload answers 200 with the original outcome and credits nothing. Every call is recorded (GET /webhooks).",
      },
      money: "credit",
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
    .mutation(({ ctx, input }) => handleWebhook(ctx, input, { sourceIp: ctx.clientIp, rawBody: ctx.rawBody })),
});
