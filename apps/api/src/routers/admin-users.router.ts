import {
  ZActivationLinkSchema,
  ZListUsersInputSchema,
  ZSetUserActiveInputSchema,
  ZTransactionPageSchema,
  ZUserDetailSchema,
  ZUserIdInputSchema,
  ZUserPageSchema,
  ZUserTransactionsInputSchema,
} from "@shop/contracts";
import {
  createActivationLink,
  getUser,
  listUserTransactions,
  listUsers,
  setUserActive,
} from "../services/admin-users.service.ts";
import { adminProcedure, router } from "../trpc.ts";

export const adminUsersRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users",
        protect: true,
        tags: ["admin"],
        summary: "List users with their accounts",
        description:
          "Administrators only. Search by login; filter by isActive or status; sort by login (case-insensitive), " +
          "joined (default) or balance (the sum of the user's balances), order asc (default) or desc; " +
          "limit 1–100 (default 20).",
      },
    })
    .input(ZListUsersInputSchema)
    .output(ZUserPageSchema)
    .query(({ ctx, input }) => listUsers(ctx, input)),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/{id}",
        protect: true,
        tags: ["admin"],
        summary: "A user with accounts and recent history",
        description: "Administrators only: the user, every account with its balance, and the latest 50 transactions.",
      },
      appErrors: ["USER_NOT_FOUND"],
    })
    .input(ZUserIdInputSchema)
    .output(ZUserDetailSchema)
    .query(({ ctx, input }) => getUser(ctx, input.id)),

  transactions: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/{id}/transactions",
        protect: true,
        tags: ["admin"],
        summary: "A user's full transaction history (paginated)",
        description: "Administrators only; newest first; limit 1–100 (default 20), offset from 0.",
      },
      appErrors: ["USER_NOT_FOUND"],
    })
    .input(ZUserTransactionsInputSchema)
    .output(ZTransactionPageSchema)
    .query(({ ctx, input }) => listUserTransactions(ctx, input)),

  setActive: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/users/{id}",
        protect: true,
        tags: ["admin"],
        summary: "Enable or disable a user",
        description:
          "Disabling takes effect at once, also for tokens already issued. Admins cannot disable themselves.",
      },
      appErrors: ["USER_NOT_FOUND", "CANNOT_DISABLE_SELF"],
    })
    .input(ZSetUserActiveInputSchema)
    .output(ZUserDetailSchema)
    .mutation(({ ctx, input }) => setUserActive(ctx, ctx.user.id, input)),

  activationLink: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/users/{id}/activation-link",
        protect: true,
        tags: ["admin"],
        summary: "A new activation link for a pending user",
        description: "201; the previous link stops working. 409 NOT_PENDING unless the user never activated.",
        successDescription: "Created (status 201)",
      },
      created: true,
      appErrors: ["USER_NOT_FOUND", "NOT_PENDING"],
    })
    .input(ZUserIdInputSchema)
    .output(ZActivationLinkSchema)
    .mutation(({ ctx, input }) => createActivationLink(ctx, input.id)),
});
