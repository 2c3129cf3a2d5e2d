import {
  ZAccountAuthorizationsInputSchema,
  ZAccountAuthorizationsSchema,
  ZAdjustmentInputSchema,
  ZAdjustmentOutputSchema,
  ZIdempotencyKeySchema,
} from "@shop/contracts";
import { z } from "zod";
import { adjustAccount } from "../services/accounts.service.ts";
import { listAccountAuthorizations } from "../services/authorizations.service.ts";
import { adminProcedure, answered, router } from "../trpc.ts";
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
          "A debit never overdraws (402 INSUFFICIENT_FUNDS, nothing written). 201, with the audit entry in the " +
          "same commit. The same Idempotency-Key with the same account, direction, amount and reason answers the " +
          "first answer again (201, replayed: true, header Idempotent-Replayed: true); with another request, " +
          "409 IDEMPOTENCY_KEY_REUSED.",
        successDescription: "Created (status 201), also when a replay repeats it",
        requestHeaders: z.object({ "idempotency-key": ZIdempotencyKeySchema.optional() }),
      },
      created: true,
      idempotent: true,
      appErrors: ["ACCOUNT_NOT_FOUND", "INSUFFICIENT_FUNDS"],
    })
    .input(ZAdjustmentInputSchema)
    .output(ZAdjustmentOutputSchema)
    .mutation(async ({ ctx, input }) =>
      answered(ctx, await adjustAccount(ctx, { ...input, idempotencyKey: idempotencyKey(ctx.idempotencyKey) })),
    ),

  authorizations: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/accounts/{id}/authorizations",
        protect: true,
        tags: ["admin"],
        summary: "The authorizations (two-phase purchases' holds) of an account",
        description:
          "Newest first, at most `limit` (default 50, at most 100). `status` filters on the status as it is " +
          "now: an authorization past its expiresAt is expired, whether or not a move has released it yet. " +
          "An administrator, or an API key with `read`.",
      },
      appErrors: ["ACCOUNT_NOT_FOUND"],
    })
    .input(ZAccountAuthorizationsInputSchema)
    .output(ZAccountAuthorizationsSchema)
    .query(({ ctx, input }) => listAccountAuthorizations(ctx, input)),
});
