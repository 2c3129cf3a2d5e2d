import { ZReconciliationInputSchema, ZReconciliationSchema } from "@shop/contracts";
import { getReconciliation } from "../services/reports.service.ts";
import { adminProcedure, router } from "../trpc.ts";

export const reconciliationRouter = router({
  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/reconciliation",
        protect: true,
        tags: ["admin"],
        summary: "Do the books balance?",
        description:
          "balanced: Σ wallets = provider credits − sales + refunds + adjustments in − adjustments out, and every " +
          "wallet's balance equals its ledger sum (mismatches lists those that do not, at most 100). Read from daily " +
          "roll-ups and the live ledger after them; full=true checks every account against its whole ledger.",
      },
    })
    .input(ZReconciliationInputSchema)
    .output(ZReconciliationSchema)
    .query(({ ctx, input }) => getReconciliation(ctx, { full: input?.full ?? false })),
});
