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
        description: "The signed-in user with every account, its balance, and the latest 50 transactions.",
      },
      appErrors: ["USER_NOT_FOUND"],
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
        description: "All accounts, or one with accountId; limit 1–100 (default 20), offset from 0.",
      },
    })
    .input(ZListTransactionsInputSchema)
    .output(ZTransactionPageSchema)
    .query(({ ctx, input }) => listMyTransactions(ctx, ctx.user.id, input)),
});
