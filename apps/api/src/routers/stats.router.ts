import { ZStatsInputSchema, ZStatsSchema } from "@shop/contracts";
import { getStats } from "../services/reports.service.ts";
import { adminProcedure, router } from "../trpc.ts";

export const statsRouter = router({
  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/stats",
        protect: true,
        tags: ["admin"],
        summary: "Sales, refunds, credits and adjustments per day",
        description:
          "from / to are YYYY-MM-DD (UTC), both included; default the last 30 days; at most 366 days. users and " +
          "walletsTotal are the state now; topProducts: the 10 with the highest net revenue in the range.",
      },
      appErrors: ["INVALID_DATE_RANGE"],
    })
    .input(ZStatsInputSchema)
    .output(ZStatsSchema)
    .query(({ ctx, input }) => getStats(ctx, input)),
});
