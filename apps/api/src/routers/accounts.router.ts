import { ZAdjustmentInputSchema, ZAdjustmentOutputSchema, ZIdempotencyKeySchema } from "@shop/contracts";
import { z } from "zod";
import { adjustAccount } from "../services/accounts.service.ts";
import { adminProcedure, router } from "../trpc.ts";
import { idempotencyKey } from "./products.router.ts";

export const accountsRouter = router({
  adjust: adminProcedure
    .meta({
      scope: "money",
      openapi: {
        method: "POST",
        path: "/accounts/{id}/adjustments",
        protect: true,
        tags: ["admin"],
        summary: "Correct a wallet by hand (credit or debit)",
        description:
          "A debit never overdraws (402 INSUFFICIENT_FUNDS, nothing written). 201; a repeated Idempotency-Key " +
          "answers 200 with the first adjustment and replayed: true.",
        successDescription: "Created (status 201); a replay answers 200",
        requestHeaders: z.object({ "idempotency-key": ZIdempotencyKeySchema.optional() }),
      },
      appErrors: ["ACCOUNT_NOT_FOUND", "INSUFFICIENT_FUNDS", "IDEMPOTENCY_KEY_REUSED", "INVALID_IDEMPOTENCY_KEY"],
    })
    .input(ZAdjustmentInputSchema)
    .output(ZAdjustmentOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await adjustAccount(ctx, { ...input, idempotencyKey: idempotencyKey(ctx.idempotencyKey) });
      ctx.response.status = result.replayed ? 200 : 201;
      return result;
    }),
});
