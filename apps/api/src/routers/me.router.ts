import { ZListTransactionsInputSchema, ZMeSchema, ZTransactionPageSchema } from "@shop/contracts";
import { z } from "zod";
import { getMe, listMyTransactions } from "../services/me.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const meRouter = router({
  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/me",
        protect: true,
        tags: ["wallet"],
        summary: "Me: accounts, balances and recent transactions",
      },
    })
    .input(z.void())
    .output(ZMeSchema)
    .query(({ ctx }) => getMe(ctx, ctx.user.id)),

  transactions: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/me/transactions",
        protect: true,
        tags: ["wallet"],
        summary: "My full transaction history (paginated, newest first)",
      },
    })
    .input(ZListTransactionsInputSchema)
    .output(ZTransactionPageSchema)
    .query(({ ctx, input }) => listMyTransactions(ctx, ctx.user.id, input)),
});
